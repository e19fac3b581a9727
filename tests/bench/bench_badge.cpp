// Badge figures: verifying one signed code, a printable sheet of 1,700 badges, the QR symbol size.
#include "bench_util.hpp"

#include "badge/badge_code.hpp"
#include "badge/badge_sheet.hpp"
#include "badge/event_keys.hpp"
#include "badge/qr_render.hpp"
#include "demo_roster.hpp"
#include "import/roster_import.hpp"
#include "store.hpp"

#include <filesystem>
#include <sstream>

using namespace accueil;
using namespace accueil::bench;

void bench_badge() {
    const auto dir = std::filesystem::temp_directory_path() / "accueil-bench-badge";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    Store store = Store::create((dir / "event.db").string(),
                                EventSpec{"Numérique en Commun[s]",
                                          "Europe/Paris",
                                          {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}}});
    std::ostringstream csv;
    write_demo_roster_csv(csv, DemoRosterOptions{1700, 2022, store.event().dates()});
    import_roster_bytes(store, csv.str(), "roster.csv", {});
    const SigningKey key = init_event_key(store, (dir / "event.key").string(), "bench");
    const auto keys = load_event_keys(store.db());

    std::vector<BadgeToPrint> badges;
    SQLite::Statement q(store.db(), "SELECT " ACCUEIL_ATTENDEE_COLUMNS " FROM attendees ORDER BY num");
    while (q.executeStep()) {
        Attendee a = attendee_from_row(q);
        badges.push_back({a, badge_code_for(a, store.event(), key)});
    }

    std::vector<double> micros;
    std::size_t valid = 0;
    for (int round = 0; round < 6; ++round)
        for (const auto& b : badges) {
            const auto start = Clock::now();
            valid += verify_badge_code(b.code, store.event().uid, keys) ? 1 : 0;
            micros.push_back(seconds_since(start) * 1e6);
        }
    // No budget of its own any more (the verdict budget, code → verdict ≤ 5 ms, includes it).
    report_latency("verify one signed badge code (Ed25519)", micros, "none: part of code → verdict");
    std::printf("%-52s %zu of %zu valid\n", "", valid, micros.size());

    const QrSymbol qr = encode_qr(badges.front().code);
    std::printf("%-52s %zu characters, QR version %d (%d×%d modules, level M)\n", "typical badge code",
                badges.front().code.size(), qr.version, qr.width, qr.width);

    const auto start = Clock::now();
    const auto placements =
        write_badge_sheet((dir / "badges.pdf").string(), store.event(), badges, BadgeLayout::A4x8);
    const double s = seconds_since(start);
    std::printf("%-52s %9.2f s      (%zu badges, %d pages, %.0f KiB, module %.2f mm; budget ≤ 3 s)\n",
                "badge sheet PDF, A4 × 8", s, placements.size(), placements.back().page + 1,
                double(std::filesystem::file_size(dir / "badges.pdf")) / 1024.0,
                placements.front().module_mm);
    budget("badge sheet PDF, 1,700 badges", s, "s", std::to_string(placements.size()) + " badges", "≤ 3 s",
           s <= 3);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

static const accueil::bench::Register kRegistered{"badge", bench_badge};
