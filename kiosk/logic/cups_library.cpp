#include "cups_library.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace accueil::kiosk {

std::optional<CupsApi> open_cups(const char* soname, std::string& error) {
    void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        error = std::string("printing needs ") + soname +
                " (Debian package libcups2), which cannot be loaded: " + (why ? why : "unknown error");
        return std::nullopt;
    }
    CupsApi api;
    std::string missing;
#define ACCUEIL_CUPS_FIND(f)                                                                                 \
    api.f = reinterpret_cast<decltype(api.f)>(::dlsym(handle, #f));                                          \
    if (!api.f)                                                                                              \
        missing += (missing.empty() ? "" : ", ") + std::string(#f);
    ACCUEIL_CUPS_FUNCTIONS(ACCUEIL_CUPS_FIND)
#undef ACCUEIL_CUPS_FIND
    if (!missing.empty()) {
        error = std::string(soname) + " lacks " + missing + ": printing needs libcups 2.2 or later";
        ::dlclose(handle);
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
