#include "pg_connection.hpp"

#include "i18n/catalogue.hpp"
#include "ids.hpp"

#include <charconv>

namespace accueil::pg {

std::string redact(const std::string& url) {
    std::string out = url;
    // URL form: scheme://user:password@host...
    if (const auto scheme = out.find("://"); scheme != std::string::npos) {
        const auto start = scheme + 3;
        const auto at = out.find('@', start);
        const auto slash = out.find('/', start);
        if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
            const auto colon = out.find(':', start);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    // password=... as a query parameter or a key/value word, up to the next '&' or space.
    for (std::size_t at = out.find("password="); at != std::string::npos;
         at = out.find("password=", at + 1)) {
        const auto value = at + 9;
        auto end = out.find_first_of("& ", value);
        if (end == std::string::npos)
            end = out.size();
        out.replace(value, end - value, "***");
    }
    return out;
}

bool is_store_url(const std::string& text) {
    return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::int64_t Result::int64(int row, int col) const {
    const char* v = PQgetvalue(r_.get(), row, col);
    std::int64_t n = 0;
    const auto end = v + std::char_traits<char>::length(v);
    if (std::from_chars(v, end, n).ptr != end)
        throw PgError(std::string("PostgreSQL answered \"") + v + "\" where a number was expected");
    return n;
}

std::int64_t Result::affected() const {
    const char* v = PQcmdTuples(r_.get());
    return *v ? std::stoll(v) : 0;
}

Connection Connection::open(const std::string& url) {
    const std::string shown = redact(url);
    // The one door of every connection: a file name given for a store is said as such, before libpq
    // reads it as settings.
    if (!is_store_url(url))
        throw InputError("--store", i18n::tr("pg.not_url", {{"url", shown}}));
    // A host that stopped answering (frozen, or a firewall dropping packets) would otherwise hold an
    // attempt for as long as TCP keeps trying: a kiosk's push and the organisers' page give up after
    // kConnectTimeoutS instead (PQreset keeps it). Given before the URL, which may set its own.
    const std::string timeout = std::to_string(kConnectTimeoutS);
    const char* keywords[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), url.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keywords, values, 1);
    if (!c)
        throw PgError("cannot reach PostgreSQL at " + shown + ": out of memory");
    Connection conn(c, shown);
    if (PQstatus(c) != CONNECTION_OK) {
        std::string why = PQerrorMessage(c);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
            why.pop_back();
        throw PgError("cannot reach PostgreSQL at " + shown + ": " + why);
    }
    // Quiet notices (CREATE TABLE IF NOT EXISTS ... already exists): they are not the person's concern.
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr);
    conn.exec("SET client_encoding = 'UTF8'");
    return conn;
}

Result Connection::check(PGresult* r, const std::string& sql) {
    Result result(r);
    const auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN)
        return result;
    std::string why = r ? PQresultErrorMessage(r) : PQerrorMessage(c_.get());
    while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
        why.pop_back();
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    throw PgError("PostgreSQL at " + redacted_ + " refused \"" + sql.substr(0, 60) + "\": " + why,
                  state ? state : "");
}

void Connection::reset() {
    PQreset(c_.get());
    if (lost())
        throw PgError("PostgreSQL at " + redacted_ +
                      " cannot be reached again: " + redact(PQerrorMessage(c_.get())));
    exec("SET client_encoding = 'UTF8'");
}

Result Connection::exec(const std::string& sql) {
    return check(PQexec(c_.get(), sql.c_str()), sql);
}

Result Connection::exec(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    return check(
        PQexecParams(c_.get(), sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0),
        sql);
}

void Connection::copy_in(const std::string& copy_sql, const std::string& data) {
    check(PQexec(c_.get(), copy_sql.c_str()), copy_sql);
    // PQputCopyData takes an int length: large loads go in pieces.
    constexpr std::size_t kPiece = 1 << 20;
    for (std::size_t at = 0; at < data.size(); at += kPiece) {
        const auto n = std::min(kPiece, data.size() - at);
        if (PQputCopyData(c_.get(), data.data() + at, int(n)) != 1)
            break; // the error is read below, from the end of the COPY
    }
    PQputCopyEnd(c_.get(), nullptr);
    std::optional<PgError> failed;
    while (PGresult* r = PQgetResult(c_.get())) {
        try {
            check(r, copy_sql);
        } catch (const PgError& e) {
            if (!failed)
                failed = e;
        }
    }
    if (failed)
        throw *failed;
}

Transaction::Transaction(Connection& c) : c_(c) {
    c_.exec("BEGIN");
}

Transaction::~Transaction() {
    if (done_)
        return;
    try {
        c_.exec("ROLLBACK");
    } catch (const PgError&) {
        // The connection is gone: PostgreSQL rolled back already.
    }
}

void Transaction::commit() {
    c_.exec("COMMIT");
    done_ = true;
}

void append_copy_text(std::string& out, const std::string& field) {
    for (const char ch : field) {
        switch (ch) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += ch;
        }
    }
}

std::string bytea_text(const std::uint8_t* data, std::size_t size) {
    return "\\x" + to_hex(data, size);
}

std::vector<std::uint8_t> bytea_bytes(const std::string& text) {
    std::size_t size = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text.c_str()), &size);
    if (!bytes)
        throw PgError("PostgreSQL sent a bytea value that is not one");
    std::vector<std::uint8_t> out(bytes, bytes + size);
    PQfreemem(bytes);
    return out;
}

} // namespace accueil::pg
