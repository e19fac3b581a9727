// Sync figure: central merge throughput of kiosk check-in events, against a raw SQLite bulk insert of
// the same rows measured in the same run.
#include "bench_checkins.hpp"
#include "bench_util.hpp"

#include "database.hpp"
#include "ids.hpp"
#include "store.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"
#include "sync/wal_checkpointer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

using namespace accueil;
using namespace accueil::bench;

namespace {
// Pages this connection wrote (into the WAL) since it opened: what each commit costs the disk.
long pages_written(SQLite::Database& db) {
    int now = 0, high = 0;
    sqlite3_db_status(db.getHandle(), SQLITE_DBSTATUS_CACHE_WRITE, &now, &high, 0);
    return now;
}

struct Rate {
    double per_second = 0;
    long pages = 0;
};
// Merges `events` into a new central store in batches the size the agents send; events/s.
Rate merge_rate(const std::filesystem::path& file, const std::vector<JournalEvent>& events,
                std::size_t batch) {
    Store central = central_for(file.string(), events);
    // Configured as `accueil-sync serve` runs it: checkpoints on their own thread.
    central.db().exec("PRAGMA wal_autocheckpoint=0");
    const sync::WalCheckpointer checkpointer(file.string());
    sync::Merger merger(central);
    const auto start = Clock::now();
    std::size_t applied = 0;
    for (std::size_t i = 0; i < events.size(); i += batch) {
        const std::vector<JournalEvent> part(events.begin() + std::ptrdiff_t(i),
                                             events.begin() +
                                                 std::ptrdiff_t(std::min(i + batch, events.size())));
        sync::MergeOptions o;
        o.channel = sync::Channel::Push;
        o.sender = part.front().origin; // batches never straddle two kiosks (20,000 events each)
        const auto r = merger.merge(part, o);
        if (!r.ok())
            std::fprintf(stderr, "bench: batch refused: %s\n", r.rejected.front().reason.c_str());
        applied += r.applied;
    }
    return {double(applied) / seconds_since(start), pages_written(central.db())};
}

// The floor of the merge on this schema, with the raw insert's API and the central store's settings:
// only the rows the merge had to add (every journal row, and each attendee-day's `checkin_days` row in
// the batch that brought its first check-in; `checkins` is a view of the journal), written by prepared
// INSERTs in the same batches, into a fresh central store with its checkpointer. Nothing else: no
// door, no reads, no summaries, no row updated. The rows are the ones the merge wrote into `merged`,
// staged untimed. Journal rows per second.
Rate merge_writes_rate(const std::filesystem::path& file, const std::filesystem::path& merged,
                       const std::vector<JournalEvent>& events, std::size_t batch) {
    struct DayRow {
        std::string attendee, day, kiosk;
        std::int64_t at = 0, hlc = 0, seq = 0;
        Origin origin{};
    };
    std::map<std::pair<Origin, std::int64_t>, std::size_t> position; // an event's place in `events`
    for (std::size_t i = 0; i < events.size(); ++i)
        position.emplace(std::pair{events[i].origin, events[i].seq}, i);
    std::vector<std::vector<DayRow>> rows_of_batch((events.size() + batch - 1) / batch);
    {
        SQLite::Database src(merged.string(), SQLite::OPEN_READONLY);
        SQLite::Statement q(src, "SELECT attendee_id, day, first_kiosk, first_at, first_hlc, first_seq, "
                                 "first_origin FROM checkin_days ORDER BY attendee_id, day");
        while (q.executeStep()) {
            const auto o = q.getColumn(6);
            DayRow r{q.getColumn(0).getString(),
                     q.getColumn(1).getString(),
                     q.getColumn(2).getString(),
                     q.getColumn(3).getInt64(),
                     q.getColumn(4).getInt64(),
                     q.getColumn(5).getInt64(),
                     origin_from_blob(o.getBlob(), o.getBytes())};
            rows_of_batch[position.at({r.origin, r.seq}) / batch].push_back(std::move(r));
        }
    }
    Store floor = Store::create(
        file.string(),
        EventSpec{"Bench", "Europe/Paris", {{"2022-09-27", ""}, {"2022-09-28", ""}, {"2022-09-29", ""}}});
    SQLite::Database& db = floor.db();
    db.exec("PRAGMA wal_autocheckpoint=0");
    const sync::WalCheckpointer checkpointer(file.string());
    SQLite::Statement journal(db,
                              "INSERT INTO journal (origin, seq, hlc, kind, entity, payload) VALUES (?, ?, "
                              "?, ?, ?, ?)");
    SQLite::Statement days(db,
                           "INSERT INTO checkin_days (attendee_id, day, first_kiosk, first_at, first_hlc, "
                           "first_seq, first_origin) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const auto start = Clock::now();
    for (std::size_t b = 0; b < rows_of_batch.size(); ++b) {
        WriteTransaction tx(db);
        for (std::size_t i = b * batch; i < std::min((b + 1) * batch, events.size()); ++i) {
            const auto& e = events[i];
            journal.reset();
            bind_event(journal, e);
            journal.exec();
        }
        for (const auto& r : rows_of_batch[b]) {
            days.reset();
            days.bindNoCopy(1, r.attendee);
            days.bindNoCopy(2, r.day);
            days.bindNoCopy(3, r.kiosk);
            days.bind(4, r.at);
            days.bind(5, r.hlc);
            days.bind(6, r.seq);
            days.bind(7, r.origin.data(), int(r.origin.size()));
            days.exec();
        }
        tx.commit();
    }
    return {double(events.size()) / seconds_since(start), pages_written(db)};
}

// The same rows into a bare table of the same shape, with the central store's settings (checkpointer
// included): what SQLite itself costs. Rows/s.
Rate raw_rate(const std::filesystem::path& file, const std::vector<JournalEvent>& events, std::size_t batch) {
    SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0");
    const sync::WalCheckpointer checkpointer(file.string());
    raw.exec("CREATE TABLE journal (origin BLOB NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL, kind "
             "INTEGER NOT NULL, entity TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (origin, seq)) "
             "WITHOUT ROWID");
    const auto start = Clock::now();
    SQLite::Statement ins(raw, "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < events.size(); i += batch) {
        WriteTransaction tx(raw);
        for (std::size_t j = i; j < std::min(i + batch, events.size()); ++j) {
            ins.reset();
            bind_event(ins, events[j]);
            ins.exec();
        }
        tx.commit();
    }
    return {double(events.size()) / seconds_since(start), pages_written(raw)};
}

// One round: the merge, its writes alone and the raw insert, back to back into new files, so that the
// ratios compare figures taken a second apart. Every durable commit waits on the disk, whose speed here
// drifts by 2× within a minute: one round's ratio is noise, the median of several is not.
struct Round {
    Rate merge, floor, raw;
};
Round run_round(const std::filesystem::path& dir, const std::vector<JournalEvent>& events, std::size_t batch,
                int number) {
    const std::string n = std::to_string(number);
    Round r;
    if (number % 2) // the raw insert first on odd rounds: no figure always runs on a warmer machine
        r.raw = raw_rate(dir / ("raw-" + n + ".db"), events, batch);
    r.merge = merge_rate(dir / ("central-" + n + ".db"), events, batch);
    r.floor = merge_writes_rate(dir / ("floor-" + n + ".db"), dir / ("central-" + n + ".db"), events, batch);
    if (number % 2 == 0)
        r.raw = raw_rate(dir / ("raw-" + n + ".db"), events, batch);
    for (const char* stem : {"raw-", "central-", "floor-"})
        for (const char* suffix : {".db", ".db-wal", ".db-shm"})
            std::filesystem::remove(dir / (stem + n + suffix));
    return r;
}

struct Medians {
    double merge = 0, floor = 0, raw = 0; // rates
    double merge_x = 0, floor_x = 0;      // each round's ratio to that round's raw insert
    long merge_pages = 0, floor_pages = 0, raw_pages = 0;
    std::string rounds; // every round's merge ratio, for the reader
};
Medians rounds_of(const std::filesystem::path& dir, const std::vector<JournalEvent>& events,
                  std::size_t batch, int count) {
    std::vector<double> merge, floor, raw, merge_x, floor_x;
    Medians m;
    for (int i = 0; i < count; ++i) {
        const Round r = run_round(dir, events, batch, i);
        merge.push_back(r.merge.per_second);
        floor.push_back(r.floor.per_second);
        raw.push_back(r.raw.per_second);
        merge_x.push_back(r.merge.per_second / r.raw.per_second);
        floor_x.push_back(r.floor.per_second / r.raw.per_second);
        m.merge_pages = r.merge.pages, m.floor_pages = r.floor.pages, m.raw_pages = r.raw.pages;
        char one[16];
        std::snprintf(one, sizeof one, "%s%.2f", i ? " " : "", merge_x.back());
        m.rounds += one;
    }
    // Odd round counts: the 50th percentile is the middle round.
    m.merge = percentile(merge, 50), m.floor = percentile(floor, 50), m.raw = percentile(raw, 50);
    m.merge_x = percentile(merge_x, 50), m.floor_x = percentile(floor_x, 50);
    return m;
}

} // namespace

void bench_convergence(); // bench_convergence.cpp

void bench_sync() {
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-sync";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::size_t batch = sync::kMaxBatchEvents;
    const auto events = kiosk_events(10, 20'000, 1'700);
    constexpr int kSmallRounds = 5, kBigRounds = 3; // odd: each median is one round's figure
    const Medians small = rounds_of(dir, events, batch, kSmallRounds);
    // A roster 60 times the event's: the per-day summary no longer stays in a few pages.
    const auto big_events = kiosk_events(10, 20'000, 100'000);
    const Medians big = rounds_of(dir, big_events, batch, kBigRounds);
    // Pages written per 1,000 events: the disk work of each design, beside its rate.
    const auto per_k = [&](long pages) { return 1000.0 * double(pages) / double(events.size()); };
    std::printf("%-52s %9.0f events/s (%zu check-ins, 1,700 attendees × 3 days, batches of %zu; %.0f pages "
                "written per 1,000; medians of %d rounds, each with its own raw insert)\n",
                "central merge of kiosk check-ins", small.merge, events.size(), batch,
                per_k(small.merge_pages), kSmallRounds);
    std::printf("%-52s %9.0f rows/s   (%.0f pages per 1,000)\n", "raw SQLite bulk insert, same rows",
                small.raw, per_k(small.raw_pages));
    std::printf("%-52s %s\n", "  merge ÷ raw, round by round", small.rounds.c_str());
    std::printf(
        "%-52s %9.0f events/s (same, 100,000 attendees; %.0f pages per 1,000; medians of %d rounds)\n",
        "central merge, large roster", big.merge, per_k(big.merge_pages), kBigRounds);
    std::printf("%-52s %9.0f rows/s   (%.0f pages per 1,000)\n", "raw SQLite bulk insert, same rows", big.raw,
                per_k(big.raw_pages));
    std::printf("%-52s %s\n", "  merge ÷ raw, round by round", big.rounds.c_str());
    std::printf("%-52s %9.0f rows/s   (%.3f × raw: the most the merge can reach on this schema; %.0f pages "
                "per 1,000)\n",
                "only the merge's writes, 1,700", small.floor, small.floor_x, per_k(small.floor_pages));
    std::printf("%-52s %9.0f rows/s   (%.3f × raw; %.0f pages per 1,000: a new attendee-day row on a "
                "random page)\n",
                "only the merge's writes, 100,000", big.floor, big.floor_x, per_k(big.floor_pages));
    const auto comparison = [&](const Medians& m, double limit) {
        char words[200];
        std::snprintf(words, sizeof words,
                      "raw SQLite bulk insert %ld rows/s, median of each round's ratio; its writes alone "
                      "%.2f × raw%s",
                      long(m.raw), m.floor_x,
                      m.floor_x < limit ? ", below the budget: out of reach on this schema" : "");
        return std::string(words);
    };
    budget("central merge, 1,700 attendees × 3 days", small.merge_x, "× raw", comparison(small, 0.6), "≥ 0.6",
           small.merge_x >= 0.6);
    budget("central merge, 100,000 attendees", big.merge_x, "× raw", comparison(big, 0.3), "≥ 0.3",
           big.merge_x >= 0.3);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    bench_convergence();
}

static const accueil::bench::Register kRegistered{"sync", bench_sync};
