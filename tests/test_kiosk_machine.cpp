// The kiosk state machine, without a window: every screen × every input that matters,
// as one GENERATE table (start scene, input, time since the scene began → next screen and effects),
// then the rules that need a sequence: timeouts (the Checking screen's too), a dead worker, the same
// code within 4 s, queued scans, language and contrast switches, and the words the screens say.
#include "machine.hpp"
#include "scenes.hpp"

#include "support/kiosk_strings.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace accueil;
using namespace accueil::kiosk;

namespace {

const Strings& strings() {
    return test::kiosk_strings();
}

constexpr std::int64_t kT0 = 1664349120000; // 28 September 2022, 09:12 in Paris

const char* sound_name(Sound s) {
    switch (s) {
    case Sound::Admitted:
        return "admitted";
    case Sound::AlreadyCheckedIn:
        return "already";
    case Sound::NotToday:
        return "not-today";
    case Sound::ReplacedBadge:
        return "replaced";
    case Sound::InvalidBadge:
        return "invalid";
    case Sound::UnknownCode:
        return "unknown";
    case Sound::Error:
        return "error";
    }
    return "?";
}

// Effects as short words, so a table row can spell them out.
std::vector<std::string> describe(const std::vector<Effect>& effects) {
    std::vector<std::string> out;
    for (const auto& e : effects) {
        if (const auto* c = std::get_if<StartCheckin>(&e))
            out.push_back("checkin " + c->code);
        else if (const auto* a = std::get_if<StartCheckinAttendee>(&e))
            out.push_back("checkin-attendee " + a->attendee_id);
        else if (const auto* s = std::get_if<StartSearch>(&e))
            out.push_back("search " + s->query);
        else if (const auto* p = std::get_if<PlaySound>(&e))
            out.push_back(std::string("sound ") + sound_name(p->sound));
        else if (std::holds_alternative<LogError>(e))
            out.push_back("log");
    }
    return out;
}

struct Row {
    std::string scene; // a scenes.hpp name: the machine is driven there at kT0
    std::string what;  // the input, in words (shown when a row fails)
    Input input;
    std::int64_t after_ms; // the input arrives this long after the scene began
    Screen next;
    std::vector<std::string> effects;
};

Input code(const std::string& c) {
    return CodeDecoded{c, kT0};
}
Input verdict(Verdict v) {
    return VerdictReady{VerdictInfo{v, "Léa", "09:12", "Accueil 2"}};
}
Input tap(Intent i, int index = -1) {
    return Tap{i, "", index};
}
Input key(const std::string& k) {
    return Tap{Intent::Key, k};
}
Input search_done(const std::string& query) {
    return SearchDone{query, {{"A9", "Zoé M.", {"zoe.", "zora"}, 0}}};
}

using S = Screen;
using E = std::vector<std::string>;

// clang-format off
const std::vector<Row> kTable = {
    // ---- Scan: a code starts a check-in; "no badge" opens the search; nothing else moves it.
    {"scan", "a code", code("C1"), 10, S::Checking, {"checkin C1"}},
    {"scan", "an empty code", code(""), 10, S::Scan, {}},
    {"scan", "a stray verdict", verdict(Verdict::Admitted), 10, S::Scan, {}},
    {"scan", "a stray search answer", search_done(""), 10, S::Scan, {}},
    {"scan", "tap no badge", tap(Intent::NoBadge), 10, S::Search, {}},
    {"scan", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
    {"scan", "tap back", tap(Intent::Back), 10, S::Scan, {}},
    {"scan", "a key", key("A"), 10, S::Scan, {}},
    {"scan", "tick much later", Tick{}, 3600000, S::Scan, {}},
    {"scan", "a failure", Failure{"disk"}, 10, S::OutOfOrder, {"log", "sound error"}},
    {"scan", "the worker lost its database", WorkerState{false, "disk"}, 10, S::OutOfOrder, {"log", "sound error"}},
    {"scan", "the worker is running", WorkerState{true, ""}, 10, S::Scan, {}},
    {"scan", "camera gone", CameraState{false, "unplugged"}, 10, S::Scan, {}},
    {"scan", "sync state", SyncState{true, true, 3}, 10, S::Scan, {}},
    {"scan", "switch language", tap(Intent::SwitchLanguage), 10, S::Scan, {}},
    {"scan", "toggle contrast", tap(Intent::ToggleContrast), 10, S::Scan, {}},
    {"scan-no-camera", "a scanner code", code("C1"), 10, S::Checking, {"checkin C1"}},
    {"scan-no-camera", "tap no badge", tap(Intent::NoBadge), 10, S::Search, {}},

    // ---- Checking: waits for the verdict; one sound per verdict; taps cannot cancel it.
    {"checking", "verdict admitted", verdict(Verdict::Admitted), 10, S::Verdict, {"sound admitted"}},
    {"checking", "verdict already", verdict(Verdict::AlreadyCheckedIn), 10, S::Verdict, {"sound already"}},
    {"checking", "verdict not today", verdict(Verdict::NotToday), 10, S::Verdict, {"sound not-today"}},
    {"checking", "verdict replaced", verdict(Verdict::ReplacedBadge), 10, S::Verdict, {"sound replaced"}},
    {"checking", "verdict invalid", verdict(Verdict::InvalidBadge), 10, S::Verdict, {"sound invalid"}},
    {"checking", "verdict unknown", verdict(Verdict::UnknownCode), 10, S::Verdict, {"sound unknown"}},
    {"checking", "another code (queued)", code("C2"), 10, S::Checking, {}},
    {"checking", "tap ok", tap(Intent::Ok), 10, S::Checking, {}},
    {"checking", "tap back", tap(Intent::Back), 10, S::Checking, {}},
    {"checking", "tap no badge", tap(Intent::NoBadge), 10, S::Checking, {}},
    {"checking", "tick before the deadline", Tick{}, 4999, S::Checking, {}},
    {"checking", "tick at the deadline: no answer in 5 s", Tick{}, 5000, S::OutOfOrder, {"log", "sound error"}},
    {"checking", "tick much later", Tick{}, 3600000, S::OutOfOrder, {"log", "sound error"}},
    {"checking", "the worker lost its database", WorkerState{false, "disk"}, 10, S::OutOfOrder, {"log", "sound error"}},
    {"checking", "the worker is running", WorkerState{true, ""}, 10, S::Checking, {}},
    {"checking", "a stray search answer", search_done(""), 10, S::Checking, {}},
    {"checking", "a failure", Failure{"disk"}, 10, S::OutOfOrder, {"log", "sound error"}},

    // ---- Verdict: OK or back returns to Scan; a new code starts the next check-in; 5 s timeout.
    {"admitted", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
    {"admitted", "tap back", tap(Intent::Back), 10, S::Scan, {}},
    {"admitted", "tap no badge", tap(Intent::NoBadge), 10, S::Search, {}},
    {"admitted", "a key", key("A"), 10, S::Verdict, {}},
    {"admitted", "tick before the timeout", Tick{}, 4999, S::Verdict, {}},
    {"admitted", "tick at the timeout", Tick{}, 5000, S::Scan, {}},
    {"admitted", "the next person's code", code("C2"), 10, S::Checking, {"checkin C2"}},
    {"admitted", "a late second verdict", verdict(Verdict::UnknownCode), 10, S::Verdict, {}},
    {"admitted", "a failure", Failure{"disk"}, 10, S::OutOfOrder, {"log", "sound error"}},
    {"already", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
    {"already", "tick at the timeout", Tick{}, 5000, S::Scan, {}},
    {"not-today", "tick at the timeout", Tick{}, 5000, S::Scan, {}},
    {"replaced", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
    {"invalid", "tick before the timeout", Tick{}, 4999, S::Verdict, {}},
    {"unknown", "tap no badge", tap(Intent::NoBadge), 10, S::Search, {}},

    // ---- Search, nothing typed: fewer than 2 letters search nobody; 20 s timeout.
    {"search", "one letter", key("D"), 10, S::Search, {}},
    {"search", "an accented letter", key("É"), 10, S::Search, {}},
    {"search", "backspace on nothing", tap(Intent::Backspace), 10, S::Search, {}},
    {"search", "space on nothing", tap(Intent::Space), 10, S::Search, {}},
    {"search", "pick a match that is not there", tap(Intent::PickMatch, 0), 10, S::Search, {}},
    {"search", "more time", tap(Intent::MoreTime), 10, S::Search, {}},
    {"search", "tap back", tap(Intent::Back), 10, S::Scan, {}},
    {"search", "tick before the timeout", Tick{}, 19999, S::Search, {}},
    {"search", "tick at the timeout", Tick{}, 20000, S::Scan, {}},
    {"search", "a badge shown after all", code("C1"), 10, S::Checking, {"checkin C1"}},
    {"search", "a failure", Failure{"disk"}, 10, S::OutOfOrder, {"log", "sound error"}},
    {"search", "the worker lost its database", WorkerState{false, "disk"}, 10, S::OutOfOrder, {"log", "sound error"}},

    // ---- Search with "DU" typed and three matches.
    {"search-results", "a third letter", key("P"), 10, S::Search, {"search DUP"}},
    {"search-results", "an accented letter", key("É"), 10, S::Search, {"search DUÉ"}},
    {"search-results", "space", tap(Intent::Space), 10, S::Search, {"search DU "}},
    {"search-results", "backspace to one letter", tap(Intent::Backspace), 10, S::Search, {}},
    {"search-results", "pick the first match", tap(Intent::PickMatch, 0), 10, S::Confirm, {}},
    {"search-results", "pick the third match", tap(Intent::PickMatch, 2), 10, S::Confirm, {}},
    {"search-results", "pick past the matches", tap(Intent::PickMatch, 3), 10, S::Search, {}},
    {"search-results", "an answer to an older query", search_done("D"), 10, S::Search, {}},
    {"search-results", "tap back", tap(Intent::Back), 10, S::Scan, {}},
    {"search-results", "tick at the timeout", Tick{}, 20000, S::Scan, {}},

    // ---- Confirm (Églantine D., the right answer is option 0): one try only.
    {"confirm", "the right option", tap(Intent::PickOption, 0), 10, S::Checking, {"checkin-attendee A1"}},
    {"confirm", "a wrong option", tap(Intent::PickOption, 1), 10, S::GoToDesk, {}},
    {"confirm", "an option that is not there", tap(Intent::PickOption, 9), 10, S::Confirm, {}},
    {"confirm", "none of these", tap(Intent::NoneOfThese), 10, S::GoToDesk, {}},
    {"confirm", "tap back", tap(Intent::Back), 10, S::Search, {}},
    {"confirm", "more time", tap(Intent::MoreTime), 10, S::Confirm, {}},
    {"confirm", "a key (no keyboard here)", key("A"), 10, S::Confirm, {}},
    {"confirm", "tick before the timeout", Tick{}, 19999, S::Confirm, {}},
    {"confirm", "tick at the timeout", Tick{}, 20000, S::Scan, {}},
    {"confirm", "a badge shown after all", code("C1"), 10, S::Checking, {"checkin C1"}},

    // ---- Go to the desk: OK returns; 10 s timeout.
    {"desk", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
    {"desk", "tap back", tap(Intent::Back), 10, S::Scan, {}},
    {"desk", "tap no badge", tap(Intent::NoBadge), 10, S::Search, {}},
    {"desk", "tick before the timeout", Tick{}, 9999, S::GoToDesk, {}},
    {"desk", "tick at the timeout", Tick{}, 10000, S::Scan, {}},
    {"desk", "a code", code("C1"), 10, S::Checking, {"checkin C1"}},

    // ---- Out of order: codes are refused; it retries by itself after 15 s; no second alarm.
    {"out-of-order", "a code", code("C1"), 10, S::OutOfOrder, {}},
    {"out-of-order", "a stray verdict", verdict(Verdict::Admitted), 10, S::OutOfOrder, {}},
    {"out-of-order", "tap no badge", tap(Intent::NoBadge), 10, S::OutOfOrder, {}},
    {"out-of-order", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
    {"out-of-order", "tick before the retry", Tick{}, 14999, S::OutOfOrder, {}},
    {"out-of-order", "tick at the retry", Tick{}, 15000, S::Scan, {}},
    {"out-of-order", "another failure", Failure{"again"}, 10, S::OutOfOrder, {"log"}},
    {"out-of-order", "the worker is running (it never stopped)", WorkerState{true, ""}, 10, S::OutOfOrder, {}},
    {"out-of-order", "the worker lost its database", WorkerState{false, "disk"}, 10, S::OutOfOrder, {"log"}},

    // ---- Worker down (its database failed): out of order, whatever happens, until it is back.
    {"worker-down", "a code", code("C1"), 10, S::OutOfOrder, {}},
    {"worker-down", "a stray verdict", verdict(Verdict::Admitted), 10, S::OutOfOrder, {}},
    {"worker-down", "tap ok", tap(Intent::Ok), 10, S::OutOfOrder, {}},
    {"worker-down", "tap back", tap(Intent::Back), 10, S::OutOfOrder, {}},
    {"worker-down", "tap no badge", tap(Intent::NoBadge), 10, S::OutOfOrder, {}},
    {"worker-down", "tick at the usual retry", Tick{}, 15000, S::OutOfOrder, {}},
    {"worker-down", "tick much later", Tick{}, 3600000, S::OutOfOrder, {}},
    {"worker-down", "down again", WorkerState{false, "still"}, 10, S::OutOfOrder, {}},
    {"worker-down", "a frame failure", Failure{"frame"}, 10, S::OutOfOrder, {"log"}},
    {"worker-down", "the worker is back", WorkerState{true, ""}, 10, S::Scan, {}},

    // ---- The store turns out to hold no event (a new file, a mistyped --db): not set up.
    {"scan", "the store has no event", SetupState{}, 10, S::NotSetUp, {}},
    {"checking", "the worker could not check in: not set up", SetupState{false, "", "", "", 1}, 10, S::GoToDesk, {"sound error"}},
    {"checking", "not set up, for an older check-in", SetupState{false, "", "", "", 99}, 10, S::Checking, {}},

    // ---- Not set up: only an enrolment code does anything; a badge is never called invalid.
    {"not-set-up", "a badge", code("C1"), 10, S::GoToDesk, {"sound error"}},
    {"not-set-up", "an enrolment code", code("accueil1:https:10.0.0.2:8443:x:y"), 10, S::Checking, {"checkin accueil1:https:10.0.0.2:8443:x:y"}},
    {"not-set-up", "an empty code", code(""), 10, S::NotSetUp, {}},
    {"not-set-up", "tap no badge", tap(Intent::NoBadge), 10, S::NotSetUp, {}},
    {"not-set-up", "tap ok", tap(Intent::Ok), 10, S::NotSetUp, {}},
    {"not-set-up", "a tap on the clock", tap(Intent::Organiser), 10, S::NotSetUp, {}},
    {"not-set-up", "a key", key("A"), 10, S::NotSetUp, {}},
    {"not-set-up", "tick much later", Tick{}, 3600000, S::NotSetUp, {}},
    {"not-set-up", "a stray verdict", verdict(Verdict::InvalidBadge), 10, S::NotSetUp, {}},
    {"not-set-up", "switch language", tap(Intent::SwitchLanguage), 10, S::NotSetUp, {}},
    {"not-set-up", "toggle contrast", tap(Intent::ToggleContrast), 10, S::NotSetUp, {}},
    {"not-set-up", "still no event", SetupState{}, 10, S::NotSetUp, {}},
    {"not-set-up", "the event arrived", SetupState{true, "https://10.0.0.2:8443", "Accueil 2", "Europe/Paris", 0}, 10, S::Scan, {}},
    {"not-set-up", "a failure", Failure{"disk"}, 10, S::OutOfOrder, {"log", "sound error"}},
    {"not-set-up-badge", "tap ok", tap(Intent::Ok), 10, S::NotSetUp, {}},
    {"not-set-up-badge", "tap no badge", tap(Intent::NoBadge), 10, S::GoToDesk, {}},
    {"not-set-up-badge", "tick before the timeout", Tick{}, 9999, S::GoToDesk, {}},
    {"not-set-up-badge", "tick at the timeout", Tick{}, 10000, S::NotSetUp, {}},
    {"not-set-up-badge", "another badge", code("C2"), 10, S::GoToDesk, {"sound error"}},
    {"not-set-up-badge", "an enrolment code", code("accueil1:x"), 10, S::Checking, {"checkin accueil1:x"}},
    {"not-set-up-waiting", "a badge", code("C1"), 10, S::GoToDesk, {"sound error"}},
    {"not-set-up-waiting", "the event arrived", SetupState{true, "https://10.0.0.2:8443", "Accueil 2", "Europe/Paris", 0}, 10, S::Scan, {}},

    // ---- An enrolment's outcome: read, then back to the start (20 s: the person setting it up reads).
    {"join-refused", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
    {"join-refused", "tick before the timeout", Tick{}, 19999, S::Verdict, {}},
    {"join-refused", "tick at the timeout", Tick{}, 20000, S::Scan, {}},
    {"join-refused", "a new code", code("accueil1:y"), 10, S::Checking, {"checkin accueil1:y"}},
    {"joined", "tap ok", tap(Intent::Ok), 10, S::Scan, {}},
};
// clang-format on

Machine at_scene(const std::string& scene) {
    Machine m(strings(), MachineOptions{});
    REQUIRE(drive_to_scene(m, scene, kT0));
    return m;
}

} // namespace

TEST_CASE("Every kiosk transition: screen x input gives the expected screen and effects") {
    const Row row = GENERATE(from_range(kTable));
    INFO("from " << row.scene << ", input: " << row.what << " after " << row.after_ms << " ms");
    Machine m = at_scene(row.scene);
    const auto effects = describe(m.handle(row.input, kT0 + row.after_ms));
    CHECK(screen_key(m.screen()) == std::string(screen_key(row.next)));
    CHECK(effects == row.effects);
    // Whatever happened, the view model can be built and says something.
    const auto vm = m.view(kT0 + row.after_ms);
    CHECK(vm.screen == m.screen());
    CHECK_FALSE(vm.title.empty());
}

TEST_CASE("Every sample scene is reachable and lands on its screen") {
    const std::vector<std::pair<std::string, Screen>> expected = {{"scan", S::Scan},
                                                                  {"scan-no-camera", S::Scan},
                                                                  {"checking", S::Checking},
                                                                  {"admitted", S::Verdict},
                                                                  {"already", S::Verdict},
                                                                  {"not-today", S::Verdict},
                                                                  {"replaced", S::Verdict},
                                                                  {"invalid", S::Verdict},
                                                                  {"unknown", S::Verdict},
                                                                  {"search", S::Search},
                                                                  {"search-results", S::Search},
                                                                  {"confirm", S::Confirm},
                                                                  {"desk", S::GoToDesk},
                                                                  {"out-of-order", S::OutOfOrder},
                                                                  {"worker-down", S::OutOfOrder},
                                                                  {"joined", S::Verdict},
                                                                  {"joined-not-synced", S::Verdict},
                                                                  {"join-already", S::Verdict},
                                                                  {"join-damaged", S::Verdict},
                                                                  {"join-refused", S::Verdict},
                                                                  {"join-unreachable", S::Verdict},
                                                                  {"join-wrong-server", S::Verdict},
                                                                  {"join-store", S::Verdict},
                                                                  {"join-failed", S::Verdict},
                                                                  {"join-no-program", S::Verdict},
                                                                  {"pin", S::Pin},
                                                                  {"pin-wrong", S::Pin},
                                                                  {"not-set-up", S::NotSetUp},
                                                                  {"not-set-up-badge", S::GoToDesk},
                                                                  {"not-set-up-waiting", S::NotSetUp},
                                                                  {"closed", S::Closed},
                                                                  {"closed-lit", S::Closed}};
    REQUIRE(scene_names().size() == expected.size());
    for (const auto& [name, screen] : expected) {
        INFO(name);
        CHECK(at_scene(name).screen() == screen);
    }
    Machine m(strings(), MachineOptions{});
    CHECK_FALSE(drive_to_scene(m, "no-such-scene", kT0));
}

TEST_CASE("The same code within 4 s is ignored, even while the badge stays in front of the camera") {
    Machine m(strings(), MachineOptions{});
    CHECK(describe(m.handle(CodeDecoded{"C1", kT0}, kT0)) == E{"checkin C1"});
    m.handle(VerdictReady{{Verdict::Admitted, "Léa", "", ""}}, kT0 + 50);
    m.handle(Tap{Intent::Ok}, kT0 + 100);
    REQUIRE(m.screen() == S::Scan);

    // Seen again 3.999 s later: still the same person.
    CHECK(describe(m.handle(CodeDecoded{"C1", kT0 + 3999}, kT0 + 3999)).empty());
    CHECK(m.screen() == S::Scan);
    // Held there: every sighting extends the window, so 7 s after the first it is still one check-in.
    CHECK(describe(m.handle(CodeDecoded{"C1", kT0 + 7000}, kT0 + 7000)).empty());
    // A different code within the window is someone else.
    CHECK(describe(m.handle(CodeDecoded{"C2", kT0 + 7100}, kT0 + 7100)) == E{"checkin C2"});
    m.handle(VerdictReady{{Verdict::Admitted, "Zoé", "", ""}}, kT0 + 7200);
    m.handle(Tap{Intent::Ok}, kT0 + 7300);
    CHECK(describe(m.handle(CodeDecoded{"C2", kT0 + 11099}, kT0 + 11099)).empty());
    // Shown again 4 s after it was last seen: a new scan (the core then says "already checked in").
    CHECK(describe(m.handle(CodeDecoded{"C2", kT0 + 15099}, kT0 + 15099)) == E{"checkin C2"});
}

TEST_CASE("Codes seen during a check-in are queued and run after the verdict has been seen") {
    Machine m(strings(), MachineOptions{});
    m.handle(CodeDecoded{"C1", kT0}, kT0);
    CHECK(describe(m.handle(CodeDecoded{"C2", kT0 + 10}, kT0 + 10)).empty());
    CHECK(describe(m.handle(CodeDecoded{"C3", kT0 + 20}, kT0 + 20)).empty());
    CHECK_FALSE(m.idle());
    m.handle(VerdictReady{{Verdict::Admitted, "Léa", "", ""}}, kT0 + 100);
    // The first verdict stays at least 1.5 s on screen before the next check-in starts.
    CHECK(describe(m.handle(Tick{}, kT0 + 1599)).empty());
    CHECK(m.screen() == S::Verdict);
    CHECK(describe(m.handle(Tick{}, kT0 + 1600)) == E{"checkin C2"});
    CHECK(m.screen() == S::Checking);
    // Another code shown on a verdict screen while scans are queued waits its turn too.
    m.handle(VerdictReady{{Verdict::Admitted, "Zoé", "", ""}}, kT0 + 1700);
    CHECK(describe(m.handle(CodeDecoded{"C4", kT0 + 1800}, kT0 + 1800)).empty());
    CHECK(describe(m.handle(Tick{}, kT0 + 3200)) == E{"checkin C3"});
    m.handle(VerdictReady{{Verdict::UnknownCode, "", "", ""}}, kT0 + 3300);
    CHECK(describe(m.handle(Tick{}, kT0 + 4800)) == E{"checkin C4"});
    m.handle(VerdictReady{{Verdict::UnknownCode, "", "", ""}}, kT0 + 4900);
    CHECK(m.idle());

    // A failure drops the queue: the screen sends everyone to the desk.
    Machine f(strings(), MachineOptions{});
    f.handle(CodeDecoded{"C1", kT0}, kT0);
    f.handle(CodeDecoded{"C2", kT0 + 10}, kT0 + 10);
    f.handle(Failure{"disk"}, kT0 + 20);
    CHECK(f.idle());
    CHECK(describe(f.handle(Tick{}, kT0 + 15020)).empty());
    CHECK(f.screen() == S::Scan);
}

TEST_CASE("No answer within 5 s on the Checking screen: out of order, logged, and a late answer is dropped") {
    Machine m(strings(), MachineOptions{});
    auto effects = m.handle(CodeDecoded{"C1", kT0}, kT0);
    REQUIRE(effects.size() == 1);
    const auto first_job = std::get<StartCheckin>(effects[0]).job;
    m.handle(CodeDecoded{"C2", kT0 + 100}, kT0 + 100); // queued behind it
    CHECK(describe(m.handle(Tick{}, kT0 + 4999)).empty());
    CHECK(m.screen() == S::Checking);
    effects = m.handle(Tick{}, kT0 + 5000);
    CHECK(describe(effects) == E{"log", "sound error"});
    CHECK_THAT(std::get<LogError>(effects[0]).what, Catch::Contains("no answer"));
    CHECK(m.screen() == S::OutOfOrder);
    CHECK(m.idle()); // the queued scan went to the desk with everyone else
    auto vm = m.view(kT0 + 5000);
    CHECK(vm.title == "Hors service");
    CHECK(vm.sentence == "Merci d'aller à l'accueil.");
    CHECK(vm.hint == "Ce poste n'a pas répondu à temps. Votre arrivée n'est peut-être pas enregistrée.");
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 5000);
    CHECK(m.view(kT0 + 5000).hint == "This kiosk did not answer in time. Your arrival may not be recorded.");
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 5000);

    // The answer comes after all: not shown, not even to the next person.
    CHECK(
        describe(m.handle(VerdictReady{{Verdict::Admitted, "Léa", "", ""}, first_job}, kT0 + 6000)).empty());
    m.handle(Tick{}, kT0 + 20000);
    REQUIRE(m.screen() == S::Scan);
    effects = m.handle(CodeDecoded{"C3", kT0 + 21000}, kT0 + 21000);
    const auto next_job = std::get<StartCheckin>(effects.at(0)).job;
    CHECK(next_job != first_job);
    m.handle(VerdictReady{{Verdict::Admitted, "Léa", "", ""}, first_job}, kT0 + 21100);
    CHECK(m.screen() == S::Checking);
    m.handle(VerdictReady{{Verdict::Admitted, "Zoé", "", ""}, next_job}, kT0 + 21200);
    CHECK(m.screen() == S::Verdict);
    CHECK(m.view(kT0 + 21200).title == "Bienvenue Zoé\u202F!");

    // The identity-checked path has the same deadline.
    Machine c = at_scene("confirm");
    effects = c.handle(Tap{Intent::PickOption, "", 0}, kT0);
    REQUIRE(c.screen() == S::Checking);
    c.handle(Tick{}, kT0 + 5000);
    CHECK(c.screen() == S::OutOfOrder);

    // An enrolment code talks to the server and downloads the roster: a minute.
    Machine j(strings(), MachineOptions{});
    j.handle(CodeDecoded{"accueil1:https:10.0.0.2:8443:x:y", kT0}, kT0);
    REQUIRE(j.deadline());
    CHECK(*j.deadline() == kT0 + 60000);
    j.handle(Tick{}, kT0 + 59999);
    CHECK(j.screen() == S::Checking);
    j.handle(Tick{}, kT0 + 60000);
    CHECK(j.screen() == S::OutOfOrder);
}

TEST_CASE("A worker without its database keeps the kiosk out of order, saying why, until it is back") {
    Machine m(strings(), MachineOptions{});
    m.handle(CodeDecoded{"C1", kT0}, kT0);
    m.handle(CodeDecoded{"C2", kT0 + 10}, kT0 + 10);
    const auto effects =
        m.handle(WorkerState{false, "cannot open the database: file is not a database"}, kT0 + 20);
    CHECK(describe(effects) == E{"log", "sound error"});
    CHECK_THAT(std::get<LogError>(effects[0]).what, Catch::Contains("file is not a database"));
    CHECK(m.screen() == S::OutOfOrder);
    CHECK_FALSE(m.deadline()); // no retry while the worker is down
    CHECK(m.idle());
    auto vm = m.view(kT0 + 20);
    CHECK(vm.title == "Hors service");
    CHECK(vm.hint == "Ce poste n'arrive pas à lire ses données. Il réessaie tout seul.");
    CHECK(vm.actions.empty());
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 30);
    vm = m.view(kT0 + 30);
    CHECK(vm.title == "Out of order");
    CHECK(vm.sentence == "Please go to the desk.");
    CHECK(vm.hint == "This kiosk cannot read its data. It keeps trying by itself.");
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 40);

    // Long after the usual 15 s, taps, codes and a frame failure: still out of order, same reason.
    CHECK(describe(m.handle(Tick{}, kT0 + 15020)).empty());
    CHECK(describe(m.handle(Tap{Intent::Ok}, kT0 + 16000)).empty());
    CHECK(describe(m.handle(CodeDecoded{"C3", kT0 + 17000}, kT0 + 17000)).empty());
    m.handle(Failure{"frame: something"}, kT0 + 18000);
    m.handle(Tick{}, kT0 + 3600000);
    CHECK(m.screen() == S::OutOfOrder);
    CHECK(m.view(kT0 + 3600000).hint == "Ce poste n'arrive pas à lire ses données. Il réessaie tout seul.");

    // The database opens again: back to the start, and scans work.
    CHECK(describe(m.handle(WorkerState{true, ""}, kT0 + 3600100)).empty());
    CHECK(m.screen() == S::Scan);
    CHECK(describe(m.handle(CodeDecoded{"C4", kT0 + 3600200}, kT0 + 3600200)) == E{"checkin C4"});
    // A failure after that is an ordinary one again: 15 s, then the kiosk tries again.
    m.handle(Failure{"frame"}, kT0 + 3600300);
    CHECK(m.view(kT0 + 3600300).hint == "Un problème est survenu. Il a été noté.");
    m.handle(Tick{}, kT0 + 3615300);
    CHECK(m.screen() == S::Scan);
}

TEST_CASE("Timeouts: deadlines per screen, and taps on typing screens give the time back") {
    MachineOptions o;
    o.verdict_ms = 3000;
    Machine m(strings(), o);
    CHECK_FALSE(m.deadline());
    m.handle(CodeDecoded{"C1", kT0}, kT0);
    REQUIRE(m.deadline()); // checking has a deadline too: a worker that never answers
    CHECK(*m.deadline() == kT0 + 5000);
    CHECK(m.view(kT0).seconds_left == -1); // a safeguard, not a countdown
    m.handle(VerdictReady{{Verdict::Admitted, "Léa", "", ""}}, kT0 + 100);
    REQUIRE(m.deadline());
    CHECK(*m.deadline() == kT0 + 3100);
    CHECK(m.view(kT0 + 100).seconds_left == 3);
    m.handle(Tick{}, kT0 + 3100);
    CHECK(m.screen() == S::Scan);
    CHECK_FALSE(m.deadline());

    m.handle(Tap{Intent::NoBadge}, kT0 + 4000);
    CHECK(*m.deadline() == kT0 + 24000);
    m.handle(Tap{Intent::MoreTime}, kT0 + 15000); // any tap on a typing screen
    CHECK(*m.deadline() == kT0 + 35000);
    m.handle(Tap{Intent::Key, "L"}, kT0 + 30000);
    m.handle(Tick{}, kT0 + 49999);
    CHECK(m.screen() == S::Search);
    CHECK(m.view(kT0 + 49999).seconds_left == 1);
    CHECK(m.view(kT0 + 49999).can_extend);
    m.handle(Tick{}, kT0 + 50000);
    CHECK(m.screen() == S::Scan);
    CHECK(m.typed().empty()); // nothing typed outlives the person who typed it
}

TEST_CASE("A match the kiosk cannot ask about (no question) is confirmed at the desk") {
    Machine m(strings(), MachineOptions{});
    m.handle(Tap{Intent::NoBadge}, kT0);
    m.handle(Tap{Intent::Key, "Z"}, kT0);
    CHECK(describe(m.handle(Tap{Intent::Key, "o"}, kT0)) == E{"search Zo"});
    m.handle(SearchDone{"Zo", {{"A7", "Zoé M.", {}, -1}}}, kT0);
    REQUIRE(m.view(kT0).choices.size() == 1);
    CHECK(m.view(kT0).choices[0].label == "Zoé M.");
    m.handle(Tap{Intent::PickMatch, "", 0}, kT0);
    CHECK(m.screen() == S::GoToDesk);
    CHECK(m.view(kT0).sentence == strings().get(Lang::Fr, "desk.cannot_confirm"));
}

TEST_CASE("Typing: accents, backspace of a multi-byte letter, one space at a time, 40 letters at most") {
    Machine m(strings(), MachineOptions{});
    m.handle(Tap{Intent::NoBadge}, kT0);
    m.handle(Tap{Intent::Key, "É"}, kT0);
    m.handle(Tap{Intent::Key, "l"}, kT0);
    CHECK(m.typed() == "Él");
    m.handle(Tap{Intent::Space}, kT0);
    CHECK(describe(m.handle(Tap{Intent::Space}, kT0)).empty());
    CHECK(m.typed() == "Él ");
    m.handle(Tap{Intent::Backspace}, kT0);
    m.handle(Tap{Intent::Backspace}, kT0);
    CHECK(m.typed() == "É");
    m.handle(Tap{Intent::Backspace}, kT0);
    CHECK(m.typed().empty());
    for (int i = 0; i < 50; ++i)
        m.handle(Tap{Intent::Key, "é"}, kT0);
    CHECK(m.typed().size() == 40 * std::string("é").size());
    // More matches than fit are cut to four.
    std::vector<Match> many(7, Match{"A", "Éa B.", {"a", "b"}, 0});
    m.handle(SearchDone{m.typed(), many}, kT0);
    CHECK(m.view(kT0).choices.size() == 4);
}

TEST_CASE("Switching language keeps the screen and what was typed, and words change everywhere") {
    for (const auto& scene : scene_names()) {
        INFO(scene);
        Machine m = at_scene(scene);
        const Screen before = m.screen();
        const std::string typed = m.typed();
        const auto fr = m.view(kT0);
        CHECK(fr.french);
        CHECK(fr.language_label == "English");
        CHECK(describe(m.handle(Tap{Intent::SwitchLanguage}, kT0 + 10)).empty());
        CHECK(m.lang() == Lang::En);
        CHECK(m.screen() == before);
        CHECK(m.typed() == typed);
        const auto en = m.view(kT0 + 10);
        CHECK_FALSE(en.french);
        CHECK(en.language_label == "Français");
        CHECK(en.title != fr.title);
        m.handle(Tap{Intent::SwitchLanguage}, kT0 + 20);
        CHECK(m.lang() == Lang::Fr);
        CHECK(m.view(kT0 + 20).title == fr.title);
    }
    // On a result screen, switching gives the person time to read it again.
    Machine m = at_scene("admitted");
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 4000);
    m.handle(Tick{}, kT0 + 5000);
    CHECK(m.screen() == S::Verdict);
    m.handle(Tick{}, kT0 + 9000);
    CHECK(m.screen() == S::Scan);
}

TEST_CASE("High contrast toggles on every screen without changing it") {
    for (const auto& scene : scene_names()) {
        INFO(scene);
        Machine m = at_scene(scene);
        const Screen before = m.screen();
        CHECK_FALSE(m.view(kT0).high_contrast);
        const std::string label = m.view(kT0).contrast_label;
        CHECK(describe(m.handle(Tap{Intent::ToggleContrast}, kT0 + 10)).empty());
        CHECK(m.high_contrast());
        CHECK(m.view(kT0 + 10).high_contrast);
        CHECK(m.view(kT0 + 10).contrast_label != label);
        CHECK(m.screen() == before);
        m.handle(Tap{Intent::ToggleContrast}, kT0 + 20);
        CHECK_FALSE(m.view(kT0 + 20).high_contrast);
    }
    // The mode survives going back to the start screen: the next person may need it too.
    Machine m = at_scene("admitted");
    m.handle(Tap{Intent::ToggleContrast}, kT0);
    m.handle(Tap{Intent::Ok}, kT0);
    CHECK(m.view(kT0).high_contrast);
}

TEST_CASE("The words of the verdict screens, in French and English") {
    struct Want {
        std::string scene;
        Tone tone;
        Icon icon;
        std::string fr_title, fr_sentence, en_title;
    };
    const std::vector<Want> wants = {
        {"admitted", Tone::Success, Icon::Check, "Bienvenue Léa\u202F!", "Votre arrivée est enregistrée.",
         "Welcome, Léa!"},
        {"already", Tone::Info, Icon::Repeat, "Déjà scanné",
         "Ce badge a déjà été scanné à 9 h 12 (Accueil 2).", "Already scanned"},
        {"not-today", Tone::Warning, Icon::Calendar, "Pas inscrit aujourd'hui",
         "Votre inscription ne couvre pas la journée d'aujourd'hui.", "Not registered today"},
        {"replaced", Tone::Warning, Icon::Triangle, "Badge remplacé",
         "Ce badge a été remplacé par un badge plus récent.", "Badge replaced"},
        {"invalid", Tone::Error, Icon::Cross, "Badge non valide", "Ce badge n'a pas pu être vérifié.",
         "Invalid badge"},
        {"unknown", Tone::Error, Icon::Question, "Code inconnu",
         "Ce code ne correspond à aucune inscription.", "Unknown code"},
    };
    for (const auto& w : wants) {
        INFO(w.scene);
        Machine m = at_scene(w.scene);
        const auto vm = m.view(kT0);
        CHECK(vm.tone == w.tone);
        CHECK(vm.icon == w.icon);
        CHECK(vm.title == w.fr_title);
        CHECK(vm.sentence == w.fr_sentence);
        CHECK_FALSE(vm.hint.empty());
        REQUIRE(vm.actions.size() == 2);
        CHECK(vm.actions[0].intent == Intent::Ok);
        CHECK(vm.actions[1].intent == Intent::Repeat); // spoken verdicts can be heard again
        m.handle(Tap{Intent::SwitchLanguage}, kT0);
        CHECK(m.view(kT0).title == w.en_title);
    }
    Machine m = at_scene("already");
    m.handle(Tap{Intent::SwitchLanguage}, kT0);
    CHECK(m.view(kT0).sentence == "This badge was already scanned at 9:12 (Accueil 2).");
}

TEST_CASE("Status line: kiosk name, local time, and the sync state once known") {
    MachineOptions o;
    o.kiosk_name = "Entrée Nord";
    Machine m(strings(), o);
    auto vm = m.view(kT0);
    CHECK(vm.kiosk_name == "Entrée Nord");
    CHECK(vm.clock == "09:12");
    CHECK(vm.sync_text == "Local uniquement");
    m.handle(SyncState{true, false, 12}, kT0);
    vm = m.view(kT0);
    CHECK(vm.sync_tone == Tone::Warning);
    CHECK(vm.sync_text == "Hors ligne · 12 en attente");
    m.handle(SyncState{true, true, 0}, kT0);
    CHECK(m.view(kT0).sync_text == "En ligne");
    CHECK(m.view(kT0).sync_tone == Tone::Success);
    // No camera: the scan screen says so and hides the preview.
    m.handle(CameraState{false, "none"}, kT0);
    CHECK_FALSE(m.view(kT0).show_preview);
    CHECK(m.view(kT0).camera_note == "Pas de caméra\u202F: utilisez le lecteur de badge.");
    m.handle(CameraState{true, "/dev/video0"}, kT0);
    CHECK(m.view(kT0).show_preview);
    CHECK(m.view(kT0).camera_note.empty());
}

TEST_CASE("Masked names and spoken times") {
    CHECK(mask_name("Églantine", "Dupré") == "Églantine D.");
    CHECK(mask_name("Jean-Noël", "Ériksen") == "Jean-Noël É.");
    CHECK(mask_name("Léa", "") == "Léa");
    CHECK(mask_name("", "Martin") == "M.");
    CHECK(spoken_time(Lang::Fr, "09:12") == "9 h 12");
    CHECK(spoken_time(Lang::En, "09:12") == "9:12");
    CHECK(spoken_time(Lang::Fr, "14:05") == "14 h 05");
    CHECK(spoken_time(Lang::Fr, "garbage") == "garbage");
}

TEST_CASE("The identity question asks for the whole last name, which the screen does not show") {
    Machine m = at_scene("confirm");
    auto vm = m.view(kT0);
    CHECK(vm.title == "Êtes-vous Églantine D.\u202F?");
    CHECK(vm.sentence == "Touchez votre nom de famille\u202F:");
    REQUIRE(vm.choices.size() == 5);
    CHECK(vm.choices[0].label == "DUPRÉ"); // as given, without an ellipsis
    CHECK(vm.choices[4].intent == Intent::NoneOfThese);
    CHECK(vm.title.find("Dupré") == std::string::npos);
    m.handle(Tap{Intent::SwitchLanguage}, kT0);
    vm = m.view(kT0);
    CHECK(vm.title == "Are you Églantine D.?");
    CHECK(vm.sentence == "Touch your last name:");
}

TEST_CASE("The view model changes only when something visible does: the idle kiosk redraws once a minute") {
    Machine m = at_scene("scan");
    // kT0 is 09:12:00; the start screen shows nothing that moves within the minute.
    CHECK(m.view(kT0) == m.view(kT0 + 59999));
    CHECK_FALSE(m.view(kT0) == m.view(kT0 + 60000)); // 09:13
    m.handle(SyncState{true, true, 0}, kT0);
    CHECK_FALSE(m.view(kT0) == at_scene("scan").view(kT0));
    // A result screen counts down: one change a second.
    Machine v = at_scene("admitted");
    CHECK(v.view(kT0 + 1) == v.view(kT0 + 999));
    CHECK_FALSE(v.view(kT0 + 999) == v.view(kT0 + 1001));
}

TEST_CASE("Spoken verdicts: what the screen says, the name only in headphones, any act stops it") {
    Machine m(strings(), MachineOptions{});
    m.handle(CodeDecoded{"CODE", kT0}, kT0);
    const auto effects = m.handle(VerdictReady{VerdictInfo{Verdict::Admitted, "Léa", "", ""}}, kT0);
    const Speak* speak = nullptr;
    for (const auto& e : effects)
        if (const auto* s = std::get_if<Speak>(&e))
            speak = s;
    REQUIRE(speak != nullptr);
    CHECK(speak->public_text == "Bienvenue\u202f! Votre arrivée est enregistrée. Bonne journée\u202f!");
    CHECK(speak->private_text == "Bienvenue Léa\u202f! Votre arrivée est enregistrée. Bonne journée\u202f!");
    REQUIRE(speak->after.has_value());
    CHECK(*speak->after == Sound::Admitted); // after the tune, not over it
    // Repeat says it again and leaves time to hear it; any other act stops the speech.
    const auto repeat = m.handle(Tap{Intent::Repeat}, kT0 + 4000);
    REQUIRE(repeat.size() == 1);
    CHECK(std::holds_alternative<RepeatSpeech>(repeat[0]));
    CHECK(m.screen() == Screen::Verdict);
    CHECK(*m.deadline() >= kT0 + 4000 + 5000);
    const auto ok = m.handle(Tap{Intent::Ok}, kT0 + 5000);
    REQUIRE(!ok.empty());
    CHECK(std::holds_alternative<StopSpeech>(ok[0]));
    // The other language says it again in that language.
    m.handle(CodeDecoded{"CODE2", kT0 + 6000}, kT0 + 6000);
    m.handle(VerdictReady{VerdictInfo{Verdict::NotToday, "Léa", "", ""}}, kT0 + 6000);
    const auto english = m.handle(Tap{Intent::SwitchLanguage}, kT0 + 6500);
    bool said = false;
    for (const auto& e : english)
        if (const auto* s = std::get_if<Speak>(&e))
            said = s->public_text.rfind("Not registered today", 0) == 0;
    CHECK(said);
    // A device with speech off shows no Repeat button and says nothing.
    MachineOptions quiet;
    quiet.speech = false;
    Machine q(strings(), quiet);
    q.handle(CodeDecoded{"CODE", kT0}, kT0);
    for (const auto& e : q.handle(VerdictReady{VerdictInfo{Verdict::Admitted, "Léa", "", ""}}, kT0))
        CHECK_FALSE(std::holds_alternative<Speak>(e));
    CHECK(q.view(kT0).actions.size() == 1);
}

TEST_CASE("A person with an attention note is admitted and sent to the desk, never told why") {
    Machine m(strings(), MachineOptions{});
    m.handle(CodeDecoded{"CODE", kT0}, kT0);
    VerdictInfo info{Verdict::Admitted, "Léa", "", ""};
    info.see_desk = true;
    m.handle(VerdictReady{info}, kT0);
    const auto vm = m.view(kT0);
    CHECK(vm.tone == Tone::Success);
    CHECK(vm.title == "Bienvenue Léa\u202f!");
    CHECK(vm.hint == "Merci de passer à l'accueil\u00a0: une personne vous y attend.");
}

TEST_CASE("Organiser PIN: five taps on the clock, a wrong PIN, then the right one switches to desk mode") {
    Machine m(strings(), MachineOptions{});
    // Four taps, or five spread over more than 3 s, do nothing: an attendee touching the clock.
    for (int i = 0; i < 4; ++i)
        m.handle(Tap{Intent::Organiser}, kT0 - 10000 + i * 900);
    m.handle(Tap{Intent::Organiser}, kT0 - 10000 + 4 * 900);
    CHECK(m.screen() == Screen::Scan);
    for (int i = 0; i < 5; ++i)
        m.handle(Tap{Intent::Organiser}, kT0 - 1000 + i * 200);
    REQUIRE(m.screen() == Screen::Pin);
    CHECK(m.view(kT0).title == "Réservé aux organisateurs");
    auto type = [&](const std::string& digits) {
        for (char c : digits)
            m.handle(Tap{Intent::Key, std::string(1, c)}, kT0);
    };
    type("12a3"); // a letter is not a digit: ignored
    CHECK(m.view(kT0).typed == "•••");
    CHECK(describe(m.handle(Tap{Intent::Ok}, kT0)).empty()); // too short to check
    type("4");
    std::vector<Effect> sent = m.handle(Tap{Intent::Ok}, kT0);
    const CheckPin* check = nullptr;
    for (const auto& e : sent)
        if (const auto* c = std::get_if<CheckPin>(&e))
            check = c;
    REQUIRE(check != nullptr);
    CHECK(check->pin == "1234");
    CHECK(m.view(kT0).sentence == "Vérification…");
    m.handle(PinChecked{PinChecked::Result::Wrong, 0}, kT0 + 300);
    CHECK(m.screen() == Screen::Pin);
    CHECK(m.view(kT0).typed.empty()); // never kept once checked
    CHECK(m.view(kT0).sentence == "Code incorrect. Réessayez.");
    CHECK(m.view(kT0).tone == Tone::Error);
    type("9876");
    m.handle(Tap{Intent::Ok}, kT0 + 1000);
    const auto ok = m.handle(PinChecked{PinChecked::Result::Ok, 0}, kT0 + 1200);
    bool switched = false;
    for (const auto& e : ok)
        switched = switched || std::holds_alternative<SwitchToDesk>(e);
    CHECK(switched);
    CHECK(m.screen() == Screen::Scan);
    // Locked after too many tries: the screen says for how long.
    for (int i = 0; i < 5; ++i)
        m.handle(Tap{Intent::Organiser}, kT0 + 2000);
    type("0000");
    m.handle(Tap{Intent::Ok}, kT0 + 2000);
    m.handle(PinChecked{PinChecked::Result::Locked, kT0 + 2000 + 30000}, kT0 + 2000);
    CHECK(m.view(kT0).sentence == "Trop d'essais\u202f: réessayez dans 1\u00a0min.");
    // Nobody types: back to the scan screen, nothing kept.
    m.handle(Tick{}, kT0 + 2000 + 21000);
    CHECK(m.screen() == Screen::Scan);
    // Only from the scan screen (not while someone else is in a flow).
    m.handle(Tap{Intent::NoBadge}, kT0 + 30000);
    for (int i = 0; i < 5; ++i)
        m.handle(Tap{Intent::Organiser}, kT0 + 30000);
    CHECK(m.screen() == Screen::Search);
}

TEST_CASE(
    "No badge: after the identity check a kiosk with a printer offers to print one, and says how it went") {
    MachineOptions o;
    o.can_print = true;
    Machine m(strings(), o);
    REQUIRE(drive_to_scene(m, "confirm", kT0));
    m.handle(Tap{Intent::PickOption, "", 0}, kT0); // the right last name (scenes.cpp: index 0 for A1)
    m.handle(VerdictReady{VerdictInfo{Verdict::Admitted, "Églantine", "", ""}}, kT0);
    auto vm = m.view(kT0);
    const auto print = std::find_if(vm.actions.begin(), vm.actions.end(),
                                    [](const Button& b) { return b.intent == Intent::PrintBadge; });
    REQUIRE(print != vm.actions.end());
    CHECK(print->label == "Imprimer mon badge");
    const auto sent = m.handle(Tap{Intent::PrintBadge}, kT0 + 1000);
    const PrintBadge* job = nullptr;
    for (const auto& e : sent)
        if (const auto* p = std::get_if<PrintBadge>(&e))
            job = p;
    REQUIRE(job != nullptr);
    CHECK(job->attendee_id == "A1");
    vm = m.view(kT0 + 1000);
    CHECK(vm.hint == "Votre badge se prépare…");
    CHECK(std::none_of(vm.actions.begin(), vm.actions.end(),
                       [](const Button& b) { return b.intent == Intent::PrintBadge; })); // once only
    CHECK(*m.deadline() >= kT0 + 1000 + 30000); // time for the printer
    m.handle(PrintProgress{"printing"}, kT0 + 3000);
    CHECK(m.view(kT0 + 3000).hint == "Votre badge s'imprime…");
    m.handle(PrintProgress{"out-of-paper"}, kT0 + 4000);
    CHECK(m.view(kT0 + 4000).hint == "L'impression n'a pas marché\u00a0: merci d'aller à l'accueil.");
    // A badge scanned: it is in their hand, nothing to print; a kiosk without printer never offers.
    m.handle(Tap{Intent::Ok}, kT0 + 5000);
    m.handle(CodeDecoded{"CODE", kT0 + 6000}, kT0 + 6000);
    m.handle(VerdictReady{VerdictInfo{Verdict::Admitted, "Léa", "", ""}}, kT0 + 6000);
    vm = m.view(kT0 + 6000);
    CHECK(std::none_of(vm.actions.begin(), vm.actions.end(),
                       [](const Button& b) { return b.intent == Intent::PrintBadge; }));
    Machine plain(strings(), MachineOptions{});
    REQUIRE(drive_to_scene(plain, "confirm", kT0));
    plain.handle(Tap{Intent::PickOption, "", 0}, kT0);
    plain.handle(VerdictReady{VerdictInfo{Verdict::Admitted, "Églantine", "", ""}}, kT0);
    vm = plain.view(kT0);
    CHECK(std::none_of(vm.actions.begin(), vm.actions.end(),
                       [](const Button& b) { return b.intent == Intent::PrintBadge; }));
}

TEST_CASE("A kiosk not set up says how to enrol it and which file it uses, and never calls a badge invalid") {
    MachineOptions o;
    o.set_up = false;
    o.db_file = "/home/accueil/kisok.db"; // a typo the person can see
    Machine m(strings(), o);
    REQUIRE(m.screen() == S::NotSetUp);
    auto vm = m.view(kT0);
    CHECK(vm.title == "Poste non configuré");
    CHECK_THAT(vm.sentence,
               Catch::Contains("code QR d'inscription") && Catch::Contains("accueil-sync enroll"));
    CHECK(vm.hint == "Fichier de données de ce poste\u202f: /home/accueil/kisok.db");
    CHECK(vm.tone == Tone::Warning);
    CHECK(vm.actions.empty()); // no "I don't have my badge": there is no roster to search
    CHECK(vm.kiosk_name == "Nouveau poste");
    CHECK_FALSE(m.deadline());
    m.handle(Tap{Intent::SwitchLanguage}, kT0);
    vm = m.view(kT0);
    CHECK(vm.title == "Kiosk not set up");
    CHECK(vm.hint == "This kiosk's data file: /home/accueil/kisok.db");
    m.handle(Tap{Intent::SwitchLanguage}, kT0);

    // A badge: no check-in is even tried, and the words say why, not "invalid".
    auto effects = m.handle(CodeDecoded{"ACC1.7QK2M9X4PA", kT0 + 1000}, kT0 + 1000);
    CHECK(describe(effects) == E{"sound error"});
    CHECK(m.screen() == S::GoToDesk);
    vm = m.view(kT0 + 1000);
    CHECK(vm.title == "Merci d'aller à l'accueil");
    CHECK(vm.sentence ==
          "Ce poste n'est pas encore configuré\u202f: il ne peut pas enregistrer votre arrivée. Une "
          "personne de l'accueil va vous aider.");
    const auto spoken = std::find_if(effects.begin(), effects.end(),
                                     [](const Effect& e) { return std::holds_alternative<Speak>(e); });
    REQUIRE(spoken != effects.end());
    CHECK_THAT(std::get<Speak>(*spoken).public_text, Catch::Contains("pas encore configuré"));
    m.handle(Tick{}, kT0 + 11000);
    CHECK(m.screen() == S::NotSetUp);

    // The enrolment code: joined, but the event is still on its way; then it arrives.
    effects = m.handle(CodeDecoded{"accueil1:https:10.0.0.2:8443:x:y", kT0 + 20000}, kT0 + 20000);
    CHECK(describe(effects) == E{"checkin accueil1:https:10.0.0.2:8443:x:y"});
    Joined j;
    j.outcome = JoinOutcome::JoinedNotSynced;
    j.server = "https://10.0.0.2:8443";
    j.kiosk_name = "Accueil 2";
    m.handle(j, kT0 + 21000);
    vm = m.view(kT0 + 21000);
    CHECK(vm.title == "Poste inscrit, liste en attente");
    CHECK(vm.kiosk_name == "Accueil 2");
    m.handle(SetupState{false, "https://10.0.0.2:8443", "Accueil 2", "", 0}, kT0 + 21000);
    m.handle(Tap{Intent::Ok}, kT0 + 22000);
    REQUIRE(m.screen() == S::NotSetUp);
    vm = m.view(kT0 + 22000);
    CHECK(vm.title == "En attente de la liste des inscrits");
    CHECK(vm.sentence ==
          "Ce poste est inscrit sous le nom «\u202fAccueil 2\u202f» (https://10.0.0.2:8443), mais "
          "l'événement et la liste des inscrits ne sont pas encore arrivés.");
    CHECK_THAT(vm.hint, Catch::Contains("/home/accueil/kisok.db"));
    m.handle(CodeDecoded{"ACC1.7QK2M9X4PA", kT0 + 30000}, kT0 + 30000);
    CHECK(m.screen() == S::GoToDesk); // still no verdict to give
    m.handle(Tap{Intent::Ok}, kT0 + 31000);
    m.handle(SetupState{true, "https://10.0.0.2:8443", "Accueil 2", "Europe/Paris", 0}, kT0 + 32000);
    CHECK(m.screen() == S::Scan);
    CHECK(m.view(kT0 + 32000).title == "Scannez votre badge");
    CHECK(describe(m.handle(CodeDecoded{"ACC1.7QK2M9X4PA", kT0 + 40000}, kT0 + 40000)) ==
          E{"checkin ACC1.7QK2M9X4PA"});
}

TEST_CASE("A kiosk not set up whose enrolment fails stays not set up, with the failure in its own words") {
    MachineOptions o;
    o.set_up = false;
    Machine m(strings(), o);
    m.handle(CodeDecoded{"accueil1:https:10.0.0.2:8443:x:y", kT0}, kT0);
    Joined j;
    j.outcome = JoinOutcome::ServerUnreachable;
    j.server = "https://10.0.0.2:8443";
    const auto effects = m.handle(j, kT0 + 3000);
    CHECK(describe(effects) == E{"sound error"});
    auto vm = m.view(kT0 + 3000);
    CHECK(vm.title == "Connexion impossible");
    CHECK(vm.sentence == "L'ordinateur des organisateurs ne répond pas (https://10.0.0.2:8443).");
    CHECK(vm.hint == "Vérifiez que ce poste est connecté au réseau (Wi-Fi ou câble), puis montrez le code à "
                     "nouveau.");
    CHECK(vm.tone == Tone::Error);
    // Only OK: no "I don't have my badge" on a kiosk without a roster.
    REQUIRE(vm.actions.size() == 1);
    CHECK(vm.actions[0].intent == Intent::Ok);
    m.handle(Tap{Intent::NoBadge}, kT0 + 4000);
    CHECK(m.screen() == S::Verdict);
    m.handle(Tap{Intent::Ok}, kT0 + 5000);
    CHECK(m.screen() == S::NotSetUp);
}
