#pragma once
// Migration tests turn a new database back into an older schema by hand; what the versions after 6
// added is the same for all of them, so it is listed once here (add each new version's objects).
namespace accueil::test {

// Drops what schema versions 7 (web sessions), 8 (the figures' summary tables) and 10 (the names
// index) create; 9 only repaired a table.
inline constexpr const char* kDropSchemasAfter6 =
    "DROP TABLE web_sessions; DROP TABLE web_links; "
    "DROP TRIGGER arrival_counts_attendee_insert; DROP TRIGGER arrival_counts_attendee_delete; "
    "DROP TRIGGER arrival_counts_attendee_update; DROP TRIGGER roster_counts_insert; "
    "DROP TRIGGER roster_counts_delete; DROP TRIGGER roster_counts_update; "
    "DROP TABLE checkin_counts; DROP TABLE arrival_counts; DROP TABLE roster_counts; "
    "DROP TABLE attendee_names; ";

} // namespace accueil::test
