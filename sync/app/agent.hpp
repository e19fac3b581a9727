#pragma once
// The kiosk side: `join` (enrolment) and the `agent` that pushes unacknowledged events and pulls
// what the kiosk is missing: while the server is away, a cheap probe about once a second and a round
// as soon as it answers; jittered backoff when the server refuses or answers badly.
#include "store.hpp"

#include <string>

namespace accueil::sync {

struct RoundResult {
    bool reached = false;     // the server answered every request of the round
    bool away = false;        // a request got no answer at all (network or server gone), not a refusal
    bool complete = false;    // nothing left to send, nothing left to fetch
    std::int64_t pushed = 0;  // events the server took
    std::int64_t pulled = 0;  // new events applied here
    std::int64_t refused = 0; // events dead-lettered this round
    std::int64_t pending = 0; // still unacknowledged
    std::string error;        // why the round stopped, for people
};

// One push-and-pull round on `kiosk` against its enrolled server; records the state the kiosk's
// status line reads (meta sync.online, sync.pending, sync.last_contact, sync.error).
RoundResult sync_round(Store& kiosk);

struct AgentOptions {
    std::string db;
    bool once = false;
    bool wait = false; // a service started before enrolment: wait for the database and the join
    double max_backoff_s = 60;
};
int run_agent(const AgentOptions& options);

// `join CODE --db kiosk.db [--replace]`: returns a JoinExit code (shared/sync/join_exit.hpp); prints
// what happened, the last line saying it whole (the kiosk logs it). A database that has joined already
// is left as it is unless `replace`: it then joins anew and its old device is revoked at its server
// (in the same request when the new code is that server's, else by /v1/leave first). A failed join
// changes nothing: a database file it created is removed, an existing one is not written.
int join_server(const std::string& code, const std::string& db, bool replace = false);

} // namespace accueil::sync
