#pragma once
// What a kiosk's agent tells the kiosk about its link to the central server, kept in the kiosk's meta
// table (sync.online, sync.pending, sync.error, sync.last_contact): the kiosk's status line reads it.
#include "store.hpp"

#include <cstdint>
#include <string>

namespace accueil::sync {

// Moves whenever another connection (the kiosk app) commits to the kiosk's database.
std::int64_t data_version(Store& kiosk);

// Writes the state only when it changed (or the last contact is a few seconds old), so an idle agent
// does not fsync the kiosk's disk every second.
void record_link_state(Store& kiosk, bool online, std::int64_t pending, const std::string& error);

// While the server is away, keeps the count of arrivals to send following the kiosk's new check-ins:
// PRAGMA data_version moves when another connection (the kiosk app) commits.
class PendingWatch {
public:
    PendingWatch(Store& kiosk, std::string error);
    // Counts again and records it at the first look and whenever the kiosk committed since the last
    // one. A busy database is not an error: the count is taken at the next look.
    void look();

private:
    Store& kiosk_;
    std::string error_;
    std::int64_t seen_ = -1; // data_version never is
};

} // namespace accueil::sync
