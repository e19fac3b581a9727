#include "pg_central.hpp"

#include "attendee.hpp"
#include "badge/event_keys.hpp"
#include "i18n/catalogue.hpp"
#include "ids.hpp"
#include "pg_devices.hpp"
#include "pg_schema.hpp"

#include <algorithm>
#include <cstring>
#include <set>

namespace accueil::pg {

using sync::MergeResult;
using sync::Rejection;

namespace {

// A text[] literal of items without special characters (hex, digits): no quoting needed.
std::string text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (const auto& i : items)
        out += (out.size() > 1 ? "," : "") + i;
    return out + "}";
}

// The advisory lock of an origin: its first eight bytes (random), as PostgreSQL's bigint key.
std::int64_t lock_key(const Origin& o) {
    std::int64_t k = 0;
    std::memcpy(&k, o.data(), sizeof k);
    return k;
}

Origin origin_in(const Result& r, int row, int col) {
    const auto o = origin_from_hex(r.text(row, col));
    if (!o)
        throw PgError("the PostgreSQL store holds a malformed origin");
    return *o;
}

// The words of the SQLite journal's refusal (shared/journal.cpp), so organisers and kiosks read the
// same whichever store answered.
std::string conflict_reason(const std::string& origin_hex, const std::string& seq) {
    return "conflict: journal conflict: event " + origin_hex + "/" + seq +
           " already stored with different content (a cloned or restored database?)";
}

} // namespace

void append_copy_row(std::string& out, const JournalEvent& e) {
    append_copy_text(out, bytea_text(e.origin.data(), e.origin.size()));
    out += '\t';
    out += std::to_string(e.seq);
    out += '\t';
    out += std::to_string(std::int64_t(e.hlc));
    out += '\t';
    out += std::to_string(int(e.kind));
    out += '\t';
    append_copy_text(out, e.entity);
    out += '\t';
    append_copy_text(out, e.payload);
    out += '\n';
}

Result differing_rows(Connection& c, const std::string& staging, bool first_only) {
    return c.exec(
        "SELECT encode(s.origin, 'hex'), s.seq FROM " + staging +
        " s JOIN journal j USING (origin, seq) WHERE (j.hlc, j.kind, j.entity, j.payload) IS DISTINCT "
        "FROM (s.hlc, s.kind, s.entity, s.payload)" +
        (first_only ? " LIMIT 1" : ""));
}

PgCentral::PgCentral(Connection conn, Origin origin, WallClock wall, std::uint64_t hlc)
    : conn_(std::move(conn)), origin_(origin), wall_(wall), clock_(wall, hlc) {}

PgCentral PgCentral::open(const std::string& url, WallClock wall) {
    Connection c = Connection::open(url);
    ensure_schema(c);
    const auto r = c.exec("SELECT key, value FROM accueil_meta WHERE key IN ('origin', 'hlc') ORDER BY key");
    std::optional<Origin> origin;
    std::uint64_t hlc = 0;
    for (int i = 0; i < r.rows(); ++i) {
        if (r.text(i, 0) == "origin")
            origin = origin_from_hex(r.text(i, 1));
        else
            hlc = std::uint64_t(r.int64(i, 1));
    }
    if (!origin)
        throw InputError("", i18n::tr("pg.no_store", {{"url", c.url()}}));
    // Each batch is loaded here, then compared and inserted; emptied at each commit.
    c.exec("CREATE TEMP TABLE merge_staging (LIKE journal) ON COMMIT DELETE ROWS");
    return PgCentral(std::move(c), *origin, std::move(wall), hlc);
}

std::map<Origin, sync::Peer> PgCentral::peers() {
    std::map<Origin, sync::Peer> out;
    const auto r = conn_.exec(
        "SELECT encode(p.origin, 'hex'), p.role, p.name, coalesce(encode(p.device_key, 'hex'), ''), "
        "EXISTS (SELECT 1 FROM sync_devices d WHERE d.origin = p.origin AND d.revoked_ms IS NOT NULL) "
        "FROM sync_peers p");
    for (int i = 0; i < r.rows(); ++i) {
        sync::Peer p;
        p.role = sync::role_from_string(r.text(i, 1)).value_or(sync::Role::Kiosk);
        p.name = r.text(i, 2);
        p.key = public_key_from_hex(r.text(i, 3));
        p.revoked = r.text(i, 4) == "t";
        out[origin_in(r, i, 0)] = std::move(p);
    }
    out[origin_] = sync::Peer{sync::Role::Central, "", std::nullopt};
    return out;
}

sync::DoorFacts PgCentral::door_facts(std::set<std::pair<Origin, std::int64_t>> held) {
    sync::DoorFacts f;
    f.self = origin_;
    f.own_last = own_last();
    f.peers = peers();
    const auto event = conn_.exec("SELECT uid, name, timezone, days FROM event_info WHERE id = 1");
    if (event.rows()) {
        f.event.uid = event.text(0, 0);
        f.event.name = event.text(0, 1);
        f.event.timezone = event.text(0, 2);
        f.event.days = event_days_from_json(event.text(0, 3));
    }
    const auto keys = conn_.exec("SELECT encode(public_key, 'hex'), label, added_ms FROM event_keys");
    for (int i = 0; i < keys.rows(); ++i) {
        const auto k = public_key_from_hex(keys.text(i, 0));
        if (!k)
            continue;
        EventKey key;
        key.public_key = *k;
        key.key_id = key_id_of(*k);
        key.label = keys.text(i, 1);
        key.added_ms = keys.int64(i, 2);
        f.keys.push_back(std::move(key));
    }
    f.clock_trusts = [this](std::uint64_t stamp) { return clock_.trusted(stamp); };
    f.held = [held = std::move(held)](const JournalEvent& e) { return held.count({e.origin, e.seq}) > 0; };
    // No reload: on the central store only its own origin defines the event and its keys, and those
    // events are held already (migrate brings them with event_info and event_keys).
    return f;
}

MergeResult PgCentral::merge(const std::vector<JournalEvent>& events, const sync::MergeOptions& options) {
    MergeResult r;
    r.received = events.size();
    std::set<Origin> origins;
    for (const auto& e : events)
        origins.insert(e.origin);
    {
        Transaction tx(conn_);
        // In a fixed order, so two servers taking the same origins never wait on each other in a circle.
        for (const auto& o : origins)
            conn_.exec("SELECT pg_advisory_xact_lock($1::bigint)", {std::to_string(lock_key(o))});
        std::vector<std::string> hexes;
        for (const auto& o : origins)
            hexes.push_back(to_hex(o));
        std::map<Origin, std::int64_t> marks;
        const auto stored =
            conn_.exec("SELECT encode(origin, 'hex'), high_water FROM sync_marks WHERE origin IN "
                       "(SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)",
                       {text_array(hexes)});
        for (int i = 0; i < stored.rows(); ++i)
            marks[origin_in(stored, i, 0)] = stored.int64(i, 1);
        // Which events at or under their origin's mark the journal holds: one query for the batch.
        std::vector<std::string> held_origins, held_seqs;
        for (const auto& e : events)
            if (e.origin != origin_ && e.seq <= marks[e.origin]) {
                held_origins.push_back(to_hex(e.origin));
                held_seqs.push_back(std::to_string(e.seq));
            }
        std::set<std::pair<Origin, std::int64_t>> held;
        if (!held_origins.empty()) {
            const auto found = conn_.exec(
                "SELECT encode(j.origin, 'hex'), j.seq FROM journal j JOIN unnest($1::text[], $2::bigint[]) "
                "AS b(o, s) ON j.origin = decode(b.o, 'hex') AND j.seq = b.s",
                {text_array(held_origins), text_array(held_seqs)});
            for (int i = 0; i < found.rows(); ++i)
                held.insert({origin_in(found, i, 0), found.int64(i, 1)});
        }
        // Events the journal may hold already: the batch cannot go straight in.
        const bool held_any = !held.empty() || origins.count(origin_) > 0;
        auto facts = door_facts(std::move(held));
        marks[origin_] = facts.own_last;
        sync::Admission door(std::move(facts), {options.channel, options.sender, options.guard_clock});
        // Every event is checked, so the sender learns every refusal of the batch at once.
        std::map<std::pair<Origin, std::int64_t>, const JournalEvent*> unique;
        std::string rows;
        for (const auto& e : events) {
            if (auto why = door.check(e, marks[e.origin])) {
                r.rejected.push_back({e.origin, e.seq, std::move(*why)});
                continue;
            }
            const auto [at, fresh] = unique.emplace(std::pair{e.origin, e.seq}, &e);
            if (fresh)
                append_copy_row(rows, e);
            else if (!(*at->second == e))
                r.rejected.push_back(
                    {e.origin, e.seq, conflict_reason(to_hex(e.origin), std::to_string(e.seq))});
        }
        // A batch of new events goes straight into the journal with COPY, as fast as PostgreSQL takes
        // rows. One that holds events already there (a repeat after a lost answer, a clone) goes
        // through a staging table: inserted with ON CONFLICT DO NOTHING, then, only when some rows
        // were there, compared with what the journal holds; a difference rolls everything back.
        if (r.rejected.empty() && !rows.empty()) {
            bool direct = !held_any;
            if (direct) {
                conn_.exec("SAVEPOINT direct");
                try {
                    conn_.copy_in("COPY journal FROM STDIN", rows);
                    conn_.exec("RELEASE SAVEPOINT direct");
                    r.applied = unique.size();
                } catch (const PgError& e) {
                    if (e.sqlstate != "23505") // only "already there" sends the batch the other way
                        throw;
                    conn_.exec("ROLLBACK TO SAVEPOINT direct");
                    direct = false;
                }
            }
            if (!direct) {
                conn_.copy_in("COPY merge_staging FROM STDIN", rows);
                r.applied = std::size_t(
                    conn_.exec("INSERT INTO journal SELECT * FROM merge_staging ON CONFLICT DO NOTHING")
                        .affected());
                if (r.applied < unique.size()) {
                    const auto differ = differing_rows(conn_, "merge_staging");
                    for (int i = 0; i < differ.rows(); ++i)
                        r.rejected.push_back({origin_in(differ, i, 0), differ.int64(i, 1),
                                              conflict_reason(differ.text(i, 0), differ.text(i, 1))});
                }
            }
        }
        if (r.rejected.empty()) {
            r.already_known = events.size() - r.applied;
            // Each origin's contiguous run past its mark: seq minus its rank stays equal to the mark
            // exactly as long as no seq is missing.
            for (const auto& o : origins) {
                if (o == origin_) {
                    r.marks[o] = marks[o];
                    continue;
                }
                const std::int64_t run =
                    conn_
                        .exec("SELECT count(*) FROM (SELECT seq - row_number() OVER (ORDER BY seq) AS g "
                              "FROM journal WHERE origin = decode($1, 'hex') AND seq > $2) t WHERE g = $2",
                              {to_hex(o), std::to_string(marks[o])})
                        .int64(0, 0);
                r.marks[o] = marks[o] + run;
                conn_.exec("INSERT INTO sync_marks (origin, high_water) VALUES (decode($1, 'hex'), $2) "
                           "ON CONFLICT (origin) DO UPDATE SET high_water = excluded.high_water",
                           {to_hex(o), std::to_string(r.marks[o])});
            }
            const std::uint64_t clock_before = clock_.last();
            for (const auto& e : events)
                if (e.hlc <= options.trusted_until)
                    clock_.restore(e.hlc);
                else
                    clock_.receive(e.hlc);
            if (clock_.last() != clock_before)
                save_clock();
            if (options.before_commit)
                options.before_commit();
            tx.commit();
        }
    }
    if (!r.rejected.empty()) {
        r.applied = r.already_known = 0;
        record_refusals(events, r.rejected, options.source);
    }
    return r;
}

// As on SQLite (shared/sync/merge.cpp): after the rollback, in a transaction of their own, bounded.
void PgCentral::record_refusals(const std::vector<JournalEvent>& events,
                                const std::vector<Rejection>& rejected, const std::string& source) {
    std::map<std::pair<Origin, std::int64_t>, const JournalEvent*> by_key;
    for (const auto& e : events)
        by_key.emplace(std::pair{e.origin, e.seq}, &e);
    Transaction tx(conn_);
    std::size_t n = 0;
    const std::string now = std::to_string(wall_());
    for (const auto& x : rejected) {
        if (++n > std::size_t(sync::kMaxRefusalRows))
            break;
        const auto it = by_key.find({x.origin, x.seq});
        const JournalEvent* e = it == by_key.end() ? nullptr : it->second;
        conn_.exec(
            "INSERT INTO sync_refusals (origin, seq, kind, source, reason, payload_hash, payload_size, "
            "first_ms, last_ms) VALUES (decode($1, 'hex'), $2, $3, $4, $5, $6, $7, $8, $8) "
            "ON CONFLICT (origin, seq, source, payload_hash) DO UPDATE SET count = sync_refusals.count + 1, "
            "last_ms = excluded.last_ms, reason = excluded.reason",
            {to_hex(x.origin), std::to_string(x.seq), std::to_string(e ? int(e->kind) : 0),
             source.substr(0, 200), x.reason.substr(0, 400), e ? sync::payload_hash(e->payload) : "",
             std::to_string(e ? e->payload.size() : 0), now});
    }
    conn_.exec("DELETE FROM sync_refusals WHERE id <= (SELECT max(id) FROM sync_refusals) - " +
               std::to_string(sync::kMaxRefusalRows));
    tx.commit();
}

sync::VersionVector PgCentral::vector() {
    sync::VersionVector v;
    const auto r = conn_.exec("SELECT encode(origin, 'hex'), high_water FROM sync_marks");
    for (int i = 0; i < r.rows(); ++i)
        v[origin_in(r, i, 0)] = r.int64(i, 1);
    auto& mine = v[origin_];
    mine = std::max(mine, own_last());
    return v;
}

// Never lowered: several servers share the row, each with its own clock.
void PgCentral::save_clock() {
    conn_.exec("INSERT INTO accueil_meta (key, value) VALUES ('hlc', $1) ON CONFLICT (key) DO UPDATE SET "
               "value = greatest(accueil_meta.value::bigint, excluded.value::bigint)::text",
               {std::to_string(std::int64_t(clock_.last()))});
}

JournalEvent PgCentral::append_own(EventKind kind, const std::string& entity, const std::string& payload) {
    conn_.exec("SELECT pg_advisory_xact_lock($1::bigint)", {std::to_string(lock_key(origin_))});
    if (const auto stored = meta("hlc"))
        clock_.restore(std::uint64_t(std::stoll(*stored)));
    JournalEvent e;
    e.origin = origin_;
    e.seq = own_last() + 1;
    e.hlc = clock_.now();
    e.kind = kind;
    e.entity = entity;
    e.payload = payload;
    conn_.exec("INSERT INTO journal (origin, seq, hlc, kind, entity, payload) VALUES (decode($1, 'hex'), $2, "
               "$3, $4, $5, $6)",
               {to_hex(origin_), std::to_string(e.seq), std::to_string(std::int64_t(e.hlc)),
                std::to_string(int(kind)), entity, payload});
    save_clock();
    return e;
}

std::optional<std::string> PgCentral::meta(const std::string& key) {
    const auto r = conn_.exec("SELECT value FROM accueil_meta WHERE key = $1", {key});
    return r.rows() ? std::optional(r.text(0, 0)) : std::nullopt;
}

std::string PgCentral::meta_once(const std::string& key, const std::string& value) {
    conn_.exec("INSERT INTO accueil_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
               {key, value});
    return meta(key).value_or(value);
}

void PgCentral::set_meta(const std::string& key, const std::string& value) {
    conn_.exec("INSERT INTO accueil_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET "
               "value = excluded.value",
               {key, value});
}

bool PgCentral::reconnect_if_lost() {
    if (!conn_.lost())
        return false;
    conn_.reset();
    conn_.exec("CREATE TEMP TABLE IF NOT EXISTS merge_staging (LIKE journal) ON COMMIT DELETE ROWS");
    return true;
}

sync::PeerBatch PgCentral::events_for_peer(const sync::VersionVector& theirs, std::size_t limit,
                                           sync::Role receiver, const std::optional<Origin>& exclude) {
    // In pages, so a kiosk catching up on a long journal never has it read whole into memory.
    const sync::JournalRows rows = [this](const Origin& origin, std::int64_t after,
                                          const std::function<bool(JournalEvent &&)>& visit) {
        constexpr int kPage = 500;
        for (;;) {
            const auto r = conn_.exec("SELECT seq, hlc, kind, entity, payload FROM journal WHERE origin = "
                                      "decode($1, 'hex') AND seq > $2 ORDER BY seq LIMIT " +
                                          std::to_string(kPage),
                                      {to_hex(origin), std::to_string(after)});
            for (int i = 0; i < r.rows(); ++i) {
                JournalEvent e;
                e.origin = origin;
                e.seq = r.int64(i, 0);
                e.hlc = std::uint64_t(r.int64(i, 1));
                e.kind = EventKind(r.int64(i, 2));
                e.entity = r.text(i, 3);
                e.payload = r.text(i, 4);
                after = e.seq;
                if (!visit(std::move(e)))
                    return;
            }
            if (r.rows() < kPage)
                return;
        }
    };
    return sync::events_for_peer(origin_, vector(), rows, theirs, limit, receiver, exclude);
}

std::int64_t PgCentral::own_last() {
    return conn_
        .exec("SELECT coalesce(max(seq), 0) FROM journal WHERE origin = decode($1, 'hex')", {to_hex(origin_)})
        .int64(0, 0);
}

std::vector<sync::Refusal> PgCentral::refusals() {
    std::vector<sync::Refusal> out;
    const auto r =
        conn_.exec("SELECT encode(origin, 'hex'), seq, kind, source, reason, payload_hash, payload_size, "
                   "first_ms, last_ms, count FROM sync_refusals ORDER BY id");
    for (int i = 0; i < r.rows(); ++i) {
        sync::Refusal x;
        x.origin = origin_in(r, i, 0);
        x.seq = r.int64(i, 1);
        x.kind = to_string(EventKind(r.int64(i, 2)));
        x.source = r.text(i, 3);
        x.reason = r.text(i, 4);
        x.payload_hash = r.text(i, 5);
        x.payload_size = r.int64(i, 6);
        x.first_ms = r.int64(i, 7);
        x.last_ms = r.int64(i, 8);
        x.count = int(r.int64(i, 9));
        out.push_back(std::move(x));
    }
    return out;
}

std::vector<sync::Device> PgCentral::devices() {
    return PgDeviceTable(*this).all();
}

bool PgCentral::revoke(const std::string& name) {
    return conn_
               .exec("UPDATE sync_devices SET revoked_ms = $1, enrol_hash = NULL WHERE name = $2 AND "
                     "revoked_ms IS NULL",
                     {std::to_string(wall_()), name})
               .affected() == 1;
}

std::vector<sync::DuplicateCheckin> PgCentral::duplicate_checkins() {
    // As on SQLite (shared/sync/merge.cpp), from the journal itself: the check-ins no undo names.
    const auto r = conn_.exec(
        "WITH undone AS ("
        "  SELECT decode(payload::jsonb->>'origin', 'hex') AS origin, (payload::jsonb->>'seq')::bigint AS seq"
        "  FROM journal WHERE kind = 5), "
        "active AS ("
        "  SELECT j.entity AS attendee_id, j.payload::jsonb->>'day' AS day, j.payload::jsonb->>'kiosk' AS "
        "kiosk,"
        "         (j.payload::jsonb->>'at')::bigint AS at_ms, j.hlc"
        "  FROM journal j WHERE j.kind = 4"
        "  AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.origin = j.origin AND u.seq = j.seq)), "
        "dup AS (SELECT attendee_id, day FROM active GROUP BY attendee_id, day HAVING count(*) > 1) "
        "SELECT a.attendee_id, a.day, a.kiosk, a.at_ms FROM active a JOIN dup USING (attendee_id, day) "
        "ORDER BY a.day, a.attendee_id, a.at_ms, a.hlc");
    std::vector<sync::DuplicateCheckin> out;
    for (int i = 0; i < r.rows(); ++i) {
        const std::string id = r.text(i, 0);
        sync::add_duplicate_scan(out, id, r.text(i, 1), r.text(i, 2), r.int64(i, 3),
                                 [&] { return full_name(id); });
    }
    return out;
}

// A person's name as their journal events last set it (last writer by stamp, then origin, as the
// SQLite projection decides); "" for someone the journal does not know.
std::string PgCentral::full_name(const std::string& attendee_id) {
    const auto r = conn_.exec(
        "SELECT payload::jsonb->>'first_name', payload::jsonb->>'last_name', payload::jsonb ? 'first_name', "
        "payload::jsonb ? 'last_name' FROM journal WHERE entity = $1 AND kind IN (2, 3) ORDER BY hlc, origin",
        {attendee_id});
    Attendee a;
    for (int i = 0; i < r.rows(); ++i) {
        if (r.text(i, 2) == "t")
            a.first_name = r.text(i, 0);
        if (r.text(i, 3) == "t")
            a.last_name = r.text(i, 1);
    }
    return a.full_name();
}

std::string PgCentral::timezone() {
    const auto r = conn_.exec("SELECT timezone FROM event_info WHERE id = 1");
    return r.rows() ? r.text(0, 0) : "";
}

} // namespace accueil::pg
