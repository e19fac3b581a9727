#pragma once
// Enrolment from the kiosk itself: the volunteer setting a kiosk up shows it the QR code that
// `accueil-sync enroll` printed on the organisers' screen. The kiosk runs `accueil-sync join` (the
// program installed beside it) on its own database; the sync agent then takes over. The program's exit
// status (shared/sync/join_exit.hpp) says what happened; the kiosk words it itself (join.* in
// assets/lang/<fr|en>/kiosk.json) and keeps the program's own line for its log.
#include <string>
#include <string_view>

namespace accueil::kiosk {

bool is_enrolment_code(std::string_view code); // "accueil1:..."

// What became of an enrolment, as the kiosk's screens tell it.
enum class JoinOutcome {
    Joined,            // enrolled, and the event and roster arrived
    JoinedNotSynced,   // enrolled; the event and roster will come when the server answers
    AlreadyJoined,     // this kiosk was enrolled before: nothing changed
    NotACode,          // not an enrolment code at all
    DamagedCode,       // cut or damaged (a bad scan)
    CodeRefused,       // unknown to the server, used or expired
    ServerUnreachable, // nothing answered at the code's address
    WrongServer,       // something answered, but not the server the code was made by
    StoreProblem,      // the kiosk's database file could not be made or written
    Failed,            // any other refusal
    NoProgram,         // accueil-sync is missing, could not start, or was killed
};

// The outcome of `accueil-sync join`'s exit status (JoinExit); -1 for a program that did not exit.
JoinOutcome join_outcome(int exit_status);
// The stem of the outcome's words: "join.ok", "join.refused" ... (+ ".title", ".sentence", ".hint").
const char* join_words(JoinOutcome o);
inline bool enrolled(JoinOutcome o) {
    return o == JoinOutcome::Joined || o == JoinOutcome::JoinedNotSynced;
}

struct JoinRun {
    JoinOutcome outcome = JoinOutcome::NoProgram;
    int exit_status = -1; // -1: it did not start, or did not exit by itself
    std::string message;  // the last line the program printed, for the log
    bool ok() const { return enrolled(outcome); }
};

// Blocks until `accueil-sync join CODE --db DB` ends (its network timeouts bound the wait).
// `program` defaults to accueil-sync beside the running executable.
JoinRun run_join(const std::string& db, const std::string& code, std::string program = {});

} // namespace accueil::kiosk
