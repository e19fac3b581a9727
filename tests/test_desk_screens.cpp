// The welcome desk's real window under Xvfb (Mesa llvmpipe). Screenshots: every desk scene
// (kiosk/logic/desk_scenes.cpp) in French and English, normal and high contrast, at 1280x800 and 1366x768,
// with no text clipped; each picture has the window's size, the high-contrast ones are mostly black and the
// normal ones mostly light, and the badge scenes show a QR code that decodes to the badge's code. And a live
// desk on a demo database, driven with xdotool as a volunteer would: three letters, Enter (the person's
// page), Enter (the check-in, read back from the database); Escape, a walk-in's name, F2 (the walk-in form)
// and Enter (created and checked in); then SIGTERM through the orderly teardown. Without xvfb-run and
// xdotool (deploy/install-deps.sh installs both) they fail. And a desk started on a mistyped path, or on a
// database without the event, refuses at the terminal before any window, saying what to do.
#include "desk_machine.hpp"
#include "desk_scenes.hpp"
#include "event_calendar.hpp"
#include "frame_pipeline.hpp"
#include "store.hpp"
#include "strings.hpp"
#include "support/child_process.hpp"
#include "support/png_read.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/xvfb.hpp"
#include "sync/devices.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <png.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

using namespace accueil;
namespace fs = std::filesystem;

namespace {

// A PNG as 8-bit grey; empty when it cannot be read.
kiosk::GreyImage read_grey_png(const std::string& path) {
    auto px = test::read_png_pixels(path, PNG_FORMAT_GRAY);
    kiosk::GreyImage g;
    g.width = px.width;
    g.height = px.height;
    g.pixels = std::move(px.bytes);
    return g;
}

// The share of pixels darker than `below` (or lighter than `above`), 0..1.
double share_darker(const kiosk::GreyImage& g, int below) {
    const auto n = std::count_if(g.pixels.begin(), g.pixels.end(), [&](std::uint8_t v) { return v < below; });
    return g.pixels.empty() ? 0 : double(n) / double(g.pixels.size());
}
double share_lighter(const kiosk::GreyImage& g, int above) {
    const auto n = std::count_if(g.pixels.begin(), g.pixels.end(), [&](std::uint8_t v) { return v > above; });
    return g.pixels.empty() ? 0 : double(n) / double(g.pixels.size());
}

std::size_t grey_levels(const kiosk::GreyImage& g) {
    std::vector<bool> seen(256);
    for (auto v : g.pixels)
        seen[v] = true;
    return std::size_t(std::count(seen.begin(), seen.end(), true));
}

std::size_t differing_pixels(const kiosk::GreyImage& a, const kiosk::GreyImage& b) {
    if (a.pixels.size() != b.pixels.size())
        return std::max(a.pixels.size(), b.pixels.size());
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i)
        n += a.pixels[i] != b.pixels[i];
    return n;
}

// A program on an X display of ours, to completion, with what it printed.
test::Run run_on(const std::string& display, const std::string& command) {
    return test::run_command("DISPLAY=" + display + " " + command + " 2>&1");
}

bool have_xdotool() {
    return std::system("command -v xdotool > /dev/null 2>&1") == 0;
}

std::string day_at(std::int64_t ms) {
    return local_day(ms, "Europe/Paris");
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Check-ins standing (not undone) of the people so named on `day`, read as another process would.
int checkins_of(const std::string& db, const std::string& first, const std::string& last,
                const std::string& day) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    d.setBusyTimeout(5000); // the desk may be writing
    SQLite::Statement q(d, "SELECT count(*) FROM checkins c JOIN attendees a ON a.id = c.attendee_id "
                           "WHERE a.first_name = ? AND a.last_name = ? AND c.day = ? AND c.undone = 0");
    q.bind(1, first);
    q.bind(2, last);
    q.bind(3, day);
    q.executeStep();
    return q.getColumn(0).getInt();
}

int all_checkins(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    d.setBusyTimeout(5000);
    return d.execAndGet("SELECT count(*) FROM checkins WHERE undone = 0").getInt();
}

} // namespace

TEST_CASE("Every desk scene renders under Xvfb in both languages and modes at 1280x800 and 1366x768") {
    test::require_xvfb();
    const std::string bin = test::kiosk_binary();
    REQUIRE(fs::exists(bin));
    // ACCUEIL_SCREENSHOTS keeps the pictures somewhere to look at them; otherwise a temporary folder.
    test::TempDir tmp;
    const char* keep = std::getenv("ACCUEIL_SCREENSHOTS");
    const std::string dir = keep && *keep ? keep : tmp.file("shots");
    fs::create_directories(dir);
    // X keeps no pixels of a window's part off the screen: a screen that holds both sizes.
    test::XvfbServer x(tmp.file("xvfb"), "1366x800x24");
    REQUIRE(x.display() != ":");

    const std::vector<std::pair<int, int>> sizes = {{1280, 800}, {1366, 768}};
    for (const auto& [w, h] : sizes) {
        const std::string size = std::to_string(w) + "x" + std::to_string(h);
        // accueil-kiosk prints "clipped: ..." and exits with status 3 when a text does not fit its box.
        const auto run =
            run_on(x.display(), "timeout 300 " + test::quote(bin) + " --mode desk --screenshot-dir " +
                                    test::quote(dir) + " --size " + size);
        INFO(size << ":\n" << run.out);
        REQUIRE(run.status == 0);
        CHECK(run.out.find("clipped:") == std::string::npos);
    }

    // The badge code each badge scene draws, from the same sample machine.
    const kiosk::Strings strings = kiosk::Strings::builtin();
    const auto& scenes = kiosk::desk_scene_names();
    REQUIRE(scenes.size() >= 20);
    int badges = 0;
    for (const auto& [w, h] : sizes) {
        const std::string size = std::to_string(w) + "x" + std::to_string(h);
        for (const auto& scene : scenes) {
            kiosk::DeskMachine sample(strings);
            REQUIRE(kiosk::drive_to_desk_scene(sample, scene));
            const std::string badge_code = sample.view().badge_code;
            std::map<std::string, kiosk::GreyImage> normal;
            for (const std::string lang : {"fr", "en"})
                for (const std::string contrast : {"normal", "high"}) {
                    const std::string path =
                        dir + "/desk-" + scene + "-" + lang + "-" + contrast + "-" + size + ".png";
                    INFO(path);
                    REQUIRE(fs::exists(path));
                    const kiosk::GreyImage pic = read_grey_png(path);
                    REQUIRE(pic.width == w);
                    REQUIRE(pic.height == h);
                    // Not blank: anti-aliased words make many levels of grey.
                    CHECK(grey_levels(pic) >= 16);
                    // High contrast is white on black; the normal mode dark text on warm white (the QR
                    // code stays dark on white in both, theme.cpp and desk_widgets.cpp).
                    if (contrast == "high")
                        CHECK(share_darker(pic, 40) > 0.6);
                    else
                        CHECK(share_lighter(pic, 200) > 0.6);
                    if (scene.rfind("badge-", 0) == 0) {
                        // The badge on screen, to photograph: it must read back as the badge's code.
                        REQUIRE_FALSE(badge_code.empty());
                        const auto read = kiosk::decode_frame(pic);
                        REQUIRE(read.text);
                        CHECK(*read.text == badge_code);
                        ++badges;
                    }
                    if (contrast == "normal")
                        normal[lang] = pic;
                }
            INFO(scene << " at " << size);
            // The words change with the language (the status line alone already differs).
            CHECK(differing_pixels(normal["fr"], normal["en"]) > std::size_t(w * h / 1000));
        }
    }
    CHECK(badges >= 5 * 2 * 2 * 2); // the five badge scenes, both languages, modes and sizes
}

TEST_CASE("A live desk driven from the keyboard checks a person in and creates a walk-in") {
    test::require_xvfb();
    {
        INFO("xdotool is not installed (Debian package xdotool; deploy/install-deps.sh installs it)");
        REQUIRE(have_xdotool());
    }
    const std::string bin = test::kiosk_binary();
    REQUIRE(fs::exists(bin));
    test::TempDir tmp;
    const std::string db = tmp.file("desk.db");

    // An event of yesterday, today and tomorrow (Paris) made with the organiser CLI, so that today's
    // check-ins are admitted; the roster imported from a CSV file.
    const std::int64_t now = now_ms();
    const std::int64_t day_ms = 24LL * 3600 * 1000;
    const std::string today = day_at(now);
    auto r = test::run_bin("accueil", "init --db " + test::quote(db) + " --name 'Accueil du bureau' --days " +
                                          day_at(now - day_ms) + "," + today + "," + day_at(now + day_ms) +
                                          " --tz Europe/Paris");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    const std::string roster = tmp.file("roster.csv");
    std::ofstream(roster, std::ios::binary)
        << "Prénom;Nom;E-mail;Structure;Catégorie;Jours;Code\n"
           "Églantine;Quévreux;eq@example.fr;Mairie de Brest;Participant;;\n"
           "Léa;Dupré;lea@example.fr;Mairie de Lyon;Participant;;\n"
           "Jean-Noël;N'Diaye;jn@example.fr;Emmaüs Connect;Intervenant;;\n"
           "Zoé;Martin;zoe@example.fr;;Participant;;\n";
    r = test::run_bin("accueil", "import --db " + test::quote(db) + " " + test::quote(roster));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(checkins_of(db, "Églantine", "Quévreux", today) == 0);

    test::XvfbServer x(tmp.file("xvfb"));
    REQUIRE(x.display() != ":");
    test::Process desk(
        {bin, "--mode", "desk", "--db", db, "--size", "1280x800", "--no-sound", "--camera", "none"},
        tmp.file("desk"), {{"DISPLAY", x.display()}});
    auto log = [&] { return desk.out() + desk.err(); };
    REQUIRE(test::wait_until([&] { return log().find("first frame drawn") != std::string::npos; }));
    auto xdo = [&](const std::string& args) {
        const auto run = run_on(x.display(), "xdotool " + args);
        INFO("xdotool " << args << ": " << run.out);
        REQUIRE(run.status == 0);
    };
    // No window manager under Xvfb: the keyboard goes to the window given the input focus.
    xdo("search --sync --name '^accueil$' windowfocus --sync");

    // A key held as long as a person holds it (xdotool holds it half its --delay). This ImGui (1.86) sees
    // Escape, F2, Backspace and the arrows only as "down" at the start of a frame (desk_screens.cpp): one
    // pressed and released between two frames is lost, as xdotool's default 6 ms press often is.
    auto press = [](const std::string& keys) { return "key --delay 300 " + keys; };
    // Presses `key` until `done` holds (or the deadline passes): the desk answers searches and opens
    // people on its worker thread, and a key that comes before the answer is one the volunteer presses
    // again. Returns how many presses it took, 0 when it never held.
    auto press_until = [&](const std::string& key, auto done) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        for (int presses = 1; std::chrono::steady_clock::now() < until; ++presses) {
            xdo(press(key));
            if (test::wait_until(done, std::chrono::milliseconds(700)))
                return presses;
        }
        return 0;
    };

    // "egl" finds Églantine alone (accents are not typed); Enter opens her page, Enter checks her in.
    // Typed at a person's pace: a burst of keys closer than 30 ms is a keyboard-wedge scanner's code
    // (kiosk/logic/wedge.hpp), looked up as a badge instead of searched.
    xdo("type --delay 150 egl");
    const int presses =
        press_until("Return", [&] { return checkins_of(db, "Églantine", "Quévreux", today) > 0; });
    REQUIRE(presses >= 2); // one to open her page, one to check her in
    CHECK(checkins_of(db, "Églantine", "Quévreux", today) == 1);
    CHECK(all_checkins(db) == 1); // nobody else

    // Escape back to the search, Escape again clears it; a walk-in's name, F2: the walk-in form starts
    // from what was typed (first name, last name), and Enter creates them, checked in for today. Any
    // key lost on the way shows in the name stored ("eglNinon" ...) or in no walk-in at all.
    xdo(press("Escape Escape"));
    xdo("type --delay 300 'Ninon Walkin'"); // and a pause before F2, as a person makes
    xdo(press("F2"));
    CHECK(press_until("Return", [&] { return checkins_of(db, "Ninon", "Walkin", today) > 0; }) >= 1);
    CHECK(checkins_of(db, "Ninon", "Walkin", today) == 1);
    CHECK(all_checkins(db) == 2);
    CHECK(checkins_of(db, "Églantine", "Quévreux", today) == 1);
    // No printer on this device: the walk-in's badge is saved as a PDF beside the database
    // (kiosk/logic/desk_runtime.cpp).
    const fs::path badges = tmp.path() / "badges";
    CHECK(test::wait_until([&] { return fs::exists(badges) && !fs::is_empty(badges); }));

    // Still running, nothing failed on screen, then SIGTERM: in this order the signal, the loop's end,
    // the workers joined, the exit.
    CHECK(log().find("exiting with status") == std::string::npos);
    CHECK(log().find("desk: ") == std::string::npos);
    desk.signal(SIGTERM);
    REQUIRE(test::wait_until([&] { return log().find("exiting with status") != std::string::npos; },
                             std::chrono::seconds(20)));
    CHECK(desk.wait() == 0);
    const std::string out = log();
    INFO(out);
    std::size_t at = 0;
    for (const char* line :
         {"SIGTERM received", "window closed", "workers joined, database closed", "exiting with status 0"}) {
        INFO("in order: " << line);
        at = out.find(line, at);
        REQUIRE(at != std::string::npos);
    }
}

TEST_CASE(
    "A desk on a missing database, or one without the event, refuses at the terminal and makes nothing") {
    const std::string bin = test::kiosk_binary();
    REQUIRE(fs::exists(bin));
    test::TempDir tmp;
    const std::string missing = tmp.file("bureu.db"); // mistyped
    // No display at all: the refusal comes before any window.
    auto run = [&](const std::string& locale, const std::string& db) {
        return test::run_command("DISPLAY= LANGUAGE= LC_ALL=" + locale + " " + test::quote(bin) +
                                 " --mode desk --camera none --no-sound --db " + test::quote(db) + " 2>&1");
    };
    auto r = run("fr_FR.UTF-8", missing);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains(missing + " n'existe pas") &&
                          Catch::Contains("accueil-sync join CODE --db") &&
                          Catch::Contains("accueil-sync enroll --role desk"));
    CHECK_FALSE(fs::exists(missing));
    r = run("C.UTF-8", missing);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains(missing + " does not exist: check the path given to --db"));
    CHECK_FALSE(fs::exists(missing));

    // A file with no event (an enrolment that never finished): told, and left exactly as it was.
    const std::string empty = tmp.file("desk.db");
    sync::create_joining_store(empty);
    const std::string before = test::slurp(empty);
    r = run("fr_FR.UTF-8", empty);
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("ne contient pas encore d'événement") &&
                          Catch::Contains("ce poste d'accueil n'est pas inscrit"));
    CHECK(test::slurp(empty) == before);
}
