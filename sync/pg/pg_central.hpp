#pragma once
// The central store on PostgreSQL (`--store postgresql://...`): the same journal, high-water marks,
// devices, peers and refusals as the SQLite central store, for networks that outgrow one laptop.
// A batch is merged set-wise in one transaction: it passes the same door as on SQLite
// (shared/sync/admission.hpp), is loaded with COPY into a staging table, compared with what the
// journal holds (same (origin, seq), other content: a conflict, the batch refused whole), inserted
// with ON CONFLICT DO NOTHING, and its origins' marks advance before the commit. An advisory lock per
// origin keeps batches of one origin from interleaving when several servers share the database.
#include "hlc.hpp"
#include "organiser_password.hpp"
#include "pg_connection.hpp"
#include "sync/admission.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace accueil::pg {

// One journal event as a row of COPY's text format, in the journal's column order.
void append_copy_row(std::string& out, const JournalEvent& e);
// (origin hex, seq) of the rows of `staging`, a table like the journal, that the journal holds with
// other content: the same event twice, not the same store. `first_only`: one is enough.
Result differing_rows(Connection& c, const std::string& staging, bool first_only = false);

class PgCentral {
public:
    // Opens the store at `url`, migrating its schema first. Throws PgError when PostgreSQL cannot be
    // reached or refuses, InputError when the database holds no event yet (`accueil-sync migrate` moves
    // one there).
    static PgCentral open(const std::string& url, WallClock wall = system_wall_ms);

    sync::MergeResult merge(const std::vector<JournalEvent>& events, const sync::MergeOptions& options);
    // What the journal holds: each origin's mark, and our own origin's last seq.
    sync::VersionVector vector();
    std::vector<sync::Refusal> refusals();
    std::vector<sync::Device> devices();
    // As on SQLite (shared/sync/devices.hpp revoke_device): false when no device of that name is active.
    bool revoke(const std::string& name);
    // People checked in more than once the same day (check-ins not undone), read from the journal.
    std::vector<sync::DuplicateCheckin> duplicate_checkins();
    // The event's time zone ("" before migrate brought the event).
    std::string timezone();

    // What `serve` answers a kiosk's pull with (the rules of shared/sync/merge.hpp events_for_peer).
    sync::PeerBatch events_for_peer(const sync::VersionVector& theirs, std::size_t limit, sync::Role receiver,
                                    const std::optional<Origin>& exclude);
    // Every origin the store takes events from, with its role (as known_peers on SQLite).
    std::map<Origin, sync::Peer> peers();
    // One of our own events (a desk's badge key), in the caller's transaction: under the origin's
    // lock, after every stamp any server in front of this database gave.
    JournalEvent append_own(EventKind kind, const std::string& entity, const std::string& payload);
    std::optional<std::string> meta(const std::string& key);
    // Writes `value` unless the key has one already; returns the value the store keeps (two servers
    // starting at once agree on one).
    std::string meta_once(const std::string& key, const std::string& value);
    void set_meta(const std::string& key, const std::string& value);
    // After PostgreSQL restarted or the network dropped: connects again (true), or says why not (throws).
    bool reconnect_if_lost();

    const Origin& origin() const { return origin_; }
    std::int64_t wall_ms() const { return wall_(); }
    Connection& connection() { return conn_; }

private:
    PgCentral(Connection conn, Origin origin, WallClock wall, std::uint64_t hlc);
    std::string full_name(const std::string& attendee_id);
    sync::DoorFacts door_facts(std::set<std::pair<Origin, std::int64_t>> held);
    std::int64_t own_last(); // the last seq of our own origin in the journal
    void save_clock();
    void record_refusals(const std::vector<JournalEvent>& events,
                         const std::vector<sync::Rejection>& rejected, const std::string& source);

    Connection conn_;
    Origin origin_;
    WallClock wall_;
    Hlc clock_;
};

// `accueil-sync migrate --from central.db --to postgresql://...`: the store's identity (origin,
// clock), the event and its keys, devices, peers, marks, refusals and the journal, in one transaction,
// then every origin's count and last seq compared on both sides. Refuses (InputError, nothing written)
// when the PostgreSQL database already holds another store's journal; for the same store it adds only
// the events it lacks, so it can run again after the last kiosks pushed to the old server.
struct MoveReport {
    std::int64_t events = 0; // journal events now in PostgreSQL
    std::int64_t added = 0;  // of which this run copied
    std::int64_t devices = 0;
    std::map<std::string, std::string> server_files; // back: what `extra` brought there (see below)
};
// Settings of the store that move with it, so kiosks see the same server: its device key, the address
// enrolment codes point at and the certificate's fingerprint; and so organisers keep their page's
// password (its hash).
inline constexpr const char* kMovingMeta[] = {"hlc", "sync.device_seed", "sync.url", "sync.fingerprint",
                                              kPasswordHashKey};
// `extra`: what the caller keeps beside the SQLite file and the PostgreSQL store keeps in its meta
// table (the server's certificate and key); added unless the store has its own already.
MoveReport move_to_postgres(const std::string& sqlite_path, const std::string& url,
                            const std::map<std::string, std::string>& extra = {});

// `accueil-sync migrate --from postgresql://... --to central.db`: back to a new SQLite file (refused
// when it exists), the same identity, journal, devices, peers, marks and refusals, then every
// projection rebuilt from the journal and the journal compared origin by origin. A failed move leaves
// no file behind.
// `server_files` of the report: the meta values whose key starts with "sync.tls_" (for the caller to
// write beside the file).
MoveReport move_from_postgres(const std::string& url, const std::string& sqlite_path);

// The devices and peers of the PostgreSQL store written over those of a SQLite copy of it (the
// organisers' page's, sync/app/page_replica.hpp) when they changed since `seen`, what the last call
// read (updated).
void copy_devices_back(Connection& from, SQLite::Database& to, std::string& seen);

} // namespace accueil::pg
