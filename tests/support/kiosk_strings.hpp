#pragma once
// The kiosk's words (assets/lang/*.json), loaded once per test program.
#include "strings.hpp"

namespace accueil::test {

inline const kiosk::Strings& kiosk_strings() {
    static const kiosk::Strings s = kiosk::Strings::load(kiosk::Strings::default_assets_dir());
    return s;
}

} // namespace accueil::test
