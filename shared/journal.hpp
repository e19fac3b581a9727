#pragma once
// Journal events: the only source of truth, keyed (origin, seq), stamped with an HLC.
#include "ids.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace accueil {

enum class EventKind : int {
    EventDefined = 1,    // entity "event"; payload {uid, name, timezone, days:[{date, label}]}
    AttendeeCreated = 2, // entity attendee id; payload: every field (see attendee.hpp)
    AttendeeUpdated = 3, // entity attendee id; payload: the changed fields only
    CheckIn = 4,         // entity attendee id; payload {day, at, kiosk}
    CheckInUndone = 5,   // entity attendee id; payload {origin, seq} of the cancelled check-in
    KeyAdded = 6,        // entity "key"; payload {public_key (64 hex), label, at}: a badge-signing key
    // Entity attendee id; payload {note: text of at most 500 characters, "" clears}. Health and access
    // needs: only the central store and desks ever hold these events (see shared/attendee_notes.hpp).
    NoteSet = 7,
    // Entity attendee id; payload {day, at, kiosk, version}: a replaced (older version) badge was scanned
    // at `kiosk`. Recorded so desks see such scans from every device (shared/desk.hpp volunteer_alerts).
    ReplacedBadgeScanned = 8,
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

// Inserts events unless (origin, seq) is already there: insert() returns true when the event was new and
// throws StoreError when the same key is stored with different content (a cloned database). Statements
// are prepared once: imports and merges insert hundreds of thousands of events in a row.
class JournalInserter {
public:
    explicit JournalInserter(SQLite::Database& db);
    bool insert(const JournalEvent& e);

private:
    SQLite::Database& db_;
    SQLite::Statement ins_;
    std::unique_ptr<SQLite::Statement> old_; // prepared on the first duplicate only
};

// Binds parameters 1 to 6 of `s` to the event's origin, seq, hlc, kind, entity and payload, the texts
// without a copy: the event must outlive the statement's next step.
void bind_event(SQLite::Statement& s, const JournalEvent& e);

std::int64_t next_seq(SQLite::Database& db, const Origin& origin);

// The event of the current row of a query selecting origin, seq, hlc, kind, entity, payload.
JournalEvent journal_event_from_row(SQLite::Statement& q);

// Visits every event in a deterministic order: (hlc, origin, seq), streaming (no copy of the journal).
void scan_journal(SQLite::Database& db, const std::function<void(const JournalEvent&)>& visit);
std::vector<JournalEvent> read_journal(SQLite::Database& db);

} // namespace accueil
