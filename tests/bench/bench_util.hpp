#pragma once
// Small timing helpers shared by the benchmarks: wall-clock samples, their percentiles, and the budget
// lines that `accueil-bench` sums up at the end (and prints as JSON with --json).
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

// One budget checked in this run: the figure, what it is compared with (measured in the same run where
// the budget is a ratio), the budget's words, and whether it holds. `budget()` prints it too.
struct BudgetLine {
    std::string bench;      // the registered name of the benchmark that measured it
    std::string figure;     // what was measured, e.g. "central merge, 1,700 attendees × 3 days"
    double value = 0;       // the number the budget is about (a ratio, a p99, a rate…)
    std::string unit;       // "×", "ms", "events/s", "%", "MB"…
    std::string comparison; // the comparison line from the same run, e.g. "raw bulk insert 550,416 rows/s"
    std::string limit;      // the budget, e.g. "≥ 0.6"
    bool holds = false;
};
inline std::vector<BudgetLine>& budget_lines() {
    static std::vector<BudgetLine> all;
    return all;
}
inline std::string& current_bench() {
    static std::string name;
    return name;
}
// `text` padded with spaces to `width` characters as the terminal shows them (UTF-8: "×", "→" and
// accented letters are one column but several bytes, which printf's %-50s counts).
inline std::string padded(const std::string& text, std::size_t width) {
    std::size_t columns = 0;
    for (const unsigned char c : text)
        columns += (c & 0xC0) != 0x80;
    return columns >= width ? text : text + std::string(width - columns, ' ');
}

// Records a budget line for the summary and the JSON, and prints it under the figure it is about:
//   "  central merge, 1,700 attendees × 3 days   MISSED 0.29 × raw   (raw SQLite bulk insert 550416 rows/s;
//    budget ≥ 0.6)"
inline void budget(const std::string& figure, double value, const std::string& unit,
                   const std::string& comparison, const std::string& limit, bool holds) {
    budget_lines().push_back(BudgetLine{current_bench(), figure, value, unit, comparison, limit, holds});
    std::printf("  %s %s %.3g %s   (%s; budget %s)\n", padded(figure, 50).c_str(),
                holds ? "holds " : "MISSED", value, unit.c_str(), comparison.c_str(), limit.c_str());
    std::fflush(stdout);
}

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
