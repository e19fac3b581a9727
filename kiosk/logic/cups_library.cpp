#include "cups_library.hpp"

#include "lazy_library.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace accueil::kiosk {

std::optional<CupsApi> open_cups(const char* soname, std::string& error) {
    CupsApi api;
    const bool ok = open_lazy_library(soname, "libcups2", error, [&](SymbolFinder& find) {
#define ACCUEIL_CUPS_FIND(f) find(api.f, #f);
        ACCUEIL_CUPS_FUNCTIONS(ACCUEIL_CUPS_FIND)
#undef ACCUEIL_CUPS_FIND
    });
    if (!ok) {
        error = "no printing: " + error;
        return std::nullopt;
    }
    return api;
}

namespace {
std::atomic<bool> loaded{false};
} // namespace

const CupsApi* cups_library(std::string* error) {
    static std::string why;
    static const std::optional<CupsApi> api = [] {
        const char* other = std::getenv("ACCUEIL_LIBCUPS"); // tests: a library that is not there
        auto opened = open_cups(other && *other ? other : kCupsLibrary, why);
        if (opened)
            loaded = true;
        else
            spdlog::error("{}", why);
        return opened;
    }();
    if (!api && error)
        *error = why;
    return api ? &*api : nullptr;
}

bool cups_loaded() {
    return loaded.load();
}

} // namespace accueil::kiosk
