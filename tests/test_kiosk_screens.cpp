// Screenshots of the real kiosk window under Xvfb (Mesa llvmpipe): every screen in French and English,
// normal and high contrast, at 1280x800, 1366x768 and 800x480, with no text clipped. Each
// picture must exist, have the window's size and not be blank; the verdict screens must show their verdict's
// colour (a tint in normal mode, a frame in high contrast); the two languages must differ. Without xvfb-run
// (Debian package xvfb) they fail. And the real kiosk on a database, closed by SIGTERM through its orderly
// teardown; and on a path where no database exists: not set up, and no file left behind. And the kiosk
// outside its opening hours: dark (a made-up sysfs backlight at 0), lit by a key, restored at exit.
#include "opening_hours.hpp"
#include "scenes.hpp"
#include "support/demo_event.hpp"
#include "support/png_read.hpp"
#include "support/temp_dir.hpp"
#include "support/xvfb.hpp"

#include <catch2/catch.hpp>
#include <png.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <sys/wait.h>

using namespace accueil;
namespace fs = std::filesystem;

namespace {

struct Rgb {
    int r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Rgb& c) {
    return os << "rgb(" << c.r << ", " << c.g << ", " << c.b << ")";
}

struct Picture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;
    Rgb at(int x, int y) const {
        const std::size_t i = (std::size_t(y) * std::size_t(width) + std::size_t(x)) * 3;
        return {rgb[i], rgb[i + 1], rgb[i + 2]};
    }
};

// Reads a PNG as 8-bit RGB; an empty picture when it cannot.
Picture read_png(const std::string& path) {
    auto px = test::read_png_pixels(path, PNG_FORMAT_RGB);
    return {px.width, px.height, std::move(px.bytes)};
}

std::uint32_t pack(const Picture& p, std::size_t i) {
    return std::uint32_t(p.rgb[i]) << 16 | std::uint32_t(p.rgb[i + 1]) << 8 | p.rgb[i + 2];
}

std::size_t distinct_colours(const Picture& p) {
    std::unordered_set<std::uint32_t> seen;
    for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3)
        seen.insert(pack(p, i));
    return seen.size();
}

Rgb dominant_colour(const Picture& p) {
    std::unordered_map<std::uint32_t, std::size_t> count;
    for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3)
        ++count[pack(p, i)];
    std::uint32_t best = 0;
    std::size_t n = 0;
    for (const auto& [c, k] : count)
        if (k > n)
            std::tie(best, n) = std::tie(c, k);
    return {int(best >> 16), int((best >> 8) & 0xff), int(best & 0xff)};
}

std::size_t differing_pixels(const Picture& a, const Picture& b) {
    if (a.rgb.size() != b.rgb.size())
        return std::max(a.rgb.size(), b.rgb.size()) / 3;
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.rgb.size(); i += 3)
        n += a.rgb[i] != b.rgb[i] || a.rgb[i + 1] != b.rgb[i + 1] || a.rgb[i + 2] != b.rgb[i + 2];
    return n;
}

// The palette of kiosk/ui/theme.cpp, as a visitor sees it.
const Rgb kBackground{247, 246, 241};
const Rgb kBlack{0, 0, 0};
struct ToneColours {
    Rgb tint;  // normal mode: the whole screen
    Rgb frame; // high contrast: a thick frame on black
};
const ToneColours kSuccess{{222, 243, 228}, {80, 255, 130}};
const ToneColours kInfo{{224, 236, 250}, {120, 200, 255}};
const ToneColours kWarning{{253, 238, 214}, {255, 180, 0}};
const ToneColours kError{{251, 226, 224}, {255, 110, 110}};
const std::map<std::string, ToneColours> kToneOf = {{"admitted", kSuccess},
                                                    {"already", kInfo},
                                                    {"not-today", kWarning},
                                                    {"replaced", kWarning},
                                                    {"invalid", kError},
                                                    {"unknown", kError},
                                                    {"desk", kWarning},
                                                    {"out-of-order", kError},
                                                    {"worker-down", kError},
                                                    {"joined", kSuccess},
                                                    {"joined-not-synced", kInfo},
                                                    {"join-already", kInfo},
                                                    {"join-damaged", kWarning},
                                                    {"join-refused", kError},
                                                    {"join-unreachable", kError},
                                                    {"join-wrong-server", kError},
                                                    {"join-store", kError},
                                                    {"join-failed", kError},
                                                    {"join-no-program", kError},
                                                    {"not-set-up", kWarning},
                                                    {"not-set-up-badge", kWarning},
                                                    {"not-set-up-waiting", kWarning}};

} // namespace

TEST_CASE("Every kiosk screen renders under Xvfb in both languages, both modes and three sizes") {
    test::require_xvfb();
    const std::string bin = test::kiosk_binary();
    REQUIRE(fs::exists(bin));
    // ACCUEIL_SCREENSHOTS keeps the pictures somewhere to look at them; otherwise a temporary folder.
    test::TempDir tmp;
    const char* keep = std::getenv("ACCUEIL_SCREENSHOTS");
    const std::string dir = keep && *keep ? keep : tmp.file("shots");
    fs::create_directories(dir);
    // A badge in front of the camera, for the preview of the scan screen.
    const std::string frame = tmp.file("frame.png");
    kiosk::save_grey_png(kiosk::fit_into(test::render_qr("https://example.org/b/SAMPLE", 6), 640, 360),
                         frame);

    // Every text must fit its box: accueil-kiosk prints "clipped: ..." and exits with status 3 when one
    // does not (a word cut, a label past its button, words under the buttons or off the window).
    const std::vector<std::pair<int, int>> sizes = {{1280, 800}, {1366, 768}, {800, 480}};
    for (const auto& [w, h] : sizes) {
        const std::string size = std::to_string(w) + "x" + std::to_string(h);
        const auto run = test::run_in_xvfb(test::quote(bin) + " --screenshot-dir " + test::quote(dir) +
                                               " --replay " + test::quote(frame) + " --size " + size,
                                           300, "1366x800x24");
        INFO(size << ":\n" << run.out);
        REQUIRE(run.status == 0);
    }

    for (const auto& [w, h] : sizes) {
        const std::string size = std::to_string(w) + "x" + std::to_string(h);
        for (const auto& scene : kiosk::scene_names()) {
            std::map<std::string, Picture> by_lang;
            for (const std::string lang : {"fr", "en"})
                for (const std::string contrast : {"normal", "high"}) {
                    const std::string path =
                        dir + "/" + scene + "-" + lang + "-" + contrast + "-" + size + ".png";
                    INFO(path);
                    REQUIRE(fs::exists(path));
                    const Picture pic = read_png(path);
                    REQUIRE(pic.width == w);
                    REQUIRE(pic.height == h);
                    // Not blank: words, buttons and an icon make many colours (anti-aliased text).
                    CHECK(distinct_colours(pic) >= 8);
                    const Rgb dominant = dominant_colour(pic);
                    const auto tone = kToneOf.find(scene);
                    if (scene.starts_with("closed")) {
                        CHECK(dominant == kBlack); // outside the opening hours, in either mode
                        CHECK(pic.at(2, h - 2) == kBlack);
                    } else if (contrast == "high") {
                        CHECK(dominant == kBlack);
                        if (tone != kToneOf.end()) {
                            // The verdict's colour as a thick frame round the screen (not a tint).
                            CHECK(pic.at(2 + 6, h / 2) == tone->second.frame);
                            CHECK(pic.at(w / 2, h - 9) == tone->second.frame);
                        }
                    } else if (tone != kToneOf.end()) {
                        CHECK(dominant == tone->second.tint); // the whole screen in the verdict's tint
                    } else {
                        CHECK(pic.at(2, h - 2) == kBackground); // (the keyboard may cover more of it)
                    }
                    if (contrast == "normal")
                        by_lang[lang] = pic;
                }
            INFO(scene << " at " << size);
            // The words change with the language (the status line alone already differs).
            CHECK(differing_pixels(by_lang["fr"], by_lang["en"]) > std::size_t(w * h / 1000));
        }
    }
}

TEST_CASE("accueil-kiosk --screenshot renders the one screen asked for, and refuses an unknown one") {
    test::require_xvfb();
    const std::string bin = test::kiosk_binary();
    REQUIRE(fs::exists(bin));
    test::TempDir tmp;
    const std::string png = tmp.file("admitted.png");
    auto run = test::run_in_xvfb(test::quote(bin) + " --screenshot " + test::quote(png) +
                                 " --screen admitted --lang en --contrast normal --size 1024x600");
    INFO(run.out);
    REQUIRE(run.status == 0);
    const Picture pic = read_png(png);
    CHECK(pic.width == 1024);
    CHECK(pic.height == 600);
    CHECK(dominant_colour(pic) == kSuccess.tint);

    run = test::run_in_xvfb(test::quote(bin) + " --screenshot " + test::quote(tmp.file("x.png")) +
                            " --screen no-such-screen --size 800x480");
    CHECK(run.status == 2);
    CHECK_THAT(run.out, Catch::Contains("no-such-screen"));
    CHECK_FALSE(fs::exists(tmp.file("x.png")));
}

namespace {
// The real kiosk on `db` (no camera, no sound) in a virtual display of its own.
struct LiveKiosk {
    LiveKiosk(const test::TempDir& tmp, const std::string& db)
        : x(tmp.file("xvfb")),
          kiosk({test::kiosk_binary(), "--db", db, "--camera", "none", "--no-sound", "--size", "800x480"},
                tmp.file("kiosk"), {{"DISPLAY", x.display()}}) {}
    std::string log() const { return kiosk.out() + kiosk.err(); }
    bool logged(const std::string& text, std::chrono::seconds within = std::chrono::seconds(30)) const {
        return test::wait_until([&] { return log().find(text) != std::string::npos; }, within);
    }
    // SIGTERM; its exit status once it said it exits, -1 when it did not within 20 s.
    int stop() {
        kiosk.signal(SIGTERM);
        return logged("exiting with status", std::chrono::seconds(20)) ? kiosk.wait() : -1;
    }
    test::XvfbServer x;
    test::Process kiosk;
};
} // namespace

TEST_CASE("SIGTERM closes the kiosk through its orderly teardown, with exit status 0") {
    test::require_xvfb();
    REQUIRE(fs::exists(test::kiosk_binary()));
    test::TempDir tmp;
    const std::string db = tmp.file("kiosk.db");
    Store::create(db, test::demo_spec()).set_kiosk_name("Accueil 4");

    LiveKiosk k(tmp, db);
    REQUIRE(k.x.display() != ":");
    // Up: the window drew its first frame (and so the runtime and its workers are running).
    REQUIRE(k.logged("first frame drawn"));
    const int status = k.stop();
    const std::string out = k.log();
    INFO(out);
    CHECK(status == 0);
    // In this order: the signal, the loop's end, the workers joined, the exit.
    const auto signal = out.find("SIGTERM received");
    const auto closed = out.find("window closed");
    const auto joined = out.find("workers joined, database closed");
    const auto exiting = out.find("exiting with status 0");
    REQUIRE(signal != std::string::npos);
    REQUIRE(closed != std::string::npos);
    REQUIRE(joined != std::string::npos);
    REQUIRE(exiting != std::string::npos);
    CHECK(signal < closed);
    CHECK(closed < joined);
    CHECK(joined < exiting);
}

TEST_CASE("A kiosk started on a path with no database is not set up and leaves no file behind") {
    test::require_xvfb();
    REQUIRE(fs::exists(test::kiosk_binary()));
    test::TempDir tmp;
    const std::string db = tmp.file("kisok.db"); // mistyped

    LiveKiosk k(tmp, db);
    REQUIRE(k.x.display() != ":");
    REQUIRE(k.logged("first frame drawn"));
    // Its log says why, with the whole path; nothing about a missing database as an error.
    REQUIRE(k.logged("waits for its enrolment code"));
    CHECK_THAT(k.log(), Catch::Contains(db + ": no event in this database yet"));
    CHECK_THAT(k.log(), !Catch::Contains("no such database"));
    CHECK_FALSE(fs::exists(db));
    INFO(k.log());
    CHECK(k.stop() == 0);
    CHECK_FALSE(fs::exists(db));                             // nobody enrolled it: no stray database
    for (const auto& e : fs::directory_iterator(tmp.path())) // nor its -wal or -shm
        CHECK_FALSE(e.path().filename().string().starts_with("kisok.db"));
}

TEST_CASE("accueil-kiosk --help and its command-line mistakes speak the person's language") {
    const auto run = [](const std::string& locale, const std::string& args) {
        const std::string command = "env -u LANGUAGE LC_ALL=" + locale + " " + std::string(ACCUEIL_BIN_DIR) +
                                    "/accueil-kiosk " + args + " 2>&1";
        const auto r = test::run_command(command);
        return std::make_pair(r.status, r.out);
    };
    const auto [fr_code, fr] = run("fr_FR.UTF-8", "--help");
    CHECK(fr_code == 0);
    CHECK_THAT(fr, Catch::Contains("la base de données du poste") && Catch::Contains("langue des écrans"));
    const auto [en_code, en] = run("C.UTF-8", "--help");
    CHECK(en_code == 0);
    CHECK_THAT(en, Catch::Contains("the kiosk's database") && Catch::Contains("language of the screens"));
    const auto [bad_code, bad] = run("fr_FR.UTF-8", "--mode hall");
    CHECK(bad_code != 0);
    CHECK_THAT(bad, Catch::Contains("--help"));
    const auto [no_db_code, no_db] = run("fr_FR.UTF-8", "--camera none");
    CHECK(no_db_code == 2);
    CHECK_THAT(no_db, Catch::Contains("--db CHEMIN est nécessaire"));
}

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Opening hours (Paris time, the demo event's) that hold now or not: an hour each side of now, or
// starting in two hours.
std::string hours_around_now(bool open_now) {
    const std::string hm = local_hh_mm(now_ms(), "Europe/Paris");
    const int minute = std::stoi(hm.substr(0, 2)) * 60 + std::stoi(hm.substr(3, 2));
    const int from = open_now ? minute + 1440 - 60 : minute + 120, to = from + 120;
    return kiosk::hh_mm(from % 1440) + "-" + kiosk::hh_mm(to % 1440);
}

long read_brightness(const fs::path& file) {
    std::ifstream in(file);
    long v = -1;
    in >> v;
    return v;
}

// The real kiosk on a store of the demo event with --open-hours, its backlight a made-up sysfs folder.
struct HoursKiosk {
    HoursKiosk(const test::TempDir& tmp, const std::string& hours)
        : root(tmp.path() / "backlight"), db(tmp.file("kiosk.db")), x((make(tmp), tmp.file("xvfb"))),
          kiosk({test::kiosk_binary(), "--db", db, "--camera", "none", "--no-sound", "--size", "800x480",
                 "--open-hours", hours},
                tmp.file("kiosk"),
                {{"DISPLAY", x.display()}, {"ACCUEIL_KIOSK_TEST_BACKLIGHT_ROOT", root.string()}}) {}
    void make(const test::TempDir&) {
        fs::create_directories(root / "intel_backlight");
        std::ofstream(root / "intel_backlight" / "brightness") << "420\n";
        std::ofstream(root / "intel_backlight" / "max_brightness") << "1000\n";
        Store::create(db, test::demo_spec()).set_kiosk_name("Accueil 4");
    }
    std::string log() const { return kiosk.out() + kiosk.err(); }
    long brightness() const { return read_brightness(root / "intel_backlight" / "brightness"); }
    fs::path root;
    std::string db;
    test::XvfbServer x;
    test::Process kiosk;
};

} // namespace

TEST_CASE("Outside its opening hours the kiosk goes dark, a key lights it, and its exit restores the light") {
    test::require_xvfb();
    REQUIRE(fs::exists(test::kiosk_binary()));
    test::TempDir tmp;
    const std::string hours = hours_around_now(false);
    HoursKiosk k(tmp, hours);
    REQUIRE(k.x.display() != ":");
    INFO(hours);
    REQUIRE(test::wait_until([&] { return k.log().find("first frame drawn") != std::string::npos; }));
    REQUIRE(test::wait_until([&] { return k.brightness() == 0; }));
    const std::string log = k.log();
    INFO(log);
    CHECK_THAT(log, Catch::Contains("self-service mode on " + k.db + ", no camera, opening hours " + hours));
    CHECK_THAT(log, Catch::Contains("closed, opens at " + hours.substr(0, 5)));
    CHECK_THAT(log, Catch::Contains("closed: screen dark, camera off"));

    // A key (a volunteer checking the kiosk is alive): the light comes back for a while.
    if (std::system("command -v xdotool > /dev/null 2>&1") == 0) {
        const std::string xdo = "DISPLAY=" + k.x.display() + " xdotool ";
        REQUIRE(std::system(
                    (xdo + "search --sync --name '^accueil$' windowfocus --sync > /dev/null 2>&1").c_str()) ==
                0);
        REQUIRE(std::system((xdo + "type --delay 100 a > /dev/null 2>&1").c_str()) == 0);
        CHECK(test::wait_until([&] { return k.brightness() == 420; }, std::chrono::seconds(10)));
    } else {
        FAIL("xdotool is not installed (Debian package xdotool; deploy/install-deps.sh installs it)");
    }

    k.kiosk.signal(SIGTERM);
    REQUIRE(test::wait_until([&] { return k.log().find("exiting with status") != std::string::npos; },
                             std::chrono::seconds(20)));
    CHECK(k.kiosk.wait() == 0);
    CHECK(k.brightness() == 420);
}

TEST_CASE("Inside its opening hours the kiosk is open and leaves the backlight alone") {
    test::require_xvfb();
    REQUIRE(fs::exists(test::kiosk_binary()));
    test::TempDir tmp;
    const std::string hours = hours_around_now(true);
    HoursKiosk k(tmp, hours);
    REQUIRE(k.x.display() != ":");
    REQUIRE(test::wait_until([&] { return k.log().find("first frame drawn") != std::string::npos; }));
    REQUIRE(test::wait_until([&] { return k.log().find("): open") != std::string::npos; }));
    k.kiosk.signal(SIGTERM);
    REQUIRE(test::wait_until([&] { return k.log().find("exiting with status") != std::string::npos; },
                             std::chrono::seconds(20)));
    CHECK(k.kiosk.wait() == 0);
    INFO(k.log());
    CHECK(k.brightness() == 420);
    CHECK_THAT(k.log(), !Catch::Contains("closed, opens at") && !Catch::Contains("screen dark"));
}

TEST_CASE("A bad --open-hours is a usage error in the person's language, before any window") {
    const auto run = [](const std::string& locale) {
        const std::string command = "env -u LANGUAGE -u DISPLAY LC_ALL=" + locale + " " +
                                    std::string(ACCUEIL_BIN_DIR) +
                                    "/accueil-kiosk --db /nonexistent/k.db --open-hours 25:00-19:00 2>&1";
        const auto r = test::run_command(command);
        return std::make_pair(r.status, r.out);
    };
    const auto [fr_code, fr] = run("fr_FR.UTF-8");
    CHECK(fr_code == 2);
    CHECK_THAT(fr, Catch::Contains("--open-hours « 25:00-19:00 » : attendu HH:MM-HH:MM"));
    const auto [en_code, en] = run("C.UTF-8");
    CHECK(en_code == 2);
    CHECK_THAT(en, Catch::Contains("--open-hours \"25:00-19:00\": expected HH:MM-HH:MM"));
}
