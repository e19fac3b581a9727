#pragma once
// A connection to PostgreSQL through libpq, owned (RAII): the connection, each result, each
// transaction. Every failure is a PgError whose text never holds the connection string's password.
#include "errors.hpp"

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::pg {

struct PgError : StoreError {
    explicit PgError(const std::string& what, std::string state = "")
        : StoreError(what), sqlstate(std::move(state)) {}
    std::string sqlstate; // PostgreSQL's error code ("23505": a unique key already there), when it said one
};

// The connection string as it may be printed: a URL's password (postgresql://user:secret@host) and a
// key/value `password=` are replaced by "***".
std::string redact(const std::string& url);

// Whether `text` names a PostgreSQL store (a postgresql:// or postgres:// URL), rather than a file.
bool is_store_url(const std::string& text);

class Result {
public:
    explicit Result(PGresult* r) : r_(r, &PQclear) {}
    int rows() const { return PQntuples(r_.get()); }
    bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col); }
    std::string text(int row, int col) const { return PQgetvalue(r_.get(), row, col); }
    int columns() const { return PQnfields(r_.get()); }
    bool is_bytea(int col) const { return PQftype(r_.get(), col) == 17; } // BYTEAOID, pg_type.h
    std::int64_t int64(int row, int col) const;
    // Rows a command changed (INSERT, UPDATE, DELETE).
    std::int64_t affected() const;

private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

using Param = std::optional<std::string>; // nullopt is SQL NULL; every parameter goes as text

// Seconds a connection attempt may take unless the URL says otherwise (libpq's connect_timeout).
inline constexpr int kConnectTimeoutS = 10;

class Connection {
public:
    // Connects (TLS as the URL's sslmode asks, libpq's rules); throws PgError saying why, redacted.
    static Connection open(const std::string& url);

    Result exec(const std::string& sql);
    Result exec(const std::string& sql, const std::vector<Param>& params);
    // COPY ... FROM STDIN with `data` in COPY's text format (copy_text_field escapes a field).
    void copy_in(const std::string& copy_sql, const std::string& data);
    const std::string& url() const { return redacted_; }
    // Whether the link to the server broke (PostgreSQL restarted, the network dropped).
    bool lost() const { return PQstatus(c_.get()) == CONNECTION_BAD; }
    // Connects again with the same parameters; throws PgError when that fails too.
    void reset();

private:
    Connection(PGconn* c, std::string redacted) : c_(c, &PQfinish), redacted_(std::move(redacted)) {}
    Result check(PGresult* r, const std::string& sql);

    std::unique_ptr<PGconn, void (*)(PGconn*)> c_;
    std::string redacted_;
};

// BEGIN at construction, ROLLBACK at destruction unless commit() ran.
class Transaction {
public:
    explicit Transaction(Connection& c);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection& c_;
    bool done_ = false;
};

// One field of a COPY text row: backslash, tab, newline and carriage return escaped.
void append_copy_text(std::string& out, const std::string& field);
// A bytea value as PostgreSQL's hex text ("\x0a1b..."), and the bytes of one read back (libpq's
// PQunescapeBytea).
std::string bytea_text(const std::uint8_t* data, std::size_t size);
std::vector<std::uint8_t> bytea_bytes(const std::string& text);

} // namespace accueil::pg
