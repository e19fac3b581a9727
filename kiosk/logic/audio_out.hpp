#pragma once
// One ALSA playback stream of mono 16-bit samples, shared by the verdict tunes (sound.cpp) and the
// spoken verdicts (speech.cpp). The card is opened at the first block and released by finish() or cut(),
// so each player holds it only while it sounds: on a card without a mixing default device the speaker
// can still open it after the tune. No sound device: silent, logged once per AudioOut, never an error.
#include <cstdint>
#include <span>
#include <string>

typedef struct _snd_pcm snd_pcm_t; // <alsa/asoundlib.h> stays out of the header

namespace accueil::kiosk {

// Keeps ALSA from printing its own errors on stderr: no card is expected on many kiosks, and the
// players log that once themselves.
void quiet_alsa_errors();

// Whether the default playback device opens now, for `accueil doctor` (sync/doctor/): empty, or ALSA's
// reason. Never waits for a card another program holds: then `busy` is set (something is playing).
std::string probe_playback(int sample_rate, bool* busy = nullptr);

class AudioOut {
public:
    // `what` names the player in the one log line ("sounds", "speech").
    AudioOut(int sample_rate, std::string what);
    ~AudioOut();
    AudioOut(const AudioOut&) = delete;
    AudioOut& operator=(const AudioOut&) = delete;

    // Queues samples, blocking while the card's buffer (kLatencyUs) is full: with short blocks the
    // caller regains control often enough to cut() promptly.
    void write(std::span<const std::int16_t> samples);
    void finish(); // lets what is queued play out, then releases the card
    void cut();    // drops what is queued at once, then releases the card

    static constexpr unsigned kLatencyUs = 100'000;

private:
    bool open();
    void close();

    int rate_;
    std::string what_;
    snd_pcm_t* pcm_ = nullptr;
    bool warned_ = false;
    bool failed_ = false; // this sound could not open the card: not retried block after block
};

} // namespace accueil::kiosk
