#pragma once
// --measure-idle SECONDS: run that long, then print the CPU time, frames drawn and memory used, and
// (past a warm-up) the same figures for the time after start-up (fonts, first frames) on their own.
#include <chrono>
#include <cstdint>

namespace accueil::kiosk::app {

class IdleMeter {
public:
    explicit IdleMeter(double seconds);
    // How long the loop may sleep: no longer than until the report is due.
    double cap_wait(double wait) const;
    // After each turn of the loop, with the frames drawn so far: true once the report is printed.
    bool tick(int frames);

    static constexpr double kWarmUp = 5.0;

private:
    double elapsed() const;
    double seconds_;
    std::chrono::steady_clock::time_point started_;
    double cpu_at_start_;
    double cpu_after_warm_up_ = -1;
    int frames_after_warm_up_ = 0;
};

} // namespace accueil::kiosk::app
