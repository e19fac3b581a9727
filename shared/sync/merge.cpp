#include "sync/merge.hpp"

#include "attendee.hpp"
#include "database.hpp"
#include "errors.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <vector>

namespace accueil::sync {

namespace {
void bind_origin(SQLite::Statement& s, int index, const Origin& o) {
    s.bind(index, o.data(), int(o.size()));
}

Origin column_origin(SQLite::Statement& q, int index) {
    const auto b = q.getColumn(index);
    return origin_from_blob(b.getBlob(), b.getBytes());
}

} // namespace

struct Merger::Impl {
    explicit Impl(Store& s)
        : store(s), inserter(s.db()), projector(s.db()),
          mark_get(s.db(), "SELECT high_water FROM sync_marks WHERE origin = ?"),
          mark_put(s.db(), "INSERT INTO sync_marks (origin, high_water) VALUES (?, ?) "
                           "ON CONFLICT (origin) DO UPDATE SET high_water = excluded.high_water"),
          after(s.db(), "SELECT seq FROM journal WHERE origin = ? AND seq > ? ORDER BY seq"),
          save_hlc(s.db(), "INSERT INTO meta (key, value) VALUES ('hlc', ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value") {
        projector.hold_counts(); // checkin_counts written once per batch, just before the commit
        projector.batch_checkins();
        projector.remember_day_orders();
    }

    // What this store holds of `origin` without a gap: its mark, or the last seq of our own origin.
    std::int64_t current_mark(const Origin& origin) {
        if (origin == store.origin())
            return next_seq(store.db(), origin) - 1;
        mark_get.reset();
        bind_origin(mark_get, 1, origin);
        const std::int64_t mark = mark_get.executeStep() ? mark_get.getColumn(0).getInt64() : 0;
        mark_get.reset();
        return mark;
    }

    // The contiguous mark of `origin`: the old one (or `at_least`), walked forward over `held` (sorted
    // seqs this batch wrote, already had, or passed over as withheld from this store), then over the
    // seqs the journal holds beyond them (events that came earlier past a gap). A batch's own seqs are
    // walked in memory: reading them back from the journal cost a step per event.
    std::int64_t advance_mark(const Origin& origin, const std::vector<std::int64_t>* held = nullptr,
                              std::int64_t at_least = 0) {
        std::int64_t mark = std::max(current_mark(origin), at_least);
        auto next = held ? std::upper_bound(held->begin(), held->end(), mark)
                         : std::vector<std::int64_t>::const_iterator{};
        const auto end = held ? held->end() : next;
        while (next != end && *next == mark + 1)
            ++mark, ++next;
        after.reset();
        bind_origin(after, 1, origin);
        after.bind(2, mark);
        bool row = after.executeStep();
        for (;;) {
            if (next != end && *next <= mark) {
                ++next;
            } else if (next != end && *next == mark + 1) {
                ++mark;
                ++next;
            } else if (row && after.getColumn(0).getInt64() == mark + 1) {
                ++mark;
                row = after.executeStep();
            } else if (row && after.getColumn(0).getInt64() <= mark) {
                row = after.executeStep();
            } else {
                break;
            }
        }
        after.reset();
        mark_put.reset();
        bind_origin(mark_put, 1, origin);
        mark_put.bind(2, mark);
        mark_put.exec();
        return mark;
    }

    Store& store;
    JournalInserter inserter;
    Projector projector;
    SQLite::Statement mark_get, mark_put, after, save_hlc;
};

Merger::Merger(Store& store) : impl_(std::make_unique<Impl>(store)) {}
Merger::~Merger() = default;

std::string payload_hash(const std::string& payload) {
    if (sodium_init() < 0)
        throw StoreError("libsodium could not start");
    unsigned char out[16];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(payload.data()),
                       payload.size(), nullptr, 0);
    return to_hex(out, sizeof out);
}

namespace {
// Kept after the rollback, in their own transaction, so organisers see every refusal (a cloned disk,
// a forged event) with its reason; bounded in size whatever is sent.
void record_refusals(Store& store, const std::vector<JournalEvent>& events,
                     const std::vector<Rejection>& rejected, const std::string& source) {
    std::map<std::pair<Origin, std::int64_t>, const JournalEvent*> by_key;
    for (const auto& e : events)
        by_key.emplace(std::pair{e.origin, e.seq}, &e);
    WriteTransaction tx(store.db());
    SQLite::Statement q(
        store.db(),
        "INSERT INTO sync_refusals (origin, seq, kind, source, reason, payload_hash, payload_size, "
        "first_ms, last_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
        "ON CONFLICT (origin, seq, source, payload_hash) DO UPDATE SET count = count + 1, "
        "last_ms = excluded.last_ms, reason = excluded.reason");
    std::size_t n = 0;
    for (const auto& x : rejected) {
        if (++n > std::size_t(kMaxRefusalRows))
            break;
        const auto it = by_key.find({x.origin, x.seq});
        const JournalEvent* e = it == by_key.end() ? nullptr : it->second;
        q.reset();
        bind_origin(q, 1, x.origin);
        q.bind(2, x.seq);
        q.bind(3, e ? int(e->kind) : 0);
        q.bind(4, source.substr(0, 200));
        q.bind(5, x.reason.substr(0, 400));
        q.bind(6, e ? payload_hash(e->payload) : std::string());
        q.bind(7, e ? std::int64_t(e->payload.size()) : std::int64_t(0));
        q.bind(8, store.wall_ms());
        q.exec();
    }
    store.db().exec("DELETE FROM sync_refusals WHERE id <= (SELECT max(id) FROM sync_refusals) - " +
                    std::to_string(kMaxRefusalRows));
    tx.commit();
}
} // namespace

MergeResult Merger::merge(const std::vector<JournalEvent>& events, const MergeOptions& options) {
    Store& store = impl_->store;
    MergeResult r;
    r.received = events.size();
    bool event_changed = false;
    {
        WriteTransaction tx(store.db());
        impl_->projector.discard_counts(); // whatever a batch that threw left
        const std::uint64_t clock_before = store.clock().last();
        Admission door(store, {options.channel, options.sender, options.guard_clock});
        const Role here = own_role(store);
        // Per origin, the seqs now held for the marks: written, already known, or withheld from this
        // store (never to be written here).
        std::map<Origin, std::vector<std::int64_t>> held;
        std::map<Origin, std::int64_t> marks; // each origin's mark when the batch began
        for (const auto& e : events) {
            auto mark = marks.find(e.origin);
            if (mark == marks.end())
                mark = marks.emplace(e.origin, impl_->current_mark(e.origin)).first;
            // Each event passes the door before it is written; once one is refused nothing more is
            // written (the transaction rolls back), but the rest are still checked, so the sender
            // learns every refusal of the batch at once.
            if (auto why = options.admitted_upstream ? std::nullopt : door.check(e, mark->second)) {
                r.rejected.push_back({e.origin, e.seq, std::move(*why)});
                continue;
            }
            if (!r.rejected.empty())
                continue;
            // A kiosk never keeps a note's text, whoever sends it (a central bundle, an older server):
            // the event is passed over, and its seq counted as held for the marks.
            if (withheld_from(here, e.kind)) {
                held[e.origin].push_back(e.seq);
                continue;
            }
            try {
                if (impl_->inserter.insert(e)) {
                    if (const CheckinPayload* read =
                            options.admitted_upstream ? nullptr : door.admitted_checkin())
                        impl_->projector.apply_checkin(e, *read);
                    else
                        impl_->projector.apply(e);
                    if (e.hlc <= options.trusted_until)
                        store.clock().restore(e.hlc);
                    else
                        store.clock().receive(e.hlc);
                    door.written(e);
                    event_changed = event_changed || e.kind == EventKind::EventDefined;
                    ++r.applied;
                } else {
                    ++r.already_known;
                }
                held[e.origin].push_back(e.seq);
            } catch (const StoreError& err) {
                const bool conflict = std::string_view(err.what()).starts_with("journal conflict");
                r.rejected.push_back(
                    {e.origin, e.seq, std::string(conflict ? "conflict: " : "malformed: ") + err.what()});
            } catch (const SQLite::Exception&) {
                throw; // the store itself failing (disk full, I/O): nothing committed, the sender retries
            } catch (const std::exception& err) {
                // A payload the door let through but the projection cannot read is still refused,
                // never a crash: the batch rolls back.
                r.rejected.push_back({e.origin, e.seq, std::string("malformed: ") + err.what()});
            }
        }
        if (!r.rejected.empty()) {
            r.applied = r.already_known = 0;
            impl_->projector.discard_counts();
            // Leaving the scope rolls everything back: the batch is refused whole.
        } else {
            for (const auto& [o, before] : marks) {
                (void)before;
                auto h = held.find(o);
                if (h != held.end())
                    std::sort(h->second.begin(), h->second.end());
                r.marks[o] = impl_->advance_mark(o, h == held.end() ? nullptr : &h->second);
            }
            if (options.channel == Channel::Pull)
                for (const auto& [o, through] : options.covered)
                    if (o != store.origin() && through > impl_->current_mark(o))
                        r.marks[o] = impl_->advance_mark(o, nullptr, through);
            if (store.clock().last() != clock_before) {
                impl_->save_hlc.reset();
                impl_->save_hlc.bind(1, std::int64_t(store.clock().last()));
                impl_->save_hlc.exec();
            }
            impl_->projector.flush_counts();
            if (options.before_commit)
                options.before_commit();
            tx.commit();
            impl_->projector.committed();
        }
    }
    if (event_changed && r.ok())
        store.reload_event();
    if (!r.rejected.empty())
        record_refusals(store, events, r.rejected, options.source);
    return r;
}

MergeResult merge_events(Store& store, const std::vector<JournalEvent>& events, const MergeOptions& options) {
    Merger m(store);
    return m.merge(events, options);
}

VersionVector local_vector(Store& store) {
    VersionVector v;
    SQLite::Statement q(store.db(), "SELECT origin, high_water FROM sync_marks");
    while (q.executeStep())
        v[column_origin(q, 0)] = q.getColumn(1).getInt64();
    // Our own origin is gapless (single local writer): its mark is its last seq.
    const std::int64_t own = next_seq(store.db(), store.origin()) - 1;
    auto& mine = v[store.origin()];
    mine = std::max(mine, own);
    return v;
}

bool withheld_from(Role receiver, EventKind kind) {
    return receiver == Role::Kiosk && kind == EventKind::NoteSet;
}

std::vector<JournalEvent> events_missing(Store& store, const VersionVector& theirs, std::size_t limit,
                                         bool& more, const std::optional<Origin>& exclude) {
    auto batch = events_for_peer(store, theirs, limit, Role::Central, exclude);
    more = batch.more;
    return std::move(batch.events);
}

PeerBatch events_for_peer(const Origin& self, const VersionVector& local, const JournalRows& rows,
                          const VersionVector& theirs, std::size_t limit, Role receiver,
                          const std::optional<Origin>& exclude) {
    PeerBatch batch;
    auto& out = batch.events;
    bool& more = batch.more;
    // Our own origin first: a new kiosk needs the event, its keys and the roster before the check-ins
    // of other devices can be checked against them.
    std::vector<Origin> order{self};
    for (const auto& [origin, mine] : local) {
        (void)mine;
        if (origin != self)
            order.push_back(origin);
    }
    for (const auto& origin : order) {
        if (exclude && *exclude == origin)
            continue;
        const auto it = theirs.find(origin);
        const std::int64_t from = it == theirs.end() ? 0 : it->second;
        if (out.size() >= limit) {
            more = true;
            break;
        }
        std::int64_t contiguous = from; // every seq up to it is sent, withheld or below `from`
        bool gap = false, withheld = false;
        // Withheld rows are stepped over; the walk stops at the first row past `limit`.
        rows(origin, from, [&](JournalEvent&& e) {
            const bool keep = !withheld_from(receiver, e.kind);
            if (keep && out.size() >= limit) {
                more = true;
                return false;
            }
            gap = gap || e.seq != contiguous + 1;
            if (!gap)
                contiguous = e.seq;
            if (keep)
                out.push_back(std::move(e));
            else
                withheld = true;
            return true;
        });
        if (withheld && contiguous > from)
            batch.covered[origin] = contiguous;
    }
    return batch;
}

PeerBatch events_for_peer(Store& store, const VersionVector& theirs, std::size_t limit, Role receiver,
                          const std::optional<Origin>& exclude) {
    SQLite::Statement q(store.db(), "SELECT origin, seq, hlc, kind, entity, payload FROM journal "
                                    "WHERE origin = ? AND seq > ? ORDER BY seq");
    const JournalRows rows = [&q](const Origin& origin, std::int64_t after,
                                  const std::function<bool(JournalEvent &&)>& visit) {
        q.reset();
        bind_origin(q, 1, origin);
        q.bind(2, after);
        while (q.executeStep())
            if (!visit(journal_event_from_row(q)))
                break;
        q.reset();
    };
    return events_for_peer(store.origin(), local_vector(store), rows, theirs, limit, receiver, exclude);
}

namespace {
// Unacknowledged, not dead-lettered events: the agent's and `export`'s selection.
constexpr const char* kUnackedWhere =
    "FROM journal j WHERE j.origin = ?1 AND j.seq > coalesce((SELECT high_water FROM sync_acked a "
    "WHERE a.origin = ?1), 0) AND NOT EXISTS (SELECT 1 FROM sync_dead_letters d WHERE d.origin = j.origin "
    "AND d.seq = j.seq)";
} // namespace

std::vector<JournalEvent> unacked_events(Store& store, std::size_t limit) {
    std::vector<JournalEvent> out;
    SQLite::Statement q(store.db(), std::string("SELECT origin, seq, hlc, kind, entity, payload ") +
                                        kUnackedWhere + " ORDER BY j.seq LIMIT ?2");
    // Only this store's own events: a device sends only its own (the door refuses the rest), and what
    // it holds of others came from the server, or goes back to it through their own devices.
    bind_origin(q, 1, store.origin());
    q.bind(2, std::int64_t(limit));
    while (q.executeStep())
        out.push_back(journal_event_from_row(q));
    return out;
}

std::int64_t count_unacked(Store& store) {
    SQLite::Statement q(store.db(), std::string("SELECT count(*) ") + kUnackedWhere);
    bind_origin(q, 1, store.origin());
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void raise_acked(SQLite::Database& db, const VersionVector& acked) {
    SQLite::Statement q(db, "INSERT INTO sync_acked (origin, high_water) VALUES (?, ?) ON CONFLICT (origin) "
                            "DO UPDATE SET high_water = max(high_water, excluded.high_water)");
    for (const auto& [origin, mark] : acked) {
        q.reset();
        bind_origin(q, 1, origin);
        q.bind(2, mark);
        q.exec();
    }
}

void reset_acked(SQLite::Database& db) {
    db.exec("DELETE FROM sync_acked");
}

void add_dead_letters(SQLite::Database& db, const std::vector<Rejection>& rejected, std::int64_t now_ms) {
    SQLite::Statement q(db, "INSERT INTO sync_dead_letters (origin, seq, reason, at_ms) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT DO NOTHING");
    for (const auto& x : rejected) {
        q.reset();
        bind_origin(q, 1, x.origin);
        q.bind(2, x.seq);
        q.bind(3, x.reason);
        q.bind(4, now_ms);
        q.exec();
    }
}

std::vector<DeadLetter> dead_letters(SQLite::Database& db) {
    std::vector<DeadLetter> out;
    SQLite::Statement q(
        db, "SELECT d.origin, d.seq, d.reason, d.at_ms, j.kind, j.entity FROM sync_dead_letters d "
            "LEFT JOIN journal j ON j.origin = d.origin AND j.seq = d.seq ORDER BY d.at_ms, d.seq");
    while (q.executeStep()) {
        DeadLetter d;
        d.origin = column_origin(q, 0);
        d.seq = q.getColumn(1).getInt64();
        d.reason = q.getColumn(2).getString();
        d.at_ms = q.getColumn(3).getInt64();
        d.kind = q.getColumn(4).isNull() ? "?" : to_string(EventKind(q.getColumn(4).getInt()));
        d.entity = q.getColumn(5).isNull() ? "" : q.getColumn(5).getString();
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<Refusal> refusals(SQLite::Database& db) {
    std::vector<Refusal> out;
    SQLite::Statement q(
        db, "SELECT origin, seq, kind, source, reason, payload_hash, payload_size, first_ms, last_ms, "
            "count FROM sync_refusals ORDER BY id");
    while (q.executeStep()) {
        Refusal x;
        x.origin = column_origin(q, 0);
        x.seq = q.getColumn(1).getInt64();
        x.kind = to_string(EventKind(q.getColumn(2).getInt()));
        x.source = q.getColumn(3).getString();
        x.reason = q.getColumn(4).getString();
        x.payload_hash = q.getColumn(5).getString();
        x.payload_size = q.getColumn(6).getInt64();
        x.first_ms = q.getColumn(7).getInt64();
        x.last_ms = q.getColumn(8).getInt64();
        x.count = q.getColumn(9).getInt();
        out.push_back(std::move(x));
    }
    return out;
}

void add_duplicate_scan(std::vector<DuplicateCheckin>& out, const std::string& attendee_id,
                        const std::string& day, const std::string& device, std::int64_t at_ms,
                        const std::function<std::string()>& name) {
    if (out.empty() || out.back().attendee_id != attendee_id || out.back().day != day) {
        DuplicateCheckin d;
        d.attendee_id = attendee_id;
        d.day = day;
        d.full_name = name();
        out.push_back(std::move(d));
    }
    DuplicateCheckin& d = out.back();
    d.scans.push_back({device, at_ms});
    ++d.count;
    if (std::none_of(d.scans.begin(), d.scans.end() - 1, [&](const auto& s) { return s.device == device; }))
        d.kiosks += (d.kiosks.empty() ? "" : ", ") + device;
}

std::vector<DuplicateCheckin> duplicate_checkins(SQLite::Database& db) {
    std::vector<DuplicateCheckin> out;
    // Every active check-in of those people and days, so organisers read who, where and when.
    SQLite::Statement q(
        db,
        "SELECT c.attendee_id, c.day, c.kiosk, c.at_ms FROM checkins c JOIN (SELECT attendee_id, day FROM "
        "checkins WHERE undone = 0 GROUP BY attendee_id, day HAVING count(*) > 1) d ON d.attendee_id = "
        "c.attendee_id AND d.day = c.day WHERE c.undone = 0 ORDER BY c.day, c.attendee_id, c.at_ms, c.hlc");
    while (q.executeStep()) {
        const std::string id = q.getColumn(0).getString();
        add_duplicate_scan(out, id, q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getInt64(), [&] {
                               const auto a = load_attendee(db, id);
                               return a ? a->full_name() : std::string();
                           });
    }
    return out;
}

} // namespace accueil::sync
