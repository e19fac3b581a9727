#include "checkin.hpp"

#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "database.hpp"
#include "i18n/catalogue.hpp"
#include "ids.hpp"

#include <algorithm>

namespace accueil {

const char* verdict_key(Verdict v) {
    switch (v) {
    case Verdict::Admitted:
        return "admitted";
    case Verdict::AlreadyCheckedIn:
        return "already-checked-in";
    case Verdict::NotToday:
        return "not-today";
    case Verdict::UnknownCode:
        return "unknown-code";
    case Verdict::ReplacedBadge:
        return "replaced-badge";
    case Verdict::InvalidBadge:
        return "invalid-badge";
    }
    return "unknown-code";
}

namespace {
std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return std::string(s);
}
} // namespace

std::optional<Attendee> find_by_code(Store& store, std::string_view raw) {
    const std::string code = trim(raw);
    if (code.empty())
        return std::nullopt;
    if (auto a = find_by_ext_code(store.db(), code))
        return a;
    const std::string id = normalise_attendee_id(code);
    if (looks_like_attendee_id(id))
        return load_attendee(store.db(), id);
    return std::nullopt;
}

CheckinResult check_in_attendee(Store& store, const Attendee& a, std::int64_t at_ms) {
    CheckinResult r;
    r.attendee = a;
    r.day = local_day(at_ms, store.event().timezone);
    if (!store.event().has_day(r.day) || !a.may_enter(r.day)) {
        r.verdict = Verdict::NotToday;
        if (!store.event().has_day(r.day))
            r.event_days = event_day_texts(store.event());
        return r;
    }
    // The write lock is taken before the "already?" read, so two kiosks processes on one file
    // cannot both admit the same person.
    WriteTransaction tx(store.db());
    SQLite::Statement q(store.db(), "SELECT first_at, first_kiosk FROM checkin_days WHERE attendee_id = ? "
                                    "AND day = ?");
    q.bind(1, a.id);
    q.bind(2, r.day);
    if (q.executeStep()) {
        r.verdict = Verdict::AlreadyCheckedIn;
        r.first_at_ms = q.getColumn(0).getInt64();
        r.first_kiosk = q.getColumn(1).getString();
        return r; // the transaction rolls back: nothing was written
    }
    const auto e = store.append(EventKind::CheckIn, a.id,
                                {{"day", r.day}, {"at", at_ms}, {"kiosk", store.kiosk_name()}});
    tx.commit();
    r.verdict = Verdict::Admitted;
    r.checkin_seq = e.seq;
    return r;
}

namespace {
// Whether the badge's own day list lets its holder in on `day`.
bool badge_allows(const BadgePayload& p, const EventInfo& event, const std::string& day) {
    if (!event.has_day(day))
        return false;
    if (p.day_count == 0)
        return true;
    const auto days = badge_days(p, event);
    return std::find(days.begin(), days.end(), day) != days.end();
}

// The display text of a category key, from another attendee of that category when there is one.
std::string category_text(Store& store, const std::string& key) {
    SQLite::Statement q(store.db(),
                        "SELECT category FROM attendees WHERE category_key = ? AND category <> '' "
                        "LIMIT 1");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : key;
}

// What this device journals about a person from their signed badge carries the code itself, so every
// store that receives it verifies the signature again (sync/admission.cpp): a kiosk may write about
// attendees only what a badge signed by the organisers says.
void journal_badge_facts(Store& store, const std::string& id, nlohmann::json facts, std::string_view code) {
    facts["badge"] = std::string(code);
    WriteTransaction tx(store.db());
    store.append(EventKind::AttendeeUpdated, id, facts);
    tx.commit();
}

CheckinResult check_in_signed_badge(Store& store, const BadgePayload& p, std::string_view code,
                                    std::int64_t at_ms) {
    const std::string id = badge_attendee_id(p);
    if (auto a = load_attendee(store.db(), id)) {
        if (p.badge_version < a->badge_version) {
            CheckinResult r;
            r.verdict = Verdict::ReplacedBadge;
            r.attendee = a;
            r.day = local_day(at_ms, store.event().timezone);
            // Journalled so the desks see it whichever device it happened at (shared/desk.hpp alerts);
            // on an event day only, as the sync door accepts (sync/admission.cpp).
            if (store.event().has_day(r.day)) {
                WriteTransaction tx(store.db());
                store.append(EventKind::ReplacedBadgeScanned, id,
                             {{"day", r.day},
                              {"at", at_ms},
                              {"kiosk", store.kiosk_name()},
                              {"version", int(p.badge_version)}});
                tx.commit();
            }
            return r;
        }
        if (p.badge_version > a->badge_version) {
            // Reprinted after this database last heard of the attendee: from now on the older badges
            // are the replaced ones here too.
            journal_badge_facts(store, id, {{"badge_version", int(p.badge_version)}}, code);
            a->badge_version = p.badge_version;
        }
        return check_in_attendee(store, *a, at_ms);
    }
    // Registered after this database's last update: the signature vouches for the person, so the
    // attendee is created from what the badge says.
    Attendee n;
    n.id = id;
    n.category_key = p.category_key;
    n.category = category_text(store, p.category_key);
    n.days = badge_days(p, store.event());
    n.badge_version = p.badge_version;
    n.source = "badge";
    CheckinResult r;
    r.attendee = n;
    r.day = local_day(at_ms, store.event().timezone);
    if (!badge_allows(p, store.event(), r.day)) {
        r.verdict = Verdict::NotToday;
        if (!store.event().has_day(r.day))
            r.event_days = event_day_texts(store.event());
        return r;
    }
    // Only the fields the badge knows, as an update: when the real creation event (names, email ...)
    // arrives by sync, it fills in every other field instead of being overwritten by blanks.
    journal_badge_facts(store, id,
                        {{"category", n.category},
                         {"category_key", n.category_key},
                         {"days", join_days(n.days)},
                         {"badge_version", n.badge_version},
                         {"source", n.source}},
                        code);
    r = check_in_attendee(store, n, at_ms);
    r.created_from_badge = true;
    return r;
}
} // namespace

CheckinResult check_in(Store& store, std::string_view raw, std::int64_t at_ms) {
    const std::string code = trim(raw);
    if (looks_like_badge_code(code)) {
        const auto check = verify_badge_code(code, store.event().uid, load_event_keys(store.db()));
        if (check)
            return check_in_signed_badge(store, *check.payload, code, at_ms);
        // A ticketing export could hand out a code of this shape: its roster entry still wins.
        if (auto a = find_by_ext_code(store.db(), code))
            return check_in_attendee(store, *a, at_ms);
        CheckinResult r;
        r.verdict = Verdict::InvalidBadge;
        r.badge_problem = badge_error_text(check.error);
        r.day = local_day(at_ms, store.event().timezone);
        return r;
    }
    auto a = find_by_code(store, code);
    if (!a) {
        CheckinResult r;
        r.day = local_day(at_ms, store.event().timezone);
        return r;
    }
    return check_in_attendee(store, *a, at_ms);
}

int undo_checkins(Store& store, const std::string& attendee_id, const std::string& day) {
    WriteTransaction tx(store.db());
    SQLite::Statement q(store.db(),
                        "SELECT origin, seq FROM checkins WHERE attendee_id = ? AND day = ? AND undone = 0");
    q.bind(1, attendee_id);
    q.bind(2, day);
    std::vector<std::pair<Origin, std::int64_t>> targets;
    while (q.executeStep()) {
        const auto b = q.getColumn(0);
        targets.emplace_back(origin_from_blob(b.getBlob(), b.getBytes()), q.getColumn(1).getInt64());
    }
    q.reset();
    for (const auto& [origin, seq] : targets)
        store.append(EventKind::CheckInUndone, attendee_id, {{"origin", to_hex(origin)}, {"seq", seq}});
    tx.commit();
    return int(targets.size());
}

std::vector<std::string> event_day_texts(const EventInfo& event) {
    std::vector<std::string> out;
    for (const auto& d : event.days)
        out.push_back(d.label.empty() ? d.date : d.date + " (" + d.label + ")");
    return out;
}

namespace {
std::string comma_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}
} // namespace

std::string describe(const CheckinResult& r, const std::string& tz) {
    using i18n::tr;
    std::string who;
    if (r.attendee) {
        who = r.attendee->full_name();
        if (who.empty()) // created from a badge, names not synced yet
            who = tr("cli.verdict.attendee_without_name", {{"id", r.attendee->id}});
        if (!r.attendee->category.empty())
            who += " (" + r.attendee->category + ")";
    }
    switch (r.verdict) {
    case Verdict::Admitted:
        return tr(r.created_from_badge ? "cli.verdict.admitted_from_badge" : "cli.verdict.admitted",
                  {{"who", who}, {"day", r.day}});
    case Verdict::AlreadyCheckedIn:
        // The device name is data (set at enrolment, "poste principal" by default): quoted as is.
        return tr(r.first_kiosk.empty() ? "cli.verdict.already_nowhere" : "cli.verdict.already",
                  {{"who", who},
                   {"time", local_hh_mm(r.first_at_ms, tz)},
                   {"day", r.day},
                   {"device", r.first_kiosk}});
    case Verdict::NotToday:
        if (!r.event_days.empty())
            return tr("cli.verdict.not_an_event_day", {{"day", r.day}, {"days", comma_list(r.event_days)}});
        if (r.attendee && !r.attendee->days.empty())
            return tr("cli.verdict.not_registered_days",
                      {{"who", who}, {"day", r.day}, {"days", comma_list(r.attendee->days)}});
        return tr("cli.verdict.not_registered", {{"who", who}, {"day", r.day}});
    case Verdict::UnknownCode:
        return tr("cli.verdict.unknown_code");
    case Verdict::ReplacedBadge:
        return tr("cli.verdict.replaced_badge", {{"who", who}});
    case Verdict::InvalidBadge:
        return r.badge_problem.empty() ? tr("cli.verdict.invalid_badge")
                                       : tr("cli.verdict.invalid_badge_why", {{"why", r.badge_problem}});
    }
    return tr("cli.verdict.unknown_code");
}

} // namespace accueil
