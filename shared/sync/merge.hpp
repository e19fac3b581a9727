#pragma once
// The merge: applies a batch of journal events from elsewhere in one transaction,
// idempotent on (origin, seq) and independent of delivery order, and advances each origin's
// contiguous high-water mark in that same transaction. The server, the agent and bundles all use it.
#include "store.hpp"
#include "sync/admission.hpp"
#include "sync/peers.hpp"
#include "sync/protocol.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace accueil::sync {

struct MergeOptions {
    // How the batch came (every batch passes the door in sync/admission.hpp): a push names the device's
    // origin, and only that origin's events are accepted from it.
    Channel channel = Channel::Bundle;
    std::optional<Origin> sender;
    // Refuse edits stamped further ahead of our clock than Hlc::kMaxDriftMs (a kiosk set to 2038
    // would otherwise win every last-writer-wins edit). Check-ins are facts and always accepted.
    bool guard_clock = true;
    // Stamps up to this one are folded into our clock even when our wall clock is behind them: a kiosk
    // whose date is a day late adopts the server's time, so its next edit is ordered after what it has
    // seen. Set by the agent from the server's clock; 0 keeps the ordinary HLC rule.
    std::uint64_t trusted_until = 0;
    // Who sent the batch, recorded with conflicts for organisers ("Accueil 2", "bundle kiosk.acc").
    std::string source = "local";
    // Called inside the transaction just before commit (tests inject a crash window here).
    std::function<void()> before_commit;
    // Pulls only: the server's word (events_for_peer's `covered`) that every event of an origin up to
    // this seq is in this batch, was sent before, or is withheld from this store. The marks pass over
    // the withheld ones, so the next pull starts after them instead of asking again forever.
    VersionVector covered;
    // Copies of events this same door admitted into the store they are read from (the organisers'
    // page's copy of a PostgreSQL store, sync/app/page_replica.hpp), written without passing it again,
    // as `migrate` copies a journal. Set only by code reading its own store, never for what a device
    // or a file sends.
    bool admitted_upstream = false;
};

struct MergeResult {
    std::size_t received = 0;
    std::size_t applied = 0;       // new events
    std::size_t already_known = 0; // repeats, ignored
    // When not empty the whole batch was rolled back: nothing applied, marks unchanged.
    std::vector<Rejection> rejected;
    VersionVector marks; // high-water marks of the origins in the batch, after commit
    bool ok() const { return rejected.empty(); }
};

// Keeps its prepared statements between batches (the server merges many batches on one store).
class Merger {
public:
    explicit Merger(Store& store);
    ~Merger();
    MergeResult merge(const std::vector<JournalEvent>& events, const MergeOptions& options = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

MergeResult merge_events(Store& store, const std::vector<JournalEvent>& events,
                         const MergeOptions& options = {});

// What this journal holds: the merge's marks plus our own origin's last seq.
VersionVector local_vector(Store& store);

// Whether a device of role `receiver` must never receive an event of this kind: attention notes'
// texts go to desks and the central store only (shared/attendee_notes.hpp).
bool withheld_from(Role receiver, EventKind kind);

// Events we hold that the holder of `theirs` lacks (seq above its mark), origin by origin, at most
// `limit`, without those withheld_from(receiver); `more` tells whether some were left for the next call.
// `covered`: per origin, the last seq up to which every event is returned, was below `theirs` or is
// withheld (only origins where that passes `theirs`); the receiver's merge raises its marks to it
// (MergeOptions::covered). Events of `exclude` (the asker's own origin: it is their only writer) are
// never returned.
struct PeerBatch {
    std::vector<JournalEvent> events;
    bool more = false;
    VersionVector covered;
    // Copies of events this same door admitted into the store they are read from (the organisers'
    // page's copy of a PostgreSQL store, sync/app/page_replica.hpp), written without passing it again,
    // as `migrate` copies a journal. Set only by code reading its own store, never for what a device
    // or a file sends.
    bool admitted_upstream = false;
};
PeerBatch events_for_peer(Store& store, const VersionVector& theirs, std::size_t limit, Role receiver,
                          const std::optional<Origin>& exclude = std::nullopt);
// The same rules over any journal (the PostgreSQL store's too): `rows` hands `visit` an origin's
// events above a seq in seq order, until `visit` returns false; `local` is the store's vector.
using JournalRows = std::function<void(const Origin& origin, std::int64_t after,
                                       const std::function<bool(JournalEvent&&)>& visit)>;
PeerBatch events_for_peer(const Origin& self, const VersionVector& local, const JournalRows& rows,
                          const VersionVector& theirs, std::size_t limit, Role receiver,
                          const std::optional<Origin>& exclude);
// The same for a receiver that may hold everything (a desk, a central store, a bundle for central).
std::vector<JournalEvent> events_missing(Store& store, const VersionVector& theirs, std::size_t limit,
                                         bool& more, const std::optional<Origin>& exclude = std::nullopt);

// Device side: its own events not yet acknowledged by the server nor dead-lettered, in seq order.
std::vector<JournalEvent> unacked_events(Store& store, std::size_t limit);
std::int64_t count_unacked(Store& store);
// Raises the acknowledged marks (never lowers them). Call inside a WriteTransaction.
void raise_acked(SQLite::Database& db, const VersionVector& acked);
void reset_acked(SQLite::Database& db);

// Kiosk side: permanent refusals, kept for organisers. Call inside a WriteTransaction.
void add_dead_letters(SQLite::Database& db, const std::vector<Rejection>& rejected, std::int64_t now_ms);
struct DeadLetter {
    Origin origin{};
    std::int64_t seq = 0;
    std::string reason;
    std::int64_t at_ms = 0;
    std::string kind; // journal kind of the refused event
    std::string entity;
};
std::vector<DeadLetter> dead_letters(SQLite::Database& db);

// Refused events, newest last: bounded (the oldest go beyond kMaxRefusalRows), and never the payload,
// only its hash and size, so a flood of refused batches cannot fill the disk.
constexpr int kMaxRefusalRows = 5000;
// What a refusal keeps of the payload: a short hash (libsodium's generichash, 16 bytes, hex).
std::string payload_hash(const std::string& payload);
struct Refusal {
    Origin origin{};
    std::int64_t seq = 0;
    std::string kind;
    std::string source;
    std::string reason;
    std::string payload_hash;
    std::int64_t payload_size = 0;
    std::int64_t first_ms = 0;
    std::int64_t last_ms = 0;
    int count = 0;
    bool is_conflict() const { return reason.starts_with("conflict"); }
};
std::vector<Refusal> refusals(SQLite::Database& db);

// Attendees checked in more than once on the same day (active check-ins): flagged, never dropped.
struct DuplicateCheckin {
    struct Scan {
        std::string device;
        std::int64_t at_ms = 0;
    };
    std::string attendee_id;
    std::string full_name; // "" when the roster does not hold them
    std::string day;
    int count = 0;
    std::string kiosks;      // comma-separated
    std::vector<Scan> scans; // each active check-in, earliest first
};
std::vector<DuplicateCheckin> duplicate_checkins(SQLite::Database& db);
// One active check-in of such a person into `out`, the rows coming ordered by day, person and time: a
// new entry for a new (person, day), named by `name` (called once for it).
void add_duplicate_scan(std::vector<DuplicateCheckin>& out, const std::string& attendee_id,
                        const std::string& day, const std::string& device, std::int64_t at_ms,
                        const std::function<std::string()>& name);

} // namespace accueil::sync
