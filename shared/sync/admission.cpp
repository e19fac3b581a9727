#include "sync/admission.hpp"

#include "attendee.hpp"
#include "attendee_notes.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "checkin_payload.hpp"
#include "event_calendar.hpp"
#include "sync/strict_json.hpp"

#include <set>

namespace accueil::sync {

namespace {
using json = nlohmann::json;

constexpr std::size_t kMaxEntityBytes = 64;
constexpr std::size_t kMaxPayloadBytes = 16 * 1024;
constexpr std::size_t kMaxPayloadDepth = 4; // the event definition: object > days array > day object
constexpr std::int64_t kLatestInstantMs = 4'102'444'800'000; // 2100-01-01: past it, a clock is broken

bool is_fact(EventKind k) {
    return k == EventKind::CheckIn || k == EventKind::CheckInUndone || k == EventKind::ReplacedBadgeScanned;
}

// What each role may journal (issue 9): the event and its keys are the organisers' alone; attendee
// edits and attention notes are the desk's; a kiosk checks in, undoes its own check-ins, records a
// signed badge, and reports the replaced badges it scanned. A kiosk never writes a note nor `has_note`
// (shared/attendee_notes.hpp): NoteSet is not its kind, and check_badge_facts refuses the field.
bool kind_allowed(Role role, EventKind kind) {
    switch (role) {
    case Role::Central:
        return true;
    case Role::Desk:
        return kind == EventKind::CheckIn || kind == EventKind::CheckInUndone ||
               kind == EventKind::AttendeeCreated || kind == EventKind::AttendeeUpdated ||
               kind == EventKind::NoteSet || kind == EventKind::ReplacedBadgeScanned;
    case Role::Kiosk:
        return kind == EventKind::CheckIn || kind == EventKind::CheckInUndone ||
               kind == EventKind::ReplacedBadgeScanned ||
               kind == EventKind::AttendeeUpdated; // only from a verified badge: see check_badge_facts
    }
    return false;
}

std::string key_text(const JournalEvent& e) {
    return std::string(to_string(e.kind)) + " " + to_hex(e.origin) + "/" + std::to_string(e.seq);
}

bool is_text(const json& v, std::size_t max_bytes, bool may_be_empty = true) {
    if (!v.is_string())
        return false;
    const auto& s = v.get_ref<const std::string&>();
    return s.size() <= max_bytes && (may_be_empty || !s.empty()) && s.find('\0') == std::string::npos;
}

} // namespace

DoorFacts door_facts(Store& store) {
    DoorFacts f;
    f.self = store.origin();
    f.own_last = next_seq(store.db(), store.origin()) - 1;
    f.peers = known_peers(store);
    f.event = store.event();
    f.keys = load_event_keys(store.db());
    f.clock_trusts = [&store](std::uint64_t stamp) { return store.clock().trusted(stamp); };
    // Prepared on first use: most batches hold only new events.
    f.held = [&store, query = std::shared_ptr<SQLite::Statement>()](const JournalEvent& e) mutable {
        if (!query)
            query = std::make_shared<SQLite::Statement>(store.db(),
                                                        "SELECT 1 FROM journal WHERE origin = ? AND seq = ?");
        query->reset();
        query->bind(1, e.origin.data(), int(e.origin.size()));
        query->bind(2, e.seq);
        const bool found = query->executeStep();
        query->reset();
        return found;
    };
    f.reload = [&store](DoorFacts& facts) {
        if (auto info = load_event_info(store.db()))
            facts.event = *info;
        facts.keys = load_event_keys(store.db());
    };
    return f;
}

struct Admission::Impl {
    Impl(DoorFacts f, AdmitContext c) : facts(std::move(f)), context(c) {}

    std::optional<std::string> check(const JournalEvent& e, std::int64_t mark);
    std::optional<std::string> check_payload(const JournalEvent& e, const Peer& peer);
    std::optional<std::string> check_attendee_fields(const json& p, bool allow_badge);
    std::optional<std::string> check_badge_facts(const JournalEvent& e, const json& p);
    std::optional<std::string> check_days(const std::string& joined);
    std::optional<std::string> check_replaced_scan(const json& p, const Peer& peer);

    DoorFacts facts;
    AdmitContext context;
    CheckinPayloadReader checkins;
    std::optional<CheckinPayload> admitted_checkin; // read by the last check()
};

Admission::Admission(DoorFacts facts, AdmitContext context)
    : impl_(std::make_unique<Impl>(std::move(facts), context)) {}
Admission::Admission(Store& store, AdmitContext context) : Admission(door_facts(store), context) {}
Admission::~Admission() = default;

std::optional<std::string> Admission::check(const JournalEvent& e, std::int64_t mark) {
    impl_->admitted_checkin.reset();
    auto why = impl_->check(e, mark);
    if (why)
        impl_->admitted_checkin.reset();
    return why;
}

const CheckinPayload* Admission::admitted_checkin() const {
    return impl_->admitted_checkin ? &*impl_->admitted_checkin : nullptr;
}

void Admission::written(const JournalEvent& e) {
    if ((e.kind == EventKind::EventDefined || e.kind == EventKind::KeyAdded) && impl_->facts.reload)
        impl_->facts.reload(impl_->facts);
}

std::optional<std::string> Admission::Impl::check(const JournalEvent& e, std::int64_t mark) {
    const auto key = [&] { return key_text(e); }; // only when refused: most events pass
    if (context.channel == Channel::Push && context.sender && e.origin != *context.sender)
        return "forbidden: " + key() + " is another origin's event; a device sends only its own";
    if (e.origin == facts.self) {
        if (e.seq <= facts.own_last)
            return std::nullopt; // ours, already held: the journal compares the content
        return "forbidden: " + key() + " claims this database's own origin, which only this database writes";
    }
    // Held already: the journal refuses it if the content differs. A seq under the mark that is not
    // held was withheld from this store (a kiosk's marks pass over the notes it must not receive,
    // sync/merge.hpp): it is checked like any new event.
    if (e.seq <= mark && facts.held(e))
        return std::nullopt;
    const auto peer = facts.peers.find(e.origin);
    if (peer == facts.peers.end())
        return "forbidden: " + key() + " comes from an origin that is not an enrolled device here";
    if (e.seq > mark + kSeqWindow)
        return "malformed: " + key() + " is more than " + std::to_string(kSeqWindow) +
               " events past what this origin has sent (" + std::to_string(mark) + ")";
    if (!kind_allowed(peer->second.role, e.kind))
        return "forbidden: a " + std::string(to_string(peer->second.role)) + " may not send " + key();
    if (e.hlc == 0)
        return "malformed: " + key() + " has no clock stamp";
    if (context.guard_clock && !is_fact(e.kind) && !facts.clock_trusts(e.hlc))
        return "clock: " + key() +
               " is stamped more than 5 minutes ahead of this machine's clock (is the sender's date wrong?)";
    if (auto bad = check_payload(e, peer->second))
        return "malformed: " + key() + ": " + *bad;
    return std::nullopt;
}

std::optional<std::string> Admission::Impl::check_days(const std::string& joined) {
    if (joined.empty())
        return std::nullopt; // every day
    for (const auto& d : split_days(joined))
        if (!facts.event.has_day(d))
            return "\"" + d.substr(0, 20) + "\" is not a day of the event";
    return std::nullopt;
}

std::optional<std::string> Admission::Impl::check_attendee_fields(const json& p, bool allow_badge) {
    if (p.empty())
        return "no field";
    const auto& fields = attendee_fields();
    for (const auto& [field, value] : p.items()) {
        if (field == "badge" && allow_badge) {
            if (!is_text(value, 200, false))
                return "\"badge\" must be a badge code";
            continue;
        }
        if (std::find(fields.begin(), fields.end(), field) == fields.end())
            return "unknown attendee field \"" + field.substr(0, 40) + "\"";
        if (field == "has_note") {
            if (!value.is_boolean())
                return "\"has_note\" must be true or false";
            continue;
        }
        if (field == "badge_version") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
                value.get<std::int64_t>() > 65535)
                return "\"badge_version\" must be a whole number from 1 to 65535";
            continue;
        }
        if (!is_text(value, attendee_field_limit(field)))
            return "\"" + field + "\" must be text of at most " +
                   std::to_string(attendee_field_limit(field)) + " bytes";
        if (field == "days")
            if (auto bad = check_days(value.get<std::string>()))
                return bad;
    }
    return std::nullopt;
}

// A kiosk writes about a person only what a signed badge it verified says (the late registrant): the
// code travels in the event and is verified again here against the event's own keys.
std::optional<std::string> Admission::Impl::check_badge_facts(const JournalEvent& e, const json& p) {
    if (!p.contains("badge"))
        return "a kiosk may change an attendee only from a signed badge";
    const auto check = verify_badge_code(p["badge"].get<std::string>(), facts.event.uid, facts.keys);
    if (!check)
        return "the badge does not verify with this event's keys (" + std::string(to_string(check.error)) +
               ")";
    const BadgePayload& b = *check.payload;
    if (badge_attendee_id(b) != e.entity)
        return "the badge is another attendee's";
    for (const auto& [field, value] : p.items()) {
        if (field == "badge" || field == "category")
            continue; // the category's display text is looked up on the kiosk from its key
        const bool same = (field == "category_key" && value == b.category_key) ||
                          (field == "badge_version" && value == int(b.badge_version)) ||
                          (field == "days" && value == join_days(badge_days(b, facts.event))) ||
                          (field == "source" && value == "badge");
        if (!same)
            return "\"" + field + "\" is not what the signed badge says";
    }
    return std::nullopt;
}

// Bounded like a check-in: a day of the event, a sane time, the sender's own device name.
std::optional<std::string> Admission::Impl::check_replaced_scan(const json& p, const Peer& peer) {
    for (const auto& item : p.items()) {
        const std::string& k = item.key();
        if (k != "day" && k != "at" && k != "kiosk" && k != "version")
            return "unknown field \"" + k.substr(0, 40) + "\"";
    }
    if (p.size() != 4)
        return "a replaced-badge scan is {day, at, kiosk, version}";
    if (!p["day"].is_string() || !facts.event.has_day(p["day"].get<std::string>()))
        return "\"day\" must be a day of the event";
    if (!p["at"].is_number_integer() || p["at"].get<std::int64_t>() <= 0 ||
        p["at"].get<std::int64_t>() > kLatestInstantMs)
        return "scan time out of range";
    if (!is_text(p["kiosk"], 100, false))
        return "a scan names its device (1 to 100 bytes)";
    if (peer.role != Role::Central && !peer.name.empty() && p["kiosk"].get<std::string>() != peer.name)
        return "a device reports scans under its own name (\"" + peer.name + "\")";
    if (!p["version"].is_number_integer() || p["version"].get<std::int64_t>() < 1 ||
        p["version"].get<std::int64_t>() > 65535)
        return "\"version\" must be a whole number from 1 to 65535";
    return std::nullopt;
}

std::optional<std::string> Admission::Impl::check_payload(const JournalEvent& e, const Peer& peer) {
    if (e.entity.empty() || e.entity.size() > kMaxEntityBytes)
        return "entity of " + std::to_string(e.entity.size()) + " bytes";
    if (e.payload.size() > kMaxPayloadBytes)
        return "payload of " + std::to_string(e.payload.size()) + " bytes (at most " +
               std::to_string(kMaxPayloadBytes) + ")";
    const bool about_attendee = e.kind == EventKind::AttendeeCreated ||
                                e.kind == EventKind::AttendeeUpdated || e.kind == EventKind::CheckIn ||
                                e.kind == EventKind::CheckInUndone || e.kind == EventKind::NoteSet ||
                                e.kind == EventKind::ReplacedBadgeScanned;
    if (about_attendee && !looks_like_attendee_id(e.entity))
        return "\"" + e.entity.substr(0, 20) + "\" is not an attendee id";

    if (e.kind == EventKind::CheckIn) {
        // The merge's own reader, in strict mode: what is checked here is what gets counted.
        std::string why;
        auto c = checkins.read_strict(e.payload, why);
        if (!c)
            return why;
        if (!facts.event.has_day(c->day))
            return "\"" + c->day.substr(0, 20) + "\" is not a day of the event";
        if (c->at <= 0 || c->at > kLatestInstantMs)
            return "check-in time out of range";
        if (c->kiosk.empty() || c->kiosk.size() > 100)
            return "a check-in names its device (1 to 100 bytes)";
        if (peer.role != Role::Central && !peer.name.empty() && c->kiosk != peer.name)
            return "a device checks people in under its own name (\"" + peer.name + "\")";
        admitted_checkin = std::move(c);
        return std::nullopt;
    }

    std::string why;
    const auto parsed = parse_strict_json(e.payload, {kMaxPayloadBytes, kMaxPayloadDepth}, why);
    if (!parsed)
        return "payload " + why;
    const json& p = *parsed;
    if (!p.is_object())
        return "the payload is not a JSON object";
    auto only = [&](std::initializer_list<const char*> allowed) -> std::optional<std::string> {
        for (const auto& item : p.items()) {
            const std::string& k = item.key(); // not a structured binding: clang 14 cannot capture those
            if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }) ==
                allowed.end())
                return "unknown field \"" + k.substr(0, 40) + "\"";
        }
        for (const char* a : allowed)
            if (!p.contains(a))
                return std::string("missing field \"") + a + "\"";
        return std::nullopt;
    };

    switch (e.kind) {
    case EventKind::CheckIn:
        break; // above
    case EventKind::CheckInUndone: {
        if (auto bad = only({"origin", "seq"}))
            return bad;
        const auto target =
            p["origin"].is_string() ? origin_from_hex(p["origin"].get<std::string>()) : std::nullopt;
        if (!target || !p["seq"].is_number_integer() || p["seq"].get<std::int64_t>() < 1)
            return "an undo names a check-in by {origin (32 hex digits), seq (a positive number)}";
        if (peer.role == Role::Kiosk && *target != e.origin)
            return "a kiosk may undo only its own check-ins";
        return std::nullopt;
    }
    case EventKind::AttendeeCreated:
        return check_attendee_fields(p, false);
    case EventKind::NoteSet: {
        if (auto bad = only({"note"}))
            return bad;
        if (!p["note"].is_string())
            return "\"note\" must be text";
        return note_problem(p["note"].get<std::string>());
    }
    case EventKind::ReplacedBadgeScanned:
        return check_replaced_scan(p, peer);
    case EventKind::AttendeeUpdated:
        if (auto bad = check_attendee_fields(p, true))
            return bad;
        if (peer.role == Role::Kiosk)
            return check_badge_facts(e, p);
        return std::nullopt;
    case EventKind::EventDefined: {
        if (e.entity != "event")
            return "the event definition's entity is \"event\"";
        if (auto bad = only({"uid", "name", "timezone", "days"}))
            return bad;
        if (!is_text(p["uid"], 64, false) || !is_text(p["name"], 200, false))
            return "the event needs a uid and a name (text)";
        if (!p["timezone"].is_string() || !is_valid_timezone(p["timezone"].get<std::string>()))
            return "unknown time zone";
        const json& days = p["days"];
        if (!days.is_array() || days.empty() || days.size() > 366)
            return "\"days\" must list 1 to 366 days";
        std::set<std::string> seen;
        for (const auto& d : days) {
            if (!d.is_object() || d.size() != 2 || !d.contains("date") || !d.contains("label") ||
                !d["date"].is_string() || !is_valid_date(d["date"].get<std::string>()) ||
                !is_text(d["label"], 50) || !seen.insert(d["date"].get<std::string>()).second)
                return "each day is {\"date\": \"YYYY-MM-DD\", \"label\": text}, once";
        }
        return std::nullopt;
    }
    case EventKind::KeyAdded: {
        if (e.entity != "key")
            return "a key's entity is \"key\"";
        if (auto bad = only({"public_key", "label", "at"}))
            return bad;
        if (!p["public_key"].is_string() || !public_key_from_hex(p["public_key"].get<std::string>()))
            return "\"public_key\" must be 64 hex digits";
        if (!is_text(p["label"], 100) || !p["at"].is_number_integer())
            return "a key has a label (text) and a time (\"at\", a number)";
        return std::nullopt;
    }
    }
    return "unknown kind";
}

} // namespace accueil::sync
