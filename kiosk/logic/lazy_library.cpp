#include "lazy_library.hpp"

#include <dlfcn.h>

namespace accueil::kiosk {

void* SymbolFinder::find(const char* name) {
    void* p = ::dlsym(handle_, name);
    if (!p)
        missing_ += (missing_.empty() ? "" : ", ") + std::string(name);
    return p;
}

void* open_library_handle(const char* soname, const char* package, std::string& error) {
    void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        error = std::string(soname) + " (Debian package " + package +
                ") cannot be loaded: " + (why ? why : "unknown error");
    }
    return handle;
}

bool check_library_symbols(void* handle, const char* soname, const SymbolFinder& finder, std::string& error) {
    if (finder.missing().empty())
        return true;
    error = std::string(soname) + " lacks " + finder.missing() + " (an older version?)";
    ::dlclose(handle);
    return false;
}

} // namespace accueil::kiosk
