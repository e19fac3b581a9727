// accueil-kiosk: the self-service touchscreen. This file parses the options; app.hpp runs the program
// (the window: window.hpp, the frame loop: frame_loop.hpp, the kiosk: kiosk_screen.hpp, screenshots:
// screenshots.hpp).
#include "app.hpp"
#include "opening_hours.hpp"
#include "scenes.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "i18n/cli_words.hpp"
#include "log/journal_log.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include <sys/stat.h>

using namespace accueil::kiosk;
using accueil::i18n::tr;
namespace i18n = accueil::i18n;

int main(int argc, char** argv) {
    // Databases (names, e-mails, device tokens) and everything else this program writes: owner only.
    ::umask(077);
    // The journal under systemd (the kiosk session's unit), the terminal otherwise; before any line.
    accueil::log::init("accueil-kiosk");
    CLI::App app{tr("kiosk.cli.app_description")};
    app::Options o;
    app.add_option("--db", o.db, tr("kiosk.cli.opt_db"));
    app.add_option("--camera", o.camera, tr("kiosk.cli.opt_camera"));
    app.add_option("--replay", o.replay, tr("kiosk.cli.opt_replay"));
    app.add_option("--replay-interval", o.replay_interval_ms, tr("kiosk.cli.opt_replay_interval"))
        ->check(CLI::Range(0, 600000));
    app.add_flag("--replay-loop", o.replay_loop, tr("kiosk.cli.opt_replay_loop"));
    app.add_flag("--print-codes", o.print_codes, tr("kiosk.cli.opt_print_codes"));
    app.add_flag("--exit-after-replay", o.exit_after_replay, tr("kiosk.cli.opt_exit_after_replay"));
    app.add_flag("--exit-when-ready", o.exit_when_ready, tr("kiosk.cli.opt_exit_when_ready"));
    app.add_option("--screenshot", o.screenshot, tr("kiosk.cli.opt_screenshot"));
    app.add_option("--screenshot-dir", o.screenshot_dir, tr("kiosk.cli.opt_screenshot_dir"));
    app.add_option(
        "--screen", o.screen, tr("kiosk.cli.opt_screen") + [] {
            std::string s;
            for (const auto& n : scene_names())
                s += (s.empty() ? "" : ", ") + n;
            return s;
        }());
    app.add_option("--lang", o.lang, tr("kiosk.cli.opt_lang"))->check(CLI::IsMember({"fr", "en"}));
    app.add_option("--contrast", o.contrast, tr("kiosk.cli.opt_contrast"))
        ->check(CLI::IsMember({"normal", "high"}));
    app.add_option("--size", o.size, tr("kiosk.cli.opt_size"));
    app.add_flag("--windowed", o.windowed, tr("kiosk.cli.opt_windowed"));
    app.add_option("--verdict-seconds", o.verdict_seconds, tr("kiosk.cli.opt_verdict_seconds"))
        ->check(CLI::Range(1.0, 120.0));
    app.add_option("--typing-seconds", o.typing_seconds, tr("kiosk.cli.opt_typing_seconds"))
        ->check(CLI::Range(20.0, 600.0));
    app.add_flag("--no-sound", o.no_sound, tr("kiosk.cli.opt_no_sound"));
    app.add_option("--measure-idle", o.measure_idle, tr("kiosk.cli.opt_measure_idle"))
        ->check(CLI::Range(1.0, 3600.0));
    app.add_option("--mode", o.mode, tr("kiosk.cli.opt_mode"))
        ->check(CLI::IsMember({"self-service", "desk"}));
    app.add_option("--speech", o.speech, tr("kiosk.cli.opt_speech"))->check(CLI::IsMember({"on", "off"}));
    app.add_option("--headphones", o.headphones, tr("kiosk.cli.opt_headphones"))
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--set-printer", o.printer, tr("kiosk.cli.opt_set_printer"));
    app.add_option("--print-layout", o.print_layout, tr("kiosk.cli.opt_print_layout"))
        ->check(CLI::IsMember({"label-62mm", "a6"}));
    app.add_option("--assets", o.assets, tr("kiosk.cli.opt_assets"));
    app.add_option("--open-hours", o.open_hours, tr("kiosk.cli.opt_open_hours"));
    i18n::localise_cli(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return i18n::cli_exit(app, e);
    }

    try {
        if (o.print_codes) {
            if (o.replay.empty()) {
                std::fprintf(stderr, "accueil-kiosk: %s\n", tr("kiosk.cli.err_print_codes").c_str());
                return 2;
            }
            return app::print_codes(o);
        }
        if (!o.printer.empty()) {
            if (o.db.empty()) {
                std::fprintf(stderr, "accueil-kiosk: %s\n", tr("kiosk.cli.err_set_printer").c_str());
                return 2;
            }
            return app::set_printer(o);
        }
        if (!o.size.empty())
            app::parse_size(o.size);
        if (!o.open_hours.empty()) {
            try {
                parse_opening_hours(o.open_hours);
            } catch (const accueil::InputError& e) { // a usage error, before any window
                std::fprintf(stderr, "accueil-kiosk: %s\n", e.what());
                return 2;
            }
        }
        if (!o.screenshot_dir.empty())
            std::filesystem::create_directories(o.screenshot_dir);
        if (o.screenshot.empty() && o.screenshot_dir.empty() && o.db.empty()) {
            std::fprintf(stderr, "accueil-kiosk: %s\n", tr("kiosk.cli.err_db_required").c_str());
            return 2;
        }
        const Strings strings = o.assets.empty() ? Strings::builtin() : Strings::load(o.assets);
        return app::run_window(o, strings);
    } catch (const CLI::ValidationError& e) {
        std::fprintf(stderr, "accueil-kiosk: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "accueil-kiosk: %s\n", e.what());
        return 1;
    }
}
