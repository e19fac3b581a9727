#pragma once
// libespeak-ng, opened with dlopen at the kiosk's first utterance rather than linked (lazy_library.hpp):
// with the sound libraries only it needs (pulse, sndfile, FLAC, Vorbis, Opus, mpg123…) it is about
// 1.3 MB of resident memory that a kiosk that has not spoken yet does not need.
#include <espeak-ng/espeak_ng.h>

#include <string>

namespace accueil::kiosk {

#define ACCUEIL_ESPEAK_FUNCTIONS(X)                                                                          \
    X(espeak_SetSynthCallback)                                                                               \
    X(espeak_ng_ClearErrorContext)                                                                           \
    X(espeak_ng_GetSampleRate)                                                                               \
    X(espeak_ng_GetStatusCodeMessage)                                                                        \
    X(espeak_ng_Initialize)                                                                                  \
    X(espeak_ng_InitializeOutput)                                                                            \
    X(espeak_ng_InitializePath)                                                                              \
    X(espeak_ng_SetParameter)                                                                                \
    X(espeak_ng_SetVoiceByName)                                                                              \
    X(espeak_ng_Synthesize)

struct EspeakApi {
#define ACCUEIL_ESPEAK_POINTER(f) decltype(&::f) f = nullptr;
    ACCUEIL_ESPEAK_FUNCTIONS(ACCUEIL_ESPEAK_POINTER)
#undef ACCUEIL_ESPEAK_POINTER
};

inline constexpr const char* kEspeakLibrary = "libespeak-ng.so.1";

// libespeak-ng for this process (kEspeakLibrary, or the library $ACCUEIL_LIBESPEAK names: tests),
// opened at the first call (thread-safe); nullptr with a sentence in `error` when it cannot be.
const EspeakApi* espeak_library(std::string* error = nullptr);
bool espeak_loaded(); // true once espeak_library() has opened it

} // namespace accueil::kiosk
