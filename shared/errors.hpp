#pragma once
// The errors accueil reports to people: one clear line each. Crashes are for bugs only.
#include <stdexcept>
#include <string>

namespace accueil {

// A store problem: refused database, integrity conflict, disk full.
struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Bad input from a person or a file; `where` is "file:line" when there is one.
struct InputError : std::runtime_error {
    InputError(const std::string& where, const std::string& what)
        : std::runtime_error(where.empty() ? what : where + ": " + what) {}
};

} // namespace accueil
