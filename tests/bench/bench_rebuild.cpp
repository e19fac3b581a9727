// Projection rebuild figure: every projection replayed from a journal of 1,000,000 events (a
// 100,000-person roster imported, then check-ins up to the million).
#include "bench_util.hpp"

#include "demo_roster.hpp"
#include "import/roster_import.hpp"
#include "journal.hpp"
#include "projection.hpp"
#include "store.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>

using namespace accueil;
using namespace accueil::bench;

namespace {
const std::vector<EventDay> kDays = {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}};
constexpr std::int64_t kSept28At0912 = 1664349120000;
} // namespace

void bench_rebuild() {
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-rebuild";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    {
        std::ofstream csv(dir / "roster.csv");
        write_demo_roster_csv(csv,
                              DemoRosterOptions{100'000, 2022, {"2022-09-27", "2022-09-28", "2022-09-29"}});
    }
    {
        Store store = Store::create((dir / "central.db").string(), EventSpec{"Bench", "Europe/Paris", kDays});
        import_roster_file(store, (dir / "roster.csv").string(), {});
        // Top the journal up to 1,000,000 events with check-ins, then rebuild every projection from it.
        const auto existing = store.db().execAndGet("SELECT count(*) FROM journal").getInt64();
        std::vector<std::string> ids;
        SQLite::Statement q(store.db(), "SELECT id FROM attendees");
        while (q.executeStep())
            ids.push_back(q.getColumn(0).getString());
        {
            // Straight into the journal: the rebuild replays it whatever the projections hold before.
            WriteTransaction tx(store.db());
            JournalInserter journal(store.db());
            JournalEvent e;
            e.origin = store.origin();
            e.kind = EventKind::CheckIn;
            std::int64_t seq = next_seq(store.db(), store.origin());
            for (std::int64_t i = existing; i < 1'000'000; ++i) {
                e.seq = seq++;
                e.hlc = store.clock().now();
                e.entity = ids[std::size_t(i) % ids.size()];
                e.payload = R"({"at":)" + std::to_string(kSept28At0912 + i) + R"(,"day":")" +
                            kDays[std::size_t(i) % 3].date + R"(","kiosk":"bench"})";
                journal.insert(e);
            }
            tx.commit();
        }
        const auto total = store.db().execAndGet("SELECT count(*) FROM journal").getInt64();
        const auto start = Clock::now();
        const std::clock_t cpu_start = std::clock();
        rebuild_projections(store.db());
        const double s = seconds_since(start);
        const double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
        const double rate = double(total) / s;
        // The processor time too: on a machine shared with builds the wall clock mostly measures waiting.
        std::printf("%-52s %9.2f s      (%.0f events per CPU second)\n", "projection rebuild, CPU time", cpu,
                    double(total) / cpu);
        std::printf("%-52s %9.2f s      (%lld events, %.0f events/s)\n",
                    "projection rebuild from the journal", s, static_cast<long long>(total), rate);
        budget("projection rebuild, 1,000,000 events", rate, "events/s",
               std::to_string(total) + " events in " + std::to_string(s) + " s", "≥ 300,000",
               rate >= 300'000);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

static const accueil::bench::Register kRegistered{"rebuild", bench_rebuild};
