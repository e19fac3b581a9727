// Spoken verdicts: espeak-ng speaks French and English at a moderate rate, the name goes only into
// headphones, and the Speaker's thread stops, repeats, waits for the tune and shuts down promptly. The
// sound card is replaced by a recording sink, paced in real time where timing matters.
#include "errors.hpp"
#include "speech.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

using namespace accueil::kiosk;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Kind = SpeechBlock::Kind;

namespace {
double seconds(const std::vector<std::int16_t>& samples) {
    return double(samples.size()) / speech_sample_rate();
}

int peak(const std::vector<std::int16_t>& samples) {
    int most = 0;
    for (auto s : samples)
        most = std::max(most, std::abs(int(s)));
    return most;
}

// espeak-ng is not sample-exact from one call to the next (a few samples of state carry over), so the
// same text is recognised by its length, within 10 %; the texts compared here differ far more.
bool same_speech(const std::vector<std::int16_t>& a, const std::vector<std::int16_t>& b) {
    return !a.empty() && std::abs(double(a.size()) - double(b.size())) < 0.1 * double(b.size());
}

long ms_since(Clock::time_point t) {
    return long(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

const std::string kLong =
    "Bonjour et bienvenue à Numérique en Commun. Votre badge est valide pour aujourd'hui. "
    "Avancez jusqu'au comptoir, où l'équipe d'accueil vous remettra votre tour de cou, "
    "le programme de la journée et le plan des salles. Les ateliers commencent à dix "
    "heures. Bonne journée à vous.";

// Stands in for the sound card: keeps every block per utterance and, when real_time, takes as long as
// a card would to play it (so a stop can land mid-sentence).
struct Recorder {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<std::pair<Kind, std::uint64_t>> log;
    std::map<std::uint64_t, std::vector<std::int16_t>> audio;
    bool real_time = false;

    SpeechSink sink() {
        return [this](const SpeechBlock& b) {
            {
                std::lock_guard lock(mutex);
                log.emplace_back(b.kind, b.utterance);
                audio[b.utterance].insert(audio[b.utterance].end(), b.samples.begin(), b.samples.end());
            }
            cv.notify_all();
            if (real_time && b.kind == Kind::Samples)
                std::this_thread::sleep_for(
                    std::chrono::microseconds(b.samples.size() * 1'000'000 / std::size_t(b.sample_rate)));
        };
    }
    std::size_t count(Kind kind, std::uint64_t utterance) {
        return std::size_t(std::count(log.begin(), log.end(), std::pair{kind, utterance}));
    }
    // Waits (on the condition, not by sleeping) until `kind` arrived for `utterance` at least `n` times.
    bool wait_for(Kind kind, std::uint64_t utterance, std::size_t n = 1,
                  std::chrono::milliseconds most = 20s) {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, most, [&] { return count(kind, utterance) >= n; });
    }
    std::vector<std::int16_t> samples(std::uint64_t utterance) {
        std::lock_guard lock(mutex);
        return audio[utterance];
    }
};

SpeakerOptions options(Recorder& r, HeadphoneMode mode = HeadphoneMode::Never,
                       std::optional<bool> jack = std::nullopt) {
    SpeakerOptions o;
    o.sink = r.sink();
    o.headphones = mode;
    o.jack = [jack] { return jack; };
    return o;
}

// A Speaker 0.2 s into kLong (about 15 s), its blocks recorded at a sound card's pace.
struct MidSentence {
    Recorder rec;
    std::unique_ptr<Speaker> speaker;
    MidSentence() {
        rec.real_time = true;
        speaker = std::make_unique<Speaker>(options(rec));
        speaker->say({kLong, ""}, Lang::Fr);
        REQUIRE(rec.wait_for(Kind::Samples, 1, 10));
    }
};
} // namespace

TEST_CASE("espeak-ng speaks a French and an English verdict at a plausible length") {
    REQUIRE(speech_sample_rate() > 0);
    const auto t0 = Clock::now();
    const auto fr = synthesise_speech("Bienvenue. Votre badge est valide, vous pouvez entrer.", Lang::Fr);
    const long fr_ms = ms_since(t0);
    const auto en = synthesise_speech("Welcome. Your badge is valid, you may go in.", Lang::En);
    WARN("synthesis: French sentence of " << seconds(fr) << " s in " << fr_ms << " ms; English sentence of "
                                          << seconds(en) << " s");
    for (const auto* s : {&fr, &en}) {
        CHECK(seconds(*s) > 0.3);
        CHECK(seconds(*s) < 20);
        CHECK(peak(*s) > 2000); // not silence
    }
    const bool differ = fr != en;
    CHECK(differ);

    // The rate is applied: the same sentence twice as fast is clearly shorter.
    const auto fast = synthesise_speech("Welcome. Your badge is valid, you may go in.", Lang::En, 300);
    CHECK(seconds(fast) < 0.75 * seconds(en));
    // Nothing to say, nothing heard.
    CHECK(synthesise_speech("", Lang::Fr).size() < std::size_t(speech_sample_rate() / 10));
}

TEST_CASE("Accented French is read as UTF-8, not spelled out byte by byte") {
    const auto accented = synthesise_speech(
        "Léa, votre arrivée est enregistrée. Présentez-vous à l'accueil, s'il vous plaît.", Lang::Fr);
    const auto plain = synthesise_speech(
        "Léa, votre arrivée est enregistrée. Presentez-vous a l'accueil, s'il vous plait.", Lang::Fr);
    // Read as Latin-1, each "é" would become "Ã©" and be spelled ("A tilde, copyright"): seconds longer.
    const auto mangled = synthesise_speech(
        "LÃ©a, votre arrivÃ©e est enregistrÃ©e. PrÃ©sentez-vous Ã  l'accueil, s'il vous plaÃ®t.", Lang::Fr);
    CHECK(seconds(accented) > 2);
    CHECK(seconds(accented) < 1.2 * seconds(plain));
    CHECK(seconds(mangled) > seconds(accented) + 1.5);
}

TEST_CASE("The name is never chosen for the loudspeaker") {
    const Utterance with_name{"Bienvenue, vous pouvez entrer.", "Bienvenue Léa Dupré, vous pouvez entrer."};
    const Utterance without_name{"Badge inconnu. Adressez-vous à l'accueil.", ""};
    struct Row {
        HeadphoneMode mode;
        std::optional<bool> jack;
        bool headphones;
    };
    const Row table[] = {
        {HeadphoneMode::Auto, true, true},           {HeadphoneMode::Auto, false, false},
        {HeadphoneMode::Auto, std::nullopt, false}, // no card or no jack control: assume the room hears
        {HeadphoneMode::Always, true, true},         {HeadphoneMode::Always, false, true},
        {HeadphoneMode::Always, std::nullopt, true}, {HeadphoneMode::Never, true, false},
        {HeadphoneMode::Never, false, false},        {HeadphoneMode::Never, std::nullopt, false},
    };
    for (const auto& row : table) {
        INFO("mode " << int(row.mode) << ", jack " << (row.jack ? int(*row.jack) : -1));
        const bool headphones = headphones_in_use(row.mode, row.jack);
        CHECK(headphones == row.headphones);
        CHECK(choose_speech_text(with_name, headphones) ==
              (headphones ? with_name.private_text : with_name.public_text));
        CHECK(choose_speech_text(without_name, headphones) == without_name.public_text);
        if (!headphones)
            CHECK(choose_speech_text(with_name, headphones).find("Léa") == std::string::npos);
    }
    CHECK(parse_headphone_mode("auto") == HeadphoneMode::Auto);
    CHECK(parse_headphone_mode("always") == HeadphoneMode::Always);
    CHECK(parse_headphone_mode("never") == HeadphoneMode::Never);
    CHECK_THROWS_AS(parse_headphone_mode("yes"), accueil::InputError);
    // The real jack reading never fails: no card, no control and a plugged jack are all answers.
    CHECK_NOTHROW(read_headphone_jack());
}

TEST_CASE("The Speaker says the public text on the loudspeaker and the private one in headphones") {
    const Utterance u{"Vous pouvez entrer.", "Bienvenue Léa Dupré, vous pouvez entrer."};
    const auto pub = synthesise_speech(u.public_text, Lang::Fr);
    const auto priv = synthesise_speech(u.private_text, Lang::Fr);
    REQUIRE_FALSE(same_speech(pub, priv));
    for (const auto& [mode, jack, expect_private] :
         {std::tuple{HeadphoneMode::Auto, std::optional<bool>{}, false},
          {HeadphoneMode::Auto, false, false},
          {HeadphoneMode::Auto, true, true},
          {HeadphoneMode::Never, true, false},
          {HeadphoneMode::Always, std::optional<bool>{}, true}}) {
        Recorder rec;
        Speaker speaker(options(rec, mode, jack));
        speaker.say(u, Lang::Fr);
        REQUIRE(rec.wait_for(Kind::Finished, 1));
        INFO("heard " << rec.samples(1).size() << ", public " << pub.size() << ", private " << priv.size());
        CHECK(same_speech(rec.samples(1), expect_private ? priv : pub));
    }
}

TEST_CASE_METHOD(MidSentence, "stop() cuts a long utterance mid-sentence, at once") {
    const auto t0 = Clock::now();
    speaker->stop();
    REQUIRE(rec.wait_for(Kind::Cut, 1, 1, 2s));
    const long cut_ms = ms_since(t0);
    WARN("stop() to cut: " << cut_ms << " ms");
    CHECK(cut_ms < 150);
    CHECK(seconds(rec.samples(1)) < 2); // the sentence lasts about 15 s

    // Nothing more of it ever comes: the next utterance follows the cut directly.
    speaker->say({"Suivant.", ""}, Lang::Fr);
    REQUIRE(rec.wait_for(Kind::Finished, 2));
    std::lock_guard lock(rec.mutex);
    const auto cut = std::find(rec.log.begin(), rec.log.end(), std::pair{Kind::Cut, std::uint64_t{1}});
    CHECK(std::none_of(cut, rec.log.end(),
                       [](const auto& e) { return e.second == 1 && e.first != Kind::Cut; }));
    CHECK(rec.count(Kind::Finished, 1) == 0);
}

TEST_CASE_METHOD(MidSentence, "A newer verdict replaces the one being said") {
    speaker->say({"Badge déjà utilisé aujourd'hui.", ""}, Lang::Fr);
    REQUIRE(rec.wait_for(Kind::Finished, 2));
    CHECK(rec.count(Kind::Cut, 1) == 1);
    CHECK(same_speech(rec.samples(2), synthesise_speech("Badge déjà utilisé aujourd'hui.", Lang::Fr)));
}

TEST_CASE("repeat() says the last utterance again, nothing before the first") {
    Recorder rec;
    Speaker speaker(options(rec));
    speaker.repeat(); // nothing said yet: nothing to repeat
    speaker.say({"Welcome, you may go in.", ""}, Lang::En);
    REQUIRE(rec.wait_for(Kind::Finished, 1));
    speaker.repeat();
    REQUIRE(rec.wait_for(Kind::Finished, 2));
    CHECK(same_speech(rec.samples(2), rec.samples(1)));
    CHECK(same_speech(rec.samples(1), synthesise_speech("Welcome, you may go in.", Lang::En)));
}

TEST_CASE("A disabled speaker says nothing, and speaks again once enabled") {
    Recorder rec;
    auto o = options(rec);
    o.enabled = false;
    Speaker speaker(std::move(o));
    CHECK_FALSE(speaker.enabled());
    speaker.say({kLong, ""}, Lang::Fr);
    speaker.repeat();
    speaker.set_enabled(true);
    speaker.say({"Bonjour.", ""}, Lang::Fr);
    REQUIRE(rec.wait_for(Kind::Finished, 1));
    // Utterance 1 is "Bonjour.": what was said while disabled was never queued.
    CHECK(same_speech(rec.samples(1), synthesise_speech("Bonjour.", Lang::Fr)));
    std::lock_guard lock(rec.mutex);
    CHECK(rec.log.back() == std::pair{Kind::Finished, std::uint64_t{1}});
}

TEST_CASE_METHOD(MidSentence, "Switching speech off mid-sentence cuts it") {
    speaker->set_enabled(false);
    REQUIRE(rec.wait_for(Kind::Cut, 1, 1, 2s));
    speaker->repeat(); // disabled: nothing
    speaker->set_enabled(true);
    speaker->repeat(); // enabled again: the last one, from the start
    REQUIRE(rec.wait_for(Kind::Samples, 2, 5));
}

TEST_CASE("Speech starts after the delay given for the verdict tune") {
    Recorder rec;
    Speaker speaker(options(rec));
    const auto t0 = Clock::now();
    speaker.say({"Bienvenue.", ""}, Lang::Fr, 300ms);
    REQUIRE(rec.wait_for(Kind::Samples, 1));
    CHECK(ms_since(t0) >= 300);

    // A stop() during the delay means it is never said.
    speaker.say({"Trop tard.", ""}, Lang::Fr, 200ms);
    speaker.stop();
    speaker.say({"Suivant.", ""}, Lang::Fr);
    REQUIRE(rec.wait_for(Kind::Finished, 2));
    CHECK(same_speech(rec.samples(2), synthesise_speech("Suivant.", Lang::Fr)));
}

TEST_CASE_METHOD(MidSentence, "Destroying a Speaker mid-sentence returns promptly") {
    const auto t0 = Clock::now();
    speaker.reset();
    const long ms = ms_since(t0);
    WARN("destruction while speaking: " << ms << " ms");
    CHECK(ms < 150);
    CHECK(rec.count(Kind::Finished, 1) == 0);
}
