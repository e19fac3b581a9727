// accueil-kiosk: the self-service touchscreen. This file parses the options; app.hpp runs the program
// (the window: window.hpp, the frame loop: frame_loop.hpp, the kiosk: kiosk_screen.hpp, screenshots:
// screenshots.hpp).
#include "app.hpp"
#include "scenes.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include <sys/stat.h>

using namespace accueil::kiosk;

int main(int argc, char** argv) {
    // Databases (names, e-mails, device tokens) and everything else this program writes: owner only.
    ::umask(077);
    CLI::App app{"accueil-kiosk: self-service check-in touchscreen"};
    app::Options o;
    app.add_option("--db", o.db,
                   "the kiosk's database (made when the kiosk is enrolled: show it the code of "
                   "`accueil-sync enroll`, or run `accueil-sync join CODE --db PATH`)");
    app.add_option("--camera", o.camera,
                   "V4L2 device (default: the first one found; \"none\" for no camera)");
    app.add_option("--replay", o.replay, "a picture or a folder of PNG/JPEG pictures instead of the camera");
    app.add_option("--replay-interval", o.replay_interval_ms, "milliseconds between replayed pictures")
        ->check(CLI::Range(0, 600000));
    app.add_flag("--replay-loop", o.replay_loop, "replay the pictures again and again");
    app.add_flag("--print-codes", o.print_codes, "with --replay: print FILE<TAB>code per picture, no window");
    app.add_flag("--exit-after-replay", o.exit_after_replay,
                 "quit once every replayed picture is checked in");
    app.add_option("--screenshot", o.screenshot, "render --screen into this PNG file and exit");
    app.add_option("--screenshot-dir", o.screenshot_dir,
                   "render every screen in both languages and both modes into this folder and exit");
    app.add_option(
        "--screen", o.screen, "screen for --screenshot: " + [] {
            std::string s;
            for (const auto& n : scene_names())
                s += (s.empty() ? "" : ", ") + n;
            return s;
        }());
    app.add_option("--lang", o.lang, "fr or en")->check(CLI::IsMember({"fr", "en"}));
    app.add_option("--contrast", o.contrast, "normal or high (large text)")
        ->check(CLI::IsMember({"normal", "high"}));
    app.add_option("--size", o.size, "window size WIDTHxHEIGHT (default: full screen)");
    app.add_flag("--windowed", o.windowed, "a window instead of full screen");
    app.add_option("--verdict-seconds", o.verdict_seconds, "how long a result stays on screen")
        ->check(CLI::Range(1.0, 120.0));
    app.add_option("--typing-seconds", o.typing_seconds, "time given on typing screens (at least 20)")
        ->check(CLI::Range(20.0, 600.0));
    app.add_flag("--no-sound", o.no_sound, "stay silent");
    app.add_option("--measure-idle", o.measure_idle, "run this many seconds, then print CPU and memory used")
        ->check(CLI::Range(1.0, 3600.0));
    app.add_option("--mode", o.mode, "self-service (attendees) or desk (volunteers)")
        ->check(CLI::IsMember({"self-service", "desk"}));
    app.add_option("--speech", o.speech,
                   "say the verdicts aloud: on or off (default: on in self-service, off at the desk)")
        ->check(CLI::IsMember({"on", "off"}));
    app.add_option("--headphones", o.headphones,
                   "names are spoken only in headphones: auto (the jack tells), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("--set-printer", o.printer,
                   "save this device's badge printer (a CUPS queue, an ipp:// address, or none) and exit");
    app.add_option("--print-layout", o.print_layout, "with --set-printer: label-62mm or a6")
        ->check(CLI::IsMember({"label-62mm", "a6"}));
    app.add_option(
        "--assets", o.assets,
        "folder holding lang/fr/*.json and lang/en/*.json (default: the words built into the program)");
    CLI11_PARSE(app, argc, argv);

    try {
        if (o.print_codes) {
            if (o.replay.empty()) {
                std::fprintf(stderr, "accueil-kiosk: --print-codes needs --replay PATH\n");
                return 2;
            }
            return app::print_codes(o);
        }
        if (!o.printer.empty()) {
            if (o.db.empty()) {
                std::fprintf(stderr,
                             "accueil-kiosk: --set-printer needs --db PATH (the device's database)\n");
                return 2;
            }
            return app::set_printer(o);
        }
        if (!o.size.empty())
            app::parse_size(o.size);
        if (!o.screenshot_dir.empty())
            std::filesystem::create_directories(o.screenshot_dir);
        if (o.screenshot.empty() && o.screenshot_dir.empty() && o.db.empty()) {
            std::fprintf(stderr,
                         "accueil-kiosk: --db PATH is required (or --screenshot, or --print-codes)\n");
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
