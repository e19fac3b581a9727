#pragma once
// `accueil-sync serve`: the central store answering kiosks (push, pull, join).
#include <cstdint>
#include <string>

namespace accueil::sync {

struct ServeOptions {
    std::string db;
    std::string store; // a postgresql:// URL: the central store on PostgreSQL instead of `db`
    std::string listen = "0.0.0.0:8443";
    std::string public_url;            // what enrolment codes point at; derived from `listen` when empty
    bool insecure = false;             // plain HTTP, for tests on 127.0.0.1
    std::int64_t max_db_pages = 0;     // PRAGMA max_page_count (0: SQLite's default), to test a full disk
    std::string backup_dir;            // empty: `backups/` beside the database (sync/app/backup.hpp)
    std::int64_t backup_every_s = 300; // 0: no backups
    int backup_keep = 24;
};

int serve(const ServeOptions& options);

// Time source of every accueil-sync command: the system clock, shifted by ACCUEIL_FAKE_CLOCK_OFFSET_MS
// when set (tests of kiosks with a wrong date). Read here and nowhere else.
std::int64_t sync_wall_ms();

// Test hooks read from the environment (ACCUEIL_SYNC_TEST_*); 0 when unset.
std::int64_t test_hook(const char* name);

} // namespace accueil::sync
