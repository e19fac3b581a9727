#pragma once
// Enrolment from the kiosk itself: the volunteer setting a kiosk up shows it the QR code that
// `accueil-sync enroll` printed on the organisers' screen. The kiosk runs `accueil-sync join` (the
// program installed beside it) on its own database; the sync agent then takes over.
#include <string>
#include <string_view>

namespace accueil::kiosk {

bool is_enrolment_code(std::string_view code); // "accueil1:..."

struct JoinRun {
    bool ok = false;
    std::string message; // the last line the program printed (what happened, or why not)
};

// Blocks until `accueil-sync join CODE --db DB` ends (its network timeouts bound the wait).
// `program` defaults to accueil-sync beside the running executable.
JoinRun run_join(const std::string& db, const std::string& code, std::string program = {});

} // namespace accueil::kiosk
