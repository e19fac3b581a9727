#pragma once
// CPU time and memory of this process from /proc/self, for --measure-idle and the benchmarks; and the
// resident memory of a process split between the GL driver's mappings and the rest (/proc/PID/smaps).
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::kiosk {

double process_cpu_seconds(int pid = 0); // user + system time so far (/proc/PID/stat; 0: this process)
std::int64_t resident_kib();             // VmRSS (/proc/self/status)
std::int64_t peak_resident_kib();        // VmHWM

// True for a mapping of the OpenGL driver: Mesa's software renderer (llvmpipe / swrast: libgallium,
// the *_dri.so drivers, libLLVM it compiles shaders with), the GL, GLX, EGL and glapi libraries that
// load it, and System V shared memory ("/SYSV…"): the kiosk never calls shmget, swrast_dri.so does for
// the window's colour buffer, which it shares with the X server (MIT-SHM). Anonymous memory is never the
// driver's by this test, even when the driver allocated it.
bool is_gl_driver_mapping(std::string_view path);

// What the dynamic linker reads in a shared library: its own name and the libraries it needs.
struct ElfLinks {
    std::string soname;              // DT_SONAME; empty when it has none (an executable)
    std::vector<std::string> needed; // DT_NEEDED
};
// From the file's ELF dynamic section; nullopt for a file that is not a 64-bit ELF with one.
std::optional<ElfLinks> read_elf_links(const std::string& path);
using LinksOf = std::function<std::optional<ElfLinks>(const std::string& path)>;

struct MappingRss {
    std::string path; // the mapped file, "[heap]", "[stack]"…, or "[anon]" for anonymous memory
    std::int64_t rss_kib = 0;
    bool driver = false;
};

// Resident memory summed per mapping path: the whole, the GL driver's share, the rest (the program's
// own), and every path with its share, largest first. With `links`, a library is the driver's too when
// every mapped file that needs it (DT_NEEDED) is the driver's: the dynamic linker loaded it for the
// driver alone (libLLVM's libz3 and libxml2, swrast_dri.so's libdrm…). One that the program's own
// files need as well (libX11, libexpat, libc…) stays the program's.
struct MemoryShares {
    std::int64_t total_kib = 0;
    std::int64_t driver_kib = 0;
    std::int64_t own_kib() const { return total_kib - driver_kib; }
    std::vector<MappingRss> by_path;
};

MemoryShares memory_shares(std::istream& smaps, const LinksOf& links = {}); // the text of /proc/PID/smaps
MemoryShares memory_shares_of(int pid = 0); // /proc/PID/smaps, links from read_elf_links; 0: this process

} // namespace accueil::kiosk
