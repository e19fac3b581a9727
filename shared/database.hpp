#pragma once
// Opening the SQLite file every accueil process shares: pragmas, schema migrations, transactions.
#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace accueil {

constexpr int kSchemaVersion = 4;

enum class OpenMode { MustExist, CreateIfMissing };

// WAL (the sync agent and the kiosk share the file), synchronous=FULL (an admitted arrival survives a
// power cut), foreign keys, a busy timeout; migrates older schemas and refuses newer ones.
SQLite::Database open_database(const std::string& path, OpenMode mode);

int schema_version(SQLite::Database& db);

// BEGIN IMMEDIATE: takes the write lock up front, so a writer never fails half-way on SQLITE_BUSY.
class WriteTransaction {
public:
    explicit WriteTransaction(SQLite::Database& db) : tx_(db, SQLite::TransactionBehavior::IMMEDIATE) {}
    void commit() { tx_.commit(); }

private:
    SQLite::Transaction tx_;
};

} // namespace accueil
