#pragma once
// CPU time and memory of this process from /proc/self, for --measure-idle and the benchmarks; and the
// resident memory of a process split between the GL driver's mappings and the rest (/proc/PID/smaps).
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::kiosk {

double process_cpu_seconds(int pid = 0); // user + system time so far (/proc/PID/stat; 0: this process)
std::int64_t resident_kib();             // VmRSS (/proc/self/status)
std::int64_t peak_resident_kib();        // VmHWM

// True for a mapping of the OpenGL driver: Mesa's software renderer (llvmpipe / swrast: libgallium,
// the *_dri.so drivers, libLLVM it compiles shaders with) and the GL, GLX, EGL and glapi libraries
// that load it. Anonymous memory is never the driver's by this test, even when the driver allocated it.
bool is_gl_driver_mapping(std::string_view path);

struct MappingRss {
    std::string path; // the mapped file, "[heap]", "[stack]"…, or "[anon]" for anonymous memory
    std::int64_t rss_kib = 0;
    bool driver = false;
};

// Resident memory summed per mapping path: the whole, the GL driver's share, the rest (the program's
// own), and every path with its share, largest first.
struct MemoryShares {
    std::int64_t total_kib = 0;
    std::int64_t driver_kib = 0;
    std::int64_t own_kib() const { return total_kib - driver_kib; }
    std::vector<MappingRss> by_path;
};

MemoryShares memory_shares(std::istream& smaps); // the text of /proc/PID/smaps
MemoryShares memory_shares_of(int pid = 0);      // /proc/PID/smaps; 0: this process

} // namespace accueil::kiosk
