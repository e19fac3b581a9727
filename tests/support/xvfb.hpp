#pragma once
// Running the kiosk window under Xvfb (Mesa llvmpipe) from a test; skipped, with a warning, where the
// xvfb package is not installed.
#include "kiosk_test_util.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

namespace accueil::test {

inline bool have_xvfb() {
    return std::system("command -v xvfb-run > /dev/null 2>&1") == 0;
}

// True when xvfb-run is there; otherwise warns that the test is skipped (and asserts why).
inline bool xvfb_or_skip() {
    if (have_xvfb())
        return true;
    WARN("skipped: xvfb-run is not installed (Debian package xvfb)");
    CHECK_FALSE(have_xvfb());
    return false;
}

// A shell command run inside a fresh virtual screen, with its output (stdout and stderr) captured.
inline Run run_in_xvfb(const std::string& command, int timeout_seconds = 300) {
    return run_command("timeout " + std::to_string(timeout_seconds) +
                       " xvfb-run -a -s '-screen 0 1280x800x24' sh -c " + quote(command) + " 2>&1");
}

} // namespace accueil::test
