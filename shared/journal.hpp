#pragma once
// Journal events (DESIGN.md §3): the only source of truth, keyed (origin, seq), stamped with an HLC.
#include "ids.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace accueil {

enum class EventKind : int {
    EventDefined = 1,    // entity "event"; payload {uid, name, timezone, days:[{date, label}]}
    AttendeeCreated = 2, // entity attendee id; payload: every field (see attendee.hpp)
    AttendeeUpdated = 3, // entity attendee id; payload: the changed fields only
    CheckIn = 4,         // entity attendee id; payload {day, at, kiosk}
    CheckInUndone = 5,   // entity attendee id; payload {origin, seq} of the cancelled check-in
};
const char* to_string(EventKind kind);

struct JournalEvent {
    Origin origin{};
    std::int64_t seq = 0;
    std::uint64_t hlc = 0;
    EventKind kind = EventKind::EventDefined;
    std::string entity;
    std::string payload; // JSON object

    bool operator==(const JournalEvent&) const = default;
};

// Inserts the event unless (origin, seq) is already there. Returns true when it was new. Throws
// StoreError when the same key is stored with different content (a cloned database).
bool insert_journal_event(SQLite::Database& db, const JournalEvent& e);

std::int64_t next_seq(SQLite::Database& db, const Origin& origin);

// Visits every event in a deterministic order: (hlc, origin, seq), streaming (no copy of the journal).
void scan_journal(SQLite::Database& db, const std::function<void(const JournalEvent&)>& visit);
std::vector<JournalEvent> read_journal(SQLite::Database& db);

} // namespace accueil
