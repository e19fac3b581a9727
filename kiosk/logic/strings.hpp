#pragma once
// The kiosk's words: the shared catalogue (shared/i18n/catalogue.hpp), under the kiosk's names.
#include "i18n/catalogue.hpp"

namespace accueil::kiosk {

using Lang = i18n::Lang;
using i18n::lang_code;
using Strings = i18n::Catalogue;

} // namespace accueil::kiosk
