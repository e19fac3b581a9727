// The central store on PostgreSQL (issue 15): the merge's throughput beside a plain COPY of the same
// rows into a table with the journal's key; two connections, each merging its own kiosks' batches at
// the same time, beside one; and two real `accueil-sync serve` processes taking kiosks' pushes over
// HTTP beside one. All against one real PostgreSQL started for the run (tests/support/postgres.hpp)
// with fsync on, as in production.
#include "bench_checkins.hpp"
#include "bench_http.hpp"
#include "bench_kiosks.hpp"
#include "bench_util.hpp"

#include "pg_central.hpp"
#include "pg_connection.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/postgres.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"

#include <atomic>
#include <cstdio>
#include <map>
#include <thread>

using namespace accueil;
using namespace accueil::bench;

namespace {

constexpr std::size_t kBatch = 2000; // what an agent sends at most (kMaxBatchEvents)

// A central store in PostgreSQL database `url` whose kiosks are the origins of `events`.
void make_store(const std::filesystem::path& dir, const std::string& url,
                const std::vector<JournalEvent>& events, const std::string& name) {
    const auto file = (dir / (name + ".db")).string();
    central_for(file, events);
    pg::move_to_postgres(file, url);
}

// A central store for kiosks that push over HTTP: each origin of `events` enrolled and joined by the
// device rules (shared/sync/devices.hpp), then moved to PostgreSQL. Each kiosk's token.
std::map<Origin, std::string> http_store(const std::filesystem::path& dir, const std::string& url,
                                         const std::vector<JournalEvent>& events, const std::string& name) {
    const auto file = (dir / (name + ".db")).string();
    std::map<Origin, std::string> tokens;
    {
        Store central = central_for(file, events);
        for (const auto& e : events)
            if (!tokens.count(e.origin)) {
                const std::string code =
                    sync::enrol_device(central, "Accueil " + std::to_string(tokens.size() + 1));
                const auto r = sync::join_device(
                    central, sync::JoinAttempt{code, e.origin, SigningKey::generate().public_key(), {}});
                tokens[e.origin] = r.joined ? r.joined->token : "";
            }
    }
    pg::move_to_postgres(file, url);
    return tokens;
}

// Every kiosk of `events` pushes its batches over its own kept-alive connection, all at once, kiosk k
// to the server on ports[k % ports.size()]; the events per second until the last answer, 0 when a
// push failed.
double push_rate(const std::vector<int>& ports, const std::vector<JournalEvent>& events,
                 const std::map<Origin, std::string>& tokens) {
    constexpr std::size_t kPush = 500;
    std::vector<std::pair<std::string, std::vector<std::string>>> kiosks; // token, bodies
    std::map<Origin, std::size_t> index;
    for (std::size_t i = 0; i < events.size();) {
        const Origin o = events[i].origin;
        if (!index.count(o)) {
            index[o] = kiosks.size();
            kiosks.push_back({tokens.at(o), {}});
        }
        std::size_t end = i;
        while (end < events.size() && end - i < kPush && events[end].origin == o)
            ++end;
        const std::vector<JournalEvent> batch(events.begin() + std::ptrdiff_t(i),
                                              events.begin() + std::ptrdiff_t(end));
        kiosks[index[o]].second.push_back(nlohmann::json{
            {"protocol", sync::kProtocolVersion},
            {"origin", to_hex(o)},
            {"events",
             sync::events_to_json(batch)}}.dump());
        i = end;
    }
    std::atomic<int> failed{0}, ready{0};
    std::vector<std::thread> pushers;
    const auto start = Clock::now();
    for (std::size_t k = 0; k < kiosks.size(); ++k)
        pushers.emplace_back([&, k] {
            const test::Socket s = test::connect_from("127.0.0.1", ports[k % ports.size()]);
            s.set_timeouts(std::chrono::seconds(60));
            ++ready;
            while (ready < int(kiosks.size())) // all start together
                std::this_thread::yield();
            for (const auto& body : kiosks[k].second)
                failed += post(s, "/v1/push", body, kiosks[k].first) != 200;
        });
    for (auto& t : pushers)
        t.join();
    const double rate = double(events.size()) / seconds_since(start);
    return failed ? 0 : rate;
}

// `accueil-sync serve --store url` on each port, started and waited for; empty when one did not start.
std::vector<std::unique_ptr<test::Process>> serve(const std::string& url, const std::vector<int>& ports,
                                                  const std::filesystem::path& dir) {
    std::vector<std::unique_ptr<test::Process>> servers;
    for (const int port : ports) {
        servers.push_back(std::make_unique<test::Process>(
            std::vector<std::string>{kSyncProgram, "serve", "--store", url, "--listen",
                                     "127.0.0.1:" + std::to_string(port), "--insecure"},
            (dir / ("server" + std::to_string(port))).string(),
            test::Env{
                {"TMPDIR", dir.string()}})); // the page's copy of the store goes with the bench's folder
        auto& s = *servers.back();
        if (!test::wait_until([&] { return s.out().find("serving") != std::string::npos; },
                              std::chrono::seconds(10))) {
            std::printf("pg: a server did not start (%s)\n", s.err().c_str());
            return {};
        }
    }
    return servers;
}

// Merges `events` in agent-sized batches (never straddling two kiosks); the events applied.
std::size_t merge_all(pg::PgCentral& store, const std::vector<JournalEvent>& events) {
    std::size_t applied = 0;
    for (std::size_t i = 0; i < events.size();) {
        std::size_t end = i;
        while (end < events.size() && end - i < kBatch && events[end].origin == events[i].origin)
            ++end;
        const std::vector<JournalEvent> part(events.begin() + std::ptrdiff_t(i),
                                             events.begin() + std::ptrdiff_t(end));
        sync::MergeOptions o;
        o.channel = sync::Channel::Push;
        o.sender = part.front().origin;
        const auto r = store.merge(part, o);
        if (!r.ok())
            std::fprintf(stderr, "bench: batch refused: %s\n", r.rejected.front().reason.c_str());
        applied += r.applied;
        i = end;
    }
    return applied;
}

// The same rows COPY'd into a plain table with the journal's columns and key, a transaction per batch.
double copy_rate(const std::string& url, const std::vector<JournalEvent>& events) {
    auto c = pg::Connection::open(url);
    c.exec(
        "CREATE TABLE plain (origin bytea NOT NULL, seq bigint NOT NULL, hlc bigint NOT NULL, kind integer "
        "NOT NULL, entity text NOT NULL, payload text NOT NULL, PRIMARY KEY (origin, seq))");
    const auto start = Clock::now();
    for (std::size_t i = 0; i < events.size(); i += kBatch) {
        std::string rows;
        for (std::size_t k = i; k < std::min(i + kBatch, events.size()); ++k)
            pg::append_copy_row(rows, events[k]);
        pg::Transaction tx(c);
        c.copy_in("COPY plain FROM STDIN", rows);
        tx.commit();
    }
    return double(events.size()) / seconds_since(start);
}

void bench_pg() {
    std::unique_ptr<test::TestPostgres> pg;
    try {
        pg = std::make_unique<test::TestPostgres>(test::PostgresOptions{.durable = true});
    } catch (const std::exception& e) {
        std::printf("PostgreSQL could not start: %s\n", e.what());
        budget("PostgreSQL merge beside a plain COPY", 0, "× COPY", "PostgreSQL did not start", "≥ 0.5",
               false);
        budget("two connections merging at once beside one", 0, "× one", "PostgreSQL did not start", "≥ 0.9",
               false);
        budget("two servers on one PostgreSQL beside one", 0, "× one", "PostgreSQL did not start", "≥ 0.9",
               false);
        return;
    }
    test::TempDir dir;
    // 10 kiosks × 20,000 check-ins of 1,700 people over three days, as in the SQLite merge figure.
    const auto events = kiosk_events(10, 20000, 1700);

    make_store(dir.path(), pg->create_database("merge"), events, "merge");
    auto store = pg::PgCentral::open(pg->url("merge"));
    auto start = Clock::now();
    const std::size_t applied = merge_all(store, events);
    const double merge_rate = double(applied) / seconds_since(start);
    const double raw = copy_rate(pg->create_database("copy"), events);
    std::printf("%-52s %9.0f events/s   (%zu events, batches of %zu)\n", "merge into PostgreSQL", merge_rate,
                applied, kBatch);
    std::printf("%-52s %9.0f rows/s\n", "plain COPY of the same rows, same batches", raw);
    budget("PostgreSQL merge beside a plain COPY", merge_rate / raw, "× COPY",
           "plain COPY " + std::to_string(long(raw)) + " rows/s", "≥ 0.5", merge_rate / raw >= 0.5);

    // Two servers, each with its own connection and half of the kiosks, at once; then one alone.
    make_store(dir.path(), pg->create_database("two"), events, "two");
    const auto middle = events.begin() + std::ptrdiff_t(events.size() / 2); // kiosks 1-5 and 6-10
    const std::vector<JournalEvent> halves[2] = {{events.begin(), middle}, {middle, events.end()}};
    std::size_t both[2] = {0, 0};
    start = Clock::now();
    {
        std::thread a([&] {
            auto s = pg::PgCentral::open(pg->url("two"));
            both[0] = merge_all(s, halves[0]);
        });
        auto s = pg::PgCentral::open(pg->url("two"));
        both[1] = merge_all(s, halves[1]);
        a.join();
    }
    const double two_rate = double(both[0] + both[1]) / seconds_since(start);
    make_store(dir.path(), pg->create_database("one"), events, "one");
    auto alone = pg::PgCentral::open(pg->url("one"));
    start = Clock::now();
    const double one_rate = double(merge_all(alone, events)) / seconds_since(start);
    std::printf("%-52s %9.0f events/s   (%zu + %zu events)\n", "two connections merging at once", two_rate,
                both[0], both[1]);
    std::printf("%-52s %9.0f events/s\n", "one connection, the same events", one_rate);
    budget("two connections merging at once beside one", two_rate / one_rate, "× one",
           "one connection " + std::to_string(long(one_rate)) + " events/s", "≥ 0.9",
           two_rate / one_rate >= 0.9);

    // The same through real servers: ten kiosks push 500-event batches over HTTP, to one server, then
    // (other kiosks, another database) half of them to each of two servers on the same PostgreSQL.
    double http[2] = {0, 0};
    for (const int servers : {1, 2}) {
        const std::string name = "http" + std::to_string(servers);
        const auto kiosks = kiosk_events(10, 4000, 1700);
        const auto tokens = http_store(dir.path(), pg->create_database(name), kiosks, name);
        std::vector<int> ports;
        for (int i = 0; i < servers; ++i)
            ports.push_back(test::free_port());
        auto running = serve(pg->url(name), ports, dir.path());
        if (running.empty())
            break;
        http[servers - 1] = push_rate(ports, kiosks, tokens);
        for (auto& s : running) {
            s->signal(SIGTERM);
            s->wait();
        }
    }
    std::printf("%-52s %9.0f events/s   (10 kiosks, batches of 500)\n", "pushes over HTTP, one server",
                http[0]);
    std::printf("%-52s %9.0f events/s\n", "pushes over HTTP, two servers, one PostgreSQL", http[1]);
    const double ratio = http[0] > 0 ? http[1] / http[0] : 0;
    budget("two servers on one PostgreSQL beside one", ratio, "× one",
           "one server " + std::to_string(long(http[0])) + " events/s over HTTP", "≥ 0.9", ratio >= 0.9);
}

} // namespace

static const accueil::bench::Register kRegistered{"pg", bench_pg};
