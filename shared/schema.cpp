// Schema migrations, one step per user_version. Never edit a released step: add the next one.
#include "errors.hpp"
#include "projection.hpp"

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
    tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3', detail = column
);
)sql";

// Sync (issue 3): per-origin high-water marks, enrolled devices, refused events and clone conflicts.
constexpr const char* kVersion2Sync = R"sql(
-- Contiguous high-water mark of each origin in this journal (every seq up to it is present),
-- advanced by the merge in the same transaction as the events.
CREATE TABLE sync_marks (origin BLOB PRIMARY KEY, high_water INTEGER NOT NULL) WITHOUT ROWID;

-- Kiosk side: per origin, every seq up to `high_water` is known to the server (acknowledged) or
-- dead-lettered, so the agent never sends it again.
CREATE TABLE sync_acked (origin BLOB PRIMARY KEY, high_water INTEGER NOT NULL) WITHOUT ROWID;

-- Kiosk side: events the server refused permanently, kept for organisers (never silently dropped).
CREATE TABLE sync_dead_letters (
    origin  BLOB    NOT NULL,
    seq     INTEGER NOT NULL,
    reason  TEXT    NOT NULL,
    at_ms   INTEGER NOT NULL,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;

-- Server side: devices allowed to sync. Only hashes of the enrolment code and of the token are kept.
CREATE TABLE sync_devices (
    name            TEXT PRIMARY KEY,
    enrol_hash      TEXT,              -- one-time enrolment secret, cleared once used
    token_hash      TEXT UNIQUE,
    origin          BLOB,              -- the kiosk's journal origin, learnt on its first request
    enrolled_ms     INTEGER NOT NULL,
    joined_ms       INTEGER,
    revoked_ms      INTEGER,
    last_contact_ms INTEGER,
    pending         INTEGER NOT NULL DEFAULT 0  -- events the device last said it still had to send
);

-- Server side: the same (origin, seq) received with different content (a cloned kiosk disk).
CREATE TABLE sync_conflicts (
    origin      BLOB    NOT NULL,
    seq         INTEGER NOT NULL,
    device      TEXT    NOT NULL,
    payload     TEXT    NOT NULL,      -- the refused version, for organisers to inspect
    first_ms    INTEGER NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (origin, seq, device)
) WITHOUT ROWID;
)sql";

// Badges (issue 4): the event's public badge-signing keys, projected from KeyAdded journal events so
// kiosks receive them with the event data. Several rows: keys can be rotated.
constexpr const char* kVersion3BadgeKeys = R"sql(
CREATE TABLE event_keys (
    public_key BLOB    PRIMARY KEY,  -- Ed25519, 32 bytes
    key_id     INTEGER NOT NULL,     -- first two bytes of the key, big-endian: named in each badge code
    label      TEXT    NOT NULL DEFAULT '',
    added_ms   INTEGER NOT NULL,
    hlc        INTEGER NOT NULL,
    origin     BLOB    NOT NULL
) WITHOUT ROWID;
CREATE INDEX event_keys_id ON event_keys (key_id);
)sql";

// The central merge (issue 3): check-ins are read straight from the journal through a view, and a
// per-(attendee, day) summary answers "already checked in?", the counts and the duplicates. The old
// table's index by attendee took a random B-tree page per merged event; the summary holds at most
// roster × days rows, so a batch touches few pages. See Projector::apply_checkin.
constexpr const char* kVersion4CheckinDays = R"sql(
DROP TABLE checkins;
CREATE VIEW checkins AS
SELECT j.origin AS origin, j.seq AS seq, j.entity AS attendee_id,
       coalesce(json_extract(j.payload, '$.day'), '') AS day,
       coalesce(json_extract(j.payload, '$.at'), 0) AS at_ms, j.hlc AS hlc,
       coalesce(json_extract(j.payload, '$.kiosk'), '') AS kiosk,
       EXISTS (SELECT 1 FROM undos u WHERE u.target_origin = j.origin AND u.target_seq = j.seq) AS undone
FROM journal j WHERE j.kind = 4;

-- One row per attendee and day with at least one check-in not undone: the first of them by
-- (at_ms, hlc, origin, seq), a total order, so any delivery order gives the same row. No count: a
-- later scan leaves the row untouched, which keeps the merge cheap (duplicates are counted from the
-- checkins view when organisers ask).
CREATE TABLE checkin_days (
    attendee_id  TEXT    NOT NULL,
    day          TEXT    NOT NULL,
    first_at     INTEGER NOT NULL,
    first_hlc    INTEGER NOT NULL,
    first_origin BLOB    NOT NULL,
    first_seq    INTEGER NOT NULL,
    first_kiosk  TEXT    NOT NULL,
    PRIMARY KEY (attendee_id, day)
) WITHOUT ROWID;
)sql";

// Sync trust (issue 9): every device has a role and an Ed25519 key, every store knows the role of
// each origin it accepts events from, enrolment codes expire, and refused events leave a bounded
// record (reason, key, hash, size: never the payload).
constexpr const char* kVersion5SyncTrust = R"sql(
ALTER TABLE sync_devices ADD COLUMN role TEXT NOT NULL DEFAULT 'kiosk';
ALTER TABLE sync_devices ADD COLUMN enrol_expires_ms INTEGER;

-- The origins whose events this store accepts, with the role of the device writing under each.
-- Central side: filled at join (the device's origin and public key are bound to its token then).
-- Kiosk side: the server's list, refreshed with every pull; the server itself is the central role.
CREATE TABLE sync_peers (
    origin     BLOB PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('central', 'kiosk', 'desk')),
    name       TEXT NOT NULL DEFAULT '',
    device_key BLOB            -- Ed25519 public key: verifies the device's bundles
) WITHOUT ROWID;
INSERT INTO sync_peers (origin, role, name)
    SELECT origin, 'kiosk', name FROM sync_devices WHERE origin IS NOT NULL AND joined_ms IS NOT NULL;

-- Refused events (clone conflicts, forbidden kinds, malformed payloads): what, why and from whom,
-- never the payload itself, and at most a few thousand rows (the oldest go first).
DROP TABLE sync_conflicts;
CREATE TABLE sync_refusals (
    id           INTEGER PRIMARY KEY,
    origin       BLOB    NOT NULL,
    seq          INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    source       TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    payload_hash TEXT    NOT NULL,
    payload_size INTEGER NOT NULL,
    first_ms     INTEGER NOT NULL,
    last_ms      INTEGER NOT NULL,
    count        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (origin, seq, source, payload_hash)
);
)sql";

// Desk data (issue 10): attention notes. `has_note` travels to every device; the text lives in
// `attendee_notes`, projected from NoteSet events, which only desks and the central store receive
// (shared/attendee_notes.hpp). Last writer wins by (hlc, origin); a cleared note keeps its row (note '')
// so an older NoteSet arriving later cannot bring the text back.
constexpr const char* kVersion6Notes = R"sql(
ALTER TABLE attendees ADD COLUMN has_note INTEGER NOT NULL DEFAULT 0;
CREATE TABLE attendee_notes (
    attendee_id TEXT    PRIMARY KEY,
    note        TEXT    NOT NULL,
    hlc         INTEGER NOT NULL,
    origin      BLOB    NOT NULL
) WITHOUT ROWID;
)sql";

// The organisers' web page (issue 11): login sessions and the one-time links of `accueil-sync link`.
// Only hashes of their tokens are kept (a copied database opens no session); sessions survive a server
// restart until they expire.
constexpr const char* kVersion7WebAccess = R"sql(
CREATE TABLE web_sessions (
    token_hash TEXT    PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE web_links (
    token_hash TEXT    PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms    INTEGER            -- set when the link opened a session: never again
) WITHOUT ROWID;
)sql";

// Organisers' figures (issue 11): small summary tables, kept in step with their sources so
// compute_figures reads a few hundred rows instead of scanning the roster, checkin_days and the journal.
// checkin_counts and arrival_counts are kept by the Projector, which writes checkin_days (the merge adds up
// a batch's changes in memory and writes them once); roster_counts, and the moves of arrivals between
// categories when an attendee changes, by the triggers below.
// Rows whose count falls to 0 are deleted, so the tables always equal a from-scratch count
// (fill_summary_tables, shared/projection.cpp, which this step also runs).
constexpr const char* kVersion8FigureCounts = R"sql(
-- Per check-in day (as written in the payloads): check-in events in the journal, and those of them
-- cancelled by at least one undo.
CREATE TABLE checkin_counts (
    day    TEXT    PRIMARY KEY,
    events INTEGER NOT NULL,
    undone INTEGER NOT NULL
) WITHOUT ROWID;

-- Arrivals (checkin_days rows) by day, quarter-hour of first_at (floor(first_at / 900000), UTC quarters
-- are local ones: every zone offset is a whole number of quarter-hours), kiosk, and the attendee's
-- category_key and "walk-in registered for that day" (known = 0: no attendee row yet).
CREATE TABLE arrival_counts (
    day          TEXT    NOT NULL,
    quarter      INTEGER NOT NULL,
    kiosk        TEXT    NOT NULL,
    known        INTEGER NOT NULL,
    category_key TEXT    NOT NULL,
    walk_in      INTEGER NOT NULL,
    arrivals     INTEGER NOT NULL,
    PRIMARY KEY (day, quarter, kiosk, known, category_key, walk_in)
) WITHOUT ROWID;

-- The roster by category (key and spelling), days list and walk-in, with its reprints
-- (sum of badge_version - 1).
CREATE TABLE roster_counts (
    category_key TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    days         TEXT    NOT NULL,
    walk_in      INTEGER NOT NULL,
    people       INTEGER NOT NULL,
    reprints     INTEGER NOT NULL,
    PRIMARY KEY (category_key, category, days, walk_in)
) WITHOUT ROWID;

-- checkin_days rows are counted in arrival_counts by the Projector (aggregated per merge batch); the
-- triggers below move an attendee's counted arrivals when the attendee row appears, changes or goes.
-- An attendee's arrivals move with their category, source or days list.
CREATE TRIGGER arrival_counts_attendee_insert AFTER INSERT ON attendees
WHEN EXISTS (SELECT 1 FROM checkin_days k WHERE k.attendee_id = NEW.id) BEGIN
    INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals)
    SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk, 0, '', 0, -1 FROM checkin_days k WHERE k.attendee_id = NEW.id
    ON CONFLICT (day, quarter, kiosk, known, category_key, walk_in) DO UPDATE SET arrivals = arrivals + excluded.arrivals;
    INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals)
    SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk, 1, NEW.category_key, (NEW.source = 'walk-in' AND (replace(NEW.days, ',', '') = '' OR instr(',' || NEW.days || ',', ',' || k.day || ',') > 0)), 1 FROM checkin_days k WHERE k.attendee_id = NEW.id
    ON CONFLICT (day, quarter, kiosk, known, category_key, walk_in) DO UPDATE SET arrivals = arrivals + excluded.arrivals;
    DELETE FROM arrival_counts WHERE arrivals = 0 AND (day, quarter, kiosk) IN
        (SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk FROM checkin_days k WHERE k.attendee_id = NEW.id);
END;
CREATE TRIGGER arrival_counts_attendee_delete AFTER DELETE ON attendees
WHEN EXISTS (SELECT 1 FROM checkin_days k WHERE k.attendee_id = OLD.id) BEGIN
    INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals)
    SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk, 1, OLD.category_key, (OLD.source = 'walk-in' AND (replace(OLD.days, ',', '') = '' OR instr(',' || OLD.days || ',', ',' || k.day || ',') > 0)), -1 FROM checkin_days k WHERE k.attendee_id = OLD.id
    ON CONFLICT (day, quarter, kiosk, known, category_key, walk_in) DO UPDATE SET arrivals = arrivals + excluded.arrivals;
    INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals)
    SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk, 0, '', 0, 1 FROM checkin_days k WHERE k.attendee_id = OLD.id
    ON CONFLICT (day, quarter, kiosk, known, category_key, walk_in) DO UPDATE SET arrivals = arrivals + excluded.arrivals;
    DELETE FROM arrival_counts WHERE arrivals = 0 AND (day, quarter, kiosk) IN
        (SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk FROM checkin_days k WHERE k.attendee_id = OLD.id);
END;
CREATE TRIGGER arrival_counts_attendee_update AFTER UPDATE OF category_key, source, days ON attendees
WHEN (OLD.category_key IS NOT NEW.category_key OR OLD.source IS NOT NEW.source OR OLD.days IS NOT NEW.days)
    AND EXISTS (SELECT 1 FROM checkin_days k WHERE k.attendee_id = NEW.id) BEGIN
    INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals)
    SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk, 1, OLD.category_key, (OLD.source = 'walk-in' AND (replace(OLD.days, ',', '') = '' OR instr(',' || OLD.days || ',', ',' || k.day || ',') > 0)), -1 FROM checkin_days k WHERE k.attendee_id = OLD.id
    ON CONFLICT (day, quarter, kiosk, known, category_key, walk_in) DO UPDATE SET arrivals = arrivals + excluded.arrivals;
    INSERT INTO arrival_counts (day, quarter, kiosk, known, category_key, walk_in, arrivals)
    SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk, 1, NEW.category_key, (NEW.source = 'walk-in' AND (replace(NEW.days, ',', '') = '' OR instr(',' || NEW.days || ',', ',' || k.day || ',') > 0)), 1 FROM checkin_days k WHERE k.attendee_id = NEW.id
    ON CONFLICT (day, quarter, kiosk, known, category_key, walk_in) DO UPDATE SET arrivals = arrivals + excluded.arrivals;
    DELETE FROM arrival_counts WHERE arrivals = 0 AND (day, quarter, kiosk) IN
        (SELECT k.day, k.first_at / 900000 - (k.first_at % 900000 < 0), k.first_kiosk FROM checkin_days k WHERE k.attendee_id = OLD.id);
END;

CREATE TRIGGER roster_counts_insert AFTER INSERT ON attendees BEGIN
    INSERT INTO roster_counts (category_key, category, days, walk_in, people, reprints)
    VALUES (NEW.category_key, NEW.category, NEW.days, NEW.source = 'walk-in', 1,
            max(0, CAST(NEW.badge_version AS INTEGER) - 1))
    ON CONFLICT (category_key, category, days, walk_in) DO UPDATE SET people = people + excluded.people,
        reprints = reprints + excluded.reprints;
END;
CREATE TRIGGER roster_counts_delete AFTER DELETE ON attendees BEGIN
    INSERT INTO roster_counts (category_key, category, days, walk_in, people, reprints)
    VALUES (OLD.category_key, OLD.category, OLD.days, OLD.source = 'walk-in', -1,
            -max(0, CAST(OLD.badge_version AS INTEGER) - 1))
    ON CONFLICT (category_key, category, days, walk_in) DO UPDATE SET people = people + excluded.people,
        reprints = reprints + excluded.reprints;
    DELETE FROM roster_counts WHERE category_key = OLD.category_key AND category = OLD.category
        AND days = OLD.days AND walk_in = (OLD.source = 'walk-in') AND people = 0;
END;
CREATE TRIGGER roster_counts_update AFTER UPDATE OF category, category_key, days, source, badge_version
ON attendees WHEN OLD.category IS NOT NEW.category OR OLD.category_key IS NOT NEW.category_key
    OR OLD.days IS NOT NEW.days OR OLD.source IS NOT NEW.source OR OLD.badge_version IS NOT NEW.badge_version
BEGIN
    INSERT INTO roster_counts (category_key, category, days, walk_in, people, reprints)
    VALUES (OLD.category_key, OLD.category, OLD.days, OLD.source = 'walk-in', -1,
            -max(0, CAST(OLD.badge_version AS INTEGER) - 1))
    ON CONFLICT (category_key, category, days, walk_in) DO UPDATE SET people = people + excluded.people,
        reprints = reprints + excluded.reprints;
    INSERT INTO roster_counts (category_key, category, days, walk_in, people, reprints)
    VALUES (NEW.category_key, NEW.category, NEW.days, NEW.source = 'walk-in', 1,
            max(0, CAST(NEW.badge_version AS INTEGER) - 1))
    ON CONFLICT (category_key, category, days, walk_in) DO UPDATE SET people = people + excluded.people,
        reprints = reprints + excluded.reprints;
    DELETE FROM roster_counts WHERE category_key = OLD.category_key AND category = OLD.category
        AND days = OLD.days AND walk_in = (OLD.source = 'walk-in') AND people = 0;
END;
)sql";

// The names alone, for the search's name tiers (shared/search.cpp). In attendee_search a names-only
// query (`names : ...`) walks doclists that the organisations and e-mails fill: the prefix "f" is in
// every ".fr" address, so "clemence le f" read nearly every person's entry to keep two. Contentless:
// the text stays in attendee_search.names, which is also what a deletion here must be given back.
// rowid = attendees.num.
constexpr const char* kVersion10NamesIndex = R"sql(
CREATE VIRTUAL TABLE attendee_names USING fts5 (
    names, content = '',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3', detail = column
);
INSERT INTO attendee_names (rowid, names) SELECT rowid, names FROM attendee_search;
)sql";
} // namespace

void apply_migration(SQLite::Database& db, int to_version) {
    switch (to_version) {
    case 1:
        db.exec(kVersion1);
        return;
    case 2:
        db.exec(kVersion2Sync);
        return;
    case 3:
        db.exec(kVersion3BadgeKeys);
        return;
    case 4:
        db.exec(kVersion4CheckinDays);
        db.exec("INSERT INTO checkin_days " + checkin_days_select("1"));
        return;
    case 5:
        db.exec(kVersion5SyncTrust);
        return;
    case 6:
        db.exec(kVersion6Notes);
        return;
    case 7:
        db.exec(kVersion7WebAccess);
        return;
    case 8:
        db.exec(kVersion8FigureCounts);
        fill_summary_tables(db);
        return;
    case 9:
        // A repair, not a new table: step 4 as first written (7a8b013) gave checkin_days an `active`
        // column, NOT NULL without a default, which 7244ad7 then took out of the step. A store made
        // in between refused every check-in and every rebuild once upgraded (tests/data/schema/
        // v4-0638c88.db); the column means nothing to any later code.
        if (db.execAndGet("SELECT count(*) FROM pragma_table_info('checkin_days') WHERE name = 'active'")
                .getInt() != 0)
            db.exec("ALTER TABLE checkin_days DROP COLUMN active");
        return;
    case 10:
        db.exec(kVersion10NamesIndex);
        return;
    default:
        throw StoreError("no migration to schema " + std::to_string(to_version));
    }
}

} // namespace accueil
