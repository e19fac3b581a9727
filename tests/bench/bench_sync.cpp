// Sync figure: central merge throughput of kiosk check-in events, against a raw SQLite bulk insert of
// the same rows measured in the same run.
#include "bench_util.hpp"

#include "database.hpp"
#include "ids.hpp"
#include "store.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"
#include "sync/wal_checkpointer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

using namespace accueil;
using namespace accueil::bench;

namespace {
// `kiosks` × `per_kiosk` check-ins of people drawn from a roster of `roster` attendees over the
// event's three days: the central store's real key distribution (the same people come back).
std::vector<JournalEvent> kiosk_events(std::size_t kiosks, std::size_t per_kiosk, std::size_t roster) {
    std::vector<std::string> people;
    for (std::size_t i = 0; i < roster; ++i)
        people.push_back(random_attendee_id());
    const char* days[] = {"2022-09-27", "2022-09-28", "2022-09-29"};
    std::vector<JournalEvent> out;
    const std::uint64_t t0 = HlcStamp::pack(1664349120000, 0);
    std::uint64_t mix = 0x9E3779B97F4A7C15ull;
    for (std::size_t k = 0; k < kiosks; ++k) {
        const Origin origin = random_origin();
        for (std::size_t i = 0; i < per_kiosk; ++i) {
            mix ^= mix << 13, mix ^= mix >> 7, mix ^= mix << 17; // xorshift: who comes, which day
            JournalEvent e;
            e.origin = origin;
            e.seq = std::int64_t(i + 1);
            e.hlc = t0 + (std::uint64_t(i) << 16) + k;
            e.kind = EventKind::CheckIn;
            e.entity = people[mix % roster];
            e.payload = R"({"at":)" + std::to_string(1664349120000 + std::int64_t(i)) + R"(,"day":")" +
                        days[(mix >> 32) % 3] + R"(","kiosk":"Accueil )" + std::to_string(k + 1) + "\"}";
            out.push_back(std::move(e));
        }
    }
    return out;
}

// Merges `events` into a new central store in batches the size the agents send; events/s.
double merge_rate(const std::filesystem::path& file, const std::vector<JournalEvent>& events,
                  std::size_t batch) {
    Store central = Store::create(
        file.string(),
        EventSpec{"Bench", "Europe/Paris", {{"2022-09-27", ""}, {"2022-09-28", ""}, {"2022-09-29", ""}}});
    // Configured as `accueil-sync serve` runs it: checkpoints on their own thread.
    central.db().exec("PRAGMA wal_autocheckpoint=0");
    const sync::WalCheckpointer checkpointer(file.string());
    // The kiosks joined this store (their origins and names bound to their tokens), as in real life:
    // every batch passes the door (sync/admission.hpp), whose cost is part of the figure.
    {
        WriteTransaction tx(central.db());
        std::map<Origin, std::string> names;
        for (const auto& e : events)
            names.emplace(e.origin, "Accueil " + std::to_string(names.size() + 1));
        for (const auto& [origin, name] : names)
            sync::record_peer(central.db(), origin, sync::Peer{sync::Role::Kiosk, name, std::nullopt});
        tx.commit();
    }
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
    return double(applied) / seconds_since(start);
}

// The floor of the merge on this schema: the sqlite3 shell writing only the rows the merge had to add
// (the journal rows, and the `checkin_days` row of each attendee-day; `checkins` is a view of the
// journal), in as many transactions as the merge commits, with the central store's settings, into a
// fresh store. The rows are the ones the merge just wrote into `merged`, staged (untimed) in plain
// tables of another file. Nothing else (no door, no reads, no summaries, no row updated): what SQLite
// alone costs for the merge's writes. Rows per second.
double merge_floor_rate(const std::filesystem::path& dir, const std::filesystem::path& merged,
                        std::size_t batch) {
    const std::string rows = (dir / "floor-rows.db").string(), floor = (dir / "floor.db").string();
    for (const auto& f : {rows, floor})
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(f + suffix);
    Store::create(
        floor,
        EventSpec{"Bench", "Europe/Paris", {{"2022-09-27", ""}, {"2022-09-28", ""}, {"2022-09-29", ""}}});
    // Each attendee-day row goes in with the batch that brought its first check-in (pos).
    run_shell("sqlite3 -batch '" + rows + "' \"ATTACH '" + merged.string() +
              "' AS src; CREATE TABLE w AS SELECT * FROM src.journal WHERE kind = " +
              std::to_string(int(EventKind::CheckIn)) +
              " ORDER BY origin, seq; CREATE TABLE d AS SELECT cd.*, w.rowid AS pos FROM src.checkin_days "
              "AS cd JOIN w ON w.origin = cd.first_origin AND w.seq = cd.first_seq; CREATE INDEX d_pos ON d "
              "(pos);\"");
    SQLite::Database staged(rows, SQLite::OPEN_READONLY);
    const std::int64_t events = staged.execAndGet("SELECT count(*) FROM w").getInt64();
    const std::filesystem::path script = dir / "floor.sql";
    {
        std::ofstream sql(script);
        sql << "PRAGMA synchronous=FULL;\nPRAGMA cache_size=-16000;\nATTACH '" << rows << "' AS r;\n";
        for (std::int64_t lo = 0; lo < events; lo += std::int64_t(batch)) {
            const std::string range =
                " > " + std::to_string(lo) + " AND pos <= " + std::to_string(lo + std::int64_t(batch));
            sql << "BEGIN;\nINSERT INTO journal SELECT origin, seq, hlc, kind, entity, payload FROM r.w "
                << "WHERE rowid > " << lo << " AND rowid <= " << lo + std::int64_t(batch) << ";\n"
                << "INSERT INTO checkin_days SELECT attendee_id, day, first_at, first_hlc, first_origin, "
                << "first_seq, first_kiosk FROM r.d WHERE pos" << range
                << " ORDER BY attendee_id, day;\nCOMMIT;\n";
        }
    }
    const auto start = Clock::now();
    run_shell("sqlite3 -batch -bail '" + floor + "' < '" + script.string() + "' > /dev/null");
    return double(events) / seconds_since(start);
}

} // namespace

void bench_convergence(); // bench_convergence.cpp

void bench_sync() {
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-sync";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::size_t batch = sync::kMaxBatchEvents;
    const auto events = kiosk_events(10, 20'000, 1'700);
    const double merge = merge_rate(dir / "central.db", events, batch);
    const double floor = merge_floor_rate(dir, dir / "central.db", batch);

    // The same rows into a bare table of the same shape: what SQLite itself costs.
    SQLite::Database raw((dir / "raw.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // The central store's own settings, checkpointer included.
    raw.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0");
    const sync::WalCheckpointer checkpointer((dir / "raw.db").string());
    raw.exec("CREATE TABLE journal (origin BLOB NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL, kind "
             "INTEGER NOT NULL, entity TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (origin, seq)) "
             "WITHOUT ROWID");
    const auto start = Clock::now();
    SQLite::Statement ins(raw, "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < events.size(); i += batch) {
        WriteTransaction tx(raw);
        for (std::size_t j = i; j < std::min(i + batch, events.size()); ++j) {
            const auto& e = events[j];
            ins.reset();
            ins.bind(1, e.origin.data(), int(e.origin.size()));
            ins.bind(2, e.seq);
            ins.bind(3, std::int64_t(e.hlc));
            ins.bind(4, int(e.kind));
            ins.bindNoCopy(5, e.entity);
            ins.bindNoCopy(6, e.payload);
            ins.exec();
        }
        tx.commit();
    }
    const double raw_rate = double(events.size()) / seconds_since(start);
    // A roster 60 times the event's: the per-day summary no longer stays in a few pages.
    const double big = merge_rate(dir / "central-big.db", kiosk_events(10, 20'000, 100'000), batch);
    std::printf("%-52s %9.0f events/s (%zu check-ins, 1,700 attendees × 3 days, batches of %zu)\n",
                "central merge of kiosk check-ins", merge, events.size(), batch);
    std::printf("%-52s %9.0f rows/s\n", "raw SQLite bulk insert, same rows", raw_rate);
    std::printf("%-52s %9.0f events/s (same, 100,000 attendees)\n", "central merge, large roster", big);
    std::printf("%-52s %9.0f rows/s   (%.3f × raw: the most the merge can reach on this schema)\n",
                "sqlite3 shell, only the merge's writes, 1,700", floor, floor / raw_rate);
    const std::string raw_line = "raw SQLite bulk insert " + std::to_string(long(raw_rate)) + " rows/s";
    const auto floor_words = [&](double f) {
        char words[96];
        std::snprintf(words, sizeof words, "; its writes alone in the sqlite3 shell %.2f × raw",
                      f / raw_rate);
        return raw_line + words;
    };
    budget("central merge, 1,700 attendees × 3 days", merge / raw_rate, "× raw", floor_words(floor), "≥ 0.6",
           merge / raw_rate >= 0.6);
    budget("central merge, 100,000 attendees", big / raw_rate, "× raw", raw_line, "≥ 0.3",
           big / raw_rate >= 0.3);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    bench_convergence();
}

static const accueil::bench::Register kRegistered{"sync", bench_sync};
