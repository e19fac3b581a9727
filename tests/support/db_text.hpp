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

} // namespace accueil::test
