#pragma once
// The kiosk's words: the catalogue built into the programs (assets/lang/).
#include "strings.hpp"

namespace accueil::test {

inline const kiosk::Strings& kiosk_strings() {
    static const kiosk::Strings s = kiosk::Strings::builtin();
    return s;
}

} // namespace accueil::test
