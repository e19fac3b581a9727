#include "pg_schema.hpp"

#include <array>

namespace accueil::pg {

namespace {
// The same journal, marks, devices, peers and refusals as the SQLite central store (shared/schema.cpp),
// with what the door checks against (event_info, event_keys) as plain tables: on the central store
// only its own origin defines the event, and `migrate` brings them with the journal.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE accueil_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE journal (
    origin  bytea   NOT NULL,
    seq     bigint  NOT NULL,
    hlc     bigint  NOT NULL,
    kind    integer NOT NULL,
    entity  text    NOT NULL,
    payload text    NOT NULL,
    PRIMARY KEY (origin, seq)
);
CREATE TABLE event_info (
    id       integer PRIMARY KEY CHECK (id = 1),
    uid      text NOT NULL,
    name     text NOT NULL,
    timezone text NOT NULL,
    days     text NOT NULL
);
CREATE TABLE event_keys (
    public_key bytea  PRIMARY KEY CHECK (length(public_key) = 32),
    label      text   NOT NULL DEFAULT '',
    added_ms   bigint NOT NULL
);
CREATE TABLE sync_marks (origin bytea PRIMARY KEY, high_water bigint NOT NULL);
CREATE TABLE sync_peers (
    origin     bytea PRIMARY KEY,
    role       text  NOT NULL CHECK (role IN ('central', 'kiosk', 'desk')),
    name       text  NOT NULL DEFAULT '',
    device_key bytea
);
CREATE TABLE sync_devices (
    name             text PRIMARY KEY,
    enrol_hash       text,
    token_hash       text UNIQUE,
    origin           bytea,
    enrolled_ms      bigint NOT NULL,
    joined_ms        bigint,
    revoked_ms       bigint,
    last_contact_ms  bigint,
    pending          bigint NOT NULL DEFAULT 0,
    role             text   NOT NULL DEFAULT 'kiosk',
    enrol_expires_ms bigint
);
CREATE TABLE sync_refusals (
    id           bigserial PRIMARY KEY,
    origin       bytea   NOT NULL,
    seq          bigint  NOT NULL,
    kind         integer NOT NULL,
    source       text    NOT NULL,
    reason       text    NOT NULL,
    payload_hash text    NOT NULL,
    payload_size bigint  NOT NULL,
    first_ms     bigint  NOT NULL,
    last_ms      bigint  NOT NULL,
    count        integer NOT NULL DEFAULT 1,
    UNIQUE (origin, seq, source, payload_hash)
);
)sql";

// The organisers' page: sessions and one-time links, as on SQLite (shared/schema.cpp, version 7), here
// so that every server in front of the database knows a session another one opened.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE web_sessions (
    token_hash text   PRIMARY KEY,
    created_ms bigint NOT NULL,
    expires_ms bigint NOT NULL
);
CREATE TABLE web_links (
    token_hash text   PRIMARY KEY,
    created_ms bigint NOT NULL,
    expires_ms bigint NOT NULL,
    used_ms    bigint
);
)sql";

constexpr std::array kSteps{kVersion1, kVersion2};

// Any number: it only has to be the same in every accueil process.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7202611)";
} // namespace

int schema_version() {
    return int(kSteps.size());
}

void ensure_schema(Connection& c) {
    Transaction tx(c);
    c.exec(kMigrationLock);
    c.exec("CREATE TABLE IF NOT EXISTS accueil_schema (version integer NOT NULL)");
    const auto r = c.exec("SELECT max(version) FROM accueil_schema");
    const int at = r.null(0, 0) ? 0 : int(r.int64(0, 0));
    if (at > schema_version())
        throw PgError("the PostgreSQL store at " + c.url() + " is at schema version " + std::to_string(at) +
                      ", written by a newer accueil (this one knows up to " +
                      std::to_string(schema_version()) + "): install the same accueil version everywhere");
    for (int v = at; v < schema_version(); ++v) {
        c.exec(kSteps[std::size_t(v)]);
        c.exec("INSERT INTO accueil_schema (version) VALUES ($1)", {std::to_string(v + 1)});
    }
    tx.commit();
}

} // namespace accueil::pg
