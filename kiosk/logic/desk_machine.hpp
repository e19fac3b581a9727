#pragma once
// The welcome desk as a pure state machine, like the self-service one (machine.hpp): inputs in (keys,
// taps, the desk worker's answers, print job updates), effects out (searches, check-ins, edits,
// prints, sounds, speech) and a DeskView the drawing layer only draws. No ImGui, threads or I/O.
#include "checkin.hpp"
#include "desk.hpp"
#include "desk_view.hpp"
#include "machine.hpp"
#include "strings.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace accueil::kiosk {

// ---- what the desk worker reads from the store
struct DeskDay {
    std::string date;  // YYYY-MM-DD
    std::string label; // "lun. 28 sept." / "Mon 28 Sep"
};

struct DeskSetup {
    std::string device_name;
    std::string today; // the event-local day
    std::vector<DeskDay> days;
    bool can_sign = false;    // a badge key is here: reprints and signed walk-in badges
    bool has_printer = false; // a printer is set in this device's settings
};

struct PersonSummary {
    std::string id;
    std::string first_name, last_name, organisation, category;
    std::vector<std::string> days; // empty: every day
    bool has_note = false;
    bool arrived_today = false;
    std::string arrived_hh_mm, arrived_device;
    bool may_enter_today = true;
    std::string source; // "walk-in", "import" ...
    bool operator==(const PersonSummary&) const = default;
};

struct HistoryItem {
    std::string when;   // "28/09 09:12", event time zone
    std::string kind;   // "arrival", "undo", "edit", "reprint", "created", "note", "replaced-badge"
    std::string device; // where
    std::string detail; // the edited fields, the badge version ...
    bool operator==(const HistoryItem&) const = default;
};

struct PersonDetail {
    PersonSummary summary;
    std::string email;
    int badge_version = 1;
    std::string note; // the attention note's text (empty: none)
    std::vector<HistoryItem> history;
};

// The form's values, in the field order of desk_form_fields().
struct PersonForm {
    std::string first_name, last_name, email, organisation, category, note;
    std::vector<std::string> days; // chosen event days; every day chosen is written as "every day"
    bool operator==(const PersonForm&) const = default;
};
enum class FormField { FirstName, LastName, Email, Organisation, Category, Note };
constexpr int kFormFields = 6;

struct DeskAlert {
    std::string kind; // "double-checkin", "replaced-badge", "possible-duplicate"
    std::string attendee_id;
    std::string name;
    std::string devices; // "Accueil 1, Accueil 3"
    std::string when;    // "09:12"
    std::string detail;
};

// ---- inputs
struct DeskReady {
    DeskSetup setup;
};
struct DeskKey {
    enum Kind { Char, Backspace, Enter, Escape, Up, Down };
    DeskKey() = default;
    DeskKey(Kind k, std::string t = {}) : kind(k), text(std::move(t)) {}
    Kind kind = Char;
    std::string text; // Char: UTF-8
};
struct DeskTap {
    DeskTap() = default;
    DeskTap(DeskAct a, int i = -1, std::string t = {}) : act(a), index(i), text(std::move(t)) {}
    DeskAct act = DeskAct::Back;
    int index = -1;
    std::string text; // FieldEdited
};
struct DeskCode {
    std::string code; // a badge or ticket scanned at any moment
    std::int64_t at_ms = 0;
};
struct DeskResults {
    std::string query;
    std::vector<PersonSummary> rows;
};
struct DeskPerson {
    PersonDetail person;
};
// A scanned code that opens nobody (unknown, forged, or a replaced badge's person with a banner).
struct DeskCodeVerdict {
    Verdict verdict = Verdict::UnknownCode;
    std::optional<PersonDetail> person; // ReplacedBadge: whose badge it was
};
struct DeskCheckedIn {
    VerdictInfo info;
    PersonDetail person; // reloaded after the check-in
};
struct DeskUndone {
    int count = 0;
    PersonDetail person;
};
struct DeskFormRefused {
    std::vector<FieldError> errors;
};
struct DeskDuplicates {
    std::vector<PersonSummary> rows;
};
struct DeskSaved {
    PersonDetail person;
    bool created = false;     // a walk-in (checked in on creation)
    std::string badge_code;   // when a badge was issued (walk-in, reprint)
    bool badge_signed = true; // false: the attendee id stands in (no badge key on this device)
};
struct DeskAlerts {
    std::vector<DeskAlert> alerts;
};
struct DeskPrint {
    std::uint64_t job = 0;
    std::string
        state; // "rendering", "sent", "printing", "done", "offline", "out-of-paper", "failed", "saved-pdf"
    std::string detail; // the PDF path for saved-pdf; why, for failures
};
struct DeskFailure {
    std::string what; // logged; the banner says the action failed
};
struct DeskClock {
    std::string hh_mm;
    SyncState sync;
};
using DeskInput = std::variant<DeskReady, DeskKey, DeskTap, DeskCode, DeskResults, DeskPerson,
                               DeskCodeVerdict, DeskCheckedIn, DeskUndone, DeskFormRefused, DeskDuplicates,
                               DeskSaved, DeskAlerts, DeskPrint, DeskFailure, DeskClock>;

// ---- effects
struct DeskSearch {
    std::string query;
};
struct DeskOpen {
    std::string attendee_id;
};
struct DeskResolve {
    std::string code;
    std::int64_t at_ms = 0;
};
struct DeskDoCheckIn {
    std::string attendee_id;
};
struct DeskDoUndo {
    std::string attendee_id;
};
struct DeskDoSave {
    std::string attendee_id; // empty: a walk-in
    PersonForm form;
    bool force = false; // a walk-in: create even with likely duplicates
};
struct DeskDoReprint {
    std::string attendee_id;
};
struct DeskDoPrint {
    std::string attendee_id;
    std::string badge_code;
};
struct DeskLoadAlerts {};
struct DeskSpeak {
    std::string public_text;  // the verdict and what to do next
    std::string private_text; // the same with the person's name (headphones only)
};
struct DeskStopSpeech {};
struct DeskRepeatSpeech {};
struct DeskLeave {}; // back to self-service
using DeskEffect = std::variant<DeskSearch, DeskOpen, DeskResolve, DeskDoCheckIn, DeskDoUndo, DeskDoSave,
                                DeskDoReprint, DeskDoPrint, DeskLoadAlerts, PlaySound, LogError, DeskSpeak,
                                DeskStopSpeech, DeskRepeatSpeech, DeskLeave>;

struct DeskOptions {
    std::size_t min_search_chars = 2; // "Dup" finds Dupré; one letter lists half the roster
    std::size_t max_rows = 12;
    bool may_leave = false; // switched on the spot from self-service: a "self-service" button
};

class DeskMachine {
public:
    DeskMachine(const Strings& strings, DeskOptions options = {});

    std::vector<DeskEffect> handle(const DeskInput& input, std::int64_t now_ms);
    DeskView view() const;

    DeskScreen screen() const { return screen_; }
    Lang lang() const { return lang_; }
    const std::string& query() const { return query_; }
    const PersonForm& form() const { return form_; }
    const std::optional<PersonDetail>& person() const { return person_; }
    // True while a form is open: typed characters go to its fields, not to the search.
    bool editing() const { return screen_ == DeskScreen::Edit || screen_ == DeskScreen::WalkIn; }

private:
    // The inline banner, kept as keys and values: view() words it, so a language switch re-words it.
    struct Banner {
        Tone tone = Tone::Neutral;
        Icon icon = Icon::None;
        std::string title_key, text_key;
        std::vector<std::pair<std::string, std::string>> args;
        std::string raw_text; // shown as is after the sentence (an attention note)
    };

    void on(const DeskReady& in, std::vector<DeskEffect>& out);
    void on(const DeskKey& in, std::vector<DeskEffect>& out);
    void on(const DeskTap& in, std::vector<DeskEffect>& out);
    void on(const DeskCode& in, std::vector<DeskEffect>& out);
    void on(const DeskResults& in, std::vector<DeskEffect>& out);
    void on(const DeskPerson& in, std::vector<DeskEffect>& out);
    void on(const DeskCodeVerdict& in, std::vector<DeskEffect>& out);
    void on(const DeskCheckedIn& in, std::vector<DeskEffect>& out);
    void on(const DeskUndone& in, std::vector<DeskEffect>& out);
    void on(const DeskFormRefused& in, std::vector<DeskEffect>& out);
    void on(const DeskDuplicates& in, std::vector<DeskEffect>& out);
    void on(const DeskSaved& in, std::vector<DeskEffect>& out);
    void on(const DeskAlerts& in, std::vector<DeskEffect>& out);
    void on(const DeskPrint& in, std::vector<DeskEffect>& out);
    void on(const DeskFailure& in, std::vector<DeskEffect>& out);
    void on(const DeskClock& in, std::vector<DeskEffect>& out);

    void act(DeskAct a, int index, const std::string& text, std::vector<DeskEffect>& out);
    void go(DeskScreen s);
    void back(std::vector<DeskEffect>& out);
    void query_changed(std::vector<DeskEffect>& out);
    void open_row(int index, std::vector<DeskEffect>& out);
    void set_banner(Banner b) { banner_ = std::move(b); }
    void verdict_banner(const VerdictInfo& info, const PersonDetail& p);
    void show_person(PersonDetail p);
    void start_form(bool walk_in);
    std::string tr(const std::string& key) const { return strings_.get(lang_, key); }
    std::string fmt(const std::string& key,
                    const std::vector<std::pair<std::string, std::string>>& args) const {
        return strings_.format(lang_, key, args);
    }
    DeskRow row_of(const PersonSummary& p) const;
    std::string days_text(const std::vector<std::string>& days) const;

    const Strings& strings_;
    DeskOptions opt_;
    DeskSetup setup_;
    DeskScreen screen_ = DeskScreen::Search;
    Lang lang_ = Lang::Fr;
    bool high_contrast_ = false;

    std::optional<Banner> banner_;

    std::string query_;
    std::string searched_;
    std::vector<PersonSummary> rows_;
    int selected_ = 0;

    std::optional<PersonDetail> person_;
    PersonForm form_;
    std::vector<FieldError> errors_;
    std::vector<PersonSummary> duplicates_;
    std::vector<DeskAlert> alerts_;
    bool alerts_loaded_ = false;

    std::string badge_code_;
    bool badge_signed_ = true;
    std::uint64_t print_job_ = 0;
    std::string print_state_, print_detail_;

    std::string clock_;
    SyncState sync_{};
};

// A form field by its index (FormField).
const std::string& form_field(const PersonForm& f, int index);
std::string& form_field(PersonForm& f, int index);
// The form fields' keys in order ("first_name", ...), as FieldError::field names them.
const std::vector<std::string>& desk_form_fields();

} // namespace accueil::kiosk
