// Network cut figure (issue 14): 10 kiosk agents running as daemons (`accueil-sync agent`, as deployed)
// reach a real server on 127.0.0.1 through a TCP relay each (tests/support/tcp_relay.hpp). The relays
// are cut for 90 s while every kiosk records check-ins, the server running all along; then restored.
// Figures: the time from the restore until the central store holds every check-in, and the attempts
// each agent made while cut off (the connections its relay accepted and closed), per second.
// ACCUEIL_BENCH_CUT_S shortens the cut while working on it; the budget is about 90 s.
#include "bench_kiosks.hpp"
#include "bench_util.hpp"

#include "checkin.hpp"
#include "database.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/tcp_relay.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

using namespace accueil;
using namespace accueil::bench;

namespace {

std::string meta_of(const std::string& db, const char* key) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(d, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

bool all_say(const std::vector<std::string>& kiosks, const char* online) {
    return std::all_of(kiosks.begin(), kiosks.end(),
                       [&](const std::string& k) { return meta_of(k, "sync.online") == online; });
}
} // namespace

void bench_cut_recovery() {
    constexpr int kKiosks = 10, kPerKiosk = 100;
    const char* env_cut = std::getenv("ACCUEIL_BENCH_CUT_S");
    const double cut_s = env_cut ? std::atof(env_cut) : 90.0;
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-cut";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string central = (dir / "central.db").string();
    const std::vector<std::string> people = test::create_central_with_roster(central, kPerKiosk);
    const int port = test::free_port();
    test::Process server({kSyncProgram, "serve", "--db", central, "--listen",
                          "127.0.0.1:" + std::to_string(port), "--insecure"},
                         (dir / "server").string());
    if (!test::wait_until([&] { return server.out().find("serving") != std::string::npos; },
                          std::chrono::seconds(10))) {
        std::printf("cut: the server did not start (%s)\n", server.err().c_str());
        return;
    }
    const std::vector<std::string> kiosks = enrol_and_join("cut", central, dir, kKiosks);
    if (kiosks.empty())
        return;
    std::vector<std::unique_ptr<test::TcpRelay>> relays;
    for (const auto& kiosk : kiosks) {
        // From now on the kiosk reaches its server through its own relay: its network.
        relays.push_back(std::make_unique<test::TcpRelay>(port));
        Store s = Store::open(kiosk);
        WriteTransaction tx(s.db());
        s.set_meta("sync.server", "http://127.0.0.1:" + std::to_string(relays.back()->port()));
        tx.commit();
    }
    std::vector<std::unique_ptr<test::Process>> agents;
    for (int k = 0; k < kKiosks; ++k)
        agents.push_back(std::make_unique<test::Process>(
            std::vector<std::string>{kSyncProgram, "agent", "--db", kiosks[std::size_t(k)]},
            (dir / ("agent" + std::to_string(k))).string()));
    if (!test::wait_until([&] { return all_say(kiosks, "1"); }, std::chrono::seconds(30))) {
        std::printf("cut: the agents did not come online\n");
        return;
    }

    for (auto& r : relays)
        r->cut();
    const auto cut_start = Clock::now();
    // The agents notice (their next pull fails), then the kiosks go on checking people in.
    test::wait_until([&] { return all_say(kiosks, "0"); }, std::chrono::seconds(10));
    for (const auto& k : kiosks) {
        Store s = Store::open(k);
        for (int i = 0; i < kPerKiosk; ++i)
            check_in(s, people[std::size_t(i)], test::kSept28At0912 + i * 1000);
    }
    const std::int64_t expected = std::int64_t(kKiosks) * kPerKiosk;
    while (seconds_since(cut_start) < cut_s)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::vector<std::size_t> attempts;
    for (auto& r : relays) {
        r->restore();
        attempts.push_back(r->seen_during_cut());
    }
    const double cut_lasted = seconds_since(cut_start);
    const auto restored = Clock::now();
    const bool recovered =
        test::wait_until([&] { return test::count_in(central, "SELECT count(*) FROM checkins") == expected; },
                         std::chrono::seconds(120));
    const double recovery_s = seconds_since(restored);

    const std::size_t most = *std::max_element(attempts.begin(), attempts.end());
    std::size_t sum = 0;
    for (auto a : attempts)
        sum += a;
    const double most_rate = double(most) / cut_lasted,
                 mean_rate = double(sum) / double(kKiosks) / cut_lasted;
    std::printf("%-52s %9.2f s   (%d agent daemons; %lld check-ins made during a %.0f s cut; %s)\n",
                "central right again after a network cut", recovery_s, kKiosks,
                static_cast<long long>(expected), cut_lasted,
                recovered ? "the central store holds them all" : "NOT RECOVERED");
    std::printf("%-52s %9.2f /s  (most of one kiosk: %zu in %.0f s; mean %.2f /s)\n",
                "attempts per kiosk while the server is away", most_rate, most, cut_lasted, mean_rate);
    char what[160];
    std::snprintf(what, sizeof what, "cut of %.0f s, %d agent daemons, %lld check-ins made during it",
                  cut_lasted, kKiosks, static_cast<long long>(expected));
    budget("central right again after a 90 s network cut", recovery_s, "s", what, "≤ 3",
           recovered && recovery_s <= 3);
    std::snprintf(what, sizeof what,
                  "connections the busiest kiosk's relay accepted during the %.0f s cut: %zu", cut_lasted,
                  most);
    budget("probes per kiosk while the server is away", most_rate, "/s", what, "≤ 1", most_rate <= 1);

    for (auto& a : agents) {
        a->signal(SIGTERM);
        a->wait();
    }
    server.signal(SIGTERM);
    server.wait();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

static const accueil::bench::Register kRegistered{"cut", bench_cut_recovery};
