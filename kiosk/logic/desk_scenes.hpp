#pragma once
// Sample desk scenes: a DeskMachine driven into each screen with plausible data, for
// `accueil-kiosk --mode desk --screenshot-dir` and the tests.
#include "desk_machine.hpp"

#include <string>
#include <vector>

namespace accueil::kiosk {

// "search", "search-results", "search-none", "person", "person-arrived", "person-note", "admitted",
// "already", "replaced", "edit", "edit-errors", "walk-in", "walk-in-errors", "duplicates",
// "confirm-undo", "undone", "badge-printing", "badge-done", "badge-offline", "badge-out-of-paper",
// "badge-no-printer", "alerts", "failed".
const std::vector<std::string>& desk_scene_names();
// The setup the sample scenes use: a three-day event, today its second day.
DeskSetup sample_desk_setup(bool has_printer = true);
PersonDetail sample_person(bool arrived = false, bool note = false);
// Feeds the machine the inputs that lead to that scene. False for an unknown name.
bool drive_to_desk_scene(DeskMachine& m, const std::string& name);

} // namespace accueil::kiosk
