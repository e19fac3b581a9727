#include "sound.hpp"

#include "audio_out.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace accueil::kiosk {

namespace {
struct Note {
    double hz; // 0: silence
    int ms;
};

std::vector<Note> tune(Sound s) {
    switch (s) {
    case Sound::Admitted: // bright, rising
        return {{660, 90}, {880, 90}, {1320, 180}};
    case Sound::AlreadyCheckedIn: // two equal notes: "again"
        return {{880, 130}, {0, 70}, {880, 130}};
    case Sound::NotToday: // falling
        return {{660, 160}, {440, 260}};
    case Sound::ReplacedBadge: // up and down
        return {{523, 120}, {784, 120}, {523, 220}};
    case Sound::InvalidBadge: // low buzz
        return {{220, 450}};
    case Sound::UnknownCode: // three low beeps
        return {{330, 120}, {0, 60}, {330, 120}, {0, 60}, {330, 120}};
    case Sound::Error:
        return {{196, 300}, {0, 80}, {165, 500}};
    }
    return {};
}
} // namespace

std::chrono::milliseconds tune_length(Sound s) {
    int ms = 0;
    for (const auto& n : tune(s))
        ms += n.ms;
    return std::chrono::milliseconds(ms);
}

std::vector<std::int16_t> synthesise(Sound s) {
    std::vector<std::int16_t> out;
    constexpr double kPi = 3.14159265358979;
    for (const auto& n : tune(s)) {
        const int count = kSoundRate * n.ms / 1000;
        const int ramp = kSoundRate / 200; // 5 ms fade in and out: no clicks
        for (int i = 0; i < count; ++i) {
            double v = 0;
            if (n.hz > 0) {
                const double env = std::min({1.0, double(i) / ramp, double(count - i) / ramp});
                v = env * 0.35 * std::sin(2 * kPi * n.hz * i / kSoundRate);
                if (s == Sound::InvalidBadge || s == Sound::Error) // a harsher timbre for refusals
                    v += env * 0.15 * std::sin(2 * kPi * 3 * n.hz * i / kSoundRate);
            }
            out.push_back(std::int16_t(v * 32767));
        }
    }
    return out;
}

SoundPlayer::SoundPlayer(bool enabled) : enabled_(enabled) {
    if (enabled_)
        thread_ = std::thread([this] { run(); });
}

SoundPlayer::~SoundPlayer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void SoundPlayer::play(Sound s) {
    if (!enabled_)
        return;
    {
        std::lock_guard lock(mutex_);
        queue_.clear();
        queue_.push_back(s);
    }
    cv_.notify_one();
}

void SoundPlayer::run() {
    AudioOut out(kSoundRate, "sounds");
    for (;;) {
        Sound s;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
            if (stop_)
                break;
            s = queue_.front();
            queue_.pop_front();
        }
        out.write(synthesise(s));
        out.finish();
    }
}

} // namespace accueil::kiosk
