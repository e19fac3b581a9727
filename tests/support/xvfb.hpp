#pragma once
// Running the kiosk window under Xvfb (Mesa llvmpipe) from a test. A test that needs it fails where the
// xvfb package is not installed: a missing tool must not turn into a pass (deploy/install-deps.sh
// installs it).
#include "child_process.hpp"
#include "kiosk_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

namespace accueil::test {

inline bool have_xvfb() {
    return std::system("command -v xvfb-run > /dev/null 2>&1") == 0;
}

// Stops the test with a failure when xvfb-run is not there.
inline void require_xvfb() {
    INFO("xvfb-run is not installed (Debian package xvfb; deploy/install-deps.sh installs it)");
    REQUIRE(have_xvfb());
}

// A shell command run inside a fresh virtual screen, with its output (stdout and stderr) captured. The
// screen must hold the window: X keeps no pixels of a window's part off the screen.
inline Run run_in_xvfb(const std::string& command, int timeout_seconds = 300,
                       const std::string& screen = "1280x800x24") {
    return run_command("timeout " + std::to_string(timeout_seconds) + " xvfb-run -a -s '-screen 0 " + screen +
                       "' sh -c " + quote(command) + " 2>&1");
}

// An Xvfb server of our own, for a test that must signal the kiosk itself (xvfb-run stands between a
// test and its command). Xvfb writes its display number to its standard output once it accepts
// clients (-displayfd 1); killed with the object.
class XvfbServer {
public:
    explicit XvfbServer(const std::string& log_prefix, const std::string& screen = "1280x800x24")
        : server_({"/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", screen, "-nolisten", "tcp"},
                  log_prefix) {
        wait_until([&] { return !last_line(server_.out()).empty(); }, std::chrono::seconds(20));
        display_ = ":" + last_line(server_.out());
    }
    // ":N", or ":" when the server did not start.
    const std::string& display() const { return display_; }

private:
    Process server_;
    std::string display_;
};

} // namespace accueil::test
