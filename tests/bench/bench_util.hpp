#pragma once
// Small timing helpers shared by the benchmarks: wall-clock samples and their percentiles.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace accueil::bench {

// Each bench file registers its entry point under a name (`accueil-bench NAME` runs it), so adding a
// benchmark touches no shared list. Run in name order.
using BenchFn = void (*)();
inline std::vector<std::pair<std::string, BenchFn>>& registry() {
    static std::vector<std::pair<std::string, BenchFn>> all;
    return all;
}
struct Register {
    Register(const char* name, BenchFn run) { registry().emplace_back(name, run); }
};

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Percentile p (0..100) of samples, nearest-rank.
inline double percentile(std::vector<double> samples, double p) {
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    std::size_t rank = std::size_t(p / 100.0 * double(samples.size()));
    if (rank >= samples.size())
        rank = samples.size() - 1;
    return samples[rank];
}

inline void report_latency(const std::string& what, const std::vector<double>& micros,
                           const std::string& budget) {
    std::printf("%-52s p50 %9.1f µs   p99 %9.1f µs   (n=%zu; budget %s)\n", what.c_str(),
                percentile(micros, 50), percentile(micros, 99), micros.size(), budget.c_str());
}

} // namespace accueil::bench
