#include "signals.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace accueil::kiosk::app {

namespace {
sigset_t termination_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}
} // namespace

void block_termination_signals() {
    const sigset_t set = termination_set();
    if (const int err = pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0)
        throw std::runtime_error(std::string("cannot block SIGTERM: ") + std::strerror(err));
}

TerminationWatcher::Fd::~Fd() {
    if (fd >= 0)
        ::close(fd);
}

TerminationWatcher::TerminationWatcher(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)), signal_fd_([] {
          const sigset_t set = termination_set();
          return ::signalfd(-1, &set, SFD_CLOEXEC);
      }()),
      stop_fd_(::eventfd(0, EFD_CLOEXEC)) {
    if (signal_fd_.fd < 0 || stop_fd_.fd < 0)
        throw std::runtime_error(std::string("cannot watch for SIGTERM: ") + std::strerror(errno));
    thread_ = std::thread([this] { run(); });
}

TerminationWatcher::~TerminationWatcher() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(stop_fd_.fd, &one, sizeof one);
    thread_.join();
}

void TerminationWatcher::run() {
    pollfd fds[2] = {{signal_fd_.fd, POLLIN, 0}, {stop_fd_.fd, POLLIN, 0}};
    for (;;) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            spdlog::error("signal watcher: poll: {}", std::strerror(errno));
            return;
        }
        if (fds[1].revents)
            return;
        signalfd_siginfo info{};
        if (::read(signal_fd_.fd, &info, sizeof info) != ssize_t(sizeof info))
            continue;
        const int signo = int(info.ssi_signo);
        spdlog::info("{} received: closing the window", signo == SIGTERM ? "SIGTERM" : "SIGINT");
        on_signal_(signo);
    }
}

} // namespace accueil::kiosk::app
