#pragma once
// libcups, loaded with dlopen when the kiosk first needs it (a badge to print, a printer to probe or
// list) rather than at start: with its own libraries (gnutls, Kerberos, Avahi…) it is about 3 MB of
// resident memory that a kiosk without a printer never uses (tests/bench/bench_kiosk_memory.cpp).
// badge_printer.cpp calls libcups through cups_call::name(…), with the arguments of cups/cups.h.
#include <cups/cups.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace accueil::kiosk {

// Every libcups function the kiosk calls.
#define ACCUEIL_CUPS_FUNCTIONS(X)                                                                            \
    X(cupsDoFileRequest)                                                                                     \
    X(cupsDoRequest)                                                                                         \
    X(cupsEncryption)                                                                                        \
    X(cupsFreeDests)                                                                                         \
    X(cupsGetDests2)                                                                                         \
    X(cupsGetNamedDest)                                                                                      \
    X(cupsGetOption)                                                                                         \
    X(cupsLastError)                                                                                         \
    X(cupsLastErrorString)                                                                                   \
    X(cupsServer)                                                                                            \
    X(cupsSetPasswordCB2)                                                                                    \
    X(cupsUser)                                                                                              \
    X(httpClose)                                                                                             \
    X(httpConnect2)                                                                                          \
    X(httpError)                                                                                             \
    X(httpReconnect2)                                                                                        \
    X(httpSeparateURI)                                                                                       \
    X(httpSetTimeout)                                                                                        \
    X(ippAddInteger)                                                                                         \
    X(ippAddString)                                                                                          \
    X(ippAddStrings)                                                                                         \
    X(ippDelete)                                                                                             \
    X(ippEnumString)                                                                                         \
    X(ippErrorString)                                                                                        \
    X(ippFindAttribute)                                                                                      \
    X(ippGetCount)                                                                                           \
    X(ippGetInteger)                                                                                         \
    X(ippGetStatusCode)                                                                                      \
    X(ippGetString)                                                                                          \
    X(ippNewRequest)                                                                                         \
    X(ippPort)

struct CupsApi {
#define ACCUEIL_CUPS_POINTER(f) decltype(&::f) f = nullptr;
    ACCUEIL_CUPS_FUNCTIONS(ACCUEIL_CUPS_POINTER)
#undef ACCUEIL_CUPS_POINTER
};

inline constexpr const char* kCupsLibrary = "libcups.so.2";

// Opens `soname` and finds every function: the table, or nullopt with why in `error` (the library or
// a function missing). The handle is never closed: libcups keeps per-thread state and atexit work.
std::optional<CupsApi> open_cups(const char* soname, std::string& error);

// libcups for this process (kCupsLibrary, or the library $ACCUEIL_LIBCUPS names), opened at the first
// call (thread-safe); nullptr when it cannot be, with a sentence saying so in `error` (logged once).
const CupsApi* cups_library(std::string* error = nullptr);

// True once cups_library() has opened libcups in this process.
bool cups_loaded();

namespace cups_call {
// Calls through cups_library(); callers check it first (badge_printer.cpp), so the throw is a bug's.
#define ACCUEIL_CUPS_CALL(f)                                                                                 \
    template <class... A> decltype(auto) f(A&&... a) {                                                       \
        const CupsApi* api = cups_library();                                                                 \
        if (!api)                                                                                            \
            throw std::runtime_error("libcups is not loaded");                                               \
        return api->f(std::forward<A>(a)...);                                                                \
    }
ACCUEIL_CUPS_FUNCTIONS(ACCUEIL_CUPS_CALL)
#undef ACCUEIL_CUPS_CALL
} // namespace cups_call

} // namespace accueil::kiosk
