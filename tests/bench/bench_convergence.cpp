// Sync figure: 10 kiosks × 1,000 check-ins made while the server was down; the time from the server
// saying "serving" until the central store and every kiosk hold all 10,000 (real processes, 127.0.0.1).
#include "bench_util.hpp"

#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/demo_event.hpp"

#include <filesystem>
#include <memory>

using namespace accueil;
using namespace accueil::bench;

namespace {
const std::string kSync = std::string(ACCUEIL_BIN_DIR) + "/accueil-sync";

std::int64_t checkins_in(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    return d.execAndGet("SELECT count(*) FROM checkins").getInt64();
}

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
} // namespace

void bench_convergence() {
    constexpr int kKiosks = 10, kPerKiosk = 1000;
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-converge";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string central = (dir / "central.db").string();
    const std::vector<std::string> people = test::create_central_with_roster(central, kPerKiosk);
    const std::string listen = "127.0.0.1:" + std::to_string(test::free_port());
    const std::vector<std::string> serve{kSync, "serve", "--db", central, "--listen", listen, "--insecure"};
    auto up = [&](test::Process& server) {
        return test::wait_until([&] { return server.out().find("serving") != std::string::npos; },
                                std::chrono::seconds(10));
    };
    std::vector<std::string> kiosks;
    {
        test::Process server(serve, (dir / "server-setup").string());
        if (!up(server)) {
            std::printf("convergence: the server did not start (%s)\n", server.err().c_str());
            return;
        }
        for (int k = 0; k < kKiosks; ++k) {
            const std::string name = "Accueil " + std::to_string(k + 1);
            test::Process enroll({kSync, "enroll", "--db", central, "--name", name},
                                 (dir / ("enroll" + std::to_string(k))).string());
            enroll.wait();
            const std::string code = test::last_line(enroll.out());
            kiosks.push_back((dir / ("kiosk" + std::to_string(k) + ".db")).string());
            test::Process join({kSync, "join", code, "--db", kiosks.back()},
                               (dir / ("join" + std::to_string(k))).string());
            if (join.wait() != 0) {
                std::printf("convergence: a kiosk could not join (%s)\n", join.err().c_str());
                return;
            }
        }
        server.signal(SIGTERM);
        server.wait();
    }
    // The server is down: every kiosk checks in the whole roster, durably, as the kiosk app does.
    for (const auto& k : kiosks) {
        Store s = Store::open(k);
        for (int i = 0; i < kPerKiosk; ++i)
            check_in(s, people[std::size_t(i)], test::kSept28At0912 + i * 1000);
    }
    const std::int64_t expected = std::int64_t(kKiosks) * kPerKiosk;

    test::Process server(serve, (dir / "server").string());
    if (!up(server)) {
        std::printf("convergence: the server did not restart\n");
        return;
    }
    const auto start = Clock::now();
    std::vector<std::vector<std::string>> once;
    for (const auto& k : kiosks)
        once.push_back({kSync, "agent", "--once", "--db", k});
    // First round: every agent pushes its 1,000 (and pulls what is there); second: everyone pulls the rest.
    const bool pushed = run_all(once, (dir / "push").string());
    const double push_s = seconds_since(start);
    const bool pulled = run_all(once, (dir / "pull").string());
    const double total_s = seconds_since(start);
    bool converged = checkins_in(central) == expected;
    for (const auto& k : kiosks)
        converged = converged && checkins_in(k) == expected;
    const bool all_there = pushed && pulled && converged;
    std::printf("%-52s %9.2f s   (push round %.2f s; %s)\n", "10 kiosks × 1,000 offline check-ins converge",
                total_s, push_s, all_there ? "all 11 stores hold the 10,000 check-ins" : "NOT CONVERGED");
    char rounds[120];
    std::snprintf(rounds, sizeof rounds, "push round %.2f s, pull round %.2f s, %s", push_s, total_s - push_s,
                  all_there ? "converged" : "NOT CONVERGED");
    budget("10 kiosks × 1,000 offline check-ins converge", total_s, "s", rounds, "≤ 1",
           all_there && total_s <= 1);
    server.signal(SIGTERM);
    server.wait();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}
