#pragma once
// Applies journal events to the projection tables (attendees, checkins, search index, event_info).
// Application is commutative and idempotent per event: check-ins form a grow-only set, undos name
// their target, attendee fields are last-writer-wins by (hlc, origin). Callers own the transaction.
#include "journal.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

namespace accueil {

class Projector {
public:
    explicit Projector(SQLite::Database& db) : db_(db) {}
    // `parsed` is the payload already parsed, when the caller has it (local appends): saves a parse.
    void apply(const JournalEvent& e, const nlohmann::json* parsed = nullptr);

private:
    void apply_event_defined(const JournalEvent& e, const nlohmann::json& p);
    void apply_attendee_fields(const JournalEvent& e, const nlohmann::json& p);
    void apply_checkin(const JournalEvent& e, const nlohmann::json& p);
    void apply_undo(const JournalEvent& e, const nlohmann::json& p);
    void reindex(std::int64_t num);
    SQLite::Statement& stmt(const std::string& sql);

    SQLite::Database& db_;
    std::map<std::string, std::unique_ptr<SQLite::Statement>> cache_; // prepared once per connection
};

// Empties every projection and replays the whole journal. Runs in its own transaction.
void rebuild_projections(SQLite::Database& db);

} // namespace accueil
