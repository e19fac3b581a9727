// Schema migrations, one step per user_version. Never edit a released step: add the next one.
#include "errors.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace accueil {

namespace {
constexpr const char* kVersion1 = R"sql(
-- Local settings: origin (16 random bytes), last HLC stamp, kiosk name.
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;

-- The journal: the only source of truth. Every other table is a projection of it.
CREATE TABLE journal (
    origin  BLOB    NOT NULL,
    seq     INTEGER NOT NULL,
    hlc     INTEGER NOT NULL,
    kind    INTEGER NOT NULL,
    entity  TEXT    NOT NULL,
    payload TEXT    NOT NULL,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;

-- Projections.
CREATE TABLE event_info (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    uid      TEXT NOT NULL,
    name     TEXT NOT NULL,
    timezone TEXT NOT NULL,
    days     TEXT NOT NULL,  -- JSON array of YYYY-MM-DD
    hlc      INTEGER NOT NULL,
    origin   BLOB    NOT NULL
);

CREATE TABLE attendees (
    num            INTEGER PRIMARY KEY,  -- row number shared with attendee_search
    id             TEXT NOT NULL UNIQUE,
    first_name     TEXT NOT NULL DEFAULT '',
    last_name      TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    organisation   TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    category_key   TEXT NOT NULL DEFAULT '',
    days           TEXT NOT NULL DEFAULT '',  -- comma-separated YYYY-MM-DD; empty = every day
    ext_code       TEXT NOT NULL DEFAULT '',
    badge_version  INTEGER NOT NULL DEFAULT 1,
    source         TEXT NOT NULL DEFAULT '',
    stamp_hlc      INTEGER NOT NULL,         -- stamp of the creating event: the default stamp of every
    stamp_origin   BLOB    NOT NULL          -- field without a row in attendee_stamps
);
CREATE INDEX attendees_ext_code ON attendees (ext_code) WHERE ext_code <> '';
CREATE INDEX attendees_email ON attendees (email COLLATE NOCASE) WHERE email <> '';

-- Last-writer-wins stamps of fields written after creation, ordered by (hlc, origin).
CREATE TABLE attendee_stamps (
    attendee_id TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    hlc         INTEGER NOT NULL,
    origin      BLOB    NOT NULL,
    PRIMARY KEY (attendee_id, field)
) WITHOUT ROWID;

-- Check-ins: a grow-only set; an undo names the check-in it cancels.
CREATE TABLE checkins (
    origin      BLOB    NOT NULL,
    seq         INTEGER NOT NULL,
    attendee_id TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,
    kiosk       TEXT    NOT NULL,
    undone      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
CREATE INDEX checkins_attendee_day ON checkins (attendee_id, day);
CREATE INDEX checkins_day ON checkins (day, at_ms);

CREATE TABLE undos (
    origin        BLOB    NOT NULL,
    seq           INTEGER NOT NULL,
    target_origin BLOB    NOT NULL,
    target_seq    INTEGER NOT NULL,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
CREATE INDEX undos_target ON undos (target_origin, target_seq);

-- Name search: folded text (see text_fold.hpp), kept in step with `attendees` by the projection.
-- rowid = attendees.num.
CREATE VIRTUAL TABLE attendee_search USING fts5 (
    names, organisation, email,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3'
);
)sql";
} // namespace

void apply_migration(SQLite::Database& db, int to_version) {
    switch (to_version) {
    case 1:
        db.exec(kVersion1);
        return;
    default:
        throw StoreError("no migration to schema " + std::to_string(to_version));
    }
}

} // namespace accueil
