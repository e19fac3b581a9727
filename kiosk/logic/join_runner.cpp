#include "join_runner.hpp"

#include "sync/join_exit.hpp"

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

JoinOutcome join_outcome(int exit_status) {
    using sync::JoinExit;
    switch (JoinExit(exit_status)) {
    case JoinExit::Joined:
        return JoinOutcome::Joined;
    case JoinExit::JoinedNotSynced:
        return JoinOutcome::JoinedNotSynced;
    case JoinExit::AlreadyJoined:
        return JoinOutcome::AlreadyJoined;
    case JoinExit::NotACode:
        return JoinOutcome::NotACode;
    case JoinExit::DamagedCode:
        return JoinOutcome::DamagedCode;
    case JoinExit::CodeRefused:
        return JoinOutcome::CodeRefused;
    case JoinExit::ServerUnreachable:
        return JoinOutcome::ServerUnreachable;
    case JoinExit::WrongCertificate:
        return JoinOutcome::WrongServer;
    case JoinExit::StoreProblem:
        return JoinOutcome::StoreProblem;
    case JoinExit::BadInput:
        return JoinOutcome::Failed;
    }
    return exit_status < 0 ? JoinOutcome::NoProgram : JoinOutcome::Failed;
}

const char* join_words(JoinOutcome o) {
    switch (o) {
    case JoinOutcome::Joined:
        return "join.ok";
    case JoinOutcome::JoinedNotSynced:
        return "join.ok_not_synced";
    case JoinOutcome::AlreadyJoined:
        return "join.already";
    case JoinOutcome::NotACode:
        return "join.not_a_code";
    case JoinOutcome::DamagedCode:
        return "join.damaged";
    case JoinOutcome::CodeRefused:
        return "join.refused";
    case JoinOutcome::ServerUnreachable:
        return "join.unreachable";
    case JoinOutcome::WrongServer:
        return "join.wrong_server";
    case JoinOutcome::StoreProblem:
        return "join.store";
    case JoinOutcome::Failed:
        return "join.failed";
    case JoinOutcome::NoProgram:
        return "join.no_program";
    }
    return "join.failed";
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
        return {JoinOutcome::NoProgram, -1, program + " is not installed beside the kiosk"};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return {JoinOutcome::NoProgram, -1, "cannot start accueil-sync (no pipe)"};
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
        return {JoinOutcome::NoProgram, -1, "cannot start " + program};

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
    const int exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::string message = last_line(output);
    if (message.starts_with("accueil-sync: "))
        message.erase(0, 14);
    if (WIFSIGNALED(status))
        message += (message.empty() ? "" : " ") + std::string("(accueil-sync join was killed by signal ") +
                   std::to_string(WTERMSIG(status)) + ")";
    else if (message.empty())
        message = "accueil-sync join printed nothing";
    return {join_outcome(exit_status), exit_status, std::move(message)};
}

} // namespace accueil::kiosk
