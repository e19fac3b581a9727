#include "desk_ops.hpp"

#include "attendee_notes.hpp"
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "checkin_worker.hpp"
#include "database.hpp"
#include "desk.hpp"
#include "errors.hpp"
#include "event_calendar.hpp"
#include "search.hpp"
#include "store.hpp"
#include "text_fold.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace accueil::kiosk {

namespace {

// "28/09" (and the event's own label: "28/09 OFF"): the same in both languages, and short.
std::string day_label(const EventDay& d) {
    std::string s = d.date.size() == 10 ? d.date.substr(8, 2) + "/" + d.date.substr(5, 2) : d.date;
    return d.label.empty() ? s : s + " " + d.label;
}

std::string when_text(std::int64_t at_ms, const std::string& tz) {
    const std::string day = local_day(at_ms, tz);
    return day_label({day, ""}) + " " + local_hh_mm(at_ms, tz);
}

PersonSummary summary_of(Store& store, const Attendee& a, const std::string& today) {
    PersonSummary p;
    p.id = a.id;
    p.first_name = a.first_name;
    p.last_name = a.last_name;
    p.organisation = a.organisation;
    p.category = a.category;
    p.days = a.days;
    p.has_note = a.has_note;
    p.source = a.source;
    p.may_enter_today = a.may_enter(today) && store.event().has_day(today);
    SQLite::Statement s(store.db(),
                        "SELECT first_at, first_kiosk FROM checkin_days WHERE attendee_id = ? AND day = ?");
    s.bind(1, a.id);
    s.bind(2, today);
    if (s.executeStep()) {
        p.arrived_today = true;
        p.arrived_hh_mm = local_hh_mm(s.getColumn(0).getInt64(), store.event().timezone);
        p.arrived_device = s.getColumn(1).getString();
    }
    return p;
}

std::string history_kind(HistoryKind k) {
    switch (k) {
    case HistoryKind::Created:
        return "created";
    case HistoryKind::Edited:
        return "edit";
    case HistoryKind::Reprinted:
        return "reprint";
    case HistoryKind::CheckedIn:
        return "arrival";
    case HistoryKind::Undone:
        return "undo";
    case HistoryKind::NoteChanged:
        return "note";
    case HistoryKind::ReplacedBadgeScanned:
        return "replaced-badge";
    }
    return "edit";
}

std::string history_detail(const HistoryEntry& h) {
    switch (h.kind) {
    case HistoryKind::Created:
        return h.source;
    case HistoryKind::Edited: {
        std::string s;
        for (const auto& f : h.fields)
            s += (s.empty() ? "" : ", ") + f;
        return s;
    }
    case HistoryKind::Reprinted:
    case HistoryKind::ReplacedBadgeScanned:
        return "v" + std::to_string(h.badge_version);
    case HistoryKind::CheckedIn:
        return h.undone ? h.day + " ✗" : h.day;
    case HistoryKind::Undone:
        return h.day;
    case HistoryKind::NoteChanged:
        return {};
    }
    return {};
}

PersonDetail require_person(Store& store, const std::string& id, std::int64_t now_ms) {
    auto p = person_detail(store, id, now_ms);
    if (!p)
        throw InputError("", "no attendee has the id " + id);
    return std::move(*p);
}

// Whether the attendee's days mean every day of the event: none listed, or all of them (rosters list
// them all: shared/demo_roster.cpp).
bool every_day(std::vector<std::string> days, const EventInfo& event) {
    std::vector<std::string> all = event.dates();
    std::sort(days.begin(), days.end());
    std::sort(all.begin(), all.end());
    return days.empty() || days == all;
}

// The form as an attendee record: every event day chosen is "every day" (an empty list), unless the
// record already says every day its own way (all days listed): a form saved unchanged changes nothing.
Attendee apply_form(Attendee a, const PersonForm& f, const EventInfo& event) {
    a.first_name = f.first_name;
    a.last_name = f.last_name;
    a.email = f.email;
    a.organisation = f.organisation;
    a.category = f.category;
    a.category_key = label_key(f.category);
    std::vector<std::string> days;
    for (const auto& d : event.dates())
        if (std::find(f.days.begin(), f.days.end(), d) != f.days.end())
            days.push_back(d);
    // A day outside the event is kept so that validation names it.
    for (const auto& d : f.days)
        if (!event.has_day(d))
            days.push_back(d);
    if (days.size() == event.dates().size() && days.size() == f.days.size())
        days = every_day(a.days, event) ? a.days : std::vector<std::string>{};
    a.days = std::move(days);
    return a;
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

PersonForm trimmed(PersonForm f) {
    for (int i = 0; i < kFormFields; ++i)
        if (FormField(i) != FormField::Note)
            form_field(f, i) = trimmed(form_field(f, i));
    return f;
}

} // namespace

DeskSetup desk_setup(Store& store, std::int64_t now_ms, bool has_printer) {
    DeskSetup s;
    s.device_name = store.kiosk_name();
    s.today = local_day(now_ms, store.event().timezone);
    for (const auto& d : store.event().days)
        s.days.push_back({d.date, day_label(d)});
    s.can_sign = desk_signing_key(store).has_value();
    s.has_printer = has_printer;
    return s;
}

std::vector<PersonSummary> desk_search(Store& store, const std::string& query, std::size_t limit,
                                       std::int64_t now_ms) {
    const std::string today = local_day(now_ms, store.event().timezone);
    std::vector<PersonSummary> out;
    for (const auto& a : store.attendee_search().find(query, int(limit)))
        out.push_back(summary_of(store, a, today));
    return out;
}

std::optional<PersonDetail> person_detail(Store& store, const std::string& id, std::int64_t now_ms) {
    const auto a = load_attendee(store.db(), id);
    if (!a)
        return std::nullopt;
    const std::string& tz = store.event().timezone;
    PersonDetail p;
    p.summary = summary_of(store, *a, local_day(now_ms, tz));
    p.email = a->email;
    p.badge_version = a->badge_version;
    p.note = attendee_note(store.db(), id).value_or("");
    for (const auto& h : person_history(store, id))
        p.history.push_back({when_text(h.at_ms, tz), history_kind(h.kind), h.device, history_detail(h)});
    return p;
}

DeskInput desk_scan(Store& store, const std::string& code, std::int64_t now_ms) {
    const CheckinResult r = check_in(store, code, now_ms);
    if (!r.attendee)
        return DeskCodeVerdict{r.verdict, std::nullopt};
    PersonDetail p = require_person(store, r.attendee->id, now_ms);
    if (r.verdict == Verdict::ReplacedBadge)
        return DeskCodeVerdict{r.verdict, std::move(p)};
    return DeskCheckedIn{verdict_info(r, store.event().timezone), std::move(p)};
}

DeskInput desk_check_in(Store& store, const std::string& id, std::int64_t now_ms) {
    const auto a = load_attendee(store.db(), id);
    if (!a)
        return DeskFailure{"check-in: no attendee " + id};
    const CheckinResult r = check_in_attendee(store, *a, now_ms);
    return DeskCheckedIn{verdict_info(r, store.event().timezone), require_person(store, id, now_ms)};
}

DeskInput desk_undo(Store& store, const std::string& id, std::int64_t now_ms) {
    if (!load_attendee(store.db(), id))
        return DeskFailure{"undo: no attendee " + id};
    const int n = undo_checkins(store, id, local_day(now_ms, store.event().timezone));
    return DeskUndone{n, require_person(store, id, now_ms)};
}

std::string badge_code_of(Store& store, const Attendee& a, bool* is_signed) {
    if (const auto key = desk_signing_key(store)) {
        if (is_signed)
            *is_signed = true;
        return badge_code_for(a, store.event(), *key);
    }
    if (is_signed)
        *is_signed = false;
    return a.id;
}

DeskInput desk_save(Store& store, const DeskDoSave& request, std::int64_t now_ms) {
    const PersonForm form = trimmed(request.form);
    const EventInfo& event = store.event();
    std::optional<Attendee> before;
    if (!request.attendee_id.empty()) {
        before = load_attendee(store.db(), request.attendee_id);
        if (!before)
            return DeskFailure{"save: no attendee " + request.attendee_id};
    }
    Attendee after = apply_form(before.value_or(Attendee{}), form, event);
    if (!before)
        after.source = "walk-in";
    std::vector<FieldError> errors = validate_attendee(after, event);
    if (form.days.empty())
        errors.push_back({"days", "desk.error.days_none"});
    // The note is judged as it will be saved (set_attendee_note trims it), and too long is said so.
    const std::string note = trimmed(form.note);
    if (is_valid_utf8(note) && utf8_length(note) > kMaxNoteChars)
        errors.push_back({"note", "desk.error.too_long"});
    else if (note_problem(note))
        errors.push_back({"note", "desk.error.invalid_text"});
    if (!errors.empty())
        return DeskFormRefused{std::move(errors)};
    if (!before && !request.force) {
        std::vector<PersonSummary> rows;
        const std::string today = local_day(now_ms, event.timezone);
        for (const auto& d : likely_duplicates(store.db(), after))
            rows.push_back(summary_of(store, d, today));
        if (!rows.empty())
            return DeskDuplicates{std::move(rows)};
    }
    // The fields and the note in one transaction: a half-saved form is never seen elsewhere.
    std::string id;
    {
        WriteTransaction tx(store.db());
        if (before) {
            update_attendee(store, *before, after);
            id = before->id;
        } else {
            id = create_attendee(store, after).id;
        }
        const std::string old_note = attendee_note(store.db(), id).value_or("");
        if (note != old_note)
            set_attendee_note(store, id, form.note);
        tx.commit();
    }
    if (before)
        return DeskSaved{require_person(store, id, now_ms), false, "", true};
    // A walk-in is at the desk: checked in at once, and given a badge.
    const auto created = load_attendee(store.db(), id);
    // Created and committed: from here a busy store is waited for here, not by the worker's retry of
    // the whole request, which would create the walk-in a second time.
    for (int attempt = 0;; ++attempt) {
        try {
            check_in_attendee(store, *created, now_ms);
            break;
        } catch (const std::exception& e) {
            if (!is_busy_error(e) || attempt >= 100)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    bool is_signed = false;
    std::string code = badge_code_of(store, *created, &is_signed);
    return DeskSaved{require_person(store, id, now_ms), true, std::move(code), is_signed};
}

DeskInput desk_reprint(Store& store, const std::string& id, std::int64_t now_ms) {
    const auto key = desk_signing_key(store);
    if (!key)
        return DeskFormRefused{{{"badge", "desk.error.no_key"}}};
    std::string code;
    reprint_badge(store, id, *key, &code);
    return DeskSaved{require_person(store, id, now_ms), false, std::move(code), true};
}

DeskAlerts desk_alerts(Store& store, std::int64_t now_ms) {
    const std::string& tz = store.event().timezone;
    DeskAlerts out;
    for (const auto& a : volunteer_alerts(store, local_day(now_ms, tz))) {
        DeskAlert d;
        switch (a.kind) {
        case AlertKind::CheckedInTwice:
            d.kind = "double-checkin";
            break;
        case AlertKind::ReplacedBadge:
            d.kind = "replaced-badge";
            break;
        case AlertKind::WalkInRegistered:
            d.kind = "possible-duplicate";
            break;
        }
        d.attendee_id = a.attendee_id;
        d.name = a.full_name;
        for (const auto& dev : a.devices)
            d.devices += (d.devices.empty() ? "" : ", ") + dev;
        d.when = local_hh_mm(a.at_ms, tz);
        if (a.kind == AlertKind::WalkInRegistered) {
            if (const auto other = load_attendee(store.db(), a.other_id))
                d.detail = other->full_name() +
                           (other->organisation.empty() ? "" : " (" + other->organisation + ")");
        }
        out.alerts.push_back(std::move(d));
    }
    return out;
}

} // namespace accueil::kiosk
