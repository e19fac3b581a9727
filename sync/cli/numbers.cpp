#include "commands.hpp"
#include "i18n/catalogue.hpp"

#include <cstdio>

namespace accueil::cli {

std::string decimal_text(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    std::string s = text;
    // French writes a decimal comma (60,0 %; 0,53 mm).
    if (i18n::process_lang() == i18n::Lang::Fr)
        for (auto& c : s)
            if (c == '.')
                c = ',';
    return s;
}

} // namespace accueil::cli
