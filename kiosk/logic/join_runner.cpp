#include "join_runner.hpp"

#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace accueil::kiosk {

bool is_enrolment_code(std::string_view code) {
    return code.starts_with("accueil1:");
}

namespace {
std::string last_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    const auto nl = text.rfind('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
}

// Closes a file descriptor when it goes out of scope.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};
} // namespace

JoinRun run_join(const std::string& db, const std::string& code, std::string program) {
    if (program.empty()) {
        std::error_code ec;
        program =
            (std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / "accueil-sync").string();
    }
    if (::access(program.c_str(), X_OK) != 0)
        return {false, program + " is not installed beside the kiosk"};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return {false, "cannot start accueil-sync (no pipe)"};
    Fd read_end{fds[0]}, write_end{fds[1]};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, write_end.fd, 2);
    std::vector<std::string> args{program, "join", code, "--db", db};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    // The kiosk blocks SIGTERM and SIGINT for its signal thread (kiosk/app/signals.cpp); the child
    // must not inherit that mask, or it could not be stopped.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(write_end.fd);
    write_end.fd = -1;
    if (spawned != 0)
        return {false, "cannot start " + program};

    std::string output;
    char buf[4096];
    for (ssize_t n; (n = ::read(read_end.fd, buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        output.append(buf, std::size_t(n));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    std::string message = last_line(output);
    if (message.starts_with("accueil-sync: "))
        message.erase(0, 14);
    return {ok, message.empty() ? (ok ? "joined" : "accueil-sync join failed") : message};
}

} // namespace accueil::kiosk
