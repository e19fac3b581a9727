#pragma once
// Reading a test's databases as plain values: a count, or the rows of some queries as text, so two
// stores (or one store before and after a rebuild) are compared with one string equality.
#include <SQLiteCpp/SQLiteCpp.h>

#include <initializer_list>
#include <string>

namespace accueil::test {

// The single integer `sql` returns, read from a database file another process may be writing.
inline int count_in(const std::string& db, const std::string& sql) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    return d.execAndGet(sql).getInt();
}

// Every row of every query, columns joined by '|', a "--" line after each query.
inline std::string dump_queries(SQLite::Database& db, std::initializer_list<const char*> queries) {
    std::string out;
    for (const char* sql : queries) {
        SQLite::Statement q(db, sql);
        while (q.executeStep()) {
            for (int i = 0; i < q.getColumnCount(); ++i)
                out += q.getColumn(i).getString() + "|";
            out += "\n";
        }
        out += "--\n";
    }
    return out;
}

// What the names index (attendee_names, which keeps no text: shared/schema.cpp, version 10) holds and
// the names column of attendee_search does not, or the other way round: each term with the number of
// people it is in, read from both indexes by fts5vocab. Empty when the two agree.
inline std::string names_index_differences(SQLite::Database& db) {
    db.exec(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.names_terms USING fts5vocab(main, attendee_names, row);"
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, attendee_search, col)");
    const std::string out = dump_queries(
        db, {"SELECT 'in the names index only', * FROM (SELECT term, doc FROM temp.names_terms EXCEPT "
             "SELECT term, doc FROM temp.search_terms WHERE col = 'names')",
             "SELECT 'in the names column only', * FROM (SELECT term, doc FROM temp.search_terms WHERE "
             "col = 'names' EXCEPT SELECT term, doc FROM temp.names_terms)"});
    return out == "--\n--\n" ? std::string() : out;
}

// Every projection table as text, in a stable order, for comparisons: a rebuild from the journal,
// or a migration, must give the same text.
inline std::string dump_projections(SQLite::Database& db) {
    const std::string tables = dump_queries(
        db,
        {"SELECT id, first_name, last_name, email, organisation, category, category_key, days, ext_code, "
         "badge_version, source FROM attendees ORDER BY id",
         "SELECT attendee_id, field, hlc, hex(origin) FROM attendee_stamps ORDER BY attendee_id, field",
         "SELECT hex(origin), seq, attendee_id, day, at_ms, hlc, kiosk, undone FROM checkins ORDER BY "
         "origin, seq",
         "SELECT hex(origin), seq, hex(target_origin), target_seq FROM undos ORDER BY origin, seq",
         "SELECT attendee_id, day, first_at, first_hlc, hex(first_origin), first_seq, first_kiosk "
         "FROM checkin_days ORDER BY attendee_id, day",
         "SELECT uid, name, timezone, days FROM event_info",
         "SELECT a.id, s.names, s.organisation, s.email FROM attendee_search s JOIN attendees a ON a.num = "
         "s.rowid ORDER BY a.id",
         // The figures' summary tables (schema 8): a rebuild and a migration must give the same counts.
         "SELECT day, events, undone FROM checkin_counts ORDER BY day",
         "SELECT day, quarter, kiosk, known, category_key, walk_in, arrivals FROM arrival_counts ORDER BY "
         "day, quarter, kiosk, known, category_key, walk_in",
         "SELECT category_key, category, days, walk_in, people, reprints FROM roster_counts ORDER BY "
         "category_key, category, days, walk_in"});
    return tables + "names index: " + names_index_differences(db);
}

} // namespace accueil::test
