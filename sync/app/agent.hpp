#pragma once
// The kiosk side: `join` (enrolment) and the `agent` that pushes unacknowledged events and pulls
// what the kiosk is missing, with jittered backoff while the server is unreachable.
#include "store.hpp"

#include <string>

namespace accueil::sync {

struct RoundResult {
    bool reached = false;     // the server answered every request of the round
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
    double max_backoff_s = 60;
};
int run_agent(const AgentOptions& options);

// `join CODE --db kiosk.db`: returns the exit code; prints what happened.
int join_server(const std::string& code, const std::string& db);

} // namespace accueil::sync
