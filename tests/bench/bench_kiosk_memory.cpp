// The kiosk's resident memory when idle: the real `accueil-kiosk` on a store of 1,700 people, full
// screen on a 1280x800 Xvfb (Mesa's software renderer), no camera, no sound, read from
// /proc/PID/smaps once it shows the scan screen and has been idle a few seconds. Its own share is the
// resident total minus the mappings of the GL driver (kiosk/logic/proc_stats.hpp says which).
#include "bench_util.hpp"

#include "badge/event_keys.hpp"
#include "proc_stats.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/demo_event.hpp"
#include "support/demo_roster_import.hpp"
#include "support/temp_dir.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace accueil;
using namespace accueil::bench;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFigure = "kiosk's own resident memory, idle (1,700 people)";

// The child of this process running `name` (test::Process keeps its pid to itself): its /proc entry.
int child_named(const std::string& name) {
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(entry.path() / "stat");
        std::string line;
        std::getline(in, line);
        // "PID (comm) state PPID …": the command name may hold spaces, fields are counted after ')'.
        const auto open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos)
            continue;
        int ppid = 0;
        char state = 0;
        if (line.substr(open + 1, close - open - 1) == name &&
            std::sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == int(::getpid()))
            return std::stoi(pid);
    }
    return 0;
}

double mib(std::int64_t kib) {
    return double(kib) / 1024.0;
}

void bench_memory() {
    const std::string bin = std::string(ACCUEIL_BIN_DIR) + "/accueil-kiosk";
    if (!fs::exists("/usr/bin/Xvfb") || !fs::exists(bin)) {
        std::printf("%-52s (absent: /usr/bin/Xvfb or %s)\n", kFigure, bin.c_str());
        return;
    }
    // Removed on every return, after the kiosk and Xvfb below (declared later, so stopped first): the
    // store and its event key are not left in /tmp.
    const test::TempDir scratch;
    const fs::path& dir = scratch.path();
    const std::string db = (dir / "kiosk.db").string();
    {
        Store store = Store::create(db, test::demo_spec());
        test::import_demo_roster(store, 1700);
        init_event_key(store, (dir / "kiosk.key").string(), "bench");
    }

    test::Process xvfb(
        {"/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"},
        (dir / "xvfb").string());
    if (!test::wait_until([&] { return !test::last_line(xvfb.out()).empty(); }, std::chrono::seconds(20))) {
        std::printf("%-52s (Xvfb did not start)\n", kFigure);
        return;
    }
    const std::string display = ":" + test::last_line(xvfb.out());
    test::Process kiosk({bin, "--db", db, "--camera", "none", "--no-sound"}, (dir / "kiosk").string(),
                        {{"DISPLAY", display}});
    int pid = 0;
    test::wait_until([&] { return (pid = child_named("accueil-kiosk")) > 0; }, std::chrono::seconds(10));
    // The scan screen is up once the first frame is drawn (frame_loop.cpp logs it); idle once it has
    // used under 2 % of a core over 3 s (it still wakes for its timeouts and the sync state).
    const bool up =
        pid > 0 && test::wait_until([&] { return kiosk.err().find("kiosk window up") != std::string::npos; });
    double cpu = kiosk::process_cpu_seconds(pid);
    auto since = Clock::now();
    const bool idle = up && test::wait_until(
                                [&] {
                                    if (seconds_since(since) < 3)
                                        return false;
                                    const double now = kiosk::process_cpu_seconds(pid);
                                    const bool quiet = (now - cpu) / seconds_since(since) < 0.02;
                                    cpu = now;
                                    since = Clock::now();
                                    return quiet;
                                },
                                std::chrono::seconds(60));
    if (!idle) {
        std::printf("%-52s failed (%s): %s\n", kFigure, up ? "never idle" : "no scan screen",
                    kiosk.err().c_str());
        return;
    }
    const kiosk::MemoryShares m = kiosk::memory_shares_of(pid);
    kiosk.signal(SIGTERM);
    kiosk.wait();

    std::printf("%-52s total %.1f MB   GL driver's mappings %.1f MB   own %.1f MB\n",
                "kiosk resident memory, idle (smaps Rss)", mib(m.total_kib), mib(m.driver_kib),
                mib(m.own_kib()));
    std::printf("  largest mappings (Rss per path; * the GL driver's):\n");
    for (std::size_t i = 0; i < m.by_path.size() && i < 16; ++i)
        std::printf("  %c %8.1f MB  %s\n", m.by_path[i].driver ? '*' : ' ', mib(m.by_path[i].rss_kib),
                    m.by_path[i].path.c_str());
    char total[96];
    std::snprintf(total, sizeof total, "total %.1f MB − GL driver %.1f MB", mib(m.total_kib),
                  mib(m.driver_kib));
    budget(kFigure, mib(m.own_kib()), "MB", total, "≤ 40 MB", mib(m.own_kib()) <= 40.0);
}

} // namespace

static const accueil::bench::Register kRegistered{"memory", bench_memory};
