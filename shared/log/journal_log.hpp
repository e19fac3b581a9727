// Where the long-running programs write their log lines: the systemd journal when systemd started
// them (one entry per line, tagged with the program's name), the terminal otherwise.
#pragma once

#include <string>

namespace accueil::log {

// Installs the default spdlog logger for `program` (e.g. "accueil-sync"). Call once, early in main.
// Lines must hold no personal data beyond a name already shown on a screen.
void init(const std::string& program);

// True when systemd runs this process with its output going to the journal (JOURNAL_STREAM set, as
// systemd does for services; see systemd.exec(5)).
bool started_by_systemd();

} // namespace accueil::log
