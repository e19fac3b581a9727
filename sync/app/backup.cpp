#include "backup.hpp"

#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "ids.hpp"
#include "store.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace accueil::sync::backup {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kStampSize = 22; // "20260929-091500-123.db"

std::string stem_of(const std::string& db) {
    return fs::path(db).stem().string();
}

std::string utc_stamp(std::int64_t unix_ms) {
    const std::time_t secs = std::time_t(unix_ms / 1000);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[96]; // room for any int the format could print (-Wformat-truncation)
    std::snprintf(buf, sizeof buf, "%04d%02d%02d-%02d%02d%02d-%03d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(unix_ms % 1000));
    return buf;
}

bool digits(const std::string& s, std::size_t from, std::size_t n) {
    return std::all_of(s.begin() + long(from), s.begin() + long(from + n),
                       [](char c) { return c >= '0' && c <= '9'; });
}

// "ok" from PRAGMA integrity_check, or what it found (its first lines).
bool intact(SQLite::Database& db, std::string& why) {
    SQLite::Statement q(db, "PRAGMA integrity_check(5)");
    std::string found;
    while (q.executeStep())
        found += (found.empty() ? "" : "; ") + q.getColumn(0).getString();
    why = found;
    return found == "ok";
}

// The directory of a path's file, for fsync after a rename.
void sync_directory(const fs::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Makes `dir` (owner-only) when missing and checks it can take files; the reason when not.
bool prepare_dir(const std::string& dir, std::string& why) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        why = "cannot create the backup folder " + dir + ": " + ec.message();
        return false;
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        why = "cannot write into the backup folder " + dir + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

void remove_quietly(const std::string& path) {
    std::error_code ec;
    fs::remove(path, ec);
}

} // namespace

std::string default_dir(const std::string& db) {
    const fs::path parent = fs::path(db).parent_path();
    return ((parent.empty() ? fs::path(".") : parent) / "backups").string();
}

std::string file_name(const std::string& db, std::int64_t unix_ms) {
    return stem_of(db) + "-" + utc_stamp(unix_ms) + ".db";
}

std::optional<std::int64_t> time_from_name(const std::string& path) {
    const std::string name = fs::path(path).filename().string();
    if (name.size() < kStampSize + 1 || name[name.size() - kStampSize - 1] != '-')
        return std::nullopt;
    const std::string s = name.substr(name.size() - kStampSize);
    if (!digits(s, 0, 8) || s[8] != '-' || !digits(s, 9, 6) || s[15] != '-' || !digits(s, 16, 3) ||
        s.substr(19) != ".db")
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(s.substr(4, 2)) - 1;
    tm.tm_mday = std::stoi(s.substr(6, 2));
    tm.tm_hour = std::stoi(s.substr(9, 2));
    tm.tm_min = std::stoi(s.substr(11, 2));
    tm.tm_sec = std::stoi(s.substr(13, 2));
    return std::int64_t(::timegm(&tm)) * 1000 + std::stoi(s.substr(16, 3));
}

std::vector<std::string> list(const std::string& db, const std::string& dir) {
    std::vector<std::string> out;
    const std::string prefix = stem_of(db) + "-";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() == prefix.size() + kStampSize && name.starts_with(prefix) && time_from_name(name))
            out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

Taken take(const std::string& db, const std::string& dir, std::int64_t unix_ms) {
    Taken t;
    if (!prepare_dir(dir, t.error))
        return t;
    const std::string name = file_name(db, unix_ms);
    const std::string final_path = (fs::path(dir) / name).string();
    const std::string tmp = (fs::path(dir) / ("." + name + ".tmp")).string();
    remove_quietly(tmp);
    try {
        // A connection of its own, read-only: in WAL mode the merges go on writing beside it while
        // it copies one consistent snapshot (sqlite.org/wal.html, "readers do not block writers").
        SQLite::Database source(db, SQLite::OPEN_READONLY, 5000);
        SQLite::Database copy(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        const auto start = std::chrono::steady_clock::now();
        {
            SQLite::Backup b(copy, source);
            // All pages in one step, inside one read transaction: stepping in pieces would restart
            // from the first page each time another connection commits, which a busy server does
            // several times a second.
            const int rc = b.executeStep(-1);
            if (rc != SQLITE_DONE)
                throw SQLite::Exception("the backup step returned " + std::to_string(rc), rc);
        }
        const auto copied = std::chrono::steady_clock::now();
        // One self-contained file: no -wal beside it to lose on the way to another disk.
        copy.exec("PRAGMA journal_mode=DELETE");
        std::string why;
        const bool ok = intact(copy, why);
        t.copy_ms = std::chrono::duration<double, std::milli>(copied - start).count();
        t.check_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - copied).count();
        if (!ok) {
            t.error = "the copy failed its integrity check (" + why + "); it was deleted";
            remove_quietly(tmp);
            return t;
        }
    } catch (const SQLite::Exception& e) {
        t.error = std::string("the copy failed: ") + e.what();
        remove_quietly(tmp);
        remove_quietly(tmp + "-journal");
        return t;
    }
    ::chmod(tmp.c_str(), 0600); // names, e-mails, device secrets: like the store itself
    std::error_code ec;
    fs::rename(tmp, final_path, ec);
    if (ec) {
        t.error = "cannot rename the copy into place: " + ec.message();
        remove_quietly(tmp);
        return t;
    }
    sync_directory(dir);
    t.ok = true;
    t.path = final_path;
    t.bytes = std::int64_t(fs::file_size(final_path, ec));
    return t;
}

std::vector<std::string> rotate(const std::string& db, const std::string& dir, int keep) {
    const auto all = list(db, dir);
    // The newest `keep` (two hours at the default 5 minutes: a mistake noticed within the morning's
    // rush can be undone to the minute), plus the last backup of every earlier day, so the state at
    // the end of each day of the event survives however many backups the next day takes.
    std::map<std::string, std::string> last_of_day; // UTC day → newest name
    for (const auto& p : all)
        last_of_day[fs::path(p).filename().string().substr(stem_of(db).size() + 1, 8)] = p;
    std::vector<std::string> removed;
    for (std::size_t i = 0; i + std::size_t(std::max(keep, 1)) < all.size(); ++i) {
        const auto& p = all[i];
        if (last_of_day[fs::path(p).filename().string().substr(stem_of(db).size() + 1, 8)] == p)
            continue;
        std::error_code ec;
        if (fs::remove(p, ec))
            removed.push_back(p);
    }
    return removed;
}

// ---------------------------------------------------------------------------------------------------

Scheduler::Scheduler(std::string db, Policy policy, std::function<std::int64_t()> wall)
    : db_(std::move(db)), policy_(std::move(policy)),
      dir_(policy_.dir.empty() ? default_dir(db_) : policy_.dir), wall_(std::move(wall)) {
    if (!enabled())
        return;
    std::string why;
    if (!prepare_dir(dir_, why)) {
        // Said once, loudly; the same failure at each later attempt is not repeated.
        spdlog::error("BACKUPS ARE NOT BEING TAKEN: {}. The server keeps serving without them; fix the "
                      "folder's permissions or pass --backup-dir",
                      why);
        last_error_ = why;
    } else {
        // Temporary copies left by a server that was killed mid-backup.
        std::error_code ec;
        const std::string prefix = "." + stem_of(db_) + "-";
        for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.starts_with(prefix) && name.ends_with(".tmp"))
                remove_quietly(it->path().string());
        }
    }
    // serve() blocked SIGINT and SIGTERM before making this: the thread inherits that mask, so the
    // signals keep going to the thread serve() waits for them in.
    thread_ = std::thread([this] { run(); });
}

Scheduler::~Scheduler() {
    stop_thread();
}

void Scheduler::stop_thread() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable())
        thread_.join();
}

void Scheduler::finish() {
    stop_thread();
    if (enabled())
        take_now();
}

void Scheduler::soon() {
    {
        std::lock_guard lock(mutex_);
        soon_ = true;
    }
    wake_.notify_all();
}

void Scheduler::run() {
    // PRAGMA data_version on a connection that never writes changes only when another commits: an
    // idle server (at night) does not push the day's backups out with identical copies.
    std::unique_ptr<SQLite::Database> watch;
    std::optional<std::int64_t> backed_up_version;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait_for(lock, std::chrono::seconds(policy_.every_s), [this] { return stop_ || soon_; });
        if (stop_)
            break;
        soon_ = false;
        lock.unlock();
        std::optional<std::int64_t> version;
        try {
            if (!watch)
                watch = std::make_unique<SQLite::Database>(db_, SQLite::OPEN_READONLY, 1000);
            version = watch->execAndGet("PRAGMA data_version").getInt64();
        } catch (const SQLite::Exception&) {
            watch.reset(); // the backup below says what is wrong, if anything
        }
        if (!version || version != backed_up_version) {
            take_now();
            if (last_error_.empty())
                backed_up_version = version;
        }
        lock.lock();
    }
}

void Scheduler::take_now() {
    std::lock_guard lock(take_mutex_);
    const Taken t = take(db_, dir_, wall_());
    if (!t.ok) {
        if (t.error != last_error_)
            spdlog::error("BACKUP FAILED for {}: {}", db_, t.error);
        last_error_ = t.error;
        return;
    }
    if (!last_error_.empty())
        spdlog::info("backups work again (the last problem was: {})", last_error_);
    last_error_.clear();
    const auto removed = rotate(db_, dir_, policy_.keep);
    spdlog::info("backup taken: {} ({} bytes; copy {:.0f} ms, integrity check {:.0f} ms; {} older removed)",
                 t.path, t.bytes, t.copy_ms, t.check_ms, removed.size());
}

// ---------------------------------------------------------------------------------------------------

namespace {

// "process 1234 (accueil-sync serve --db central.db)" for the holder of a flock on `fd`'s file, from
// /proc/locks; empty when it cannot be told.
std::string flock_holder(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return "";
    std::ifstream locks("/proc/locks");
    const std::string inode = ":" + std::to_string(st.st_ino);
    for (std::string line; std::getline(locks, line);) {
        std::istringstream words(line);
        std::string n, type, mode, access, pid, device;
        words >> n >> type >> mode >> access >> pid >> device;
        if (type != "FLOCK" || !device.ends_with(inode) || pid == std::to_string(::getpid()))
            continue;
        std::ifstream cmd("/proc/" + pid + "/cmdline", std::ios::binary);
        std::string command((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
        std::replace(command.begin(), command.end(), '\0', ' ');
        while (!command.empty() && command.back() == ' ')
            command.pop_back();
        return i18n::tr("backup.holder", {{"pid", pid}, {"command", command}});
    }
    return "";
}

} // namespace

std::optional<DbHold> DbHold::take(const std::string& db, Kind kind) {
    const int fd = ::open(db.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    if (::flock(fd, (kind == Kind::Shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        const std::string holder = flock_holder(fd);
        ::close(fd); // no SQLite connection of this process is open on it yet
        throw InputError("",
                         i18n::tr(kind == Kind::Shared ? "backup.serve.restoring" : "backup.restore.in_use",
                                  {{"db", db}, {"holder", holder.empty() ? "" : " (" + holder + ")"}}));
    }
    return DbHold(fd);
}

DbHold::~DbHold() {
    if (fd_ >= 0)
        ::close(fd_);
}

namespace {

struct Candidate {
    std::string origin; // hex
    std::string event;
    std::string event_uid;
};

std::string meta_origin(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT hex(value) FROM meta WHERE key = 'origin'");
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

std::string event_name(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT name FROM event_info");
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

std::string event_uid(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT uid FROM event_info");
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

bool has_table(SQLite::Database& db, const char* name) {
    SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, name);
    return q.executeStep();
}

// The restored store writes under a new origin from now on. What it wrote after the backup is lost
// here but may sit in kiosks already, under the old origin's next seqs, and an (origin, seq) pair must
// never name two events. The old origin stays a central peer, so devices still admit its events; and
// every agent, seeing another server origin, sends again what it had sent (sync/app/agent.cpp).
void take_new_origin(SQLite::Database& db) {
    SQLite::Transaction tx(db);
    if (has_table(db, "sync_peers")) // a backup older than device roles (schema 5) has no peers yet
        db.exec("INSERT INTO sync_peers (origin, role, name) SELECT value, 'central', '' FROM meta "
                "WHERE key = 'origin' ON CONFLICT (origin) DO UPDATE SET role = 'central'");
    const Origin fresh = random_origin();
    SQLite::Statement q(db, "UPDATE meta SET value = ? WHERE key = 'origin'");
    q.bind(1, fresh.data(), int(fresh.size()));
    q.exec();
    tx.commit();
}

// What `file` holds, read without writing to it; InputError when it must not be restored.
Candidate inspect(const std::string& file) {
    const i18n::Args where{{"file", file}};
    try {
        SQLite::Database db(file, SQLite::OPEN_READONLY, 1000);
        std::string why;
        const int version = schema_version(db); // reads the header: "not a database" shows here
        if (!intact(db, why))
            throw InputError("", i18n::tr("backup.restore.damaged", {{"file", file}, {"detail", why}}));
        if (version > kSchemaVersion)
            throw InputError("",
                             i18n::tr("backup.restore.newer", {{"file", file},
                                                               {"version", std::to_string(version)},
                                                               {"known", std::to_string(kSchemaVersion)}}));
        if (version < 1 || !has_table(db, "meta") || !has_table(db, "journal") ||
            !has_table(db, "event_info"))
            throw InputError("", i18n::tr("backup.restore.not_accueil", where));
        Candidate c{meta_origin(db), event_name(db), event_uid(db)};
        if (c.origin.empty())
            throw InputError("", i18n::tr("backup.restore.not_accueil", where));
        // A kiosk's or desk's database (it joined a server) is not the central store.
        SQLite::Statement role(db, "SELECT value FROM meta WHERE key IN ('sync.role', 'sync.server') AND "
                                   "value <> ''");
        if (role.executeStep())
            throw InputError("", i18n::tr("backup.restore.device", where));
        return c;
    } catch (const SQLite::Exception& e) {
        const int code = e.getErrorCode();
        if (code == SQLITE_CORRUPT)
            throw InputError("", i18n::tr("backup.restore.damaged", {{"file", file}, {"detail", e.what()}}));
        if (code == SQLITE_NOTADB)
            throw InputError("", i18n::tr("backup.restore.not_accueil", where));
        throw InputError("", i18n::tr("backup.restore.unreadable", {{"file", file}, {"detail", e.what()}}));
    }
}

// Removes a file this restore made unless it is kept (the restored database once renamed).
class Scratch {
public:
    explicit Scratch(std::string path) : path_(std::move(path)) {}
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch() {
        for (const char* suffix : {"", "-journal", "-wal", "-shm"})
            remove_quietly(path_ + suffix);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// The current database made one self-contained file: its WAL copied back and removed (which needs
// every other connection closed: SQLITE_BUSY otherwise). False when SQLite cannot read it at all.
bool fold_wal(const std::string& db) {
    try {
        SQLite::Database current(db, SQLite::OPEN_READWRITE, 0);
        const std::string mode = current.execAndGet("PRAGMA journal_mode=DELETE").getString();
        if (mode != "delete")
            throw InputError("", i18n::tr("backup.restore.in_use", {{"db", db}, {"holder", ""}}));
        return true;
    } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
            throw InputError("", i18n::tr("backup.restore.in_use", {{"db", db}, {"holder", ""}}));
        return false;
    }
}

} // namespace

Restored restore(const std::string& file, const std::string& db, std::int64_t now_ms) {
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw InputError("", i18n::tr("backup.restore.no_file", {{"file", file}}));
    if (!fs::is_regular_file(file, ec))
        throw InputError("", i18n::tr("backup.restore.not_a_file", {{"file", file}}));
    const fs::path parent = fs::path(db).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw InputError("", i18n::tr("backup.restore.no_folder", {{"db", db}, {"folder", parent.string()}}));
    const bool replacing = fs::exists(db, ec);
    if (replacing && fs::equivalent(file, db, ec))
        throw InputError("", i18n::tr("backup.restore.same_file", {{"file", file}}));

    // Held until the end: a server cannot start on the database while it is being replaced.
    const auto hold = DbHold::take(db, DbHold::Kind::Exclusive);
    const Candidate c = inspect(file);
    if (replacing) {
        try {
            SQLite::Database current(db, SQLite::OPEN_READONLY, 1000);
            // The same event, whatever origin it writes under now (each restore takes a new one).
            const std::string uid = event_uid(current);
            if (!uid.empty() && uid != c.event_uid)
                throw InputError(
                    "",
                    i18n::tr(
                        "backup.restore.other_event",
                        {{"file", file}, {"event", c.event}, {"db", db}, {"current", event_name(current)}}));
        } catch (const SQLite::Exception&) {
            // The current database cannot be read (damaged: the reason to restore): nothing to compare.
        }
    }

    // The backup is copied beside the database (same file system: the rename below is atomic), as a
    // self-contained file, and checked again there.
    Scratch copy(db + ".restoring");
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        remove_quietly(copy.path() + suffix);
    try {
        SQLite::Database source(file, SQLite::OPEN_READONLY, 1000);
        SQLite::Database target(copy.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        {
            SQLite::Backup b(target, source);
            if (b.executeStep(-1) != SQLITE_DONE)
                throw SQLite::Exception("the copy did not complete", SQLITE_BUSY);
        }
        target.exec("PRAGMA journal_mode=DELETE");
        take_new_origin(target);
        std::string why;
        if (!intact(target, why))
            throw InputError("", i18n::tr("backup.restore.damaged", {{"file", file}, {"detail", why}}));
    } catch (const SQLite::Exception& e) {
        throw StoreError(i18n::tr("backup.restore.copy_failed", {{"file", file}, {"detail", e.what()}}));
    }
    ::chmod(copy.path().c_str(), 0600);

    Restored r;
    if (replacing) {
        // The replaced database stays beside it, whole: its WAL folded in first, or, when SQLite
        // cannot read it, its -wal moved along with it (a -wal left beside the restored file would be
        // replayed into it).
        r.kept = db + ".before-restore-" + utc_stamp(now_ms);
        const bool folded = fold_wal(db);
        if (!folded && fs::exists(db + "-wal", ec))
            fs::rename(db + "-wal", r.kept + "-wal");
        // A hard link, then the rename over the name: there is always a database at `db`.
        if (::link(db.c_str(), r.kept.c_str()) != 0)
            throw StoreError(i18n::tr("backup.restore.keep_failed",
                                      {{"db", db}, {"kept", r.kept}, {"detail", std::strerror(errno)}}));
        remove_quietly(db + "-wal");
        remove_quietly(db + "-shm");
        remove_quietly(db + "-journal");
    }
    fs::rename(copy.path(), db, ec);
    if (ec)
        throw StoreError(i18n::tr("backup.restore.keep_failed",
                                  {{"db", db}, {"kept", copy.path()}, {"detail", ec.message()}}));
    sync_directory(parent);

    r.backup_ms = time_from_name(file).value_or(0);
    if (r.backup_ms == 0) {
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0)
            r.backup_ms = std::int64_t(st.st_mtime) * 1000;
    }
    // Opened as every program opens it: an older schema is migrated now, and what it holds is said.
    Store restored = Store::open(db);
    r.event = restored.event().name;
    r.timezone = restored.event().timezone.empty() ? "UTC" : restored.event().timezone;
    r.arrivals = restored.db().execAndGet("SELECT count(*) FROM checkin_days").getInt64();
    return r;
}

} // namespace accueil::sync::backup
