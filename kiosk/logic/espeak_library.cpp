#include "espeak_library.hpp"

#include "lazy_library.hpp"

#include <atomic>
#include <cstdlib>
#include <optional>

namespace accueil::kiosk {

namespace {
std::atomic<bool> loaded{false};
} // namespace

const EspeakApi* espeak_library(std::string* error) {
    static std::string why;
    static const std::optional<EspeakApi> api = [] {
        const char* other = std::getenv("ACCUEIL_LIBESPEAK");
        EspeakApi table;
        if (!open_lazy_library(other && *other ? other : kEspeakLibrary, "libespeak-ng1", why,
                               [&](SymbolFinder& find) {
#define ACCUEIL_ESPEAK_FIND(f) find(table.f, #f);
                                   ACCUEIL_ESPEAK_FUNCTIONS(ACCUEIL_ESPEAK_FIND)
#undef ACCUEIL_ESPEAK_FIND
                               }))
            return std::optional<EspeakApi>();
        loaded = true;
        return std::optional<EspeakApi>(table);
    }();
    if (!api && error)
        *error = why;
    return api ? &*api : nullptr;
}

bool espeak_loaded() {
    return loaded.load();
}

} // namespace accueil::kiosk
