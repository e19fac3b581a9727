// The kiosk's resident memory split between the GL driver's mappings and its own
// (kiosk/logic/proc_stats.hpp), read from a fixture /proc/PID/smaps and from this process's own.
#include "proc_stats.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
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
          "/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0.0.0", "/usr/lib/x86_64-linux-gnu/libglapi.so.0.0.0",
          // llvmpipe's colour buffer, shared with the X server (made by swrast_dri.so: proc_stats.cpp)
          "/SYSV00000000 (deleted)", "/root/.cache/mesa_shader_cache/index"}) {
        INFO(path);
        CHECK(is_gl_driver_mapping(path));
    }
    for (const char* path :
         {"[heap]", "[anon]", "[stack]", "/usr/bin/accueil-kiosk", "/usr/lib/x86_64-linux-gnu/libglfw.so.3.3",
          "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6",
          "/home/my docs/libGLOSSARY.so", "/home/dri.txt"}) {
        INFO(path);
        CHECK_FALSE(is_gl_driver_mapping(path));
    }
}

TEST_CASE("smaps: Rss summed per path, the driver's share apart, largest first") {
    std::istringstream in(kSmaps);
    const MemoryShares m = memory_shares(in);
    const std::int64_t driver = 50000 + 5192 + 4000 + 7980 + 396 + 604 + 448 + 120;
    const std::int64_t own = 600 + 2220 + 14720 + 4004 + 284 + 10 + 36;
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
    CHECK(m.by_path[4].driver);
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

namespace {
// Libraries mapped in a kiosk and what they need (DT_NEEDED), as the dynamic linker sees them.
const char* const kLinkedSmaps = R"(1000-2000 r-xp 00000000 fe:00 1 /usr/bin/accueil-kiosk
Rss:                 100 kB
2000-3000 r-xp 00000000 fe:00 2 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Rss:                5000 kB
3000-4000 r--p 00000000 fe:00 3 /usr/lib/x86_64-linux-gnu/libz3.so.4
Rss:                 900 kB
4000-5000 r--p 00000000 fe:00 4 /usr/lib/x86_64-linux-gnu/libxml2.so.2.9.14
Rss:                 300 kB
5000-6000 r--p 00000000 fe:00 5 /usr/lib/x86_64-linux-gnu/libicuuc.so.72.1
Rss:                 500 kB
6000-7000 r--p 00000000 fe:00 6 /usr/lib/x86_64-linux-gnu/libexpat.so.1.8.10
Rss:                  70 kB
7000-8000 r--p 00000000 fe:00 7 /usr/lib/x86_64-linux-gnu/libfontconfig.so.1.12.0
Rss:                  90 kB
8000-9000 r--p 00000000 fe:00 8 /usr/lib/x86_64-linux-gnu/libXxf86vm.so.1.0.0
Rss:                  20 kB
9000-a000 r--p 00000000 fe:00 9 /usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0
Rss:                 200 kB
a000-b000 r--p 00000000 fe:00 10 /usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6
Rss:                 800 kB
)";

std::optional<ElfLinks> fixture_links(const std::string& path) {
    const std::map<std::string, ElfLinks> links = {
        {"/usr/bin/accueil-kiosk", {"", {"libfontconfig.so.1", "libsqlite3.so.0", "libc.so.6"}}},
        {"/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1", {"libLLVM-15.so.1", {"libz3.so.4", "libxml2.so.2"}}},
        {"/usr/lib/x86_64-linux-gnu/libz3.so.4", {"libz3.so.4", {"libc.so.6"}}},
        {"/usr/lib/x86_64-linux-gnu/libxml2.so.2.9.14",
         {"libxml2.so.2", {"libicuuc.so.72", "libexpat.so.1"}}},
        {"/usr/lib/x86_64-linux-gnu/libicuuc.so.72.1", {"libicuuc.so.72", {}}},
        {"/usr/lib/x86_64-linux-gnu/libexpat.so.1.8.10", {"libexpat.so.1", {}}},
        {"/usr/lib/x86_64-linux-gnu/libfontconfig.so.1.12.0", {"libfontconfig.so.1", {"libexpat.so.1"}}},
        {"/usr/lib/x86_64-linux-gnu/libXxf86vm.so.1.0.0", {"libXxf86vm.so.1", {}}},
        {"/usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0", {"libGLX_mesa.so.0", {"libXxf86vm.so.1"}}},
        {"/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6", {"libsqlite3.so.0", {}}},
    };
    const auto it = links.find(path);
    return it == links.end() ? std::nullopt : std::optional<ElfLinks>(it->second);
}
} // namespace

TEST_CASE("A library only the GL driver's libraries need is the driver's, one the program needs too is not") {
    std::istringstream in(kLinkedSmaps);
    const MemoryShares m = memory_shares(in, fixture_links);
    std::map<std::string, bool> driver;
    for (const auto& row : m.by_path)
        driver[row.path.substr(row.path.rfind('/') + 1)] = row.driver;
    CHECK(driver["libLLVM-15.so.1"]);
    CHECK(driver["libz3.so.4"]);               // libLLVM alone needs it
    CHECK(driver["libxml2.so.2.9.14"]);        // libLLVM alone
    CHECK(driver["libicuuc.so.72.1"]);         // libxml2 alone, itself the driver's: found on a second pass
    CHECK_FALSE(driver["libexpat.so.1.8.10"]); // libxml2 and the program's libfontconfig
    CHECK_FALSE(driver["libfontconfig.so.1.12.0"]);
    CHECK_FALSE(driver["libXxf86vm.so.1.0.0"]); // needed by libGLX_mesa, but GLFW opens it for itself
    CHECK_FALSE(driver["libsqlite3.so.0.8.6"]);
    CHECK_FALSE(driver["accueil-kiosk"]);
    CHECK(m.driver_kib == 5000 + 900 + 300 + 500 + 200);
    CHECK(m.own_kib() == 100 + 70 + 90 + 20 + 800);
    // Without links, the path alone decides: only libLLVM and libGLX_mesa.
    std::istringstream again(kLinkedSmaps);
    CHECK(memory_shares(again).driver_kib == 5000 + 200);
}

TEST_CASE("The dynamic section of a real library names its soname and what it needs") {
    // This test program's own C library: every Debian system has it, named libc.so.6, needing ld.so.
    const MemoryShares self = memory_shares_of();
    std::string libc;
    for (const auto& row : self.by_path)
        if (row.path.find("/libc.so.6") != std::string::npos)
            libc = row.path;
    REQUIRE_FALSE(libc.empty());
    const auto links = read_elf_links(libc);
    REQUIRE(links);
    CHECK(links->soname == "libc.so.6");
    CHECK(std::any_of(links->needed.begin(), links->needed.end(),
                      [](const std::string& n) { return n.find("ld-linux") != std::string::npos; }));
    CHECK_FALSE(read_elf_links("/proc/self/status")); // not an ELF file
    CHECK_FALSE(read_elf_links("/no/such/file"));
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
