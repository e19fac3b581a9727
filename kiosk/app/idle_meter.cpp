#include "idle_meter.hpp"

#include "proc_stats.hpp"

#include <algorithm>
#include <cstdio>

namespace accueil::kiosk::app {

IdleMeter::IdleMeter(double seconds)
    : seconds_(seconds), started_(std::chrono::steady_clock::now()), cpu_at_start_(process_cpu_seconds()) {}

double IdleMeter::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

double IdleMeter::cap_wait(double wait) const {
    return std::clamp(seconds_ - elapsed(), 0.005, wait); // wake up to report on time
}

bool IdleMeter::tick(int frames) {
    const double wall = elapsed();
    if (seconds_ > kWarmUp && cpu_after_warm_up_ < 0 && wall >= kWarmUp) {
        cpu_after_warm_up_ = process_cpu_seconds();
        frames_after_warm_up_ = frames;
    }
    if (wall < seconds_)
        return false;
    const double cpu = process_cpu_seconds() - cpu_at_start_;
    const MemoryShares memory = memory_shares_of();
    std::printf("idle %.1f s: cpu %.2f s = %.2f %% of one core; %d frames drawn; resident %lld KiB "
                "(peak %lld KiB; own %lld KiB, GL driver's mappings %lld KiB)\n",
                wall, cpu, 100.0 * cpu / wall, frames, static_cast<long long>(resident_kib()),
                static_cast<long long>(peak_resident_kib()), static_cast<long long>(memory.own_kib()),
                static_cast<long long>(memory.driver_kib));
    if (cpu_after_warm_up_ >= 0) {
        const double steady = process_cpu_seconds() - cpu_after_warm_up_;
        std::printf("after the first %.0f s: cpu %.3f s = %.2f %% of one core; %d frames drawn\n", kWarmUp,
                    steady, 100.0 * steady / (wall - kWarmUp), frames - frames_after_warm_up_);
    }
    std::fflush(stdout);
    return true;
}

} // namespace accueil::kiosk::app
