// `accueil-sync migrate --from central.db --to postgresql://...` (sync/pg/pg_central.hpp says what moves).
#include "database.hpp"
#include "i18n/catalogue.hpp"
#include "ids.hpp"
#include "journal.hpp"
#include "made_file.hpp"
#include "pg_central.hpp"
#include "pg_schema.hpp"
#include "projection.hpp"
#include "store.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace accueil::pg {

namespace {

std::string blob_text(const SQLite::Column& c) {
    return bytea_text(static_cast<const std::uint8_t*>(c.getBlob()), std::size_t(c.getBytes()));
}

Param column_param(const SQLite::Column& c) {
    if (c.isNull())
        return std::nullopt;
    if (c.isBlob())
        return blob_text(c);
    return c.getString();
}

// The tables that move beside the journal, named and laid out alike on both sides. `conflict`: what a
// row already in PostgreSQL becomes (a second run of the move); `back`: also copied into a new SQLite
// file (the event and its keys are rebuilt there from the journal instead).
struct TableMove {
    const char* table;
    const char* columns;
    const char* order; // "" or an ORDER BY clause
    const char* conflict;
    bool back;
};
constexpr TableMove kTables[] = {
    {"event_info", "id, uid, name, timezone, days", "",
     "(id) DO UPDATE SET uid = excluded.uid, name = excluded.name, timezone = excluded.timezone, "
     "days = excluded.days",
     false},
    {"event_keys", "public_key, label, added_ms", "", "(public_key) DO NOTHING", false},
    // While the move is under way the SQLite store is the truth about devices: its rows win.
    {"sync_devices",
     "name, enrol_hash, token_hash, origin, enrolled_ms, joined_ms, revoked_ms, last_contact_ms, pending, "
     "role, "
     "enrol_expires_ms",
     "",
     "(name) DO UPDATE SET enrol_hash = excluded.enrol_hash, token_hash = excluded.token_hash, origin = "
     "excluded.origin, joined_ms = excluded.joined_ms, revoked_ms = excluded.revoked_ms, last_contact_ms = "
     "excluded.last_contact_ms, pending = excluded.pending, role = excluded.role, enrol_expires_ms = "
     "excluded.enrol_expires_ms",
     true},
    {"sync_peers", "origin, role, name, device_key", "",
     "(origin) DO UPDATE SET role = excluded.role, name = excluded.name, device_key = excluded.device_key",
     true},
    {"sync_marks", "origin, high_water", "",
     "(origin) DO UPDATE SET high_water = greatest(sync_marks.high_water, excluded.high_water)", true},
    {"sync_refusals",
     "origin, seq, kind, source, reason, payload_hash, payload_size, first_ms, last_ms, count",
     " ORDER BY id", "(origin, seq, source, payload_hash) DO NOTHING", true},
};

std::string select_all(const TableMove& t) {
    return std::string("SELECT ") + t.columns + " FROM " + t.table + t.order;
}

// "INSERT INTO table (columns) VALUES (...)" with PostgreSQL's "$1, $2..." or SQLite's "?, ?...".
std::string insert_into(const TableMove& t, bool numbered) {
    const auto columns = 1 + std::count(t.columns, t.columns + std::strlen(t.columns), ',');
    std::string values;
    for (int i = 1; i <= columns; ++i)
        values += (i > 1 ? ", " : "") + (numbered ? "$" + std::to_string(i) : std::string("?"));
    return std::string("INSERT INTO ") + t.table + " (" + t.columns + ") VALUES (" + values + ")";
}

// Every row of the table from SQLite into PostgreSQL.
void copy_rows(SQLite::Database& from, Connection& to, const TableMove& t) {
    SQLite::Statement q(from, select_all(t));
    const int n = q.getColumnCount();
    const std::string sql = insert_into(t, true) + " ON CONFLICT " + t.conflict;
    while (q.executeStep()) {
        std::vector<Param> params;
        for (int i = 0; i < n; ++i)
            params.push_back(column_param(q.getColumn(i)));
        to.exec(sql, params);
    }
}

// Each origin's event count and last seq, on one side and on the other.
using Tally = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;

Tally sqlite_tally(SQLite::Database& db) {
    Tally t;
    SQLite::Statement q(db, "SELECT lower(hex(origin)), count(*), max(seq) FROM journal GROUP BY origin");
    while (q.executeStep())
        t[q.getColumn(0).getString()] = {q.getColumn(1).getInt64(), q.getColumn(2).getInt64()};
    return t;
}

Tally pg_tally(Connection& c) {
    Tally t;
    const auto r = c.exec("SELECT encode(origin, 'hex'), count(*), max(seq) FROM journal GROUP BY origin");
    for (int i = 0; i < r.rows(); ++i)
        t[r.text(i, 0)] = {r.int64(i, 1), r.int64(i, 2)};
    return t;
}

} // namespace

MoveReport move_to_postgres(const std::string& sqlite_path, const std::string& url,
                            const std::map<std::string, std::string>& extra) {
    if (!std::filesystem::exists(sqlite_path))
        throw InputError("", i18n::tr("central.no_database", {{"path", sqlite_path}}));
    Store from = Store::open(sqlite_path);
    Connection to = Connection::open(url);
    ensure_schema(to);
    MoveReport report;
    // A read transaction on the SQLite side: one consistent picture while its server goes on.
    SQLite::Transaction reading(from.db());
    Transaction tx(to);
    to.exec("SELECT pg_advisory_xact_lock(7202612)"); // one migrate at a time
    const std::string origin = to_hex(from.origin());
    const auto held = to.exec("SELECT value FROM accueil_meta WHERE key = 'origin'");
    if (held.rows() && held.text(0, 0) != origin)
        throw InputError("", i18n::tr("pg.other_store", {{"url", to.url()}, {"origin", held.text(0, 0)}}));
    to.exec("INSERT INTO accueil_meta (key, value) VALUES ('origin', $1) ON CONFLICT (key) DO NOTHING",
            {origin});
    // The server's device key (kiosks pinned its public half at join), its address and certificate:
    // the same server for the kiosks. What the store has already stays.
    std::map<std::string, std::string> moving = extra;
    for (const char* key : kMovingMeta)
        if (const auto value = from.meta(key); value && std::string(key) != "hlc")
            moving[key] = *value;
    for (const auto& [key, value] : moving)
        to.exec("INSERT INTO accueil_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                {key, value});
    to.exec(
        "INSERT INTO accueil_meta (key, value) VALUES ('hlc', $1) ON CONFLICT (key) DO UPDATE SET value = "
        "greatest(accueil_meta.value::bigint, excluded.value::bigint)::text",
        {std::to_string(std::int64_t(from.clock().last()))});

    // The journal: staged with COPY, compared (the same (origin, seq) with other content stops
    // everything: two stores that are not one), then the missing events inserted.
    to.exec("CREATE TEMP TABLE move_staging (LIKE journal) ON COMMIT DROP");
    {
        // In pieces, so a journal of millions of events never sits whole in memory.
        SQLite::Statement q(from.db(), "SELECT origin, seq, hlc, kind, entity, payload FROM journal");
        std::string rows;
        std::size_t n = 0;
        while (q.executeStep()) {
            append_copy_row(rows, journal_event_from_row(q));
            if (++n % 10000 == 0) {
                to.copy_in("COPY move_staging FROM STDIN", rows);
                rows.clear();
            }
        }
        if (!rows.empty())
            to.copy_in("COPY move_staging FROM STDIN", rows);
    }
    const auto differ = differing_rows(to, "move_staging", true);
    if (differ.rows())
        throw InputError(
            "", i18n::tr("pg.journal_differs",
                         {{"url", to.url()}, {"event", differ.text(0, 0) + "/" + differ.text(0, 1)}}));
    report.added =
        to.exec("INSERT INTO journal SELECT * FROM move_staging ON CONFLICT DO NOTHING").affected();

    for (const auto& t : kTables)
        copy_rows(from.db(), to, t);

    // Compared before the commit: every origin has the same count and last seq on both sides.
    const Tally here = sqlite_tally(from.db()), there = pg_tally(to);
    for (const auto& [o, t] : here) {
        const auto it = there.find(o);
        if (it == there.end() || it->second != t)
            throw PgError(i18n::tr("pg.move_mismatch", {{"url", to.url()}, {"origin", o}}));
    }
    report.events = to.exec("SELECT count(*) FROM journal").int64(0, 0);
    report.devices = to.exec("SELECT count(*) FROM sync_devices").int64(0, 0);
    tx.commit();
    return report;
}

namespace {

// One row of a PostgreSQL result through `q`, an INSERT with its columns in the same order.
void insert_row(SQLite::Statement& q, const Result& r, int row) {
    q.reset();
    for (int col = 0; col < r.columns(); ++col) {
        if (r.null(row, col)) {
            q.bind(col + 1);
        } else if (r.is_bytea(col)) {
            const auto bytes = bytea_bytes(r.text(row, col));
            q.bind(col + 1, bytes.data(), int(bytes.size()));
        } else {
            q.bind(col + 1, r.text(row, col));
        }
    }
    q.exec();
}

// From PostgreSQL back into a new SQLite file: every row of `select` into `insert` (`?` placeholders
// in the same order), bytea columns as blobs.
void copy_rows_back(Connection& from, SQLite::Database& to, const std::string& select,
                    const std::string& insert) {
    SQLite::Statement q(to, insert);
    // Through a cursor, 10,000 rows at a time: a big journal never sits whole in memory. The caller's
    // transaction holds it.
    from.exec("DECLARE rows_back NO SCROLL CURSOR FOR " + select);
    for (;;) {
        const auto r = from.exec("FETCH 10000 FROM rows_back");
        if (r.rows() == 0)
            break;
        for (int row = 0; row < r.rows(); ++row)
            insert_row(q, r, row);
    }
    from.exec("CLOSE rows_back");
}

} // namespace

MoveReport move_from_postgres(const std::string& url, const std::string& sqlite_path) {
    Connection from = Connection::open(url);
    ensure_schema(from);
    const auto meta = from.exec("SELECT key, value FROM accueil_meta");
    std::map<std::string, std::string> values;
    for (int i = 0; i < meta.rows(); ++i)
        values[meta.text(i, 0)] = meta.text(i, 1);
    const auto origin = origin_from_hex(values["origin"]);
    if (!origin)
        throw InputError("", i18n::tr("pg.no_store", {{"url", from.url()}}));
    if (std::filesystem::exists(sqlite_path))
        throw InputError(sqlite_path, i18n::tr("pg.target_exists", {{"path", sqlite_path}}));
    MadeFile made(sqlite_path);
    MoveReport report;
    for (const auto& [key, value] : values)
        if (key.starts_with("sync.tls_"))
            report.server_files[key] = value;
    {
        // One consistent picture of the PostgreSQL side, however many servers write meanwhile.
        Transaction reading(from);
        from.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        SQLite::Database db = open_database(sqlite_path, OpenMode::CreateIfMissing);
        {
            WriteTransaction tx(db);
            SQLite::Statement ins(db, "INSERT INTO meta (key, value) VALUES ('origin', ?)");
            ins.bind(1, origin->data(), int(origin->size()));
            ins.exec();
            for (const char* key : kMovingMeta)
                if (values.count(key)) {
                    SQLite::Statement m(db, "INSERT INTO meta (key, value) VALUES (?, ?)");
                    m.bind(1, key);
                    m.bind(2, values[key]);
                    m.exec();
                }
            copy_rows_back(
                from, db, "SELECT origin, seq, hlc, kind, entity, payload FROM journal ORDER BY origin, seq",
                "INSERT INTO journal (origin, seq, hlc, kind, entity, payload) VALUES (?, ?, ?, ?, ?, ?)");
            for (const auto& t : kTables)
                if (t.back)
                    copy_rows_back(from, db, select_all(t), insert_into(t, false));
            tx.commit();
        }
        // The event, its keys, people, check-ins and figures: all from the journal.
        rebuild_projections(db);
        const Tally here = sqlite_tally(db), there = pg_tally(from);
        if (here != there)
            throw PgError(i18n::tr("pg.move_back_mismatch", {{"url", from.url()}, {"path", sqlite_path}}));
        report.events = db.execAndGet("SELECT count(*) FROM journal").getInt64();
        report.added = report.events;
        report.devices = db.execAndGet("SELECT count(*) FROM sync_devices").getInt64();
        reading.commit();
    }
    made.keep();
    return report;
}

void copy_devices_back(Connection& from, SQLite::Database& to, std::string& seen) {
    std::vector<std::pair<const TableMove*, Result>> read;
    std::string now;
    for (const auto& t : kTables) {
        if (std::string_view(t.table) != "sync_devices" && std::string_view(t.table) != "sync_peers")
            continue;
        auto r = from.exec(select_all(t) + " ORDER BY 1");
        for (int row = 0; row < r.rows(); ++row) {
            for (int col = 0; col < r.columns(); ++col)
                now += (r.null(row, col) ? std::string("\x01") : r.text(row, col)) + '\x1f';
            now += '\x1e';
        }
        now += '\x1d';
        read.emplace_back(&t, std::move(r));
    }
    if (now == seen)
        return; // an idle store writes nothing here, so the page computes nothing
    WriteTransaction tx(to);
    for (const auto& [t, r] : read) {
        to.exec(std::string("DELETE FROM ") + t->table);
        SQLite::Statement q(to, insert_into(*t, false));
        for (int row = 0; row < r.rows(); ++row)
            insert_row(q, r, row);
    }
    tx.commit();
    seen = std::move(now);
}

} // namespace accueil::pg
