#pragma once
// SIGTERM and SIGINT close the window through the normal teardown (workers joined, database closed,
// exit status 0) instead of killing the process mid-write. The signals are blocked in every thread and
// read by one thread of ours from a signalfd, so that nothing runs in an async-signal context.
#include <functional>
#include <thread>

namespace accueil::kiosk::app {

// Blocks SIGTERM and SIGINT in the calling thread and so in every thread started after it (the
// renderer's and the kiosk's workers): call it before any thread starts. They stay blocked: a second
// signal during the teardown must not kill the process either.
void block_termination_signals();

// Waits for SIGTERM or SIGINT on its own thread and calls `on_signal` there for each one; stopped and
// joined by the destructor. Needs block_termination_signals() first.
class TerminationWatcher {
public:
    explicit TerminationWatcher(std::function<void(int signo)> on_signal);
    ~TerminationWatcher();
    TerminationWatcher(const TerminationWatcher&) = delete;
    TerminationWatcher& operator=(const TerminationWatcher&) = delete;

private:
    struct Fd {
        int fd = -1;
        explicit Fd(int f) : fd(f) {}
        ~Fd();
        Fd(const Fd&) = delete;
        Fd& operator=(const Fd&) = delete;
    };
    void run();
    std::function<void(int)> on_signal_;
    Fd signal_fd_;
    Fd stop_fd_; // an eventfd the destructor writes to
    std::thread thread_;
};

} // namespace accueil::kiosk::app
