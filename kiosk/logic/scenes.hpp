#pragma once
// Sample scenes: a Machine driven into each screen with plausible data, for --screenshot and tests.
#include "machine.hpp"

#include <string>
#include <vector>

namespace accueil::kiosk {

// "scan", "scan-no-camera", "checking", "admitted", "already", "not-today", "replaced", "invalid",
// "unknown", "search", "search-results", "confirm", "desk", "out-of-order", "worker-down", one per
// enrolment outcome ("joined", "joined-not-synced", "join-already", "join-damaged", "join-refused",
// "join-unreachable", "join-wrong-server", "join-store", "join-failed" (any other
// refusal), "join-no-program"), "pin", "pin-wrong", and the kiosk not set up: "not-set-up",
// "not-set-up-badge" (a badge shown to it), "not-set-up-waiting" (enrolled, the event not arrived yet),
// and outside the opening hours: "closed" (dark), "closed-lit" (touched).
const std::vector<std::string>& scene_names();
// Feeds the machine the inputs that lead to that scene. False for an unknown name.
bool drive_to_scene(Machine& m, const std::string& name, std::int64_t now_ms);

} // namespace accueil::kiosk
