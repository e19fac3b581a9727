#pragma once
// The self-service kiosk as a pure state machine: inputs in (a decoded code, a computed
// verdict, a tap, the clock), effects out (start a check-in, a search, play a sound) and a view model
// that the drawing layer only draws. No ImGui, no threads, no I/O: every transition is testable.
#include "checkin.hpp"
#include "join_runner.hpp"
#include "strings.hpp"
#include "view_model.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace accueil::kiosk {

// What the check-in worker found, reduced to what the screens say.
struct VerdictInfo {
    Verdict verdict = Verdict::UnknownCode;
    std::string first_name;  // Admitted, AlreadyCheckedIn
    std::string first_hh_mm; // AlreadyCheckedIn: "09:12" in the event's time zone
    std::string first_kiosk; // AlreadyCheckedIn
    bool see_desk = false;   // Admitted with an attention note: "please stop by the welcome desk"
};

// One self-service search match: only the masked name leaves the worker, plus the identity question.
struct Match {
    std::string attendee_id;
    std::string masked_name;          // "Églantine D."
    std::vector<std::string> options; // last names to choose from (identity_question.hpp); empty when
                                      // the kiosk cannot ask (the desk checks instead)
    int correct = -1;                 // index of the right option
};

// ---- inputs
struct CodeDecoded {
    std::string code;
    std::int64_t at_ms = 0; // when the picture was taken or the scanner typed it
};
struct VerdictReady {
    VerdictInfo info;
    std::uint64_t job = 0; // the StartCheckin it answers (0: whichever is on screen)
};
struct SearchDone {
    std::string query;
    std::vector<Match> matches;
};
struct Tap {
    Tap() = default;
    Tap(Intent i, std::string t = {}, int idx = -1) : intent(i), text(std::move(t)), index(idx) {}
    Intent intent = Intent::Ok;
    std::string text; // Key: the character typed
    int index = -1;   // PickMatch, PickOption
};
struct Tick {}; // the clock moved: timeouts
struct Failure {
    std::string what; // logged; the screen says "out of order"
};
// The check-in worker lost its database (running = false: out of order until it is back) or has it
// again (running = true).
struct WorkerState {
    bool running = false;
    std::string what; // why not, for the log
};
struct CameraState {
    bool available = false;
    std::string detail; // "/dev/video0", or why not
};
struct SyncState {
    bool known = false; // false until a sync agent writes its state: "local only"
    bool online = false;
    std::int64_t pending = 0;
};
// The kiosk was shown an enrolment code (accueil1:...) and tried to join the organisers' server.
struct Joined {
    JoinOutcome outcome = JoinOutcome::Failed;
    std::string server;     // https://host:port: the code's, or the one it joined before (AlreadyJoined)
    std::string kiosk_name; // the name the organisers gave it (when enrolled, now or before)
    std::string timezone;   // the event's (when it arrived)
    std::uint64_t job = 0;  // the StartCheckin it answers (0: whichever is on screen)
    bool ok() const { return enrolled(outcome); }
};
// Whether the kiosk's store holds an event. Until it does (a new kiosk, a mistyped --db) the kiosk is
// not set up: it takes nothing but an enrolment code, and never calls a badge invalid.
struct SetupState {
    bool ready = false;
    std::string server;            // the organisers' server once enrolled ("" before)
    std::string kiosk_name;        // the name the organisers gave it, once enrolled
    std::string timezone;          // the event's, once ready
    std::uint64_t refused_job = 0; // a check-in the worker did not do because the kiosk is not set up
};
// The organiser PIN was checked (organiser_pin.hpp, on the worker: it takes a fraction of a second).
struct PinChecked {
    enum class Result { Ok, Wrong, Locked, NoPinSet } result = Result::Wrong;
    std::int64_t locked_until_ms = 0;
};
// What became of the badge a person asked to print (badge_printer.hpp's state names: "rendering",
// "sent", "printing", "done", "printer-offline", "out-of-paper", "failed", "saved-pdf").
struct PrintProgress {
    std::string state;
};
// The opening hours (opening_hours.hpp) say the kiosk is open, or closed until `opens_at`. The host
// sends it when that changes. Closing waits until the kiosk is at rest (its start screen, nothing in
// flight or queued); a kiosk not set up never closes (it is being set up).
struct HoursState {
    bool open = true;
    std::string opens_at; // "07:30"
};
using Input = std::variant<CodeDecoded, VerdictReady, SearchDone, Tap, Tick, Failure, WorkerState,
                           CameraState, SyncState, Joined, SetupState, PinChecked, PrintProgress, HoursState>;

// ---- effects, carried out by the host (worker threads, sound)
// `job` numbers each check-in, so that a late answer (after the Checking screen gave up) is never
// shown to the next person.
struct StartCheckin {
    std::string code;
    std::int64_t at_ms = 0;
    std::uint64_t job = 0;
};
struct StartCheckinAttendee {
    std::string attendee_id;
    std::int64_t at_ms = 0;
    std::uint64_t job = 0;
};
struct StartSearch {
    std::string query;
};
struct PlaySound {
    Sound sound = Sound::Admitted;
};
struct LogError {
    std::string what;
};
// Spoken verdicts: what the screen says, without personal data for the loudspeaker (public_text) and
// with the name for headphones (private_text).
struct Speak {
    std::string public_text;
    std::string private_text;
    std::optional<Sound> after; // the tune it follows, if any
};
struct CheckPin {
    std::string pin;
};
struct PrintBadge {
    std::string attendee_id;
};
struct SwitchToDesk {}; // the right PIN: this device becomes a welcome desk until it is switched back
struct StopSpeech {};   // the person acted: what was being said no longer applies
struct RepeatSpeech {}; // "Répéter / Repeat"
struct SetCamera {      // closed: the camera stops; open: it starts again
    bool on = true;
};
struct SetBacklight { // closed: the backlight at its minimum, lit again for a while by a touch
    bool lit = true;
};
using Effect =
    std::variant<StartCheckin, StartCheckinAttendee, StartSearch, PlaySound, LogError, Speak, StopSpeech,
                 RepeatSpeech, CheckPin, SwitchToDesk, PrintBadge, SetCamera, SetBacklight>;

struct MachineOptions {
    std::string kiosk_name = "Accueil";
    std::string timezone = "Europe/Paris";
    std::int64_t verdict_ms = 5000;       // a result screen, then back to the start
    std::int64_t typing_ms = 20000;       // search and confirm screens, extended by any tap
    std::int64_t desk_ms = 10000;         // "please go to the desk"
    std::int64_t out_of_order_ms = 15000; // then the kiosk tries again (unless its worker is down)
    std::int64_t checking_ms = 5000;      // no verdict by then: out of order, "go to the desk"
    std::int64_t joining_ms = 60000;      // the same for an enrolment code (network, roster download)
    std::int64_t same_code_ms = 4000;     // the same code again within this is ignored
    std::int64_t closed_lit_ms = 30000;   // closed: a touch or a key lights the screen this long
    std::size_t min_search_chars = 2;     // fewer letters list nobody
    std::size_t max_matches = 4;
    bool speech = true;       // verdicts are spoken: a "Repeat" button on the screens that speak
    bool can_print = false;   // a printer is set: who checked in without their badge may print it
    bool set_up = true;       // the store holds an event (SetupState says when that changes)
    std::string db_file = {}; // the database's whole path, named on the "not set up" screen
};

class Machine {
public:
    Machine(const Strings& strings, MachineOptions options);

    std::vector<Effect> handle(const Input& input, std::int64_t now_ms);
    ViewModel view(std::int64_t now_ms) const;

    Screen screen() const { return screen_; }
    Lang lang() const { return lang_; }
    bool high_contrast() const { return high_contrast_; }
    const std::string& typed() const { return typed_; }
    // The time zone of the clock on the screen (the event's once it is known): the opening hours' too.
    const std::string& timezone() const { return opt_.timezone; }
    // When a timeout will next change the screen (the UI may sleep until then).
    std::optional<std::int64_t> deadline() const;
    // No check-in in flight and nothing queued: used to end a replay run.
    bool seconds_left_visible() const {
        return deadline_ != 0 && screen_ != Screen::OutOfOrder && screen_ != Screen::Checking &&
               screen_ != Screen::Closed;
    }
    bool idle() const { return screen_ != Screen::Checking && pending_.empty(); }

private:
    void on(const CodeDecoded& c, std::int64_t now, std::vector<Effect>& out);
    void on(const VerdictReady& v, std::int64_t now, std::vector<Effect>& out);
    void on(const SearchDone& s, std::int64_t now, std::vector<Effect>& out);
    void on(const Tap& t, std::int64_t now, std::vector<Effect>& out);
    void on(const Tick& t, std::int64_t now, std::vector<Effect>& out);
    void on(const Failure& f, std::int64_t now, std::vector<Effect>& out);
    void on(const WorkerState& w, std::int64_t now, std::vector<Effect>& out);
    void on(const CameraState& c, std::int64_t now, std::vector<Effect>& out);
    void on(const SyncState& s, std::int64_t now, std::vector<Effect>& out);
    void on(const Joined& j, std::int64_t now, std::vector<Effect>& out);
    void on(const SetupState& s, std::int64_t now, std::vector<Effect>& out);
    void on(const PinChecked& p, std::int64_t now, std::vector<Effect>& out);
    void on(const PrintProgress& p, std::int64_t now, std::vector<Effect>& out);
    void on(const HoursState& h, std::int64_t now, std::vector<Effect>& out);

    void close_if_due(std::int64_t now, std::vector<Effect>& out);
    void light_closed(std::int64_t now, std::vector<Effect>& out);
    void view_closed(ViewModel& vm) const;

    void go(Screen s, std::int64_t now);
    void start_checkin(const CodeDecoded& c, std::int64_t now, std::vector<Effect>& out);
    void take_code(const CodeDecoded& c, std::int64_t now, std::vector<Effect>& out);
    void not_set_up_badge(std::int64_t now, std::vector<Effect>& out);
    void view_not_set_up(ViewModel& vm) const;
    void view_joined(ViewModel& vm) const;
    bool answers_current(std::uint64_t job) const {
        return screen_ == Screen::Checking && (job == 0 || job == last_job_);
    }
    void out_of_order(const std::string& reason_key, const std::string& what, std::int64_t now,
                      std::vector<Effect>& out);
    void typed_changed(std::vector<Effect>& out);
    void speak(std::int64_t now, std::optional<Sound> after, std::vector<Effect>& out) const;
    bool may_print() const;
    std::string tr(const std::string& key) const { return strings_.get(lang_, key); }

    const Strings& strings_;
    MachineOptions opt_;
    Screen screen_ = Screen::Scan;
    Lang lang_ = Lang::Fr;
    bool high_contrast_ = false;
    std::int64_t deadline_ = 0; // 0: none
    std::int64_t entered_at_ = 0;
    std::uint64_t last_job_ = 0; // the check-in the Checking screen waits for

    VerdictInfo verdict_;
    std::optional<Joined> joined_;    // the verdict screen shows an enrolment's outcome instead
    SetupState setup_;                // not ready: the home screen is NotSetUp instead of Scan
    std::deque<CodeDecoded> pending_; // codes seen while a check-in runs: none is lost
    std::string last_code_;
    std::int64_t last_code_at_ = 0;

    std::string typed_;
    std::string searched_; // the query the matches belong to
    std::vector<Match> matches_;
    Match chosen_;
    std::string desk_reason_; // key of the sentence on the desk screen

    std::string pin_;        // digits typed on the PIN screen, never shown
    std::string pin_status_; // key of the PIN screen's sentence
    bool pin_checking_ = false;
    std::int64_t pin_locked_minutes_ = 0;
    std::vector<std::int64_t> clock_taps_; // Intent::Organiser times
    std::string print_for_;   // the person on the verdict screen, checked in by name: may print a badge
    std::string print_state_; // their print job's state, once asked

    std::string failure_;
    std::string fault_key_;    // the out-of-order screen's reason, in words (out_of_order.reason.*)
    bool worker_down_ = false; // out of order until the worker has its database again
    CameraState camera_{};
    SyncState sync_{};

    bool closing_due_ = false; // the hours say closed: the kiosk closes once at rest
    std::string opens_at_;
    std::int64_t lit_until_ = 0; // closed and lit by a touch until then (0: dark)
};

// Characters (code points) of UTF-8 text, and the last one removed: typing and Backspace.
std::size_t utf8_chars(const std::string& s);
void pop_utf8(std::string& s);
// The tune of a verdict.
Sound verdict_sound(Verdict v);
// "Églantine D.": the first name and the initial of the last name, nothing else.
std::string mask_name(const std::string& first_name, const std::string& last_name);
// The status line's sync words ("Hors ligne · 3 en attente") and their tone.
std::pair<std::string, Tone> sync_status(const Strings& strings, Lang lang, const SyncState& sync);
// "9 h 12" in French, "9:12" in English, from "09:12".
std::string spoken_time(Lang lang, const std::string& hh_mm);

} // namespace accueil::kiosk
