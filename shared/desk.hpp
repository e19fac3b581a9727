#pragma once
// The welcome desk's data (issue 10): a person's history, the walk-in form's checks and likely
// duplicates, badge reprints signed without the event's main key, and the alerts volunteers act on.
// Attention notes are in attendee_notes.hpp. Headless: the desk screen is built on these.
#include "attendee.hpp"
#include "badge/event_keys.hpp"
#include "event_calendar.hpp"
#include "store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace accueil {

// ---- Person history ------------------------------------------------------------------------------

enum class HistoryKind {
    Created,              // `source`: "import", "walk-in", "badge" (learnt from a signed badge) ...
    Edited,               // `fields`: the attendee fields that changed (attendee_fields() names)
    Reprinted,            // `badge_version`: the new version
    CheckedIn,            // `day`; `undone` when a later undo cancelled it
    Undone,               // `day` of the cancelled check-in (empty when it has not reached this store)
    NoteChanged,          // `note_cleared`; never the text (attendee_note() gives the current one)
    ReplacedBadgeScanned, // `day`, `badge_version`: the old version that was shown
};
// "created", "edited", "reprinted", "checked-in", "undone", "note-changed", "replaced-badge-scanned"
const char* history_key(HistoryKind kind);

struct HistoryEntry {
    HistoryKind kind = HistoryKind::Created;
    // Wall time in ms since the epoch: for check-ins and replaced-badge scans the device's scan time
    // (the payload's "at"), otherwise the physical part of the event's HLC stamp (hlc.hpp).
    std::int64_t at_ms = 0;
    // Where: the check-in's or scan's device name; otherwise the writing origin's device name (this
    // store's own kiosk_name(), an enrolled device's name, "central" for the organisers' store) or,
    // when unknown here, "origin " and the first 8 hex digits of the origin.
    std::string device;
    std::string day;
    std::vector<std::string> fields;
    std::string source;
    int badge_version = 0;
    bool undone = false;
    bool note_cleared = false;
};

// Everything the journal here says about the attendee, newest first (ties: the later journal stamp
// first). Empty for an unknown id. Reads the whole journal (no index by attendee: it would cost every
// merge a random B-tree page, see shared/schema.cpp); tens of milliseconds for 100,000 events.
std::vector<HistoryEntry> person_history(Store& store, const std::string& attendee_id);

// ---- Walk-ins and the edit form -------------------------------------------------------------------

// One problem of the form: the attendee field ("first_name", "email", "days" ...) and a message key:
//   desk.error.required      first or last name missing (blank)
//   desk.error.too_long      over 200 characters (category: 100), or over the sync door's byte bound
//   desk.error.email         not a plausible e-mail address (empty is fine)
//   desk.error.day           a day that is not one of the event's
//   desk.error.invalid_text  a control character, or not UTF-8
struct FieldError {
    std::string field;
    std::string message_key;
    bool operator==(const FieldError&) const = default;
};
// Empty when the attendee may be saved (created with source "walk-in" through create_attendee, or
// updated through update_attendee: attendee_ops.hpp). At most one error per field, in field order.
std::vector<FieldError> validate_attendee(const Attendee& a, const EventInfo& event);

// Attendees who may be the same person: the same folded full name (text_fold.hpp; first and last name
// in either order) or the same e-mail (case aside), never `a.id` itself; at most `limit`, e-mail
// matches first.
std::vector<Attendee> likely_duplicates(SQLite::Database& db, const Attendee& a, int limit = 5);

// ---- Badges at the desk ---------------------------------------------------------------------------

// The key this store signs badges with: the event's key file `<db>.key` beside the database when it is
// there, readable and one of the event's keys (the organisers' machine, a local-only demo); else this
// device's sync key (sync/device_key.hpp) when the central store made it a badge key at join (desks:
// sync/devices.cpp); else nullopt, and the desk cannot print badges (the screen says so).
std::optional<SigningKey> desk_signing_key(Store& store);

// Issues a new badge: badge_version + 1 through update_attendee, in its own transaction, and the new
// signed code in `code_out` (when not null); older badges are "replaced" from then on. Throws
// InputError, changing nothing, for an unknown attendee or a version past the format's limit.
Attendee reprint_badge(Store& store, const std::string& attendee_id, const SigningKey& key,
                       std::string* code_out);

// ---- Volunteer alerts -----------------------------------------------------------------------------

enum class AlertKind {
    CheckedInTwice,   // active check-ins at two (or more) devices the same day: offline kiosks
    ReplacedBadge,    // an old badge version was scanned (at any device that synced here)
    WalkInRegistered, // a walk-in who may be a registered attendee (`other_id`)
};
// The catalogue key of its sentence: "desk.alert.double-checkin", "desk.alert.replaced-badge",
// "desk.alert.possible-duplicate" (assets/lang/*/kiosk.json)
const char* alert_key(AlertKind kind);

struct Alert {
    AlertKind kind = AlertKind::CheckedInTwice;
    std::string attendee_id;
    std::string full_name;
    std::vector<std::string> devices;   // CheckedInTwice: each device, earliest first; else the one
    std::vector<std::int64_t> times_ms; // the matching times (scan or creation)
    std::int64_t at_ms = 0;             // the latest of them: alerts are sorted on it, newest first
    std::string other_id;               // WalkInRegistered: the registered attendee it may be
    std::string detail;                 // a short English line, for logs and the CLI
};

// The alerts of `day` (YYYY-MM-DD; walk-ins: of any day), newest first, at most `limit`.
std::vector<Alert> volunteer_alerts(Store& store, const std::string& day, int limit = 50);

} // namespace accueil
