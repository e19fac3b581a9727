#pragma once
// The event's store for a command that only reads (`accueil report`, `accueil export`): its SQLite
// file, or with `--store postgresql://...` a snapshot of the PostgreSQL central store. The snapshot is
// `accueil-sync migrate`'s way back (sync/pg/pg_migrate.cpp: the journal copied, every projection
// rebuilt from it, compared) into a private temporary folder, removed when the command ends: reports
// read the same tables, computed by the same code, whichever engine holds the event.
#include "store.hpp"

#include <optional>
#include <string>

namespace accueil::cli {

class ReadStore {
public:
    // `db` a file (checked as open_store does), or `store` a postgresql:// URL; exactly one is set.
    static ReadStore open(const std::string& db, const std::string& store);
    ReadStore(ReadStore&& other) noexcept;
    ReadStore& operator=(ReadStore&&) = delete;
    ReadStore(const ReadStore&) = delete;
    ~ReadStore();
    Store& store() { return *store_; }

private:
    ReadStore() = default;
    std::string temp_dir_; // the snapshot's folder; empty for a file
    std::optional<Store> store_;
};

} // namespace accueil::cli
