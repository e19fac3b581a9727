#pragma once
// Runs a program of build/bin to completion and captures what it printed (stdout and stderr).
#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace accueil::test {

struct CommandResult {
    int exit_code = -1;
    std::string output;
};

// `args` is appended to the program path as is: callers quote what needs quoting.
inline CommandResult run_bin(const std::string& program, const std::string& args) {
    const std::string command = std::string(ACCUEIL_BIN_DIR) + "/" + program + " " + args + " 2>&1";
    CommandResult r;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return r;
    std::array<char, 4096> buffer{};
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        r.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace accueil::test
