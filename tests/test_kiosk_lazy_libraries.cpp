// libcups and libespeak-ng are opened when the kiosk first prints or speaks, not at start
// (kiosk/logic/lazy_library.hpp): not mapped before, mapped after; a missing library is a clear
// failure (a print job's detail, a log line and silence), not a crash.
#include "badge_printer.hpp"
#include "cups_library.hpp"
#include "espeak_library.hpp"
#include "speech.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

using namespace accueil::kiosk;

namespace {
bool mapped(const std::string& name) {
    std::ifstream in("/proc/self/maps");
    for (std::string line; std::getline(in, line);)
        if (line.find(name) != std::string::npos)
            return true;
    return false;
}
} // namespace

// The two tests that fork come first: their children must start from a process that has not opened
// either library yet.
TEST_CASE("Without libcups a print probe fails with a sentence naming the library, and nothing crashes",
          "[printer]") {
    REQUIRE_FALSE(cups_loaded());
    int out[2];
    REQUIRE(::pipe(out) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(out[0]);
        ::setenv("ACCUEIL_LIBCUPS", "libcups-absent.so.2", 1);
        const PrinterProbe p = probe_printer("ipp://127.0.0.1:9/ipp/print", PrintTimeouts{});
        const std::string said = std::to_string(int(p.state)) + "\n" + p.detail;
        const bool wrote = ::write(out[1], said.data(), said.size()) == ssize_t(said.size());
        ::_exit(wrote && !cups_loaded() ? 0 : 1);
    }
    ::close(out[1]);
    std::string said;
    char buf[512];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;)
        said.append(buf, std::size_t(n));
    ::close(out[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO(said);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(said.rfind(std::to_string(int(PrintState::Failed)) + "\n", 0) == 0);
    CHECK(said.find("libcups-absent.so.2") != std::string::npos);
    CHECK(said.find("cannot be loaded") != std::string::npos);
}

TEST_CASE("Without libespeak-ng speech is silent and the reason names the library") {
    REQUIRE_FALSE(espeak_loaded());
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::setenv("ACCUEIL_LIBESPEAK", "libespeak-ng-absent.so.1", 1);
        std::string why;
        const bool silent = synthesise_speech("Bonjour", Lang::Fr).empty() && speech_sample_rate() == 0;
        const bool said = !espeak_library(&why) &&
                          why.find("libespeak-ng-absent.so.1") != std::string::npos &&
                          why.find("cannot be loaded") != std::string::npos;
        ::_exit(silent && said && !espeak_loaded() ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status)); // no crash
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("libcups is mapped only once something needs it", "[printer]") {
    REQUIRE_FALSE(cups_loaded());
    CHECK_FALSE(mapped("libcups.so"));
    // Settings without a printer, or a queue name, need no libcups.
    CHECK_FALSE(validate_printer_settings(PrinterSettings{"", "a6"}));
    CHECK_FALSE(validate_printer_settings(PrinterSettings{"QL-800", "label-62mm"}));
    CHECK_FALSE(cups_loaded());
    CHECK_FALSE(mapped("libcups.so"));
    // An ipp:// URI is read by libcups: opened now, and it works.
    CHECK_FALSE(validate_printer_settings(PrinterSettings{"ipp://printer.local:631/ipp/print", "a6"}));
    CHECK(validate_printer_settings(PrinterSettings{"ipp://", "a6"}));
    CHECK(cups_loaded());
    CHECK(mapped("libcups.so"));
}

TEST_CASE("Opening a library that is not there, or is not libcups, says why", "[printer]") {
    std::string error;
    CHECK_FALSE(open_cups("libcups-absent.so.2", error));
    CHECK(error.find("libcups-absent.so.2") != std::string::npos);
    CHECK(error.find("libcups2") != std::string::npos); // the package to install
    error.clear();
    CHECK_FALSE(open_cups("libc.so.6", error)); // loads, but has none of the functions
    CHECK(error.find("libc.so.6 lacks cupsDoFileRequest") != std::string::npos);
    error.clear();
    REQUIRE(open_cups(kCupsLibrary, error));
    CHECK(error.empty());
}

TEST_CASE("libespeak-ng is mapped only once the kiosk speaks") {
    REQUIRE_FALSE(espeak_loaded());
    {
        SpeakerOptions o;
        o.sink = [](const SpeechBlock&) {};
        o.jack = [] { return std::optional<bool>(false); };
        Speaker speaker(o); // started, idle: no espeak-ng yet
        CHECK_FALSE(espeak_loaded());
        CHECK_FALSE(mapped("libespeak-ng.so"));
    }
    const auto samples = synthesise_speech("Bienvenue", Lang::Fr);
    CHECK(espeak_loaded());
    CHECK(mapped("libespeak-ng.so"));
    CHECK_FALSE(samples.empty());
}
