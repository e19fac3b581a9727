#pragma once
// A shared library opened with dlopen when first needed instead of linked (cups_library.hpp,
// espeak_library.hpp): every library mapped at start costs the kiosk resident memory, most of all
// those with many dependencies of their own, and a kiosk without a printer never prints.
#include <string>

namespace accueil::kiosk {

// Looks functions up in one opened library, remembering the names it could not find.
class SymbolFinder {
public:
    explicit SymbolFinder(void* handle) : handle_(handle) {}
    // The function `name`, as a pointer of the type of `to`.
    template <class F> void operator()(F*& to, const char* name) { to = reinterpret_cast<F*>(find(name)); }
    const std::string& missing() const { return missing_; }

private:
    void* find(const char* name);
    void* handle_;
    std::string missing_;
};

// Opens `soname` (from Debian package `package`) and calls fill(finder) to look its functions up.
// False with a sentence in `error` when the library or one of the functions is missing. An opened
// library is never closed: these keep per-thread and process-wide state until exit.
template <class Fill>
bool open_lazy_library(const char* soname, const char* package, std::string& error, Fill&& fill);

// The parts that are not templates.
void* open_library_handle(const char* soname, const char* package, std::string& error);
bool check_library_symbols(void* handle, const char* soname, const SymbolFinder& finder, std::string& error);

template <class Fill>
bool open_lazy_library(const char* soname, const char* package, std::string& error, Fill&& fill) {
    void* handle = open_library_handle(soname, package, error);
    if (!handle)
        return false;
    SymbolFinder finder(handle);
    fill(finder);
    return check_library_symbols(handle, soname, finder, error);
}

} // namespace accueil::kiosk
