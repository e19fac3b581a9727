#pragma once
// The demo roster (shared/demo_roster.hpp) imported into a store as `accueil demo-roster` then
// `accueil import` would: the desk tests' realistic names and the keystroke bench's 100,000 people.
#include "demo_roster.hpp"
#include "import/roster_import.hpp"
#include "store.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>

namespace accueil::test {

inline ImportSummary import_demo_roster(Store& store, std::size_t people, std::uint64_t seed = 2022) {
    std::ostringstream csv;
    write_demo_roster_csv(csv, DemoRosterOptions{people, seed, store.event().dates()});
    return import_roster_bytes(store, csv.str(), "roster.csv", {});
}

} // namespace accueil::test
