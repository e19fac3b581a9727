#include "app.hpp"

#include "desk_screen.hpp"
#include "frame_loop.hpp"
#include "kiosk_screen.hpp"
#include "screenshots.hpp"
#include "signals.hpp"
#include "window.hpp"

#include "badge_printer.hpp"
#include "capture.hpp" // wall_ms
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"

#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace accueil::kiosk::app {

std::pair<int, int> parse_size(const std::string& s) {
    int w = 0, h = 0;
    if (std::sscanf(s.c_str(), "%dx%d", &w, &h) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192)
        throw CLI::ValidationError("--size", "expected WIDTHxHEIGHT, e.g. 1280x800");
    return {w, h};
}

int print_codes(const Options& o) {
    if (!std::filesystem::exists(o.replay)) {
        std::fprintf(stderr, "accueil-kiosk: %s: no such file or folder\n", o.replay.c_str());
        return 1;
    }
    for (const auto& file : list_pictures(o.replay)) {
        std::string error, text;
        if (auto img = load_grey_image(file, &error)) {
            if (auto r = decode_frame(*img); r.text)
                text = escape_code_text(*r.text);
        } else {
            std::fprintf(stderr, "accueil-kiosk: %s\n", error.c_str());
        }
        std::printf("%s\t%s\n", file.c_str(), text.c_str());
    }
    return 0;
}

int set_printer(const Options& o) {
    auto store = accueil::Store::open(o.db);
    PrinterSettings settings{o.printer == "none" ? std::string() : o.printer, o.print_layout};
    save_printer_settings(store, settings); // InputError, nothing stored, for a bad name or layout
    std::printf("%s: %s\n", o.db.c_str(),
                settings.printer.empty()
                    ? "no printer: badges are saved as PDF and shown as a QR code"
                    : ("badges print on " + settings.printer + " (" + settings.layout + ")").c_str());
    return 0;
}

namespace {

// The database's whole path as typed, for the person to read: "." steps dropped, ".." kept (it may pass
// through a folder that does not exist, which is then what is wrong).
std::string shown_path(const std::string& db) {
    std::filesystem::path out;
    for (const auto& part : std::filesystem::absolute(db))
        if (part != ".")
            out /= part;
    return out.string();
}

MachineOptions machine_options(const Options& o) {
    MachineOptions mo;
    mo.verdict_ms = std::int64_t(o.verdict_seconds * 1000);
    mo.typing_ms = std::int64_t(std::max(20.0, o.typing_seconds) * 1000); // never under 20 s (§7)
    return mo;
}

// Screenshot mode: a machine with sample data, no workers, no database.
int run_screenshots(const Options& o, const Strings& strings, AppWindow& window, InputLog& input,
                    const LoopOptions& lo, int w, int h) {
    MachineOptions mo = machine_options(o);
    mo.kiosk_name = "Accueil 1";
    mo.db_file = "/home/accueil/postes/accueil-2.db"; // the "not set up" screen names its file
    std::optional<GreyImage> preview;
    if (!o.replay.empty())
        if (auto img = load_grey_image(list_pictures(o.replay).front()))
            preview = thumbnail(*img, 480);
    ScreenshotScreen screen(strings, mo,
                            planned_shots(o.screenshot, o.screenshot_dir, o.screen, o.lang, o.contrast, w, h),
                            std::move(preview));
    if (!screen.ready()) {
        std::fprintf(stderr, "accueil-kiosk: unknown --screen %s\n", o.screen.c_str());
        return 2;
    }
    return run_frames(window, input, screen, lo);
}

bool speech_on(const Options& o, bool desk) {
    return o.speech.empty() ? !desk : o.speech == "on";
}

// Desk mode needs a device allowed to edit attendees: a kiosk-role device's edits would be refused
// by the central store, and its database holds no attention notes. And it needs the event: a desk on a
// mistyped path, or not enrolled yet, would find nobody and call every badge invalid. A desk is set up
// at its terminal (`accueil-sync join`), so that is where it is told.
void check_desk_role(const Options& o) {
    const std::string file = shown_path(o.db);
    if (!std::filesystem::exists(o.db))
        throw InputError("", i18n::tr("kiosk.cli.desk_no_file", {{"file", file}}));
    auto store = accueil::Store::open(o.db);
    if (store.event().uid.empty())
        throw InputError("", i18n::tr(store.meta("sync.server") ? "kiosk.cli.desk_no_event_yet"
                                                                : "kiosk.cli.desk_not_enrolled",
                                      {{"file", file}}));
    if (const auto role = store.meta("sync.role"); role && *role == "kiosk")
        throw InputError(
            o.db, "this device joined the organisers' server as a self-service kiosk: desk mode needs a "
                  "device enrolled with `accueil-sync enroll --role desk`");
}

// "camera /dev/video0", "the first camera found", "pictures from shots/", "no camera".
std::string camera_words(const Options& o) {
    if (!o.replay.empty())
        return "pictures from " + o.replay;
    if (o.camera == "none")
        return "no camera";
    return o.camera.empty() ? "the first camera found" : "camera " + o.camera;
}

int run_desk(const Options& o, const Strings& strings, AppWindow& window, InputLog& input,
             const LoopOptions& lo, bool may_leave) {
    check_desk_role(o);
    spdlog::info("desk mode on {}, {}", shown_path(o.db), camera_words(o));
    DeskRuntimeOptions ro;
    ro.db_path = o.db;
    ro.sound = !o.no_sound;
    ro.speech = speech_on(o, true);
    ro.headphones = parse_headphone_mode(o.headphones);
    ro.capture.camera = o.camera;
    ro.capture.replay = o.replay;
    ro.capture.replay_interval_ms = o.replay_interval_ms;
    ro.capture.replay_loop = o.replay_loop;
    ro.machine.may_leave = may_leave;
    int status = 0;
    {
        DeskRuntime runtime(strings, ro);
        runtime.start([] { glfwPostEmptyEvent(); });
        if (o.contrast == "high")
            runtime.tap(DeskTap{DeskAct::ToggleContrast}, wall_ms());
        if (o.lang == "en")
            runtime.tap(DeskTap{DeskAct::SwitchLanguage}, wall_ms());
        DeskScreen screen(runtime);
        status = run_frames(window, input, screen, lo);
        spdlog::info("window closed: stopping the camera, the desk worker, the printer and the sound");
    }
    spdlog::info("workers joined, database closed");
    return status;
}

int run_desk_screenshots(const Options& o, const Strings& strings, AppWindow& window, InputLog& input,
                         const LoopOptions& lo, int w, int h) {
    DeskScreenshotScreen screen(
        strings, planned_desk_shots(o.screenshot, o.screenshot_dir, o.screen, o.lang, o.contrast, w, h));
    if (!screen.ready()) {
        std::fprintf(stderr, "accueil-kiosk: unknown desk --screen %s\n", o.screen.c_str());
        return 2;
    }
    return run_frames(window, input, screen, lo);
}

int run_kiosk(const Options& o, const Strings& strings, AppWindow& window, InputLog& input,
              const LoopOptions& lo) {
    MachineOptions mo = machine_options(o);
    // The whole path: a typo in --db shows on the "not set up" screen.
    mo.db_file = shown_path(o.db);
    // The kiosk name and time zone come from the store, opened on the worker thread.
    RuntimeOptions ro;
    ro.db_path = o.db;
    ro.sound = !o.no_sound;
    ro.speech = speech_on(o, false);
    ro.headphones = parse_headphone_mode(o.headphones);
    mo.speech = ro.speech;
    ro.capture.camera = o.camera;
    ro.capture.replay = o.replay;
    ro.capture.replay_interval_ms = o.replay_interval_ms;
    ro.capture.replay_loop = o.replay_loop;
    if (!o.open_hours.empty())
        ro.hours = parse_opening_hours(o.open_hours); // checked by main.cpp already
    spdlog::info("self-service mode on {}, {}, {}", mo.db_file, camera_words(o),
                 o.open_hours.empty() ? "always open" : "opening hours " + o.open_hours);
    {
        // A short-lived read of the store's identity; the worker keeps its own connection. No file: the
        // kiosk is not set up (its worker says so too, and makes nothing: the enrolment makes the file).
        if (!std::filesystem::exists(o.db)) {
            mo.set_up = false;
        } else {
            try {
                auto store = accueil::Store::open(o.db);
                mo.kiosk_name = store.kiosk_name();
                mo.timezone = store.event().timezone;
                mo.set_up = !store.event().uid.empty();
                ro.printer = load_printer_settings(store);
                mo.can_print = !ro.printer.printer.empty();
            } catch (const std::exception& e) {
                spdlog::error("{}", e.what()); // the runtime reports it too: the screen says out of order
            }
        }
        if (!mo.set_up)
            spdlog::info("{}: no event in this database yet; the kiosk shows how to enrol it", mo.db_file);
    }
    ro.machine = mo;
    int status = 0;
    {
        Runtime runtime(strings, ro);
        runtime.start([] { glfwPostEmptyEvent(); });
        if (o.contrast == "high")
            runtime.tap(Tap{Intent::ToggleContrast}, wall_ms());
        if (o.lang == "en")
            runtime.tap(Tap{Intent::SwitchLanguage}, wall_ms());
        KioskScreen screen(runtime, o.exit_after_replay, o.exit_when_ready);
        status = run_frames(window, input, screen, lo);
        spdlog::info("window closed: stopping the camera, the check-in worker and the sound");
    }
    spdlog::info("workers joined, database closed");
    return status;
}

} // namespace

int run_window(const Options& o, const Strings& strings) {
    // Before any thread starts (the renderer's, the kiosk's workers): they all inherit the mask.
    block_termination_signals();
    const bool screenshot = !o.screenshot.empty() || !o.screenshot_dir.empty();
    WindowOptions wo;
    wo.fullscreen = !o.windowed && o.size.empty() && !screenshot;
    wo.resizable = !screenshot;
    if (!o.size.empty())
        std::tie(wo.width, wo.height) = parse_size(o.size);

    const bool desk = o.mode == "desk";
    if (desk && !screenshot)
        check_desk_role(o); // before any window: the person who started it reads why at the terminal

    // Declared in set-up order: torn down in mirror order (the input log outlives the window's
    // callbacks; the watcher stops before the window it closes).
    InputLog input;
    AppWindow window(wo, input);
    TerminationWatcher watcher([&window](int) { window.request_close(); });
    LoopOptions lo{o.font_regular, o.font_bold, o.measure_idle};
    int status = 0;
    if (screenshot)
        status = desk ? run_desk_screenshots(o, strings, window, input, lo, wo.width, wo.height)
                      : run_screenshots(o, strings, window, input, lo, wo.width, wo.height);
    else if (desk)
        status = run_desk(o, strings, window, input, lo, false);
    else
        // Self-service, switched to desk mode by an organiser's PIN and back, as often as asked: each
        // mode's runtime is torn down before the other starts.
        for (bool in_desk = false;; in_desk = !in_desk) {
            status = in_desk ? run_desk(o, strings, window, input, lo, true)
                             : run_kiosk(o, strings, window, input, lo);
            if (status != kSwitchMode)
                break;
            spdlog::info("switching to {} mode", in_desk ? "self-service" : "desk");
        }
    spdlog::info("exiting with status {}", status);
    return status;
}

} // namespace accueil::kiosk::app
