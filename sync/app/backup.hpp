#pragma once
// Backups of the central store (issue 13): online copies through SQLite's backup API, taken by
// `accueil-sync serve` on a schedule and at a clean stop, checked, rotated; and `accueil-sync restore`,
// which puts one back.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace accueil::sync::backup {

// Where backups go when --backup-dir is not given: `backups/` beside the database.
std::string default_dir(const std::string& db);

// "central-20260929-091500-123.db" for central.db at that UTC moment: names sort by time.
std::string file_name(const std::string& db, std::int64_t unix_ms);
// The moment a backup's name says, when it is one of ours.
std::optional<std::int64_t> time_from_name(const std::string& path);

struct Taken {
    bool ok = false;
    std::string path;  // the backup, when ok
    std::string error; // why not, in English for the log
    std::int64_t bytes = 0;
    double copy_ms = 0;  // the copy itself (the source's read snapshot is held this long)
    double check_ms = 0; // integrity_check of the copy
};

// One backup of `db` into `dir` now: copied into a temporary name, checked with integrity_check, then
// renamed into place (owner-only). A copy that fails its check is deleted. Never throws.
Taken take(const std::string& db, const std::string& dir, std::int64_t unix_ms);

// Keeps the newest `keep` backups of `db` in `dir`, plus the newest of each earlier UTC day; removes
// the others. Returns the paths removed.
std::vector<std::string> rotate(const std::string& db, const std::string& dir, int keep);

// The backups of `db` in `dir`, oldest first.
std::vector<std::string> list(const std::string& db, const std::string& dir);

struct Policy {
    std::string dir;            // empty: default_dir(db)
    std::int64_t every_s = 300; // 0: no backups at all
    int keep = 24;
};

// `serve`'s backups: a thread of its own takes one every `every_s` seconds (not when nothing changed
// since the last), and finish() takes the one at stop. Outcomes go to the log, a failure loudly but
// once until it changes, and the recovery once.
class Scheduler {
public:
    // Make it with SIGINT and SIGTERM blocked (its thread inherits the mask), as serve() does.
    Scheduler(std::string db, Policy policy, std::function<std::int64_t()> wall);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    const std::string& dir() const { return dir_; }
    bool enabled() const { return policy_.every_s > 0; }
    // Stops the thread, then takes the last backup: call once nothing writes any more.
    void finish();
    // A backup as soon as the thread can (if anything changed): after a device joins, so that a store
    // restored from the newest backup still knows it.
    void soon();

private:
    void run();
    void take_now();
    void stop_thread();

    std::string db_;
    Policy policy_;
    std::string dir_;
    std::function<std::int64_t()> wall_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    bool soon_ = false;
    std::mutex take_mutex_; // one backup at a time
    std::string last_error_;
    std::thread thread_;
};

// The server's hold on its database, which `restore` needs free: a shared flock on the database file
// (flock and SQLite's POSIX locks do not interact on Linux). Keep it alive longer than every SQLite
// connection the process has on that file: closing another descriptor of the file would drop
// SQLite's POSIX locks on it.
class DbHold {
public:
    enum class Kind { Shared, Exclusive };
    // Nothing when the file does not exist. Throws InputError when another process holds it the
    // other way (a server for a restore, a restore for a server).
    static std::optional<DbHold> take(const std::string& db, Kind kind);
    DbHold(DbHold&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    DbHold& operator=(DbHold&&) = delete;
    DbHold(const DbHold&) = delete;
    ~DbHold();

private:
    explicit DbHold(int fd) : fd_(fd) {}
    int fd_ = -1;
};

struct Restored {
    std::string event;         // the event's name in the restored database
    std::string timezone;      // the event's
    std::int64_t arrivals = 0; // arrivals (a person on a day) it holds
    std::int64_t backup_ms = 0;
    std::string kept; // where the replaced database went; empty when there was none
};

// `accueil-sync restore FILE --db DB`. Refuses (InputError, DB left byte for byte as it was) a file
// that is missing, damaged, not an accueil store, a kiosk's or desk's store, of a newer schema or of
// another event than DB, and a DB a server runs on. Otherwise DB is kept as DB.before-restore-<time>
// and the backup takes its place.
Restored restore(const std::string& file, const std::string& db, std::int64_t now_ms);

} // namespace accueil::sync::backup
