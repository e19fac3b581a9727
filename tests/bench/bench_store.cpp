// Foundation figures: roster import rows/s, name search over 100,000 attendees, check-in with a
// durable commit (the projection rebuild is in bench_rebuild.cpp).
#include "bench_util.hpp"

#include "attendee.hpp"
#include "checkin.hpp"
#include "demo_roster.hpp"
#include "import/roster_import.hpp"
#include "search.hpp"
#include "store.hpp"
#include "text_fold.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace accueil;
using namespace accueil::bench;

namespace {
const std::vector<EventDay> kDays = {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}};
constexpr std::int64_t kSept28At0912 = 1664349120000;

struct BenchDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() / "accueil-bench";
    BenchDir() {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~BenchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

std::vector<std::string> search_queries(Store& store, std::size_t n) {
    // What volunteers type: the first 3-6 letters of a last name, first name + last-name start, an
    // organisation word; drawn from the people actually in the store.
    std::vector<std::string> out;
    SQLite::Statement q(
        store.db(), "SELECT first_name, last_name, organisation FROM attendees ORDER BY random() LIMIT ?");
    q.bind(1, std::int64_t(n));
    std::mt19937 rng(42);
    while (q.executeStep()) {
        const auto first = fold_text(q.getColumn(0).getString());
        const auto last = fold_text(q.getColumn(1).getString());
        const auto org = fold_words(q.getColumn(2).getString());
        switch (rng() % 3) {
        case 0:
            out.push_back(last.substr(0, 3 + rng() % 4));
            break;
        case 1:
            out.push_back(first + " " + last.substr(0, 2 + rng() % 3));
            break;
        default:
            out.push_back(org.empty() ? last : org.back().substr(0, 4));
        }
    }
    return out;
}
} // namespace

void bench_store() {
    BenchDir dir;
    const std::size_t rows = 100'000;
    {
        std::ofstream csv(dir.file("roster.csv"));
        write_demo_roster_csv(csv, DemoRosterOptions{rows, 2022, {"2022-09-27", "2022-09-28", "2022-09-29"}});
    }
    Store store = Store::create(dir.file("central.db"), EventSpec{"Bench", "Europe/Paris", kDays});
    {
        const auto start = Clock::now();
        const auto summary = import_roster_file(store, dir.file("roster.csv"), {});
        const double s = seconds_since(start);
        std::printf("%-52s %9.0f rows/s   (%d rows in %.2f s; budget ≥ 100,000 rows/s)\n",
                    "roster import, 100,000-row CSV", double(summary.created) / s, summary.created, s);
    }
    {
        const auto queries = search_queries(store, 2000);
        std::vector<double> micros;
        std::size_t hits = 0;
        for (const auto& q : queries) {
            const auto start = Clock::now();
            hits += search_attendees(store.db(), q, 10).size();
            micros.push_back(seconds_since(start) * 1e6);
        }
        report_latency("name search, 100,000 attendees (top 10)", micros, "p99 ≤ 2,000 µs");
        std::printf("%-52s %zu hits for %zu queries\n", "", hits, queries.size());
    }
    {
        std::vector<std::string> ids;
        SQLite::Statement q(
            store.db(), "SELECT id FROM attendees WHERE days = '' OR days LIKE '%2022-09-28%' LIMIT 1000");
        while (q.executeStep())
            ids.push_back(q.getColumn(0).getString());
        std::vector<double> micros;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto start = Clock::now();
            check_in(store, ids[i], kSept28At0912 + std::int64_t(i) * 1000);
            micros.push_back(seconds_since(start) * 1e6);
        }
        report_latency("check-in, code → verdict, durable commit (FULL)", micros, "p99 ≤ 5,000 µs");
    }
}

static const accueil::bench::Register kRegistered{"store", bench_store};
