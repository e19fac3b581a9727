// The organisers' live page under load (issue 11): 50 browsers' event streams open on the real
// `accueil-sync serve` (from 10 loopback addresses, 5 each, as 50 phones would come from as many), a
// kiosk pushing one check-in at a time; for each push, the time from the push sent to the moment every
// one of the 50 streams has received figures counting it. Plain HTTP: the transport and the hub are
// measured, not TLS.
#include "bench_kiosks.hpp"
#include "bench_util.hpp"

#include "checkin.hpp"
#include "database.hpp"
#include "organiser_password.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/demo_event.hpp"
#include "support/web_client.hpp"
#include "sync/merge.hpp"
#include "sync/protocol.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

using namespace accueil;
using namespace accueil::bench;

namespace {} // namespace

void bench_web() {
    constexpr int kClients = 50, kPushes = 40, kRoster = 2000;
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-web";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string central = (dir / "central.db").string();
    const std::vector<std::string> people = test::create_central_with_roster(central, kRoster);
    {
        Store c = Store::open(central);
        set_organiser_password(c, "bench password 2026");
    }
    const int port = test::free_port();
    test::Process server({kSyncProgram, "serve", "--db", central, "--listen",
                          "127.0.0.1:" + std::to_string(port), "--insecure"},
                         (dir / "server").string());
    if (!test::wait_until([&] { return server.out().find("serving") != std::string::npos; },
                          std::chrono::seconds(10))) {
        std::printf("web: the server did not start (%s)\n", server.err().c_str());
        return;
    }
    const std::vector<std::string> joined = enrol_and_join("web", central, dir, 1);
    if (joined.empty())
        return;
    const std::string& kiosk = joined.front();
    const std::string token = Store::open(kiosk).meta("sync.token").value_or("");
    const auto login =
        test::web_request(port, "POST", "/api/login", {}, R"({"password": "bench password 2026"})");
    if (login.status != 200) {
        std::printf("web: login refused (%d %s)\n", login.status, login.body.c_str());
        return;
    }
    const std::string cookie = test::session_cookie_of(login);

    std::vector<std::unique_ptr<test::EventStream>> clients;
    for (int i = 0; i < kClients; ++i)
        clients.push_back(
            std::make_unique<test::EventStream>(port, cookie, "127.0.0." + std::to_string(2 + i / 5)));
    // Polls every stream until each one's data holds `needle` past what an earlier round found there.
    std::vector<std::size_t> seen(kClients, 0);
    const auto all_received = [&](const std::string& needle, std::chrono::milliseconds timeout) {
        std::vector<bool> got(kClients, false);
        return test::wait_until(
            [&] {
                bool all = true;
                for (std::size_t i = 0; i < std::size_t(kClients); ++i) {
                    if (got[i])
                        continue;
                    auto& c = *clients[i];
                    c.poll_for(std::chrono::milliseconds(0));
                    const auto at = c.raw().find(needle, seen[i]);
                    got[i] = at != std::string::npos;
                    if (got[i])
                        seen[i] = at + needle.size();
                    all = all && got[i];
                }
                return all;
            },
            timeout);
    };
    if (!all_received("event: figures", std::chrono::seconds(10))) {
        std::printf("web: not every stream opened (%s)\n", server.err().c_str());
        return;
    }

    // Odd pushes follow the previous update at once (the hub's 500 ms between two computations shows),
    // even ones come after a pause, as a kiosk's single arrival would.
    std::vector<double> to_all, after_merge, back_to_back, after_pause;
    int lost = 0;
    Store k = Store::open(kiosk);
    const std::string origin = to_hex(k.origin());
    for (int n = 1; n <= kPushes; ++n) {
        if (n % 2 == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(700));
        check_in(k, people[std::size_t(n)], test::kSept28At0912 + n * 1000);
        const auto events = sync::unacked_events(k, 100);
        const std::string body = nlohmann::json{{"protocol", sync::kProtocolVersion},
                                                {"origin", origin},
                                                {"pending", std::int64_t(events.size())},
                                                {"events", sync::events_to_json(events)}}
                                     .dump();
        const auto t0 = Clock::now();
        const auto pushed = test::web_request(
            port, "POST", "/v1/push",
            {std::string(sync::kProtocolHeader) + ": " + std::to_string(sync::kProtocolVersion),
             "Authorization: Bearer " + token},
            body);
        const double merged_s = seconds_since(t0);
        if (pushed.status != 200) {
            std::printf("web: push refused (%d %s)\n", pushed.status, pushed.body.c_str());
            return;
        }
        {
            WriteTransaction tx(k.db());
            sync::raise_acked(k.db(), sync::vector_from_json(nlohmann::json::parse(pushed.body).at("marks")));
            tx.commit();
        }
        if (!all_received("\"arrivals_total\":" + std::to_string(n) + ",", std::chrono::seconds(10))) {
            ++lost;
            continue;
        }
        const double total_s = seconds_since(t0);
        to_all.push_back(total_s * 1e6);
        after_merge.push_back((total_s - merged_s) * 1e6);
        (n % 2 == 0 ? after_pause : back_to_back).push_back(total_s * 1e6);
    }
    report_latency("push sent -> figures at all 50 streams", to_all, "p99 ≤ 2 s");
    report_latency("push answered (merged) -> figures at all 50 streams", after_merge, "p99 ≤ 2 s");
    report_latency("  pushes right after the previous update", back_to_back, "p99 ≤ 2 s");
    report_latency("  pushes after a 700 ms pause", after_pause, "p99 ≤ 2 s");
    int open = 0;
    for (const auto& c : clients)
        open += !c->closed();
    std::printf("%-52s %d of %d pushes never reached every stream; %d of %d streams still open\n", "", lost,
                kPushes, open, kClients);
    const double p99 = percentile(to_all, 99) / 1e6;
    budget("merge → number on 50 organisers' pages", p99, "s p99",
           std::to_string(lost) + " of " + std::to_string(kPushes) + " pushes lost, " + std::to_string(open) +
               " of " + std::to_string(kClients) + " streams open",
           "p99 ≤ 2 s", p99 <= 2 && lost == 0 && open == kClients);
    server.signal(SIGTERM);
    server.wait();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

static const accueil::bench::Register kRegistered{"web", bench_web};
