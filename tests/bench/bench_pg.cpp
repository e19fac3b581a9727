// The central store on PostgreSQL (issue 15): the merge's throughput beside a plain COPY of the same
// rows into a table with the journal's key, and two servers (two connections, each merging its own
// kiosks' batches at the same time) beside one, all against one real PostgreSQL started for the run
// (tests/support/postgres.hpp) with fsync on, as in production.
#include "bench_checkins.hpp"
#include "bench_util.hpp"

#include "pg_central.hpp"
#include "pg_connection.hpp"
#include "store.hpp"
#include "support/postgres.hpp"

#include <cstdio>
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
    std::printf("%-52s %9.0f events/s   (%zu + %zu events)\n", "two servers on one PostgreSQL", two_rate,
                both[0], both[1]);
    std::printf("%-52s %9.0f events/s\n", "one server, the same events", one_rate);
    budget("two servers on one PostgreSQL beside one", two_rate / one_rate, "× one",
           "one server " + std::to_string(long(one_rate)) + " events/s", "≥ 0.9", two_rate / one_rate >= 0.9);
}

} // namespace

static const accueil::bench::Register kRegistered{"pg", bench_pg};
