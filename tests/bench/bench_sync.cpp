// Sync figure: central merge throughput of kiosk check-in events, against a raw SQLite bulk insert of
// the same rows measured in the same run.
#include "bench_util.hpp"

#include "database.hpp"
#include "ids.hpp"
#include "store.hpp"
#include "sync/merge.hpp"

#include <filesystem>

using namespace accueil;
using namespace accueil::bench;

namespace {
std::vector<JournalEvent> kiosk_events(std::size_t kiosks, std::size_t per_kiosk) {
    std::vector<JournalEvent> out;
    const std::uint64_t t0 = HlcStamp::pack(1664349120000, 0);
    for (std::size_t k = 0; k < kiosks; ++k) {
        const Origin origin = random_origin();
        for (std::size_t i = 0; i < per_kiosk; ++i) {
            JournalEvent e;
            e.origin = origin;
            e.seq = std::int64_t(i + 1);
            e.hlc = t0 + (std::uint64_t(i) << 16) + k;
            e.kind = EventKind::CheckIn;
            e.entity = random_attendee_id();
            e.payload = R"({"at":)" + std::to_string(1664349120000 + std::int64_t(i)) +
                        R"(,"day":"2022-09-28","kiosk":"Accueil )" + std::to_string(k + 1) + "\"}";
            out.push_back(std::move(e));
        }
    }
    return out;
}
} // namespace

void bench_sync() {
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-sync";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto events = kiosk_events(10, 20'000);
    const std::size_t batch = 1000;

    Store central = Store::create((dir / "central.db").string(),
                                  EventSpec{"Bench", "Europe/Paris", {{"2022-09-28", ""}}});
    sync::Merger merger(central);
    auto start = Clock::now();
    std::size_t applied = 0;
    for (std::size_t i = 0; i < events.size(); i += batch) {
        const std::vector<JournalEvent> part(events.begin() + std::ptrdiff_t(i),
                                             events.begin() +
                                                 std::ptrdiff_t(std::min(i + batch, events.size())));
        applied += merger.merge(part).applied;
    }
    const double merge_s = seconds_since(start);

    // The same rows into a bare table of the same shape: what SQLite itself costs.
    SQLite::Database raw((dir / "raw.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL"); // the central store's own settings
    raw.exec("CREATE TABLE journal (origin BLOB NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL, kind "
             "INTEGER NOT NULL, entity TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (origin, seq)) "
             "WITHOUT ROWID");
    start = Clock::now();
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
    const double raw_s = seconds_since(start);
    const double merge_rate = double(applied) / merge_s, raw_rate = double(events.size()) / raw_s;
    std::printf("%-52s %9.0f events/s (%zu events, batches of %zu; budget ≥ 300,000)\n",
                "central merge of kiosk check-ins", merge_rate, applied, batch);
    std::printf("%-52s %9.0f rows/s   (ratio merge/raw %.2f; budget ≥ 0.5)\n",
                "raw SQLite bulk insert, same rows", raw_rate, merge_rate / raw_rate);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}
