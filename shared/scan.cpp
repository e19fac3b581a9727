#include "scan.hpp"

#include <sqlite3.h>

namespace accueil {

Scan::Scan(SQLite::Database& db, const char* sql) : db_(db.getHandle()) {
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr) != SQLITE_OK)
        throw SQLite::Exception(db_, sqlite3_errcode(db_));
}

Scan::~Scan() {
    sqlite3_finalize(stmt_);
}

void Scan::bind_text(int index, std::string_view text) {
    const int rc = sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK)
        throw SQLite::Exception(db_, rc);
}

void Scan::reset() {
    sqlite3_reset(stmt_);
}

bool Scan::next() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        throw SQLite::Exception(db_, rc);
    return false;
}

std::string_view Scan::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string_view(p, std::size_t(sqlite3_column_bytes(stmt_, column))) : std::string_view();
}

std::int64_t Scan::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

Origin Scan::origin(int column) const {
    return origin_from_blob(sqlite3_column_blob(stmt_, column), sqlite3_column_bytes(stmt_, column));
}

} // namespace accueil
