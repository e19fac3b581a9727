#pragma once
// Spoken verdicts: a closed kiosk says what it shows (EN 301 549 5.1.3), in French or English, through
// espeak-ng, on its own thread so the UI never waits. Personal data (the name) is spoken only into
// headphones (5.1.3.3, private listening), never on the loudspeaker: an utterance carries both texts
// and choose_speech_text() picks one. No sound device or no voice data: silent, logged once, never an
// error.
//
// Not over the verdict tune: the kiosk plays its SoundPlayer tune and asks the Speaker to start after
// it, say(u, lang, tune_length(sound) + kSpeechAfterTune) (sound.hpp). Both players release the card
// between sounds (audio_out.hpp), so the delay also keeps them from fighting over a card without mixing.
#include "strings.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace accueil::kiosk {

// What to say about one verdict. public_text: the verdict and what to do next, no personal data.
// private_text: the same message with the person's name and other personal data; empty when there is
// nothing private to add (then public_text is spoken in headphones too).
struct Utterance {
    std::string public_text;
    std::string private_text;
};

// Where speech may be heard privately. Auto reads the sound card's headphone jack.
enum class HeadphoneMode { Auto, Always, Never };
// "auto", "always", "never"; InputError otherwise.
HeadphoneMode parse_headphone_mode(std::string_view text);

// Whether headphones are in use: Always/Never as said; Auto believes the jack, and an unknown jack (no
// card, no jack-detect control) counts as no headphones.
bool headphones_in_use(HeadphoneMode mode, std::optional<bool> jack);
// The text to speak: private_text only with headphones, public_text otherwise. Pure, so it is tested
// exhaustively (tests/test_speech.cpp).
const std::string& choose_speech_text(const Utterance& u, bool headphones);

// The default card's headphone jack, from its boolean jack-detect control (a name with "Headphone" and
// "Jack", e.g. "Headphone Jack"); nullopt when there is no card or no such control. Reads the sound
// card each call (a few milliseconds): call it off the UI thread.
std::optional<bool> read_headphone_jack();

constexpr int kSpeechWordsPerMinute = 150; // slower than espeak's 175: people far from digital tools
constexpr std::chrono::milliseconds kSpeechAfterTune{150};

// Synthesises `text` (UTF-8) with the "fr" or "en" voice into mono 16-bit samples at
// speech_sample_rate(); empty when espeak-ng cannot start (logged once). Blocks for the synthesis
// (much faster than real time). espeak-ng is process-global and not thread-safe: this and every Speaker
// take one process-wide lock around it.
std::vector<std::int16_t> synthesise_speech(std::string_view text, Lang lang,
                                            int words_per_minute = kSpeechWordsPerMinute);
int speech_sample_rate(); // 0 when espeak-ng cannot start

// A block of speech for the sound card, or the end of an utterance. Samples blocks are at most
// kSpeechBlockMs long, so a cut is heard within about that.
struct SpeechBlock {
    enum class Kind {
        Samples,  // play `samples`
        Finished, // the utterance ended: let the queued samples play out
        Cut,      // stop() or a newer say(): drop what is queued now
    };
    Kind kind = Kind::Samples;
    std::span<const std::int16_t> samples;
    int sample_rate = 0;
    std::uint64_t utterance = 0; // numbers the utterances of one Speaker, from 1
};
// Receives the blocks on the Speaker's thread and may block (a sound card does, at real-time pace).
using SpeechSink = std::function<void(const SpeechBlock&)>;
constexpr int kSpeechBlockMs = 20;

struct SpeakerOptions {
    bool enabled = true; // --speech on|off
    HeadphoneMode headphones = HeadphoneMode::Auto;
    int words_per_minute = kSpeechWordsPerMinute;
    SpeechSink sink;                           // empty: the default sound card (audio_out.hpp)
    std::function<std::optional<bool>()> jack; // empty: read_headphone_jack()
};

class Speaker {
public:
    explicit Speaker(SpeakerOptions options = {});
    ~Speaker(); // stops what is being said and returns within a block's time
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    // Returns at once. Replaces whatever is being said or waiting; speech starts after `delay` (the
    // verdict tune's length, see above). Remembered for repeat(), even while disabled.
    void say(Utterance u, Lang lang, std::chrono::milliseconds delay = {});
    // Says the last utterance again, at once (the "Répéter / Repeat" button); nothing when there was none.
    void repeat();
    // Stops speaking within about kSpeechBlockMs: the person acted, what was said no longer applies.
    void stop();

    void set_enabled(bool on); // off also stops what is being said
    bool enabled() const;

private:
    struct Request {
        Utterance utterance;
        Lang lang = Lang::Fr;
        std::chrono::steady_clock::time_point start;
    };
    void run();
    void speak(const Request& r, std::uint64_t generation);
    bool current(std::uint64_t generation);

    SpeakerOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool enabled_;
    bool quit_ = false;
    std::uint64_t generation_ = 0; // bumped by every say/repeat/stop: older speech aborts
    std::optional<Request> pending_;
    std::optional<Request> last_;
    std::uint64_t utterances_ = 0; // numbers SpeechBlock::utterance (the thread's own)
    std::thread thread_;
};

} // namespace accueil::kiosk
