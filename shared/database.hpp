#pragma once
// Opening the SQLite file every accueil process shares: pragmas, schema migrations, transactions.
#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace accueil {

constexpr int kSchemaVersion = 10;

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

// A cached prepared statement lent to one caller, reset when the loan ends. A SELECT stepped once and
// left un-reset keeps the connection's read snapshot open after its transaction: once another process
// writes (an `enroll` beside the server), every later write of this connection fails with
// SQLITE_BUSY_SNAPSHOT ("database is locked"). Lending statements this way makes that leak impossible.
class BorrowedStatement {
public:
    explicit BorrowedStatement(SQLite::Statement& s) : s_(&s) {}
    BorrowedStatement(const BorrowedStatement&) = delete;
    BorrowedStatement& operator=(const BorrowedStatement&) = delete;
    ~BorrowedStatement() { s_->tryReset(); }
    SQLite::Statement* operator->() const { return s_; }
    SQLite::Statement& operator*() const { return *s_; }

private:
    SQLite::Statement* s_;
};

// Statements prepared once per connection, looked up by their SQL text.
class StatementCache {
public:
    explicit StatementCache(SQLite::Database& db) : db_(db) {}
    BorrowedStatement get(const std::string& sql);

private:
    SQLite::Database& db_;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

// SQL of the statements of `db` still stepping (holding a read snapshot), and whether a transaction
// is open. Long-running processes check both after each request: neither may outlive it.
std::vector<std::string> busy_statements(SQLite::Database& db);
bool in_transaction(SQLite::Database& db);

} // namespace accueil
