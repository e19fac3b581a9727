#pragma once
// The event most tests use: three days in September 2022, the first one the OFF day.
#include "event_calendar.hpp"
#include "store.hpp"

namespace accueil::test {

inline EventSpec demo_spec() {
    return EventSpec{"Numérique en Commun[s]",
                     "Europe/Paris",
                     {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}}};
}

// 28 September 2022, 09:12 in Paris (UTC+2).
constexpr std::int64_t kSept28At0912 = 1664349120000;
constexpr std::int64_t kOneDayMs = 24LL * 3600 * 1000;

} // namespace accueil::test
