// Sync figure: 10 kiosks × 1,000 check-ins made while the server was down; the time from the first
// round until the central store and every kiosk hold all 10,000 (a real server process, 127.0.0.1).
// The budget is measured as deployed: agents are daemons with their store already open, so the rounds
// run in threads of this process (`sync_round`, what `accueil-sync agent` runs in its loop). The same
// rounds as 20 `accueil-sync agent --once` processes are printed beside it: the difference is the cost
// of starting processes, not of syncing.
#include "bench_kiosks.hpp"
#include "bench_util.hpp"

#include "agent.hpp"
#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "server.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

using namespace accueil;
using namespace accueil::bench;

namespace {
constexpr int kKiosks = 10, kPerKiosk = 1000;

// Runs every command at once and waits for all; false if one failed.
bool run_all(const std::vector<std::vector<std::string>>& commands, const std::string& log_prefix) {
    std::vector<std::unique_ptr<test::Process>> running;
    for (std::size_t i = 0; i < commands.size(); ++i)
        running.push_back(std::make_unique<test::Process>(commands[i], log_prefix + std::to_string(i)));
    bool ok = true;
    for (auto& p : running)
        ok = p->wait() == 0 && ok;
    return ok;
}

// One round on every kiosk at once, each in its own thread as each daemon would; false if one failed.
bool round_in_threads(std::vector<Store>& kiosks) {
    std::vector<sync::RoundResult> results(kiosks.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < kiosks.size(); ++i)
        threads.emplace_back([&, i] { results[i] = sync::sync_round(kiosks[i]); });
    for (auto& t : threads)
        t.join();
    bool ok = true;
    for (const auto& r : results)
        ok = ok && r.reached && r.refused == 0;
    return ok;
}

// A central store with a roster, 10 enrolled kiosks, and 1,000 check-ins on each made while the
// server was down. Returns the running server (serving again) and the kiosks' paths.
struct Scene {
    std::filesystem::path dir;
    std::string central;
    std::vector<std::string> kiosks;
    std::unique_ptr<test::Process> server;
};

std::optional<Scene> offline_scene(const std::string& name) {
    Scene s;
    s.dir = std::filesystem::temp_directory_path() / ("accueil-bench-converge-" + name);
    std::filesystem::remove_all(s.dir);
    std::filesystem::create_directories(s.dir);
    s.central = (s.dir / "central.db").string();
    const std::vector<std::string> people = test::create_central_with_roster(s.central, kPerKiosk);
    const std::string listen = "127.0.0.1:" + std::to_string(test::free_port());
    const std::vector<std::string> serve{kSyncProgram, "serve", "--db",      s.central,
                                         "--listen",   listen,  "--insecure"};
    auto up = [&](test::Process& server) {
        return test::wait_until([&] { return server.out().find("serving") != std::string::npos; },
                                std::chrono::seconds(10));
    };
    {
        test::Process server(serve, (s.dir / "server-setup").string());
        if (!up(server)) {
            std::printf("convergence: the server did not start (%s)\n", server.err().c_str());
            return std::nullopt;
        }
        s.kiosks = enrol_and_join("convergence", s.central, s.dir, kKiosks);
        if (s.kiosks.empty())
            return std::nullopt;
        server.signal(SIGTERM);
        server.wait();
    }
    // The server is down: every kiosk checks in the whole roster, durably, as the kiosk app does.
    for (const auto& k : s.kiosks) {
        Store store = Store::open(k);
        for (int i = 0; i < kPerKiosk; ++i)
            check_in(store, people[std::size_t(i)], test::kSept28At0912 + i * 1000);
    }
    s.server = std::make_unique<test::Process>(serve, (s.dir / "server").string());
    if (!up(*s.server)) {
        std::printf("convergence: the server did not restart\n");
        return std::nullopt;
    }
    return s;
}

bool converged(const Scene& s) {
    const std::int64_t expected = std::int64_t(kKiosks) * kPerKiosk;
    bool all = test::count_in(s.central, "SELECT count(*) FROM checkins") == expected;
    for (const auto& k : s.kiosks)
        all = all && test::count_in(k, "SELECT count(*) FROM checkins") == expected;
    return all;
}

void finish(Scene& s) {
    s.server->signal(SIGTERM);
    s.server->wait();
    std::error_code ec;
    std::filesystem::remove_all(s.dir, ec);
}
} // namespace

void bench_convergence() {
    // As deployed: daemons, stores open. First round: every agent pushes its 1,000 (and pulls what is
    // there); second: everyone pulls the rest.
    auto daemons = offline_scene("daemons");
    if (!daemons)
        return;
    std::vector<Store> stores;
    for (const auto& k : daemons->kiosks)
        stores.push_back(Store::open(k, sync::sync_wall_ms));
    const auto start = Clock::now();
    const bool pushed = round_in_threads(stores);
    const double push_s = seconds_since(start);
    const bool pulled = round_in_threads(stores);
    const double total_s = seconds_since(start);
    stores.clear();
    const bool all_there = pushed && pulled && converged(*daemons);
    finish(*daemons);

    // The same two rounds as `agent --once` processes: what starting 20 processes adds.
    double once_s = 0;
    bool once_ok = false;
    if (auto once = offline_scene("once")) {
        std::vector<std::vector<std::string>> commands;
        for (const auto& k : once->kiosks)
            commands.push_back({kSyncProgram, "agent", "--once", "--db", k});
        const auto t0 = Clock::now();
        once_ok = run_all(commands, (once->dir / "push").string()) &&
                  run_all(commands, (once->dir / "pull").string());
        once_s = seconds_since(t0);
        once_ok = once_ok && converged(*once);
        finish(*once);
    }

    std::printf("%-52s %9.2f s   (push round %.2f s; %s)\n", "10 kiosks × 1,000 offline check-ins converge",
                total_s, push_s, all_there ? "all 11 stores hold the 10,000 check-ins" : "NOT CONVERGED");
    std::printf("%-52s %9.2f s   (%s)\n", "the same rounds as 20 `agent --once` processes", once_s,
                once_ok ? "converged" : "NOT CONVERGED");
    char rounds[200];
    std::snprintf(rounds, sizeof rounds,
                  "10 agent rounds in threads: push round %.2f s, pull round %.2f s, %s; as processes %.2f s",
                  push_s, total_s - push_s, all_there ? "converged" : "NOT CONVERGED", once_s);
    budget("10 kiosks × 1,000 offline check-ins converge", total_s, "s", rounds, "≤ 1",
           all_there && total_s <= 1);
}
