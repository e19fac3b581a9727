#pragma once
// A distinct short tune per verdict, synthesised and played through ALSA on its own thread, so the UI
// never waits for the sound card. No sound device: silent, logged once, never an error.
#include "view_model.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace accueil::kiosk {

constexpr int kSoundRate = 22050;

// The samples (mono, 16-bit, kSoundRate Hz) of a sound: tests check the sounds are distinct.
std::vector<std::int16_t> synthesise(Sound s);
// How long a tune lasts: the spoken verdict (speech.hpp) starts after it, not over it.
std::chrono::milliseconds tune_length(Sound s);

class SoundPlayer {
public:
    explicit SoundPlayer(bool enabled = true);
    ~SoundPlayer();
    SoundPlayer(const SoundPlayer&) = delete;
    SoundPlayer& operator=(const SoundPlayer&) = delete;

    void play(Sound s); // returns at once; a newer sound replaces one not yet started

private:
    void run();

    bool enabled_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Sound> queue_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace accueil::kiosk
