#include "desk.hpp"

#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "journal.hpp"
#include "search.hpp"
#include "sync/device_key.hpp"
#include "sync/peers.hpp"
#include "text_fold.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace accueil {

namespace {
using json = nlohmann::json;

Origin column_origin(SQLite::Statement& q, int index) {
    const auto b = q.getColumn(index);
    return origin_from_blob(b.getBlob(), b.getBytes());
}

std::int64_t json_int(const json& p, const char* key) {
    const auto it = p.find(key);
    return it != p.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string json_text(const json& p, const char* key) {
    const auto it = p.find(key);
    return it != p.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Device names by origin: this store's own, the devices and central it knows (sync/peers.hpp).
class DeviceNames {
public:
    explicit DeviceNames(Store& store) {
        for (const auto& [origin, peer] : sync::known_peers(store))
            names_[origin] = peer.role == sync::Role::Central && peer.name.empty() ? "central" : peer.name;
        names_[store.origin()] = store.kiosk_name();
    }
    std::string of(const Origin& origin) const {
        const auto it = names_.find(origin);
        if (it != names_.end() && !it->second.empty())
            return it->second;
        return "origin " + to_hex(origin).substr(0, 8);
    }

private:
    std::map<Origin, std::string> names_;
};
} // namespace

const char* history_key(HistoryKind kind) {
    switch (kind) {
    case HistoryKind::Created:
        return "created";
    case HistoryKind::Edited:
        return "edited";
    case HistoryKind::Reprinted:
        return "reprinted";
    case HistoryKind::CheckedIn:
        return "checked-in";
    case HistoryKind::Undone:
        return "undone";
    case HistoryKind::NoteChanged:
        return "note-changed";
    case HistoryKind::ReplacedBadgeScanned:
        return "replaced-badge-scanned";
    }
    return "edited";
}

std::vector<HistoryEntry> person_history(Store& store, const std::string& attendee_id) {
    const DeviceNames names(store);
    SQLite::Statement q(
        store.db(), "SELECT j.origin, j.seq, j.hlc, j.kind, j.payload, EXISTS (SELECT 1 FROM undos u WHERE "
                    "u.target_origin = j.origin AND u.target_seq = j.seq) FROM journal j WHERE j.entity = ? "
                    "AND j.kind IN (2, 3, 4, 5, 7, 8)");
    q.bind(1, attendee_id);
    std::vector<std::pair<std::uint64_t, HistoryEntry>> found; // (hlc, entry)
    while (q.executeStep()) {
        const Origin origin = column_origin(q, 0);
        const auto hlc = std::uint64_t(q.getColumn(2).getInt64());
        const auto kind = EventKind(q.getColumn(3).getInt());
        const json p = json::parse(q.getColumn(4).getString(), nullptr, false);
        if (!p.is_object())
            continue; // the projection refused such an event; nothing to show
        HistoryEntry h;
        h.at_ms = HlcStamp::millis(hlc);
        h.device = names.of(origin);
        auto add = [&](HistoryEntry entry) { found.emplace_back(hlc, std::move(entry)); };
        switch (kind) {
        case EventKind::AttendeeCreated:
            h.kind = HistoryKind::Created;
            h.source = json_text(p, "source");
            add(h);
            break;
        case EventKind::AttendeeUpdated: {
            if (p.contains("badge") && json_text(p, "source") == "badge") {
                h.kind = HistoryKind::Created; // a device learnt the person from a signed badge
                h.source = "badge";
                add(h);
                break;
            }
            if (p.contains("badge_version")) {
                HistoryEntry r = h;
                r.kind = HistoryKind::Reprinted;
                r.badge_version = int(json_int(p, "badge_version"));
                add(r);
            }
            h.kind = HistoryKind::Edited;
            // category_key follows category, has_note the note (a NoteChanged entry), badge is a proof.
            for (const auto& item : p.items())
                if (item.key() != "badge_version" && item.key() != "badge" && item.key() != "category_key" &&
                    item.key() != "has_note")
                    h.fields.push_back(item.key());
            if (!h.fields.empty())
                add(h);
            break;
        }
        case EventKind::CheckIn:
            h.kind = HistoryKind::CheckedIn;
            h.day = json_text(p, "day");
            h.at_ms = json_int(p, "at");
            h.device = json_text(p, "kiosk");
            h.undone = q.getColumn(5).getInt() != 0;
            add(h);
            break;
        case EventKind::CheckInUndone: {
            h.kind = HistoryKind::Undone;
            if (const auto target = origin_from_hex(json_text(p, "origin"))) {
                SQLite::Statement d(store.db(), "SELECT day FROM checkins WHERE origin = ? AND seq = ?");
                d.bind(1, target->data(), int(target->size()));
                d.bind(2, json_int(p, "seq"));
                if (d.executeStep())
                    h.day = d.getColumn(0).getString();
            }
            add(h);
            break;
        }
        case EventKind::NoteSet:
            h.kind = HistoryKind::NoteChanged;
            h.note_cleared = json_text(p, "note").empty();
            add(h);
            break;
        case EventKind::ReplacedBadgeScanned:
            h.kind = HistoryKind::ReplacedBadgeScanned;
            h.day = json_text(p, "day");
            h.at_ms = json_int(p, "at");
            h.device = json_text(p, "kiosk");
            h.badge_version = int(json_int(p, "version"));
            add(h);
            break;
        case EventKind::EventDefined:
        case EventKind::KeyAdded:
            break;
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
        return std::tie(x.second.at_ms, x.first) > std::tie(y.second.at_ms, y.first);
    });
    std::vector<HistoryEntry> out;
    out.reserve(found.size());
    for (auto& f : found)
        out.push_back(std::move(f.second));
    return out;
}

namespace {
std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A plausible address, not a proof: one '@', something before it, a dotted domain after it, no
// blanks. The organisers mail badges to it; a typo the volunteer can see is the one worth catching.
bool plausible_email(const std::string& e) {
    const auto at = e.find('@');
    if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos)
        return false;
    const std::string domain = e.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.' ||
        domain.find("..") != std::string::npos)
        return false;
    return e.find_first_of(" \t,;<>()[]\\\"") == std::string::npos;
}
} // namespace

std::vector<FieldError> validate_attendee(const Attendee& a, const EventInfo& event) {
    std::vector<FieldError> out;
    auto text = [&](const char* field, const std::string& value, std::size_t max_chars, bool required) {
        if (!is_valid_utf8(value) || has_control_characters(value)) {
            out.push_back({field, "desk.error.invalid_text"});
            return;
        }
        if (required && trimmed(value).empty()) {
            out.push_back({field, "desk.error.required"});
            return;
        }
        if (utf8_length(value) > max_chars || value.size() > attendee_field_limit(field)) {
            out.push_back({field, "desk.error.too_long"});
            return;
        }
        if (std::string_view(field) == "email" && !value.empty() && !plausible_email(trimmed(value)))
            out.push_back({field, "desk.error.email"});
    };
    text("first_name", a.first_name, 200, true);
    text("last_name", a.last_name, 200, true);
    text("email", a.email, 200, false);
    text("organisation", a.organisation, 200, false);
    text("category", a.category, 100, false);
    text("ext_code", a.ext_code, 200, false);
    for (const auto& d : a.days)
        if (!event.has_day(d)) {
            out.push_back({"days", "desk.error.day"});
            break;
        }
    return out;
}

std::vector<Attendee> likely_duplicates(SQLite::Database& db, const Attendee& a, int limit) {
    std::vector<Attendee> out;
    if (limit <= 0)
        return out;
    std::set<std::string> seen{a.id};
    const std::string email = trimmed(a.email);
    if (!email.empty()) {
        SQLite::Statement q(db, "SELECT " ACCUEIL_ATTENDEE_COLUMNS " FROM attendees WHERE email = ? "
                                "COLLATE NOCASE AND email <> '' AND id <> ? ORDER BY num LIMIT ?");
        q.bind(1, email);
        q.bind(2, a.id);
        q.bind(3, limit);
        while (q.executeStep()) {
            Attendee d = attendee_from_row(q);
            if (seen.insert(d.id).second)
                out.push_back(std::move(d));
        }
    }
    const std::string name = fold_text(a.first_name + " " + a.last_name);
    const std::string swapped = fold_text(a.last_name + " " + a.first_name);
    if (name.empty() || int(out.size()) >= limit)
        return out;
    // The name search finds every whole-word match first; equal folded names are among them.
    for (auto& d : search_attendees(db, name, std::max(50, limit * 10))) {
        if (int(out.size()) >= limit)
            break;
        const std::string other = fold_text(d.first_name + " " + d.last_name);
        if ((other == name || other == swapped) && seen.insert(d.id).second)
            out.push_back(std::move(d));
    }
    return out;
}

std::optional<SigningKey> desk_signing_key(Store& store) {
    const auto keys = load_event_keys(store.db());
    auto is_event_key = [&](const PublicKey& k) {
        return std::any_of(keys.begin(), keys.end(), [&](const EventKey& e) { return e.public_key == k; });
    };
    const std::string path = default_key_path(store.path());
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        try {
            SigningKey k = read_key_file(path);
            if (is_event_key(k.public_key()))
                return k;
        } catch (const InputError&) {
            // unreadable or too open (read_key_file says why): the device key may still do
        }
    }
    if (store.meta("sync.device_seed")) { // never made here: only a joined device has one worth trying
        SigningKey k = sync::device_key_of(store);
        if (is_event_key(k.public_key()))
            return k;
    }
    return std::nullopt;
}

Attendee reprint_badge(Store& store, const std::string& attendee_id, const SigningKey& key,
                       std::string* code_out) {
    WriteTransaction tx(store.db());
    const auto before = load_attendee(store.db(), attendee_id);
    if (!before)
        throw InputError("", "no attendee has the id \"" + attendee_id.substr(0, 40) + "\"");
    Attendee after = *before;
    after.badge_version = before->badge_version + 1;
    // Signed before anything is written: a badge that cannot be made must not replace the current one.
    const std::string code = badge_code_for(after, store.event(), key);
    update_attendee(store, *before, after);
    tx.commit();
    if (code_out)
        *code_out = code;
    return after;
}

const char* alert_key(AlertKind kind) {
    switch (kind) {
    case AlertKind::CheckedInTwice:
        return "desk.alert.double-checkin";
    case AlertKind::ReplacedBadge:
        return "desk.alert.replaced-badge";
    case AlertKind::WalkInRegistered:
        return "desk.alert.possible-duplicate";
    }
    return "desk.alert.double-checkin";
}

std::vector<Alert> volunteer_alerts(Store& store, const std::string& day, int limit) {
    std::vector<Alert> out;
    if (limit <= 0)
        return out;
    const std::string tz = store.event().timezone;
    auto name_of = [&](const std::string& id) {
        const auto a = load_attendee(store.db(), id);
        return a ? a->full_name() : std::string();
    };

    { // (a) checked in at two devices: each device's first active check-in of the day
        SQLite::Statement q(store.db(),
                            "SELECT attendee_id, kiosk, min(at_ms) AS first FROM checkins WHERE day = ?1 AND "
                            "undone = 0 AND attendee_id IN (SELECT attendee_id FROM checkins WHERE day = ?1 "
                            "AND undone = 0 GROUP BY attendee_id HAVING count(DISTINCT kiosk) > 1) "
                            "GROUP BY attendee_id, kiosk ORDER BY attendee_id, first");
        q.bind(1, day);
        while (q.executeStep()) {
            const std::string id = q.getColumn(0).getString();
            if (out.empty() || out.back().kind != AlertKind::CheckedInTwice || out.back().attendee_id != id) {
                Alert a;
                a.kind = AlertKind::CheckedInTwice;
                a.attendee_id = id;
                out.push_back(std::move(a));
            }
            Alert& a = out.back();
            a.devices.push_back(q.getColumn(1).getString());
            a.times_ms.push_back(q.getColumn(2).getInt64());
            a.at_ms = std::max(a.at_ms, a.times_ms.back());
        }
        for (Alert& a : out) {
            a.full_name = name_of(a.attendee_id);
            for (std::size_t i = 0; i < a.devices.size(); ++i)
                a.detail += std::string(i ? ", " : "checked in at ") + a.devices[i] + " " +
                            local_hh_mm(a.times_ms[i], tz);
        }
    }
    { // (b) replaced badges scanned that day, on any device
        SQLite::Statement q(store.db(),
                            "SELECT entity, coalesce(json_extract(payload, '$.kiosk'), ''), "
                            "coalesce(json_extract(payload, '$.at'), 0), "
                            "coalesce(json_extract(payload, '$.version'), 0) FROM journal WHERE kind = ? AND "
                            "json_extract(payload, '$.day') = ? ORDER BY 3 DESC LIMIT ?");
        q.bind(1, int(EventKind::ReplacedBadgeScanned));
        q.bind(2, day);
        q.bind(3, limit);
        while (q.executeStep()) {
            Alert a;
            a.kind = AlertKind::ReplacedBadge;
            a.attendee_id = q.getColumn(0).getString();
            a.full_name = name_of(a.attendee_id);
            a.devices.push_back(q.getColumn(1).getString());
            a.at_ms = q.getColumn(2).getInt64();
            a.times_ms.push_back(a.at_ms);
            a.detail = "badge version " + std::to_string(q.getColumn(3).getInt()) + " scanned at " +
                       a.devices.back() + " " + local_hh_mm(a.at_ms, tz);
            out.push_back(std::move(a));
        }
    }
    { // (c) walk-ins who may be registered attendees
        SQLite::Statement q(store.db(), "SELECT " ACCUEIL_ATTENDEE_COLUMNS ", stamp_hlc, stamp_origin FROM "
                                        "attendees WHERE source = 'walk-in' ORDER BY num");
        std::vector<std::pair<Attendee, std::pair<std::int64_t, Origin>>> walk_ins;
        while (q.executeStep())
            walk_ins.push_back(
                {attendee_from_row(q),
                 {HlcStamp::millis(std::uint64_t(q.getColumn(12).getInt64())), column_origin(q, 13)}});
        const DeviceNames names(store);
        for (const auto& [w, made] : walk_ins) {
            for (const auto& d : likely_duplicates(store.db(), w, 5)) {
                if (d.source == "walk-in")
                    continue;
                Alert a;
                a.kind = AlertKind::WalkInRegistered;
                a.attendee_id = w.id;
                a.full_name = w.full_name();
                a.other_id = d.id;
                a.at_ms = made.first;
                a.times_ms.push_back(made.first);
                a.devices.push_back(names.of(made.second));
                a.detail = "walk-in may be the registered " + d.full_name() + " (" + d.id + ")";
                out.push_back(std::move(a));
                break;
            }
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Alert& x, const Alert& y) { return x.at_ms > y.at_ms; });
    if (out.size() > std::size_t(limit))
        out.resize(std::size_t(limit));
    return out;
}

} // namespace accueil
