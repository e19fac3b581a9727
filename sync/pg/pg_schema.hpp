#pragma once
// The central store's tables on PostgreSQL, one numbered step per schema version (never edit a
// released step: add the next one). Applied under an advisory lock, so two servers starting together
// against the same database migrate it once.
#include "pg_connection.hpp"

namespace accueil::pg {

// The version this program writes.
int schema_version();
// Brings the database to schema_version(); refuses (PgError, saying which versions) a database
// written by a newer accueil, and changes nothing then.
void ensure_schema(Connection& c);

} // namespace accueil::pg
