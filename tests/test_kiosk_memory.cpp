// The kiosk's resident memory split between the GL driver's mappings and its own
// (kiosk/logic/proc_stats.hpp), read from a fixture /proc/PID/smaps and from this process's own.
#include "proc_stats.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

using namespace accueil::kiosk;

namespace {

// Cut from a kiosk's smaps under Xvfb: fields trimmed to the ones that matter, sizes in kB.
const char* const kSmaps =
    R"(5640a4f8e000-5640a5023000 r--p 00000000 fe:00 1311290                    /usr/bin/accueil-kiosk
Size:                604 kB
Rss:                 600 kB
Pss:                 600 kB
VmFlags: rd mr mw me dw sd
5640a5023000-5640a5300000 r-xp 00095000 fe:00 1311290                    /usr/bin/accueil-kiosk
Size:               2932 kB
Rss:                2220 kB
VmFlags: rd ex mr mw me dw sd
5640a57f1000-5640a6794000 rw-p 00000000 00:00 0                          [heap]
Size:              16012 kB
Rss:               14720 kB
VmFlags: rd wr mr mw me ac sd
7f4aa5802000-7f4aa5beb000 rw-p 00000000 00:00 0 
Size:               4004 kB
Rss:                4004 kB
VmFlags: rd wr mr mw me ac sd
7f4aa5beb000-7f4aa5ffb000 rw-s 00000000 00:01 32774                      /SYSV00000000 (deleted)
Size:               4160 kB
Rss:                4000 kB
VmFlags: rd wr sh mr mw me ms sd
7f4ab0000000-7f4ab2000000 r-xp 00000000 fe:00 400321                     /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Size:              32768 kB
Rss:               50000 kB
VmFlags: rd ex mr mw me sd
7f4ab2000000-7f4ab2100000 r--p 02000000 fe:00 400321                     /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Size:               1024 kB
Rss:                5192 kB
VmFlags: rd mr mw me ac sd
7f4ab3000000-7f4ab3800000 r-xp 00000000 fe:00 400377                     /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so
Size:               8192 kB
Rss:                7980 kB
VmFlags: rd ex mr mw me sd
7f4ab4000000-7f4ab4100000 r-xp 00000000 fe:00 400380                     /usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0
Size:               1024 kB
Rss:                 396 kB
VmFlags: rd ex mr mw me sd
7f4ab4200000-7f4ab4300000 r-xp 00000000 fe:00 400381                     /usr/lib/x86_64-linux-gnu/libGLdispatch.so.0.0.0
Rss:                 604 kB
7f4ab4300000-7f4ab4400000 r-xp 00000000 fe:00 400382                     /usr/lib/x86_64-linux-gnu/libGL.so.1.7.0
Rss:                 448 kB
7f4ab4400000-7f4ab4500000 r-xp 00000000 fe:00 400383                     /usr/lib/x86_64-linux-gnu/libglapi.so.0.0.0
Rss:                 120 kB
7f4ab5000000-7f4ab5100000 r-xp 00000000 fe:00 400390                     /usr/lib/x86_64-linux-gnu/libglfw.so.3.3
Rss:                 284 kB
7f4ab6000000-7f4ab6100000 r-xp 00000000 fe:00 400391                     /home/my docs/libGLOSSARY.so
Rss:                  10 kB
7ffd1cb7b000-7ffd1cb9c000 rw-p 00000000 00:00 0                          [stack]
Size:                132 kB
Rss:                  36 kB
)";

} // namespace

TEST_CASE("The GL driver's mappings are told from the program's own by their path") {
    for (const char* path :
         {"/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1", "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
          "/usr/lib/x86_64-linux-gnu/dri/kms_swrast_dri.so",
          "/usr/lib/x86_64-linux-gnu/libgallium-24.2.8-1.so", "/usr/lib/x86_64-linux-gnu/libGL.so.1.7.0",
          "/usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0", "/usr/lib/x86_64-linux-gnu/libGLX.so.0.0.0",
          "/usr/lib/x86_64-linux-gnu/libGLdispatch.so.0.0.0",
          "/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0.0.0", "/usr/lib/x86_64-linux-gnu/libglapi.so.0.0.0"}) {
        INFO(path);
        CHECK(is_gl_driver_mapping(path));
    }
    for (const char* path :
         {"[heap]", "[anon]", "[stack]", "/SYSV00000000 (deleted)", "/usr/bin/accueil-kiosk",
          "/usr/lib/x86_64-linux-gnu/libglfw.so.3.3", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
          "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6", "/home/my docs/libGLOSSARY.so", "/home/dri.txt"}) {
        INFO(path);
        CHECK_FALSE(is_gl_driver_mapping(path));
    }
}

TEST_CASE("smaps: Rss summed per path, the driver's share apart, largest first") {
    std::istringstream in(kSmaps);
    const MemoryShares m = memory_shares(in);
    const std::int64_t driver = 50000 + 5192 + 7980 + 396 + 604 + 448 + 120;
    const std::int64_t own = 600 + 2220 + 14720 + 4004 + 4000 + 284 + 10 + 36;
    CHECK(m.driver_kib == driver);
    CHECK(m.total_kib == driver + own);
    CHECK(m.own_kib() == own);
    REQUIRE(m.by_path.size() >= 5);
    // Two mappings of libLLVM make one line; an anonymous mapping is "[anon]"; a path keeps its spaces.
    CHECK(m.by_path[0].path == "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1");
    CHECK(m.by_path[0].rss_kib == 55192);
    CHECK(m.by_path[0].driver);
    CHECK(m.by_path[1].path == "[heap]");
    CHECK_FALSE(m.by_path[1].driver);
    CHECK(m.by_path[2].path == "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so");
    CHECK(m.by_path[3].rss_kib == 4004);
    CHECK(m.by_path[3].path == "[anon]");
    CHECK(m.by_path[4].path == "/SYSV00000000 (deleted)");
    std::int64_t kiosk = 0, glossary = -1;
    for (const auto& row : m.by_path) {
        if (row.path == "/usr/bin/accueil-kiosk")
            kiosk = row.rss_kib;
        if (row.path == "/home/my docs/libGLOSSARY.so")
            glossary = row.rss_kib;
    }
    CHECK(kiosk == 2820);
    CHECK(glossary == 10);
    for (std::size_t i = 1; i < m.by_path.size(); ++i)
        CHECK(m.by_path[i - 1].rss_kib >= m.by_path[i].rss_kib);
}

TEST_CASE("This process's smaps add up to about its VmRSS") {
    const MemoryShares m = memory_shares_of();
    const std::int64_t rss = resident_kib();
    REQUIRE(m.total_kib > 0);
    // Read a moment apart: within 10 % of each other.
    CHECK(std::abs(m.total_kib - rss) < rss / 10);
    CHECK(m.driver_kib == 0); // a test program loads no GL driver
    CHECK_FALSE(m.by_path.empty());
}
