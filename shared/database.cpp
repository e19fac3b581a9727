#include "database.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <sqlite3.h>

#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

namespace accueil {

void apply_migration(SQLite::Database& db, int to_version); // schema.cpp

namespace {
// Names, e-mails and device secrets: the database and its WAL and shared-memory files are the owner's
// only, whoever made them and whatever umask was in force then (each program also sets umask 077).
void restrict_to_owner(const std::string& path) {
    for (const auto& f : {path, path + "-wal", path + "-shm"}) {
        struct stat st {};
        if (::stat(f.c_str(), &st) == 0 && (st.st_mode & 077) != 0 && st.st_uid == ::geteuid())
            ::chmod(f.c_str(), st.st_mode & 0700);
    }
}
} // namespace

int schema_version(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

SQLite::Database open_database(const std::string& path, OpenMode mode) {
    if (mode == OpenMode::MustExist && !std::filesystem::exists(path))
        throw StoreError(i18n::tr("cli.database.missing", {{"path", path}}));
    // Before SQLite starts (the first open): no global count of its allocations, which took a lock
    // around every malloc and free (the merge makes millions). Fails harmlessly once SQLite is running.
    static const int no_memory_statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)no_memory_statistics;
    const int flags = SQLite::OPEN_READWRITE | (mode == OpenMode::CreateIfMissing ? SQLite::OPEN_CREATE : 0);
    SQLite::Database db(path, flags, 5000);
    try {
        db.exec("PRAGMA journal_mode=WAL");
    } catch (const SQLite::Exception& e) {
        throw StoreError(i18n::tr("cli.database.unreadable", {{"path", path}, {"detail", e.what()}}));
    }
    restrict_to_owner(path);
    db.exec("PRAGMA synchronous=FULL");
    db.exec("PRAGMA foreign_keys=ON");
    // 16 MB of page cache (default 2 MB): the search index of a 100,000-person roster and the central
    // store's per-day rows stay in memory. Measured with 2 MB: the name search's p99 rose from 0.94 to
    // 1.05 ms (over its budget) and the merge with a large roster fell from 0.108 to 0.086 × a raw
    // insert, for 6 % more on a small roster's merge.
    db.exec("PRAGMA cache_size=-16000");

    const int version = schema_version(db);
    if (version > kSchemaVersion)
        throw StoreError(i18n::tr("cli.database.newer", {{"path", path},
                                                         {"version", std::to_string(version)},
                                                         {"known", std::to_string(kSchemaVersion)}}));
    if (version == 0 && mode == OpenMode::MustExist)
        throw StoreError(i18n::tr("cli.database.empty", {{"path", path}}));
    for (int v = version + 1; v <= kSchemaVersion; ++v) {
        WriteTransaction tx(db);
        apply_migration(db, v);
        db.exec("PRAGMA user_version=" + std::to_string(v));
        tx.commit();
    }
    return db;
}

BorrowedStatement StatementCache::get(const std::string& sql) {
    auto& slot = cache_[sql];
    if (!slot)
        slot = std::make_unique<SQLite::Statement>(db_, sql);
    slot->reset(); // every statement binds all its parameters each time
    return BorrowedStatement(*slot);
}

std::vector<std::string> busy_statements(SQLite::Database& db) {
    std::vector<std::string> out;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.getHandle(), nullptr); s;
         s = sqlite3_next_stmt(db.getHandle(), s))
        if (sqlite3_stmt_busy(s))
            out.emplace_back(sqlite3_sql(s));
    return out;
}

bool in_transaction(SQLite::Database& db) {
    return sqlite3_get_autocommit(db.getHandle()) == 0;
}

} // namespace accueil
