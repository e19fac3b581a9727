#pragma once
// CPU time and memory of this process from /proc/self, for --measure-idle and the benchmarks.
#include <cstdint>

namespace accueil::kiosk {

double process_cpu_seconds();     // user + system time so far (/proc/self/stat)
std::int64_t resident_kib();      // VmRSS (/proc/self/status)
std::int64_t peak_resident_kib(); // VmHWM

} // namespace accueil::kiosk
