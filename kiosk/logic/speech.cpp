#include "speech.hpp"

#include "audio_out.hpp"
#include "errors.hpp"
#include "espeak_library.hpp"

#include <alsa/asoundlib.h>
#include <espeak-ng/espeak_ng.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <string>

namespace accueil::kiosk {

HeadphoneMode parse_headphone_mode(std::string_view text) {
    if (text == "auto")
        return HeadphoneMode::Auto;
    if (text == "always")
        return HeadphoneMode::Always;
    if (text == "never")
        return HeadphoneMode::Never;
    throw InputError("", "headphones must be auto, always or never, not \"" + std::string(text) + "\"");
}

bool headphones_in_use(HeadphoneMode mode, std::optional<bool> jack) {
    switch (mode) {
    case HeadphoneMode::Always:
        return true;
    case HeadphoneMode::Never:
        return false;
    case HeadphoneMode::Auto:
        return jack.value_or(false); // unknown: assume a loudspeaker, the room may hear
    }
    return false;
}

const std::string& choose_speech_text(const Utterance& u, bool headphones) {
    return headphones && !u.private_text.empty() ? u.private_text : u.public_text;
}

namespace {
// One control device's headphone jack: true when a jack-detect control says plugged, false when there
// are such controls and none does, nullopt when there is none (or no device).
std::optional<bool> jack_of(const char* device) {
    snd_hctl_t* raw = nullptr;
    if (snd_hctl_open(&raw, device, 0) < 0)
        return std::nullopt;
    std::unique_ptr<snd_hctl_t, int (*)(snd_hctl_t*)> hctl(raw, snd_hctl_close);
    if (snd_hctl_load(raw) < 0)
        return std::nullopt;
    std::optional<bool> found;
    snd_ctl_elem_id_t* id;
    snd_ctl_elem_info_t* info;
    snd_ctl_elem_value_t* value;
    snd_ctl_elem_id_alloca(&id);
    snd_ctl_elem_info_alloca(&info);
    snd_ctl_elem_value_alloca(&value);
    for (snd_hctl_elem_t* e = snd_hctl_first_elem(raw); e; e = snd_hctl_elem_next(e)) {
        snd_hctl_elem_get_id(e, id);
        const std::string name = snd_ctl_elem_id_get_name(id);
        if (name.find("Headphone") == std::string::npos || name.find("Jack") == std::string::npos)
            continue;
        if (snd_hctl_elem_info(e, info) < 0 ||
            snd_ctl_elem_info_get_type(info) != SND_CTL_ELEM_TYPE_BOOLEAN || snd_hctl_elem_read(e, value) < 0)
            continue;
        found = found.value_or(false) || snd_ctl_elem_value_get_boolean(value, 0) != 0;
    }
    return found;
}
} // namespace

std::optional<bool> read_headphone_jack() {
    quiet_alsa_errors();
    // The "default" control device first; when it has no jack control (a sound server's plugin has
    // none) the cards in turn: laptops often number their HDMI output before the analogue one.
    if (auto jack = jack_of("default"))
        return jack;
    std::optional<bool> any;
    for (int card = -1; snd_card_next(&card) == 0 && card >= 0;) {
        const std::string device = "hw:" + std::to_string(card);
        if (auto jack = jack_of(device.c_str()))
            any = any.value_or(false) || *jack;
    }
    return any;
}

namespace {
// Receives samples while espeak synthesises; false stops the synthesis.
using SampleFn = std::function<bool(std::span<const std::int16_t> samples, int sample_rate)>;

// espeak-ng keeps process-global state and is not thread-safe: one engine for the process, used only
// under its lock, started on first use and never restarted (espeak_ng_Terminate then Initialize again
// is not something the library promises to support).
struct Engine {
    std::mutex mutex;
    bool tried = false;
    int rate = 0;                         // 0: espeak-ng could not start
    const SampleFn* on_samples = nullptr; // set during espeak_ng_Synthesize, under the lock
    const EspeakApi* api = nullptr;       // the library, opened at the first utterance
    bool warned_voice = false;
};

Engine& engine() {
    static Engine e;
    return e;
}

int on_synth(short* wav, int count, espeak_EVENT*) {
    Engine& e = engine(); // its lock is held by synthesise_with, which is inside this call
    if (!wav || count <= 0 || !e.on_samples)
        return 0;
    try {
        return (*e.on_samples)(std::span<const std::int16_t>(wav, std::size_t(count)), e.rate) ? 0 : 1;
    } catch (...) { // never unwind through espeak's C frames
        return 1;
    }
}

bool start(Engine& e) {
    if (e.tried)
        return e.rate > 0;
    e.tried = true;
    std::string why;
    const EspeakApi* api = espeak_library(&why);
    if (!api) {
        spdlog::info("no speech: {}", why);
        return false;
    }
    api->espeak_ng_InitializePath(nullptr); // Debian's espeak-ng-data
    espeak_ng_ERROR_CONTEXT context = nullptr;
    espeak_ng_STATUS status = api->espeak_ng_Initialize(&context);
    api->espeak_ng_ClearErrorContext(&context);
    // Synchronous: samples come back to on_synth in blocks of about kSpeechBlockMs; we play them.
    if (status == ENS_OK)
        status = api->espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, kSpeechBlockMs, nullptr);
    if (status != ENS_OK) {
        char message[256] = {};
        api->espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
        spdlog::info("no speech: espeak-ng could not start ({})", message);
        return false;
    }
    api->espeak_SetSynthCallback(on_synth);
    e.api = api;
    e.rate = api->espeak_ng_GetSampleRate();
    return e.rate > 0;
}

// False when espeak-ng cannot start or has no such voice.
bool synthesise_with(std::string_view text, Lang lang, int words_per_minute, const SampleFn& on_samples) {
    Engine& e = engine();
    std::lock_guard lock(e.mutex);
    if (!start(e))
        return false;
    if (e.api->espeak_ng_SetVoiceByName(lang_code(lang)) != ENS_OK) {
        if (!e.warned_voice)
            spdlog::info("no speech: espeak-ng has no \"{}\" voice", lang_code(lang));
        e.warned_voice = true;
        return false;
    }
    e.api->espeak_ng_SetParameter(espeakRATE, words_per_minute, 0);
    const std::string z(text); // espeak reads up to the terminating NUL
    e.on_samples = &on_samples;
    e.api->espeak_ng_Synthesize(z.c_str(), z.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
                                nullptr);
    e.on_samples = nullptr;
    return true;
}
} // namespace

std::vector<std::int16_t> synthesise_speech(std::string_view text, Lang lang, int words_per_minute) {
    std::vector<std::int16_t> out;
    const SampleFn keep = [&](std::span<const std::int16_t> s, int) {
        out.insert(out.end(), s.begin(), s.end());
        return true;
    };
    synthesise_with(text, lang, words_per_minute, keep);
    return out;
}

int speech_sample_rate() {
    Engine& e = engine();
    std::lock_guard lock(e.mutex);
    return start(e) ? e.rate : 0;
}

namespace {
// The sound card as a SpeechSink: opened at the first block of an utterance, released at its end.
SpeechSink card_sink() {
    auto out = std::make_shared<std::unique_ptr<AudioOut>>();
    return [out](const SpeechBlock& b) {
        if (!*out)
            *out = std::make_unique<AudioOut>(b.sample_rate, "speech");
        switch (b.kind) {
        case SpeechBlock::Kind::Samples:
            (*out)->write(b.samples);
            break;
        case SpeechBlock::Kind::Finished:
            (*out)->finish();
            break;
        case SpeechBlock::Kind::Cut:
            (*out)->cut();
            break;
        }
    };
}
} // namespace

Speaker::Speaker(SpeakerOptions options) : options_(std::move(options)), enabled_(options_.enabled) {
    if (!options_.sink)
        options_.sink = card_sink();
    // The thread always runs (it waits on a condition when idle); espeak-ng itself starts only at the
    // first utterance, so a speaker created disabled costs nothing.
    thread_ = std::thread([this] { run(); });
}

Speaker::~Speaker() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
        ++generation_;
    }
    cv_.notify_all();
    thread_.join();
}

void Speaker::say(Utterance u, Lang lang, std::chrono::milliseconds delay) {
    {
        std::lock_guard lock(mutex_);
        last_ = Request{std::move(u), lang, {}};
        ++generation_;
        pending_.reset();
        if (enabled_) {
            pending_ = last_;
            pending_->start = std::chrono::steady_clock::now() + delay;
        }
    }
    cv_.notify_all();
}

void Speaker::repeat() {
    {
        std::lock_guard lock(mutex_);
        if (!last_ || !enabled_)
            return;
        ++generation_;
        pending_ = last_;
        pending_->start = std::chrono::steady_clock::now();
    }
    cv_.notify_all();
}

void Speaker::stop() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
        pending_.reset();
    }
    cv_.notify_all();
}

void Speaker::set_enabled(bool on) {
    {
        std::lock_guard lock(mutex_);
        enabled_ = on;
        if (!on) {
            ++generation_;
            pending_.reset();
        }
    }
    cv_.notify_all();
}

bool Speaker::enabled() const {
    std::lock_guard lock(mutex_);
    return enabled_;
}

bool Speaker::current(std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    return generation == generation_ && !quit_;
}

void Speaker::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        cv_.wait(lock, [&] { return quit_ || pending_; });
        if (quit_)
            return;
        const std::uint64_t generation = generation_;
        // Wait for the tune to end, unless something newer comes first.
        if (cv_.wait_until(lock, pending_->start, [&] { return quit_ || generation_ != generation; }))
            continue;
        const Request r = std::move(*pending_);
        pending_.reset();
        lock.unlock();
        speak(r, generation);
        lock.lock();
    }
}

void Speaker::speak(const Request& r, std::uint64_t generation) {
    std::optional<bool> jack;
    if (options_.headphones == HeadphoneMode::Auto)
        jack = options_.jack ? options_.jack() : read_headphone_jack();
    const std::string& text = choose_speech_text(r.utterance, headphones_in_use(options_.headphones, jack));
    if (text.empty())
        return;
    SpeechBlock block;
    block.utterance = ++utterances_;
    bool started = false;
    const SampleFn play = [&](std::span<const std::int16_t> samples, int rate) {
        // espeak's blocks are about kSpeechBlockMs already; split anyway so a cut never waits longer.
        const std::size_t most = std::size_t(rate) * kSpeechBlockMs / 1000;
        for (std::size_t at = 0; at < samples.size(); at += most) {
            if (!current(generation))
                return false;
            block.sample_rate = rate;
            block.samples = samples.subspan(at, std::min(most, samples.size() - at));
            options_.sink(block);
            started = true;
        }
        return true;
    };
    if (!synthesise_with(text, r.lang, options_.words_per_minute, play) || !started)
        return;
    // The card still holds up to AudioOut::kLatencyUs of speech: a stop() during that tail cuts it too.
    bool cut = false;
    {
        std::unique_lock lock(mutex_);
        cut = cv_.wait_for(lock, std::chrono::microseconds(AudioOut::kLatencyUs),
                           [&] { return quit_ || generation_ != generation; });
    }
    block.kind = cut ? SpeechBlock::Kind::Cut : SpeechBlock::Kind::Finished;
    block.samples = {};
    options_.sink(block);
}

} // namespace accueil::kiosk
