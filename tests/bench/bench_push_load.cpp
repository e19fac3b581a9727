// Server under load (issue 9): 200 idle sockets held open (from 10 other loopback addresses) while 20
// kiosks push their check-ins at once, each 5 batches of 100 over its own keep-alive connection; the
// time of each push, request sent to answer read. The real server process on 127.0.0.1, plain HTTP:
// what is measured is the transport and the merge, not TLS (a kiosk keeps its connection open).
#include "bench_http.hpp"
#include "bench_kiosks.hpp"
#include "bench_util.hpp"

#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/demo_event.hpp"
#include "support/sockets.hpp"
#include "sync/merge.hpp"
#include "sync/protocol.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

using namespace accueil;
using namespace accueil::bench;

namespace {

std::string meta(const std::string& db, const std::string& key) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(d, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

} // namespace

void bench_push_load() {
    constexpr int kKiosks = 20, kBatches = 5, kPerBatch = 100, kIdle = 200, kRoster = 1700;
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-push-load";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string central = (dir / "central.db").string();
    const std::vector<std::string> people = test::create_central_with_roster(central, kRoster);
    const int port = test::free_port();
    test::Process server({kSyncProgram, "serve", "--db", central, "--listen",
                          "127.0.0.1:" + std::to_string(port), "--insecure"},
                         (dir / "server").string());
    if (!test::wait_until([&] { return server.out().find("serving") != std::string::npos; },
                          std::chrono::seconds(10))) {
        std::printf("push load: the server did not start (%s)\n", server.err().c_str());
        return;
    }

    // 20 kiosks join, then each checks in 500 people while offline: 5 batches ready to push.
    struct Kiosk {
        std::string token;
        std::vector<std::string> bodies;
    };
    std::vector<Kiosk> kiosks(kKiosks);
    const std::vector<std::string> joined = enrol_and_join("push load", central, dir, kKiosks);
    if (joined.empty())
        return;
    for (int k = 0; k < kKiosks; ++k) {
        const std::string& db = joined[std::size_t(k)];
        kiosks[std::size_t(k)].token = meta(db, "sync.token");
        Store s = Store::open(db);
        for (int i = 0; i < kBatches * kPerBatch; ++i)
            check_in(s, people[std::size_t((k * 97 + i) % kRoster)], test::kSept28At0912 + i * 1000);
        const auto events = sync::unacked_events(s, kBatches * kPerBatch);
        for (std::size_t i = 0; i < events.size(); i += kPerBatch) {
            const std::vector<JournalEvent> batch(
                events.begin() + long(i), events.begin() + long(std::min(events.size(), i + kPerBatch)));
            kiosks[std::size_t(k)].bodies.push_back(nlohmann::json{
                {"protocol", sync::kProtocolVersion},
                {"origin", to_hex(s.origin())},
                {"pending", std::int64_t(events.size() - i)},
                {"events", sync::events_to_json(batch)}}.dump());
        }
    }

    // The idle sockets: accepted by the server (its open files grow by as many), nothing sent.
    const pid_t pid = test::pid_with_args({"serve", central});
    const int fds_before = test::open_fds(pid);
    std::vector<test::Socket> idle;
    for (int i = 0; i < kIdle; ++i)
        idle.push_back(test::connect_from("127.0.0." + std::to_string(10 + i / 20), port));
    const bool held =
        test::wait_until([&] { return test::open_fds(pid) >= fds_before + kIdle; }, std::chrono::seconds(5));

    std::vector<std::vector<double>> times(kKiosks);
    std::atomic<int> failed{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> pushers;
    const auto start = Clock::now();
    for (int k = 0; k < kKiosks; ++k)
        pushers.emplace_back([&, k] {
            const auto& kiosk = kiosks[std::size_t(k)];
            const test::Socket s = test::connect_from("127.0.0.1", port);
            s.set_timeouts(std::chrono::seconds(30));
            ++ready;
            while (ready < kKiosks) // all start together
                std::this_thread::yield();
            for (const auto& body : kiosk.bodies) {
                const auto t0 = Clock::now();
                const int status = post(s, "/v1/push", body, kiosk.token);
                times[std::size_t(k)].push_back(seconds_since(t0) * 1e3);
                failed += status != 200;
            }
        });
    for (auto& t : pushers)
        t.join();
    const double wall = seconds_since(start);
    int still_open = 0;
    for (const auto& s : idle)
        still_open += !s.closed_by_peer();

    std::vector<double> all;
    for (const auto& t : times)
        all.insert(all.end(), t.begin(), t.end());
    std::int64_t merged = 0;
    {
        SQLite::Database d(central, SQLite::OPEN_READONLY, 5000);
        merged = d.execAndGet("SELECT count(*) FROM checkins").getInt64();
    }
    std::printf("%-52s p50 %7.1f ms   p99 %7.1f ms   (n=%zu, %d failed; budget p99 ≤ 1 s)\n",
                "push, 200 idle sockets open, 20 kiosks pushing", percentile(all, 50), percentile(all, 99),
                all.size(), failed.load());
    std::printf("%-52s %9.2f s   (%lld check-ins merged; %s; %d of %d idle sockets still open at the end)\n",
                "all 100 pushes of 100 check-ins", wall, static_cast<long long>(merged),
                held ? "the server held every idle socket" : "the idle sockets were NOT all accepted",
                still_open, kIdle);
    const double p99 = percentile(all, 99) / 1000;
    budget("push, 200 idle sockets, 20 kiosks pushing", p99, "s p99",
           std::to_string(failed.load()) + " failed, " + std::to_string(still_open) + " of " +
               std::to_string(kIdle) + " idle sockets open",
           "p99 ≤ 1 s", p99 <= 1 && failed.load() == 0 && held);
    server.signal(SIGTERM);
    server.wait();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

static const accueil::bench::Register kRegistered{"push", bench_push_load};
