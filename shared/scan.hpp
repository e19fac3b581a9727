#pragma once
// A prepared statement read through SQLite's C API, for loops over many rows: SQLiteCpp hands out
// each column as an object sharing the statement (an atomic count per value), which cost as much as
// SQLite's own work in the figures' scans and the merge's walk over checkin_days. Errors throw.
#include "ids.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace accueil {

class Scan {
public:
    Scan(SQLite::Database& db, const char* sql);
    ~Scan();
    Scan(const Scan&) = delete;
    Scan& operator=(const Scan&) = delete;

    // Binds parameter `index` (from 1) to text that must outlive the next step (no copy).
    void bind_text(int index, std::string_view text);
    // Ends the read (a stepped statement left as is would keep the connection's read snapshot).
    void reset();
    bool next();
    std::string_view text(int column) const;
    std::int64_t int64(int column) const;
    Origin origin(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

} // namespace accueil
