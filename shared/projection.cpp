#include "projection.hpp"

#include "attendee.hpp"
#include "badge/event_keys.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "ids.hpp"
#include "scan.hpp"
#include "text_fold.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <future>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace accueil {

namespace {
using json = nlohmann::json;

// Adds every run of two or more consecutive words written as one: "n diaye" also indexes "ndiaye",
// "jean noel" also "jeannoel", so people who type names without hyphen or apostrophe find them.
void append_joined_forms(std::string& out, const std::string& folded) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < folded.size()) {
        auto end = folded.find(' ', start);
        if (end == std::string::npos)
            end = folded.size();
        words.push_back(folded.substr(start, end - start));
        start = end + 1;
    }
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        std::string joined = words[i];
        for (std::size_t j = i + 1; j < words.size(); ++j) {
            joined += words[j];
            out += ' ';
            out += joined;
        }
    }
}

std::string search_names(const std::string& first, const std::string& last) {
    const std::string f = fold_text(first), l = fold_text(last);
    std::string out = f + " " + l;
    append_joined_forms(out, f);
    append_joined_forms(out, l);
    return out;
}

void bind_origin(SQLite::Statement& s, int index, const Origin& o) {
    s.bind(index, o.data(), int(o.size()));
}
void bind_origin(const BorrowedStatement& s, int index, const Origin& o) {
    bind_origin(*s, index, o);
}

// (hlc, origin) total order for last-writer-wins.
bool newer(std::uint64_t hlc, const Origin& origin, std::uint64_t than_hlc, const Origin& than_origin) {
    return hlc != than_hlc ? hlc > than_hlc : origin > than_origin;
}

json parse_payload(const JournalEvent& e) {
    json j = json::parse(e.payload, nullptr, false);
    if (!j.is_object())
        throw StoreError(std::string("journal event ") + to_hex(e.origin) + "/" + std::to_string(e.seq) +
                         " has a malformed payload");
    return j;
}
} // namespace

BorrowedStatement Projector::stmt(const char* sql) {
    auto& slot = cache_[sql];
    if (!slot)
        slot = std::make_unique<SQLite::Statement>(db_, sql);
    slot->reset(); // every statement binds all its parameters each time
    return BorrowedStatement(*slot);
}

BorrowedStatement Projector::field_update(const std::string& field) {
    auto& slot = field_updates_[field];
    if (!slot) // field names come from attendee_fields(), never from a payload: fixed SQL text
        slot =
            std::make_unique<SQLite::Statement>(db_, "UPDATE attendees SET " + field + " = ? WHERE num = ?");
    slot->reset();
    return BorrowedStatement(*slot);
}

void Projector::apply(const JournalEvent& e, const nlohmann::json* parsed) {
    if (e.kind == EventKind::CheckIn) {
        if (parsed) // a local append: already parsed
            return apply_checkin(e, {parsed->value("day", ""), parsed->value("at", std::int64_t(0)),
                                     parsed->value("kiosk", "")});
        auto p = checkin_reader_.read(e.payload);
        if (!p)
            throw StoreError("journal event " + to_hex(e.origin) + "/" + std::to_string(e.seq) +
                             " has a malformed check-in payload");
        return apply_checkin(e, std::move(*p));
    }
    flush_checkins(); // the collected check-ins come first, as they came first in the journal
    if (e.kind == EventKind::KeyAdded)
        return project_key_added(db_, e);
    // A creation of someone not yet in the table (every person of a rebuild) is read without a JSON
    // tree when its payload is one the programs write; anything else takes the general path below.
    if (e.kind == EventKind::AttendeeCreated && !parsed)
        if (const auto a = attendee_reader_.read(e.entity, e.payload)) {
            flush_arrivals(); // as below
            if (create_new_attendee(e, *a))
                return;
        }
    json own;
    if (!parsed) {
        own = parse_payload(e);
        parsed = &own;
    }
    switch (e.kind) {
    case EventKind::EventDefined:
        return apply_event_defined(e, *parsed);
    case EventKind::AttendeeCreated:
    case EventKind::AttendeeUpdated:
        flush_arrivals(); // counted under the attendee's facts before they change (schema 8 triggers)
        return apply_attendee_fields(e, *parsed);
    case EventKind::CheckInUndone:
        return apply_undo(e, *parsed);
    case EventKind::NoteSet:
        return apply_note(e, *parsed);
    case EventKind::ReplacedBadgeScanned:
        return; // read straight from the journal (shared/desk.cpp volunteer_alerts)
    case EventKind::CheckIn:
    case EventKind::KeyAdded:
        break; // handled above
    }
    throw StoreError("journal event of unknown kind " + std::to_string(int(e.kind)));
}

void Projector::apply_event_defined(const JournalEvent& e, const json& p) {
    auto s = stmt("INSERT INTO event_info (id, uid, name, timezone, days, hlc, origin) "
                  "VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET uid = excluded.uid, "
                  "name = excluded.name, timezone = excluded.timezone, days = excluded.days, "
                  "hlc = excluded.hlc, origin = excluded.origin "
                  "WHERE (excluded.hlc, excluded.origin) > (event_info.hlc, event_info.origin)");
    s->bind(1, p.value("uid", ""));
    s->bind(2, p.value("name", ""));
    s->bind(3, p.value("timezone", "Europe/Paris"));
    s->bind(4, p.value("days", json::array()).dump());
    s->bind(5, std::int64_t(e.hlc));
    bind_origin(s, 6, e.origin);
    s->exec();
}

namespace {
constexpr const char* kFindAttendee = "SELECT num, stamp_hlc, stamp_origin FROM attendees WHERE id = ?";
} // namespace

std::int64_t Projector::insert_attendee(const JournalEvent& e, const Attendee& a) {
    const bool creation = e.kind == EventKind::AttendeeCreated;
    auto ins = stmt("INSERT INTO attendees (id, first_name, last_name, email, organisation, category, "
                    "category_key, days, ext_code, badge_version, source, stamp_hlc, stamp_origin, "
                    "has_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins->bind(1, a.id);
    ins->bind(2, a.first_name);
    ins->bind(3, a.last_name);
    ins->bind(4, a.email);
    ins->bind(5, a.organisation);
    ins->bind(6, a.category);
    ins->bind(7, a.category_key);
    ins->bind(8, join_days(a.days));
    ins->bind(9, a.ext_code);
    ins->bind(10, a.badge_version);
    ins->bind(11, a.source);
    ins->bind(12, creation ? std::int64_t(e.hlc) : std::int64_t(0));
    const Origin zero{};
    bind_origin(ins, 13, creation ? e.origin : zero);
    ins->bind(14, a.has_note ? 1 : 0);
    ins->exec();
    return db_.getLastInsertRowid();
}

void Projector::index_attendee(std::int64_t num, const Attendee& a) {
    if (defer_search_)
        return; // index_new_attendees() writes it with the others
    write_search_rows(num, search_names(a.first_name, a.last_name), fold_text(a.organisation),
                      fold_text(a.email), true);
}

void Projector::write_search_rows(std::int64_t num, const std::string& names, const std::string& organisation,
                                  const std::string& email, bool names_too) {
    auto idx = stmt("INSERT INTO attendee_search (rowid, names, organisation, email) VALUES (?, ?, ?, ?)");
    idx->bind(1, num);
    idx->bind(2, names);
    idx->bind(3, organisation);
    idx->bind(4, email);
    idx->exec();
    if (!names_too)
        return;
    auto by_name = stmt("INSERT INTO attendee_names (rowid, names) VALUES (?, ?)");
    by_name->bind(1, num);
    by_name->bind(2, names);
    by_name->exec();
}

bool Projector::create_new_attendee(const JournalEvent& e, const Attendee& a) {
    auto find = stmt(kFindAttendee);
    find->bind(1, e.entity);
    if (find->executeStep())
        return false;
    index_attendee(insert_attendee(e, a), a);
    return true;
}

void Projector::apply_attendee_fields(const JournalEvent& e, const json& p) {
    auto find = stmt(kFindAttendee);
    find->bind(1, e.entity);
    if (!find->executeStep()) {
        // A new row. A creation stamps every field at once; an update that arrives before the
        // creation (out-of-order delivery) stamps only its own fields, so the creation can still
        // fill in the others when it comes.
        const Attendee a = attendee_from_json(e.entity, p);
        const std::int64_t num = insert_attendee(e, a);
        if (e.kind != EventKind::AttendeeCreated) {
            for (const auto& [field, value] : p.items()) {
                auto st =
                    stmt("INSERT INTO attendee_stamps (attendee_id, field, hlc, origin) VALUES (?, ?, ?, ?)");
                st->bind(1, e.entity);
                st->bind(2, field);
                st->bind(3, std::int64_t(e.hlc));
                bind_origin(st, 4, e.origin);
                st->exec();
            }
        }
        index_attendee(num, a);
        return;
    }
    const std::int64_t num = find->getColumn(0).getInt64();
    const std::uint64_t row_hlc = std::uint64_t(find->getColumn(1).getInt64());
    const auto row_blob = find->getColumn(2);
    const Origin row_origin = origin_from_blob(row_blob.getBlob(), row_blob.getBytes());

    bool changed = false;
    for (const auto& field : attendee_fields()) {
        if (!p.contains(field))
            continue;
        std::uint64_t cur_hlc = row_hlc;
        Origin cur_origin = row_origin;
        auto get = stmt("SELECT hlc, origin FROM attendee_stamps WHERE attendee_id = ? AND field = ?");
        get->bind(1, e.entity);
        get->bind(2, field);
        if (get->executeStep()) {
            cur_hlc = std::uint64_t(get->getColumn(0).getInt64());
            const auto b = get->getColumn(1);
            cur_origin = origin_from_blob(b.getBlob(), b.getBytes());
        }
        if (!newer(e.hlc, e.origin, cur_hlc, cur_origin))
            continue;
        auto upd = field_update(field);
        const json& v = p[field];
        if (v.is_number_integer())
            upd->bind(1, v.get<std::int64_t>());
        else if (v.is_boolean()) // has_note: stored as 0/1, as the creation writes it
            upd->bind(1, v.get<bool>() ? 1 : 0);
        else
            upd->bind(1, v.is_string() ? v.get<std::string>() : v.dump());
        upd->bind(2, num);
        upd->exec();
        auto put = stmt(
            "INSERT INTO attendee_stamps (attendee_id, field, hlc, origin) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (attendee_id, field) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin");
        put->bind(1, e.entity);
        put->bind(2, field);
        put->bind(3, std::int64_t(e.hlc));
        bind_origin(put, 4, e.origin);
        put->exec();
        changed = true;
    }
    if (changed)
        reindex(num);
}

void Projector::apply_note(const JournalEvent& e, const json& p) {
    const auto note = p.find("note");
    if (note == p.end() || !note->is_string())
        throw StoreError("note event " + std::to_string(e.seq) + " holds no note text");
    auto s = stmt("INSERT INTO attendee_notes (attendee_id, note, hlc, origin) VALUES (?1, ?2, ?3, ?4) "
                  "ON CONFLICT (attendee_id) DO UPDATE SET note = excluded.note, hlc = excluded.hlc, "
                  "origin = excluded.origin WHERE (excluded.hlc, excluded.origin) > (hlc, origin)");
    s->bind(1, e.entity);
    s->bind(2, note->get<std::string>());
    s->bind(3, std::int64_t(e.hlc));
    bind_origin(s, 4, e.origin);
    s->exec();
}

void Projector::reindex(std::int64_t num) {
    auto get = stmt("SELECT first_name, last_name, organisation, email FROM attendees WHERE num = ?");
    get->bind(1, num);
    if (!get->executeStep())
        return;
    const std::string names = search_names(get->getColumn(0).getString(), get->getColumn(1).getString());
    const std::string org = fold_text(get->getColumn(2).getString());
    const std::string email = fold_text(get->getColumn(3).getString());
    // attendee_names keeps no text of its own (shared/schema.cpp, version 10): a deletion there is
    // given the exact names it was written with, which attendee_search still holds. Unchanged names (a
    // new category, days, badge) leave it as it is.
    std::optional<std::string> old_names;
    {
        auto old = stmt("SELECT names FROM attendee_search WHERE rowid = ?");
        old->bind(1, num);
        if (old->executeStep())
            old_names = old->getColumn(0).getString();
        old->reset();
    }
    const bool names_changed = old_names != names;
    if (old_names && names_changed) {
        auto forget =
            stmt("INSERT INTO attendee_names (attendee_names, rowid, names) VALUES ('delete', ?, ?)");
        forget->bind(1, num);
        forget->bind(2, *old_names);
        forget->exec();
    }
    auto del = stmt("DELETE FROM attendee_search WHERE rowid = ?");
    del->bind(1, num);
    del->exec();
    write_search_rows(num, names, org, email, names_changed);
}

void Projector::apply_checkin(const JournalEvent& e, CheckinPayload p) {
    if (defer_days_)
        return;
    if (!batch_checkins_)
        return apply_checkin_now(e, p);
    pending_checkins_.push_back({e.entity, std::move(p), e.hlc, e.origin, e.seq});
}

namespace {
// The order in which a day keeps its first check-in, as the SQL of apply_checkin_now compares it
// (hlc as the signed integer SQLite stores, origins as bytes).
auto checkin_order(std::int64_t at, std::uint64_t hlc, const Origin& origin, std::int64_t seq) {
    return std::tuple(at, std::int64_t(hlc), origin, seq);
}
} // namespace

// The collected check-ins, set-wise (see batch_checkins()). Event by event, an undone check-in only
// counts, and a day's row is inserted or replaced by an earlier one: the same as taking each day's
// earliest check-in not undone of the run and comparing it once with the row.
void Projector::flush_checkins() {
    if (pending_checkins_.empty())
        return;
    // Processed in place and cleared at the end: the vector keeps its capacity for the next batch.
    const auto& run = pending_checkins_;
    std::map<Origin, std::pair<std::int64_t, std::int64_t>> seqs; // per origin: lowest, highest seq
    for (const auto& c : run) {
        const auto [it, fresh] = seqs.try_emplace(c.origin, c.seq, c.seq);
        if (!fresh) {
            it->second.first = std::min(it->second.first, c.seq);
            it->second.second = std::max(it->second.second, c.seq);
        }
    }
    std::set<std::pair<Origin, std::int64_t>> undone; // undos are rare: mostly empty
    for (const auto& [origin, range] : seqs) {
        auto u = stmt("SELECT target_seq FROM undos WHERE target_origin = ? AND target_seq BETWEEN ? AND ?");
        bind_origin(u, 1, origin);
        u->bind(2, range.first);
        u->bind(3, range.second);
        while (u->executeStep())
            undone.emplace(origin, u->getColumn(0).getInt64());
    }
    // Each (attendee, day)'s earliest check-in not undone, in the table's key order (string_view
    // compares bytes as SQLite's BINARY collation does).
    std::map<std::pair<std::string_view, std::string_view>, const PendingCheckin*> first;
    const bool remembered = remember_days_ && day_orders_current() && !day_orders_.empty();
    for (const auto& c : run) {
        const bool is_undone = !undone.empty() && undone.count({c.origin, c.seq});
        count_checkin(c.p.day, 1, is_undone ? 1 : 0);
        if (is_undone)
            continue;
        if (remembered) {
            // The row holds this order or an earlier one (rows only move earlier while days_raised
            // stays): this check-in changes nothing, and its row is not read.
            const auto key = day_key(c.entity, c.p.day);
            const auto known = key ? day_orders_.find(*key) : day_orders_.end();
            if (known != day_orders_.end() && !(order_of(c) < known->second))
                continue;
        }
        const auto [it, fresh] = first.try_emplace({c.entity, c.p.day}, &c);
        if (!fresh && order_of(c) < order_of(*it->second))
            it->second = &c;
    }
    const auto changes = read_day_rows(first);
    if (remember_days_)
        for (const auto& change : changes)
            learn_day_order(change.checkin->entity, change.checkin->p.day, order_of(*change.checkin));
    for (const auto& change : changes) {
        const PendingCheckin& c = *change.checkin;
        if (!change.replaces) {
            auto ins = stmt("INSERT INTO checkin_days (attendee_id, day, first_at, first_hlc, first_origin, "
                            "first_seq, first_kiosk) VALUES (?, ?, ?, ?, ?, ?, ?)");
            ins->bindNoCopy(1, c.entity);
            ins->bindNoCopy(2, c.p.day);
            ins->bind(3, c.p.at);
            ins->bind(4, std::int64_t(c.hlc));
            bind_origin(ins, 5, c.origin);
            ins->bind(6, c.seq);
            ins->bindNoCopy(7, c.p.kiosk);
            ins->exec();
            count_arrival(c.entity, c.p.day, c.p.at, c.p.kiosk, 1);
        } else {
            replace_day(c.entity, c.p, c.hlc, c.origin, c.seq, change.old_at, change.old_kiosk);
        }
    }
    pending_checkins_.clear();
}

// Which of the run's days need a write: a new row, or an earlier check-in than the row's. Most days of
// a batch already have their row (people come back, scans arrive mostly in time order), so the rows are
// read by one cursor walking forward in key order, stepping over the few rows between two wanted keys
// and seeking again only past a longer gap (a large roster), instead of one query per day. All reads
// end before the first write.
std::vector<Projector::DayChange> Projector::read_day_rows(
    const std::map<std::pair<std::string_view, std::string_view>, const PendingCheckin*>& first) {
    constexpr int kMaxSteps = 8; // rows stepped over before seeking instead
    std::vector<DayChange> out;
    if (!day_walk_)
        day_walk_ = std::make_unique<Scan>(
            db_, "SELECT attendee_id, day, first_at, first_hlc, first_origin, first_seq, first_kiosk "
                 "FROM checkin_days WHERE (attendee_id, day) >= (?, ?) ORDER BY attendee_id, day");
    Scan& walk = *day_walk_;
    struct Reset {
        Scan& s;
        ~Reset() { s.reset(); }
    } ends_read{walk};
    bool row = false, positioned = false;
    std::pair<std::string_view, std::string_view> at; // the row's key, valid until the next step
    const auto step = [&] {
        row = walk.next();
        if (row)
            at = {walk.text(0), walk.text(1)};
    };
    for (const auto& [key, c] : first) {
        int steps = 0;
        while (positioned && row && at < key && steps < kMaxSteps) {
            step();
            ++steps;
        }
        if (!positioned || (row && at < key)) {
            walk.reset();
            walk.bind_text(1, key.first);
            walk.bind_text(2, key.second);
            step();
            positioned = true;
        }
        if (!row || at != key) {
            out.push_back({c, false, 0, {}});
            continue;
        }
        const DayOrder held{walk.int64(2), walk.int64(3), walk.origin(4), walk.int64(5)};
        if (order_of(*c) < held)
            out.push_back({c, true, walk.int64(2), std::string(walk.text(6))});
        else if (remember_days_)
            learn_day_order(key.first, key.second, held);
    }
    return out;
}

Projector::DayOrder Projector::order_of(const PendingCheckin& c) {
    return checkin_order(c.p.at, c.hlc, c.origin, c.seq);
}

namespace {
// Enough for 30,000 people over three days, in under 10 MB; past it, days not yet remembered are
// read from the table as without the memory.
constexpr std::size_t kMaxRememberedDays = 100'000;
// How many times a checkin_days row moved later or went away (an undo, a rebuild), kept in the store so
// that every connection and process sees it: remembered day orders hold only while it stays the same.
constexpr const char* kDaysRaisedSql = "SELECT value FROM meta WHERE key = 'days_raised'";
void count_days_raised(SQLite::Database& db) {
    db.exec("INSERT INTO meta (key, value) VALUES ('days_raised', 1) ON CONFLICT (key) DO UPDATE SET "
            "value = value + 1");
}
} // namespace

std::optional<Projector::DayKey> Projector::day_key(std::string_view attendee, std::string_view day) {
    const auto bits = attendee_id_bits(attendee);
    if (!bits || day.size() != 10 || day[4] != '-' || day[7] != '-')
        return std::nullopt;
    std::uint32_t number = 0;
    for (std::size_t i = 0; i < day.size(); ++i) {
        if (i == 4 || i == 7)
            continue;
        if (day[i] < '0' || day[i] > '9')
            return std::nullopt;
        number = number * 10 + std::uint32_t(day[i] - '0');
    }
    return DayKey{*bits, number};
}

void Projector::learn_day_order(std::string_view attendee, std::string_view day, const DayOrder& order) {
    if (const auto key = day_key(attendee, day))
        day_orders_pending_.emplace_back(*key, order);
}

bool Projector::day_orders_current() {
    auto q = stmt(kDaysRaisedSql);
    const std::int64_t now = q->executeStep() ? q->getColumn(0).getInt64() : 0;
    if (now == day_orders_generation_)
        return true;
    day_orders_.clear();
    day_orders_pending_.clear();
    day_orders_generation_ = now;
    return false;
}

void Projector::committed() {
    if (!remember_days_)
        return;
    // An undo or rebuild in the batch just committed (or by anyone since) makes what it read stale.
    try {
        if (day_orders_current())
            for (const auto& [key, order] : day_orders_pending_) {
                const auto it = day_orders_.find(key);
                if (it != day_orders_.end())
                    it->second = order;
                else if (day_orders_.size() < kMaxRememberedDays)
                    day_orders_.emplace(key, order);
            }
    } catch (const SQLite::Exception&) {
        // The batch is committed: the merge succeeded whatever happens here. Forget, and read rows.
        day_orders_.clear();
        day_orders_generation_ = -1;
    }
    day_orders_pending_.clear();
}

// A check-in counts in its attendee's day unless its undo arrived first; the day keeps the earliest
// by (at, hlc, origin, seq), a total order, so any delivery order ends in the same row.
void Projector::apply_checkin_now(const JournalEvent& e, const CheckinPayload& p) {
    // Most merged check-ins are a person's first of the day: one INSERT, nothing read first.
    auto s = stmt("INSERT INTO checkin_days (attendee_id, day, first_at, first_hlc, first_origin, first_seq, "
                  "first_kiosk) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM undos "
                  "WHERE target_origin = ?5 AND target_seq = ?6) ON CONFLICT (attendee_id, day) DO NOTHING");
    s->bindNoCopy(1, e.entity);
    s->bindNoCopy(2, p.day);
    s->bind(3, p.at);
    s->bind(4, std::int64_t(e.hlc));
    bind_origin(s, 5, e.origin);
    s->bind(6, e.seq);
    s->bindNoCopy(7, p.kiosk);
    if (s->exec() == 1) {
        count_arrival(e.entity, p.day, p.at, p.kiosk, 1);
        count_checkin(p.day, 1, 0);
        return;
    }
    // Nothing written: this check-in is undone, or the day already has a row. The row changes only
    // when this check-in is earlier than the one it holds (rare: arrivals are mostly merged in time
    // order); else it is a duplicate.
    auto u = stmt("SELECT 1 FROM undos WHERE target_origin = ? AND target_seq = ?");
    bind_origin(u, 1, e.origin);
    u->bind(2, e.seq);
    const bool undone = u->executeStep();
    u->reset();
    count_checkin(p.day, 1, undone ? 1 : 0);
    if (undone)
        return;
    replace_if_earlier(e.entity, p, e.hlc, e.origin, e.seq);
}

// The day's row already exists: it changes only when this check-in is earlier than the one it holds.
void Projector::replace_if_earlier(const std::string& entity, const CheckinPayload& p, std::uint64_t hlc,
                                   const Origin& origin, std::int64_t seq) {
    auto get = stmt("SELECT first_at, first_kiosk FROM checkin_days WHERE attendee_id = ?1 AND day = ?2 AND "
                    "(?3, ?4, ?5, ?6) < (first_at, first_hlc, first_origin, first_seq)");
    get->bind(1, entity);
    get->bind(2, p.day);
    get->bind(3, p.at);
    get->bind(4, std::int64_t(hlc));
    bind_origin(get, 5, origin);
    get->bind(6, seq);
    if (!get->executeStep())
        return;
    const std::int64_t old_at = get->getColumn(0).getInt64();
    const std::string old_kiosk = get->getColumn(1).getString();
    get->reset();
    replace_day(entity, p, hlc, origin, seq, old_at, old_kiosk);
}

// The day's row now holds this earlier check-in instead of the one at (old_at, old_kiosk).
void Projector::replace_day(const std::string& entity, const CheckinPayload& p, std::uint64_t hlc,
                            const Origin& origin, std::int64_t seq, std::int64_t old_at,
                            const std::string& old_kiosk) {
    auto upd =
        stmt("UPDATE checkin_days SET first_at = ?3, first_hlc = ?4, first_origin = ?5, first_seq = ?6, "
             "first_kiosk = ?7 WHERE attendee_id = ?1 AND day = ?2");
    upd->bind(1, entity);
    upd->bind(2, p.day);
    upd->bind(3, p.at);
    upd->bind(4, std::int64_t(hlc));
    bind_origin(upd, 5, origin);
    upd->bind(6, seq);
    upd->bind(7, p.kiosk);
    upd->exec();
    count_arrival(entity, p.day, old_at, old_kiosk, -1);
    count_arrival(entity, p.day, p.at, p.kiosk, 1);
}

namespace {
// As the SQL of fill_arrival_and_roster_counts: a walk-in registered for that day (an empty days list:
// every day). `days` is the attendee's list between commas: ",2022-09-27,2022-09-28,".
bool walk_in_on(const std::string& source, const std::string& days, const std::string& day) {
    if (source != "walk-in")
        return false;
    const bool every_day = days.find_first_not_of(',') == std::string::npos;
    return every_day || days.find("," + day + ",") != std::string::npos;
}

std::int64_t quarter_of(std::int64_t at) {
    constexpr std::int64_t q = 15 * 60'000;
    return at / q - (at % q < 0); // floor, also before 1970; as fill_summary_tables
}
} // namespace

void Projector::count_arrival(const std::string& attendee_id, const std::string& day, std::int64_t at,
                              const std::string& kiosk, std::int64_t delta) {
    pending_arrivals_[attendee_id].push_back({day, kiosk, quarter_of(at), delta});
    if (!hold_counts_)
        flush_arrivals();
}

// The pending arrivals, by the attendee's category and walk-in as the row holds them now (the triggers
// of schema 8 move counted arrivals when it changes, so pending ones are written before any change).
void Projector::flush_arrivals() {
    using Key = std::tuple<std::string, std::int64_t, std::string, int, std::string, int>;
    std::map<Key, std::int64_t> sums;
    for (const auto& [id, deltas] : pending_arrivals_) {
        auto find = stmt("SELECT category_key, source, days FROM attendees WHERE id = ?");
        find->bind(1, id);
        const bool known = find->executeStep();
        std::string key, source, days;
        if (known) {
            key = find->getColumn(0).getString();
            source = find->getColumn(1).getString();
            days = "," + find->getColumn(2).getString() + ",";
        }
        find->reset();
        for (const auto& d : deltas) {
            const bool walk_in = known && walk_in_on(source, days, d.day);
            sums[Key{d.day, d.quarter, d.kiosk, known ? 1 : 0, key, walk_in ? 1 : 0}] += d.delta;
        }
    }
    pending_arrivals_.clear();
    for (const auto& [k, n] : sums) {
        if (n == 0)
            continue;
        auto s =
            stmt("INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, quarter, kiosk, known, category_key, "
                 "walk_in) DO UPDATE SET arrivals = arrivals + excluded.arrivals");
        s->bind(1, std::get<0>(k));
        s->bind(2, std::get<1>(k));
        s->bind(3, std::get<2>(k));
        s->bind(4, std::get<3>(k));
        s->bind(5, std::get<4>(k));
        s->bind(6, std::get<5>(k));
        s->bind(7, n);
        s->exec();
        if (n < 0) {
            auto z =
                stmt("DELETE FROM arrival_counts WHERE day = ? AND quarter = ? AND kiosk = ? AND known = ? "
                     "AND category_key = ? AND walk_in = ? AND arrivals = 0");
            z->bind(1, std::get<0>(k));
            z->bind(2, std::get<1>(k));
            z->bind(3, std::get<2>(k));
            z->bind(4, std::get<3>(k));
            z->bind(5, std::get<4>(k));
            z->bind(6, std::get<5>(k));
            z->exec();
        }
    }
}

void Projector::count_checkin(const std::string& day, std::int64_t events, std::int64_t undone) {
    auto it = pending_counts_.find(day);
    if (it == pending_counts_.end())
        it = pending_counts_.emplace(day, DayCounts{}).first;
    it->second.events += events;
    it->second.undone += undone;
    if (!hold_counts_)
        flush_counts();
}

void Projector::flush_counts() {
    flush_checkins();
    flush_arrivals();
    for (const auto& [day, c] : pending_counts_) {
        auto s = stmt("INSERT INTO checkin_counts (day, events, undone) VALUES (?, ?, ?) ON CONFLICT (day) "
                      "DO UPDATE SET events = events + excluded.events, undone = undone + excluded.undone");
        s->bind(1, day);
        s->bind(2, c.events);
        s->bind(3, c.undone);
        s->exec();
    }
    pending_counts_.clear();
}

namespace {
// The check-in an undo event's payload cancels, if it names one.
std::optional<std::pair<Origin, std::int64_t>> undo_target(const json& p) {
    const auto origin = origin_from_hex(p.value("origin", ""));
    if (!origin)
        return std::nullopt;
    return std::pair{*origin, p.value("seq", std::int64_t(0))};
}
} // namespace

void Projector::apply_undo(const JournalEvent& e, const json& p) {
    const auto named = undo_target(p);
    if (!named)
        throw StoreError("undo event " + std::to_string(e.seq) + " names no valid check-in");
    const auto& [target, target_seq] = *named;
    auto s = stmt("INSERT INTO undos (origin, seq, target_origin, target_seq) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT DO NOTHING");
    bind_origin(s, 1, e.origin);
    s->bind(2, e.seq);
    bind_origin(s, 3, target);
    s->bind(4, target_seq);
    if (s->exec() == 0 || defer_days_)
        return;
    // The cancelled check-in may not have arrived yet: then it will not count when it does.
    auto find = stmt("SELECT attendee_id, day FROM checkins WHERE origin = ? AND seq = ?");
    bind_origin(find, 1, target);
    find->bind(2, target_seq);
    if (!find->executeStep())
        return;
    const std::string attendee = find->getColumn(0).getString(), day = find->getColumn(1).getString();
    find->reset();
    // A check-in counts as undone once, however many undos name it.
    auto others = stmt("SELECT count(*) FROM undos WHERE target_origin = ? AND target_seq = ?");
    bind_origin(others, 1, target);
    others->bind(2, target_seq);
    if (others->executeStep() && others->getColumn(0).getInt64() == 1)
        count_checkin(day, 0, 1);
    others->reset();
    recount_day(attendee, day);
}

// Undos are rare: the day's summary is recomputed from its check-ins (a scan of the journal's).
void Projector::recount_day(const std::string& attendee_id, const std::string& day) {
    auto row = stmt("SELECT first_at, first_kiosk FROM checkin_days WHERE attendee_id = ? AND day = ?");
    auto count_row = [&](std::int64_t delta) {
        row->bind(1, attendee_id);
        row->bind(2, day);
        if (row->executeStep())
            count_arrival(attendee_id, day, row->getColumn(0).getInt64(), row->getColumn(1).getString(),
                          delta);
        row->reset();
    };
    count_row(-1);
    count_days_raised(db_);
    auto del = stmt("DELETE FROM checkin_days WHERE attendee_id = ? AND day = ?");
    del->bind(1, attendee_id);
    del->bind(2, day);
    del->exec();
    static const std::string sql =
        "INSERT INTO checkin_days " + checkin_days_select("attendee_id = ?1 AND day = ?2");
    auto ins = stmt(sql.c_str());
    ins->bind(1, attendee_id);
    ins->bind(2, day);
    ins->exec();
    count_row(1);
}

// The summary rows of the check-ins matching `where` (a condition on the checkins view), computed
// from scratch: used by the migration, by undos and by rebuilds.
std::string checkin_days_select(const std::string& where) {
    return "SELECT attendee_id, day, at_ms, hlc, origin, seq, kiosk FROM (SELECT *, row_number() OVER ("
           "PARTITION BY attendee_id, day ORDER BY at_ms, hlc, origin, seq) AS rank FROM checkins "
           "WHERE undone = 0 AND (" +
           where + ")) WHERE rank = 1";
}

namespace {
// As fill_summary_tables, without checkin_counts: for the schema migration and rebuilds.
void fill_roster_counts(SQLite::Database& db) {
    db.exec("INSERT INTO roster_counts (category_key, category, days, walk_in, people, reprints) "
            "SELECT category_key, category, days, source = 'walk-in', count(*), "
            "sum(max(0, CAST(badge_version AS INTEGER) - 1)) FROM attendees GROUP BY 1, 2, 3, 4");
}
void fill_arrival_and_roster_counts(SQLite::Database& db) {
    // As the triggers of schema version 8 (shared/schema.cpp) count them; write_checkins counts the
    // same in C++ (walk_in_on, quarter_of), and the merge property test compares both.
    db.exec("INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals) "
            "SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk, a.id IS NOT NULL, "
            "coalesce(a.category_key, ''), coalesce(a.source = 'walk-in' AND (replace(a.days, ',', '') = '' "
            "OR instr(',' || a.days || ',', ',' || k.day || ',') > 0), 0), count(*) "
            "FROM checkin_days k LEFT JOIN attendees a ON a.id = k.attendee_id GROUP BY 1, 2, 3, 4, 5, 6");
    fill_roster_counts(db);
}

// The check-ins' part of a rebuild, read in one pass over them in storage order (their replay order
// does not matter: a day keeps its earliest check-in not undone, whatever the order), from the
// payloads as the projector reads them: each day's first check-in, and the counts per day.
struct CheckinScan {
    struct First {
        std::int64_t at = 0, hlc = 0, seq = 0;
        Origin origin{};
        std::string kiosk;
    };
    std::unordered_map<std::string, First> first;                        // by attendee id, '\0', day
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> counts; // day: events, undone
    std::vector<const std::pair<const std::string, First>*> rows;        // `first` in key order
};

// Reads only the journal, never a projection, so it can run on its own connection while the rebuild's
// connection replays the other events: the undone check-ins are taken from the undo events themselves
// (the same pairs apply_undo puts in `undos`).
CheckinScan scan_checkins(SQLite::Database& db) {
    CheckinScan scan;
    auto& first = scan.first;
    auto& counts = scan.counts;
    using First = CheckinScan::First;
    std::set<std::pair<Origin, std::int64_t>> undone;
    {
        SQLite::Statement q(db, "SELECT payload FROM journal WHERE kind = " +
                                    std::to_string(int(EventKind::CheckInUndone)));
        while (q.executeStep()) {
            const json p = json::parse(q.getColumn(0).getString(), nullptr, false);
            if (!p.is_object())
                continue; // the replay refuses it (apply_undo) and the rebuild fails there
            if (const auto target = undo_target(p))
                undone.insert(*target);
        }
    }
    CheckinPayloadReader reader;
    SQLite::Statement q(db, "SELECT origin, seq, hlc, entity, payload FROM journal WHERE kind = 4");
    std::string key;
    while (q.executeStep()) {
        const auto b = q.getColumn(0);
        const Origin origin = origin_from_blob(b.getBlob(), b.getBytes());
        const std::int64_t seq = q.getColumn(1).getInt64();
        const auto payload = q.getColumn(4);
        const auto p = reader.read(std::string_view(payload.getText(), std::size_t(payload.getBytes())));
        if (!p)
            throw StoreError("journal event " + to_hex(origin) + "/" + std::to_string(seq) +
                             " has a malformed check-in payload");
        auto& count = counts[p->day];
        ++count.first;
        if (!undone.empty() && undone.count({origin, seq})) {
            ++count.second;
            continue;
        }
        const auto entity = q.getColumn(3);
        key.assign(entity.getText(), std::size_t(entity.getBytes()));
        key += '\0';
        key += p->day;
        const std::int64_t hlc = q.getColumn(2).getInt64();
        auto it = first.find(key);
        if (it == first.end())
            first.emplace(key, First{p->at, hlc, seq, origin, p->kiosk});
        else if (std::tie(p->at, hlc, origin, seq) <
                 std::tie(it->second.at, it->second.hlc, it->second.origin, it->second.seq))
            it->second = First{p->at, hlc, seq, origin, p->kiosk};
    }
    // Written in the table's key order: each page is filled once.
    scan.rows.reserve(first.size());
    for (const auto& row : first)
        scan.rows.push_back(&row);
    std::sort(scan.rows.begin(), scan.rows.end(), [](auto* a, auto* b) { return a->first < b->first; });
    return scan;
}

// Writes checkin_days, arrival_counts and checkin_counts from the scan, once every attendee is replayed
// (arrival_counts reads their categories).
void write_checkins(SQLite::Database& db, const CheckinScan& scan) {
    const auto& rows = scan.rows;
    using First = CheckinScan::First;
    SQLite::Statement ins(db,
                          "INSERT INTO checkin_days (attendee_id, day, first_at, first_hlc, first_origin, "
                          "first_seq, first_kiosk) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto* row : rows) {
        const std::string& k = row->first;
        const auto cut = k.find('\0');
        const First& f = row->second;
        ins.reset();
        ins.bind(1, k.substr(0, cut)); // as text: bind(const void*, int) would store a blob
        ins.bind(2, k.substr(cut + 1));
        ins.bind(3, f.at);
        ins.bind(4, f.hlc);
        ins.bind(5, f.origin.data(), int(f.origin.size()));
        ins.bind(6, f.seq);
        ins.bindNoCopy(7, f.kiosk);
        ins.exec();
    }
    // arrival_counts from the rows just written, as fill_arrival_and_roster_counts counts them, with the
    // attendees' facts read once (one join lookup and a 300,000-row sort in SQL otherwise).
    struct Facts {
        std::string category_key, source, days; // days between commas
    };
    std::unordered_map<std::string, Facts> facts;
    {
        SQLite::Statement a(db, "SELECT id, category_key, source, days FROM attendees");
        while (a.executeStep())
            facts.emplace(a.getColumn(0).getString(),
                          Facts{a.getColumn(1).getString(), a.getColumn(2).getString(),
                                "," + a.getColumn(3).getString() + ","});
    }
    using ArrivalKey =
        std::tuple<std::string_view, std::int64_t, std::string_view, int, std::string_view, int>;
    std::map<ArrivalKey, std::int64_t> arrivals;
    // The rows come in key order: a person's days follow each other, their facts are looked up once.
    std::string id;
    const Facts* f = nullptr;
    bool looked = false;
    for (const auto* row : rows) {
        const std::string_view k = row->first;
        const auto cut = k.find('\0');
        if (!looked || std::string_view(id) != k.substr(0, cut)) {
            looked = true;
            id.assign(k.substr(0, cut));
            const auto it = facts.find(id);
            f = it == facts.end() ? nullptr : &it->second;
        }
        const std::string_view day = k.substr(cut + 1);
        const bool walk_in = f && f->source == "walk-in" && walk_in_on(f->source, f->days, std::string(day));
        ++arrivals[ArrivalKey{day, quarter_of(row->second.at), row->second.kiosk, f ? 1 : 0,
                              f ? std::string_view(f->category_key) : "", walk_in ? 1 : 0}];
    }
    SQLite::Statement arrive(db,
                             "INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, "
                             "arrivals) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& [key, n] : arrivals) {
        arrive.reset();
        arrive.bind(1, std::string(std::get<0>(key)));
        arrive.bind(2, std::get<1>(key));
        arrive.bind(3, std::string(std::get<2>(key)));
        arrive.bind(4, std::get<3>(key));
        arrive.bind(5, std::string(std::get<4>(key)));
        arrive.bind(6, std::get<5>(key));
        arrive.bind(7, n);
        arrive.exec();
    }
    SQLite::Statement put(db, "INSERT INTO checkin_counts (day, events, undone) VALUES (?, ?, ?)");
    for (const auto& [day, c] : scan.counts) {
        put.reset();
        put.bind(1, day);
        put.bind(2, c.first);
        put.bind(3, c.second);
        put.exec();
    }
}
} // namespace

namespace {
// Drops the schema objects `where` selects from sqlite_master and returns their SQL, to create them
// again as they were (DDL is transactional in SQLite: a failed rebuild restores them too).
std::vector<std::string> set_aside(SQLite::Database& db, const char* where) {
    std::vector<std::pair<std::string, std::string>> objects; // DROP statement, CREATE statement
    {
        SQLite::Statement q(db, std::string("SELECT type, name, sql FROM sqlite_master WHERE ") + where);
        while (q.executeStep())
            objects.emplace_back("DROP " + q.getColumn(0).getString() + " \"" + q.getColumn(1).getString() +
                                     "\"",
                                 q.getColumn(2).getString());
    }
    std::vector<std::string> create;
    for (auto& [drop, sql] : objects) {
        db.exec(drop);
        create.push_back(std::move(sql));
    }
    return create;
}
void restore(SQLite::Database& db, const std::vector<std::string>& create) {
    for (const auto& sql : create)
        db.exec(sql);
}
} // namespace

void rebuild_projections(SQLite::Database& db) {
    WriteTransaction tx(db);
    // The search index is emptied by dropping it and creating it again: FTS5 deletes row by row, each
    // row's text tokenized again to find its index entries (most of a rebuild's time otherwise).
    restore(db, set_aside(db, "type = 'table' AND name IN ('attendee_search', 'attendee_names')"));
    // The attendee triggers keep the summary tables event by event (shared/schema.cpp, version 8); the
    // rebuild fills those from scratch at the end, so they are set aside until then (two trigger runs
    // per person otherwise: one for the DELETE below, one for the replayed creation).
    const auto triggers = set_aside(db, "type = 'trigger' AND tbl_name = 'attendees'");
    // Its indexes too (SQL NULL: the automatic index of `id`, which the replay looks people up by,
    // stays): built again after the replay by sorting, instead of an index entry placed per person
    // (a third of the replay's time with a 100,000-person roster).
    const auto indexes = set_aside(db, "type = 'index' AND tbl_name = 'attendees' AND sql IS NOT NULL");
    db.exec("DELETE FROM attendee_stamps; DELETE FROM attendees; "
            "DELETE FROM checkin_days; DELETE FROM undos; DELETE FROM event_info; DELETE FROM event_keys; "
            "DELETE FROM attendee_notes;");
    count_days_raised(db);
    // The check-ins (most of a journal) are read on a second connection while this one replays the
    // other events: a rebuild never changes the journal, and this transaction holds the write lock, so
    // both read the same journal. On two cores that takes the scan out of the rebuild's time. A
    // database in memory has no second connection: it is read here afterwards.
    const char* file = sqlite3_db_filename(db.getHandle(), "main");
    std::future<CheckinScan> checkins;
    if (file && *file)
        checkins = std::async(std::launch::async, [path = std::string(file)] {
            SQLite::Database reader(path, SQLite::OPEN_READONLY, 5000);
            return scan_checkins(reader);
        });
    Projector projector(db);
    projector.defer_checkin_days();
    projector.defer_search_index(true); // written in one pass after the replay, in row order
    // Every event but the check-ins, in the journal's order (hlc, origin, seq), as scan_journal; the
    // check-ins are not sorted: the scan takes them in any order.
    {
        SQLite::Statement q(db, "SELECT origin, seq, hlc, kind, entity, payload FROM journal WHERE kind <> 4 "
                                "ORDER BY hlc, origin, seq");
        while (q.executeStep())
            projector.apply(journal_event_from_row(q));
    }
    restore(db, indexes);
    index_new_attendees(db, 0);
    db.exec("DELETE FROM checkin_counts; DELETE FROM arrival_counts; DELETE FROM roster_counts;");
    write_checkins(db, checkins.valid() ? checkins.get() : scan_checkins(db));
    fill_roster_counts(db);
    restore(db, triggers);
    tx.commit();
}

void index_new_attendees(SQLite::Database& db, std::int64_t first_num) {
    // Read first, then written: the rows an update already indexed (a person created and updated by the
    // same import, Projector::reindex) are left out.
    struct Row {
        std::int64_t num;
        std::string names, organisation, email;
    };
    std::vector<Row> rows;
    {
        SQLite::Statement q(db, "SELECT num, first_name, last_name, organisation, email FROM attendees "
                                "WHERE num >= ?1 AND num NOT IN (SELECT rowid FROM attendee_search WHERE "
                                "rowid >= ?1) ORDER BY num");
        q.bind(1, first_num);
        while (q.executeStep())
            rows.push_back({q.getColumn(0).getInt64(),
                            search_names(q.getColumn(1).getString(), q.getColumn(2).getString()),
                            fold_text(q.getColumn(3).getString()), fold_text(q.getColumn(4).getString())});
    }
    if (rows.empty())
        return;
    // FTS5 writes its pending terms out as a new segment each time they reach `hashsize` (1 MB by
    // default), and merges segments as they pile up: 16 MB while this transaction writes them takes a
    // quarter to a third off indexing 100,000 people (`accueil-bench rebuild`). Back to the default
    // after, so that the many small transactions of a merge keep little memory.
    const auto hash_size = [&db](int bytes) {
        for (const char* sql : {"INSERT INTO attendee_search (attendee_search, rank) VALUES ('hashsize', ?)",
                                "INSERT INTO attendee_names (attendee_names, rank) VALUES ('hashsize', ?)"}) {
            SQLite::Statement set(db, sql);
            set.bind(1, bytes);
            set.exec();
        }
    };
    hash_size(16 << 20);
    SQLite::Statement ins(
        db, "INSERT INTO attendee_search (rowid, names, organisation, email) VALUES (?, ?, ?, ?)");
    SQLite::Statement ins_names(db, "INSERT INTO attendee_names (rowid, names) VALUES (?, ?)");
    for (const Row& r : rows) {
        ins.reset();
        ins.bind(1, r.num);
        ins.bindNoCopy(2, r.names);
        ins.bindNoCopy(3, r.organisation);
        ins.bindNoCopy(4, r.email);
        ins.exec();
        ins_names.reset();
        ins_names.bind(1, r.num);
        ins_names.bindNoCopy(2, r.names);
        ins_names.exec();
    }
    hash_size(1 << 20);
}

AttendeeTriggersAside::AttendeeTriggersAside(SQLite::Database& db)
    : db_(db), triggers_(set_aside(db, "type = 'trigger' AND tbl_name = 'attendees'")) {}

void AttendeeTriggersAside::finish() {
    db_.exec("DELETE FROM arrival_counts; DELETE FROM roster_counts;");
    fill_arrival_and_roster_counts(db_);
    restore(db_, triggers_);
    triggers_.clear();
}

void fill_summary_tables(SQLite::Database& db) {
    db.exec("DELETE FROM checkin_counts; DELETE FROM arrival_counts; DELETE FROM roster_counts;");
    db.exec(
        "INSERT INTO checkin_counts (day, events, undone) SELECT day, count(*), sum(undone) FROM checkins "
        "GROUP BY day");
    fill_arrival_and_roster_counts(db);
}

} // namespace accueil
