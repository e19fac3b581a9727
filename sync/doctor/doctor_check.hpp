#pragma once
// `accueil doctor` (sync/cli/cmd_doctor.cpp): one line per check, in the person's language, saying what
// was found and, when something is wrong, what to do. A check that hangs (a dead network, a stuck
// camera driver) is abandoned after its time limit rather than holding the doctor.
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

namespace accueil::doctor {

enum class Outcome {
    Ok,
    Warning,    // worth knowing, does not stop the day (exit code stays 0)
    Problem,    // stops a good day: exit code 1
    NotChecked, // skipped on request, or impossible because an earlier check failed
};

struct Check {
    Outcome outcome = Outcome::Ok;
    std::string text; // what was found, in plain words, then what to do
};

// "✓ OK         Caméra : …": a word as well as a sign, so it reads without colour.
std::string check_line(const Check& c);

void note_abandoned();

// Runs `probe` on a thread of its own and waits at most `limit` for it. A probe still running then is
// left behind (see abandoned_checks()) and `late` is the result.
template <typename Result, typename Probe>
Result bounded(std::chrono::milliseconds limit, Probe probe, Result late) {
    // The promise is shared with the thread, which may outlive this call.
    auto done = std::make_shared<std::promise<Result>>();
    auto result = done->get_future();
    std::thread([done, probe = std::move(probe)]() mutable {
        try {
            done->set_value(probe());
        } catch (...) {
            done->set_exception(std::current_exception());
        }
    }).detach();
    if (result.wait_for(limit) != std::future_status::ready) {
        note_abandoned();
        return late;
    }
    return result.get();
}
// How many probes bounded() left running: the process must then end with std::_Exit, without running
// destructors under their feet.
int abandoned_checks();

// Where a device file such as /proc/bus/input/devices is read: under $`env_name` when set (tests give
// a made-up tree, as ACCUEIL_SYNC_TEST_PROC_ROOT does for the server), else under `root`.
std::string system_path(const char* env_name, const std::string& root, const std::string& rest);

} // namespace accueil::doctor
