// `accueil doctor` (issue 13, sync/doctor/): the real program against a real `accueil-sync serve` on
// 127.0.0.1 and kiosks enrolled by the real `accueil-sync join`; its pure parts (scanner names, HTTP
// dates, the clock's tolerance) directly.
#include "audio_out.hpp"
#include "badge_printer.hpp"
#include "camera.hpp"
#include "device_checks.hpp"
#include "server_checks.hpp"
#include "store.hpp"
#include "support/ipp_printer.hpp"
#include "support/sockets.hpp"
#include "support/sync_desk.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace accueil;
using namespace accueil::test;

namespace {

const std::string kAccueil = std::string(ACCUEIL_BIN_DIR) + "/accueil";

// English unless a test asks otherwise; the account whose access is checked is the one running the test.
Env english(Env extra = {}) {
    Env env{{"LANGUAGE", ""}, {"LC_ALL", "C.UTF-8"}, {"LC_MESSAGES", ""}, {"LANG", "C.UTF-8"}};
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

std::string me() {
    return ::getpwuid(::geteuid())->pw_name;
}

// Runs `accueil doctor ARGS`; a doctor still running after a minute is killed and the test fails.
Ran run_doctor(Desk& d, std::vector<std::string> args, const Env& env = english()) {
    std::vector<std::string> full{kAccueil, "doctor"};
    full.insert(full.end(), args.begin(), args.end());
    Process p(full, d.log("doctor"), env);
    auto code = std::async(std::launch::async, [&] { return p.wait(); });
    if (code.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        p.signal(SIGKILL);
        code.wait();
        FAIL("accueil doctor did not finish within a minute:\n" << p.out());
    }
    return {code.get(), p.out(), p.err()};
}

// Only what the device has a say in: no camera, scanner, printer or sound on this machine's checks.
std::vector<std::string> store_only(const std::string& db) {
    return {"--db", db, "--user", me(), "--no-camera", "--no-scanner", "--no-printer", "--no-sound"};
}

// The line of the output that mentions `what`, or "".
std::string line_with(const std::string& out, const std::string& what) {
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (line.find(what) != std::string::npos)
            return line;
    return "";
}

bool starts(const std::string& line, const std::string& tag) {
    return line.rfind(tag, 0) == 0;
}

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A made-up /proc with only bus/input/devices, for the scanner check (ACCUEIL_DOCTOR_TEST_PROC_ROOT).
std::string fake_proc(const TempDir& dir, const std::string& name, const std::string& devices) {
    const fs::path root = dir.path() / name;
    fs::create_directories(root / "bus" / "input");
    std::ofstream(root / "bus" / "input" / "devices") << devices;
    return root.string();
}

const std::string kKeyboard = "I: Bus=0011 Vendor=0001 Product=0001 Version=ab41\n"
                              "N: Name=\"AT Translated Set 2 keyboard\"\n"
                              "H: Handlers=sysrq kbd event0 leds\n"
                              "B: EV=120013\n\n";
const std::string kScanner = "I: Bus=0003 Vendor=0c2e Product=0b61 Version=0100\n"
                             "N: Name=\"Honeywell Imaging & Mobility 1900\"\n"
                             "H: Handlers=sysrq kbd event5 leds\n"
                             "B: EV=120013\n\n";

} // namespace

TEST_CASE(
    "doctor: an enrolled kiosk and its server pass enrolment, server, certificate, clock, disk and files",
    "[doctor]") {
    Desk d(true);
    d.start_server();
    const std::string db = d.add_kiosk("Accueil 1");
    const std::string before = bytes_of(db);
    REQUIRE_FALSE(fs::exists(db + "-wal"));

    const auto r = run_doctor(d, store_only(db));
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    const std::string url = "https://127.0.0.1:" + std::to_string(d.port);
    CHECK(starts(line_with(r.out, "Enrolment: self-service kiosk \"Accueil 1\""), "✓ OK"));
    CHECK(line_with(r.out, "Enrolment:").find(url) != std::string::npos);
    CHECK(starts(line_with(r.out, "Server: the central server answers at " + url), "✓ OK"));
    CHECK(starts(line_with(r.out, "Certificate: the server's certificate is the one kept at enrolment"),
                 "✓ OK"));
    CHECK(starts(line_with(r.out, "Clock: this device and the server agree"), "✓ OK"));
    CHECK(starts(line_with(r.out, "Disk:"), "✓ OK"));
    CHECK(starts(line_with(r.out, "Files: " + me() + " can read and write " + db), "✓ OK"));
    CHECK(starts(line_with(r.out, "Camera: not checked (--no-camera)"), "– NOT CHECKED"));
    CHECK(line_with(r.out, "All is well") != "");
    // Only read: the database is as it was, and no journal file was left beside it.
    CHECK(bytes_of(db) == before);
    CHECK_FALSE(fs::exists(db + "-wal"));
    CHECK_FALSE(fs::exists(db + "-shm"));
}

TEST_CASE("doctor: a server answering with another certificate is a problem that says to enrol again",
          "[doctor]") {
    Desk d(true);
    d.start_server();
    const std::string db = d.add_kiosk("Accueil 1");
    d.stop_server();
    // A second server on a new database at the same address: a reinstalled server, or an impostor.
    const std::string other = d.dir.file("other.db");
    Store::create(other, demo_spec());
    Process impostor({kSync, "serve", "--db", other, "--listen", "127.0.0.1:" + std::to_string(d.port)},
                     d.log("impostor"));
    REQUIRE(wait_until([&] { return impostor.out().find("serving") != std::string::npos; },
                       std::chrono::seconds(10)));

    const auto r = run_doctor(d, store_only(db));
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    CHECK(starts(line_with(r.out, "Server: the central server answers"), "✓ OK"));
    const std::string cert = line_with(r.out, "Certificate:");
    CHECK(starts(cert, "✗ PROBLEM"));
    CHECK(cert.find("other than the one kept at enrolment") != std::string::npos);
    CHECK(cert.find("impersonating") != std::string::npos);
    CHECK(cert.find("--replace") != std::string::npos);
    CHECK(
        starts(line_with(r.out, "Clock: not compared, as the server is not the one kept"), "– NOT CHECKED"));
    CHECK(line_with(r.out, "1 problem to fix") != "");
}

TEST_CASE("doctor: a server that is down, or that never answers, is unreachable, in bounded time",
          "[doctor]") {
    Desk d(true);
    d.start_server();
    const std::string db = d.add_kiosk("Accueil 1");
    d.stop_server();

    SECTION("nothing listens") {
        const auto r = run_doctor(d, store_only(db));
        INFO(r.out << r.err);
        CHECK(r.code == 1);
        const std::string server = line_with(r.out, "Server:");
        CHECK(starts(server, "✗ PROBLEM"));
        CHECK(server.find("does not answer at https://127.0.0.1:" + std::to_string(d.port)) !=
              std::string::npos);
        CHECK(server.find("Wi-Fi") != std::string::npos);
        CHECK(starts(line_with(r.out, "Certificate: not checked, as the server did not answer"),
                     "– NOT CHECKED"));
        CHECK(starts(line_with(r.out, "Clock: not compared"), "– NOT CHECKED"));
    }
    SECTION("a socket that accepts connections and never says a word") {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        Socket silent(fd);
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(std::uint16_t(d.port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 16) == 0);
        const auto r = run_doctor(d, store_only(db)); // fails the test if it does not end within a minute
        INFO(r.out << r.err);
        CHECK(r.code == 1);
        CHECK(starts(line_with(r.out, "Server:"), "✗ PROBLEM"));
        CHECK(starts(line_with(r.out, "Certificate: not checked"), "– NOT CHECKED"));
    }
}

TEST_CASE("doctor: a clock far from the server's is a problem, either way", "[doctor]") {
    Desk d(true);
    d.start_server();
    const std::string db = d.add_kiosk("Accueil 1");
    const auto behind = run_doctor(d, store_only(db), english({{"ACCUEIL_FAKE_CLOCK_OFFSET_MS", "-600000"}}));
    INFO(behind.out);
    CHECK(behind.code == 1);
    CHECK(starts(line_with(behind.out, "Clock: this device is 10 min behind the server"), "✗ PROBLEM"));
    CHECK(line_with(behind.out, "Clock:").find("timedatectl") != std::string::npos);
    const auto ahead = run_doctor(d, store_only(db), english({{"ACCUEIL_FAKE_CLOCK_OFFSET_MS", "300000"}}));
    INFO(ahead.out);
    CHECK(ahead.code == 1);
    CHECK(starts(line_with(ahead.out, "Clock: this device is 5 min ahead of the server"), "✗ PROBLEM"));
}

TEST_CASE("doctor: no database means not enrolled, and nothing is created", "[doctor]") {
    Desk d(true);
    const std::string db = d.dir.file("absent.db");
    const auto r = run_doctor(d, {"--db", db, "--no-camera", "--no-sound"});
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    const std::string enrol = line_with(r.out, "Enrolment:");
    CHECK(starts(enrol, "✗ PROBLEM"));
    CHECK(enrol.find("there is no database at " + db) != std::string::npos);
    CHECK(enrol.find("accueil-sync join CODE --db " + db) != std::string::npos);
    CHECK(starts(line_with(r.out, "Server: not checked, as this device has not joined"), "– NOT CHECKED"));
    CHECK(starts(line_with(r.out, "Files: not checked, as there is no database yet"), "– NOT CHECKED"));
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        CHECK_FALSE(fs::exists(db + suffix));
}

TEST_CASE("doctor: a database other accounts can read, or the kiosk's account cannot use, is a problem",
          "[doctor]") {
    Desk d(true);
    d.start_server();
    const std::string db = d.add_kiosk("Accueil 1");
    SECTION("readable by everyone") {
        REQUIRE(::chmod(db.c_str(), 0644) == 0);
        const std::string before = bytes_of(db);
        const auto r = run_doctor(d, store_only(db));
        INFO(r.out << r.err);
        CHECK(r.code == 1);
        const std::string files = line_with(r.out, "Files:");
        CHECK(starts(files, "✗ PROBLEM"));
        CHECK(files.find("other accounts of this computer can read " + db + " (mode 644)") !=
              std::string::npos);
        CHECK(files.find("chmod 600 " + db) != std::string::npos);
        CHECK(bytes_of(db) == before);
        struct stat st {};
        REQUIRE(::stat(db.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0644); // said, not changed
    }
    SECTION("another account runs the kiosk") {
        auto args = store_only(db);
        args[3] = "nobody";
        const auto r = run_doctor(d, args);
        INFO(r.out << r.err);
        CHECK(r.code == 1);
        const std::string files = line_with(r.out, "Files:");
        CHECK(starts(files, "✗ PROBLEM"));
        CHECK(files.find("the account nobody cannot") != std::string::npos);
        CHECK(files.find("sudo chown nobody:") != std::string::npos);
    }
}

TEST_CASE("doctor: the camera, scanner, printer and sound checks on this machine say what to do",
          "[doctor]") {
    Desk d(true);
    d.start_server();
    const std::string db = d.add_kiosk("Accueil 1");
    const Env proc = english({{"ACCUEIL_DOCTOR_TEST_PROC_ROOT", fake_proc(d.dir, "proc", kKeyboard)}});
    const auto r = run_doctor(d, {"--db", db, "--user", me()}, proc);
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    const std::string camera = line_with(r.out, "Camera:");
    if (kiosk::Camera::find_default().empty()) {
        CHECK(starts(camera, "✗ PROBLEM"));
        CHECK(camera.find("no camera found. Plug in the USB camera") != std::string::npos);
    } else {
        CHECK_FALSE(starts(camera, "– NOT CHECKED"));
    }
    // A self-service kiosk reads badges with its camera and needs no printer.
    CHECK(starts(line_with(r.out, "Scanner: none plugged in"), "✓ OK"));
    CHECK(starts(line_with(r.out, "Printer: none set"), "✓ OK"));
    const std::string sound = line_with(r.out, "Sound:");
    if (!kiosk::probe_playback(22050).empty()) {
        CHECK(starts(sound, "✗ PROBLEM"));
        CHECK(sound.find("plug in loudspeakers") != std::string::npos);
    } else {
        CHECK(starts(sound, "✓ OK"));
    }

    SECTION("a camera that is not there") {
        const auto c =
            run_doctor(d, {"--db", db, "--user", me(), "--camera", d.dir.file("video9"), "--no-sound"}, proc);
        const std::string line = line_with(c.out, "Camera:");
        CHECK(starts(line, "✗ PROBLEM"));
        CHECK(line.find("cannot be used") != std::string::npos);
        CHECK(line.find("plug it back in") != std::string::npos);
    }
}

TEST_CASE("doctor: a desk expects a scanner or a camera, and checks its printer", "[doctor]") {
    Desk d(true);
    d.start_server();
    const std::string db = d.add_kiosk("Accueil 2", {}, "desk");
    // A printer that does not answer: nothing listens on this port.
    const std::string printer = "ipp://127.0.0.1:" + std::to_string(free_port()) + "/ipp/print";
    {
        Store s = Store::open(db);
        kiosk::save_printer_settings(s, kiosk::PrinterSettings{printer, "label-62mm"});
    }
    SECTION("no scanner, no camera") {
        const auto r =
            run_doctor(d, {"--db", db, "--user", me(), "--no-sound", "--camera", d.dir.file("video9")},
                       english({{"ACCUEIL_DOCTOR_TEST_PROC_ROOT", fake_proc(d.dir, "p1", kKeyboard)}}));
        INFO(r.out << r.err);
        CHECK(r.code == 1);
        CHECK(starts(line_with(r.out, "Enrolment: welcome desk \"Accueil 2\""), "✓ OK"));
        CHECK(starts(line_with(r.out, "Scanner: no barcode scanner seen"), "! WARNING"));
        CHECK(starts(line_with(r.out, "Camera:"), "✗ PROBLEM"));
        const std::string p = line_with(r.out, "Printer:");
        CHECK(starts(p, "✗ PROBLEM"));
        CHECK(p.find(printer + " does not answer") != std::string::npos);
        CHECK(p.find("Switch it on") != std::string::npos);
    }
    SECTION("a scanner plugged in: the camera is optional") {
        const auto r = run_doctor(
            d, {"--db", db, "--user", me(), "--no-sound", "--no-printer"},
            english({{"ACCUEIL_DOCTOR_TEST_PROC_ROOT", fake_proc(d.dir, "p2", kKeyboard + kScanner)}}));
        INFO(r.out << r.err);
        CHECK(
            starts(line_with(r.out, "Scanner: \"Honeywell Imaging & Mobility 1900\" is plugged in"), "✓ OK"));
        const std::string camera = line_with(r.out, "Camera:");
        CHECK((starts(camera, "✓ OK") || starts(camera, "! WARNING")));
        CHECK(r.code == 0);
    }
    SECTION("a printer that answers and is idle") {
        IppEvePrinter ready({});
        {
            Store s = Store::open(db);
            kiosk::save_printer_settings(s, kiosk::PrinterSettings{ready.uri(), "label-62mm"});
        }
        const auto r =
            run_doctor(d, {"--db", db, "--user", me(), "--no-camera", "--no-scanner", "--no-sound"});
        INFO(r.out << r.err);
        CHECK(r.code == 0);
        const std::string line = line_with(r.out, "Printer:");
        CHECK(starts(line, "✓ OK"));
        CHECK(line.find(ready.uri() + " is ready") != std::string::npos);
        CHECK(line.find("idle") != std::string::npos);
    }
    SECTION("no printer set") {
        {
            Store s = Store::open(db);
            kiosk::save_printer_settings(s, kiosk::PrinterSettings{"", "label-62mm"});
        }
        const auto p =
            run_doctor(d, {"--db", db, "--user", me(), "--no-camera", "--no-scanner", "--no-sound"});
        INFO(p.out);
        CHECK(p.code == 0);
        const std::string line = line_with(p.out, "Printer:");
        CHECK(starts(line, "! WARNING"));
        CHECK(line.find("--set-printer") != std::string::npos);
    }
}

TEST_CASE("doctor: French under a French locale, with its accents", "[doctor]") {
    Desk d(true);
    const std::string db = d.dir.file("absent.db");
    const auto r = run_doctor(d, {"--db", db, "--no-sound"},
                              {{"LANGUAGE", ""},
                               {"LC_ALL", "fr_FR.UTF-8"},
                               {"ACCUEIL_DOCTOR_TEST_PROC_ROOT", fake_proc(d.dir, "proc", kKeyboard)}});
    INFO(r.out << r.err);
    CHECK(r.code == 1);
    CHECK(line_with(r.out, "Vérification de ce poste (" + db + ") :") != "");
    CHECK(starts(line_with(r.out, "Inscription : il n'y a pas de base de données à " + db), "✗ PROBLÈME"));
    CHECK(starts(line_with(r.out, "Serveur : non vérifié"), "– NON VÉRIFIÉ"));
    CHECK(starts(line_with(r.out, "Disque :"), "✓ OK"));
    CHECK(line_with(r.out, "Son : non vérifié (--no-sound)") != "");
    if (kiosk::Camera::find_default().empty())
        CHECK(line_with(r.out, "Caméra : aucune caméra trouvée. Branchez la caméra USB") != "");
    CHECK(line_with(r.out, "problèmes à régler avant l'ouverture") != "");
    CHECK(r.out.find("Enrolment") == std::string::npos);
}

TEST_CASE("doctor: a wrong command line is exit code 2", "[doctor]") {
    Desk d(true);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--bogus"},
          {"--db"},
          {"--user", "no-such-account-here", "--db", d.dir.file("x.db")}}) {
        const auto r = run_doctor(d, args);
        INFO(r.out << r.err);
        CHECK(r.code == 2);
        CHECK_FALSE(r.err.empty());
    }
    CHECK(run_doctor(d, {"--user", "no-such-account-here"})
              .err.find("no account named \"no-such-account-here\"") != std::string::npos);
    const auto help = run_doctor(d, {"--help"});
    CHECK(help.code == 0);
    CHECK(help.out.find("/var/lib/accueil/kiosk.db") != std::string::npos);
}

TEST_CASE("doctor: scanner names, HTTP dates and the clock's tolerance", "[doctor]") {
    using namespace accueil::doctor;
    CHECK(looks_like_scanner("Honeywell Imaging & Mobility 1900"));
    CHECK(looks_like_scanner("WCM USB Barcode Scanner"));
    CHECK(looks_like_scanner("NETUM Bluetooth Keyboard"));
    CHECK_FALSE(looks_like_scanner("AT Translated Set 2 keyboard"));
    CHECK_FALSE(looks_like_scanner("Logitech USB Receiver"));
    CHECK(scanner_in(kKeyboard + kScanner) ==
          std::optional<std::string>("Honeywell Imaging & Mobility 1900"));
    CHECK(scanner_in(kKeyboard + kScanner.substr(0, kScanner.size() - 1)) ==
          std::optional<std::string>("Honeywell Imaging & Mobility 1900")); // last block without blank line
    CHECK_FALSE(scanner_in(kKeyboard));
    // A device named like a scanner that does not type (a document scanner's buttons) is not one.
    CHECK_FALSE(scanner_in("N: Name=\"Canon Scanner Buttons\"\nH: Handlers=event7\n\n"));

    CHECK(parse_http_date("Mon, 30 Nov 2026 09:12:00 GMT") == std::optional<std::int64_t>(1796029920000));
    CHECK_FALSE(parse_http_date("30/11/2026 09:12"));
    CHECK_FALSE(parse_http_date(""));
    CHECK(clock_check(119'000).outcome == Outcome::Ok);
    CHECK(clock_check(-119'000).outcome == Outcome::Ok);
    CHECK(clock_check(121'000).outcome == Outcome::Problem);
    CHECK(clock_check(-121'000).outcome == Outcome::Problem);
}
