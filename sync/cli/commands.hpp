#pragma once
// The organiser CLI `accueil`: one file per command, each registering itself on the CLI11 app.
#include "store.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace accueil::cli {

// What a command does once its options are parsed; returns the process exit code.
using Action = std::function<int()>;

// Each adder registers a subcommand and stores its action in `run` when it is the one chosen.
void add_init_command(CLI::App& app, Action& run);
void add_import_command(CLI::App& app, Action& run);
void add_search_command(CLI::App& app, Action& run);
void add_checkin_command(CLI::App& app, Action& run);
void add_undo_command(CLI::App& app, Action& run);
void add_stats_command(CLI::App& app, Action& run);
void add_rebuild_command(CLI::App& app, Action& run);
void add_demo_roster_command(CLI::App& app, Action& run);
void add_demo_command(CLI::App& app, Action& run);
// Badges (issue 4): signing keys, QR pictures, printable sheets, reprints.
void add_keys_command(CLI::App& app, Action& run);
void add_badge_command(CLI::App& app, Action& run);
void add_badges_command(CLI::App& app, Action& run);
void add_reprint_command(CLI::App& app, Action& run);
// The organiser PIN that switches a kiosk to desk mode (issue 10).
void add_pin_command(CLI::App& app, Action& run);
// The post-event report and the attendance export (issue 11).
void add_report_command(CLI::App& app, Action& run);
void add_export_command(CLI::App& app, Action& run);
// The checks of a kiosk or desk laptop before opening (issue 13; sync/doctor/).
void add_doctor_command(CLI::App& app, Action& run);

// The database a command works on, opened with messages for the organiser (sync/cli/open_store.cpp).
// Any accueil database, the event's or a device's: a missing file names its path and what to run.
Store open_store(const std::string& path);
// A kiosk's or desk's database (`accueil pin`): a missing file says where a device's database comes from.
Store open_device_store(const std::string& path);
// The event database (made by `accueil init` on the organisers' machine): as open_store, and a device's
// database (made by `accueil-sync join`) is refused before anything is written, saying where to go.
Store open_event_store(const std::string& path);
void require_event_store(Store& store, const std::string& path);

// A number with `decimals` digits after the separator of the process language ("0.53", "0,53").
std::string decimal_text(double value, int decimals);

// The instant a command acts at: `--at` (ISO 8601, local to the event unless it has an offset) or now.
std::int64_t resolve_instant(const std::string& at, const std::string& timezone);

} // namespace accueil::cli
