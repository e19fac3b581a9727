// `accueil demo`: the main job on the embedded default. A demo event, a generated roster imported
// (twice, to show it is idempotent), searches as volunteers type them, check-ins with every verdict,
// an undo, and the arrival counts.
#include "checkin.hpp"
#include "commands.hpp"
#include "demo_roster.hpp"
#include "errors.hpp"
#include "figures.hpp"
#include "import/roster_import.hpp"
#include "search.hpp"
#include "store.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace accueil::cli {

void print_import_summary(std::ostream& out, const ImportSummary& s, bool dry_run); // cmd_import.cpp
void print_stats_text(std::ostream& out, const Figures& f);                         // cmd_stats.cpp

namespace {
const std::vector<EventDay> kDemoDays = {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}};

// Removes a previous demo database, but never a real event's.
void remove_previous_demo(const std::string& path) {
    if (!std::filesystem::exists(path))
        return;
    {
        Store old = Store::open(path);
        if (old.meta("demo") != "1")
            throw InputError("--db", path + " holds a real event, not a demo; choose another file");
    }
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
}

std::string first_registered_for(Store& store, const std::string& day, bool only_that_day, int skip) {
    SQLite::Statement q(
        store.db(), only_that_day ? "SELECT id FROM attendees WHERE days = ? ORDER BY num LIMIT 1 OFFSET ?"
                                  : "SELECT id FROM attendees WHERE (days = '' OR instr(days, ?) > 0) "
                                    "ORDER BY num LIMIT 1 OFFSET ?");
    q.bind(1, day);
    q.bind(2, skip);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}
} // namespace

void add_demo_command(CLI::App& app, Action& run) {
    auto* cmd =
        app.add_subcommand("demo", "Run the demo: event, generated roster, searches, check-ins, stats");
    auto db = std::make_shared<std::string>("accueil-demo.db");
    auto count = std::make_shared<std::size_t>(1700);
    cmd->add_option("--db", *db, "Demo database file (replaced if it is a previous demo)")
        ->capture_default_str();
    cmd->add_option("--count", *count, "Attendees in the generated roster")->capture_default_str();
    cmd->callback([=, &run] {
        run = [=] {
            remove_previous_demo(*db);
            Store store =
                Store::create(*db, EventSpec{"Numérique en Commun[s] — démo", "Europe/Paris", kDemoDays});
            {
                WriteTransaction tx(store.db());
                store.set_meta("demo", "1");
                store.set_meta("kiosk_name", "Accueil 1");
                tx.commit();
            }
            const auto& tz = store.event().timezone;
            std::cout << "== Event: " << store.event().name << " (" << *db << ")\n";

            const std::string roster = *db + ".roster.csv";
            {
                std::ofstream out(roster, std::ios::binary);
                write_demo_roster_csv(out, DemoRosterOptions{*count, 2022, store.event().dates()});
            }
            std::cout << "\n== Import " << roster << "\n";
            print_import_summary(std::cout, import_roster_file(store, roster, {}), false);
            std::cout << "== Import the same file again (idempotent)\n";
            print_import_summary(std::cout, import_roster_file(store, roster, {}), false);

            std::cout << "\n== Search, as a volunteer types\n";
            for (const char* q : {"eglantine", "jean noel", "ndiaye", "oeuvray", "celik", "mairie lyon"}) {
                const auto hits = search_attendees(store.db(), q, 3);
                std::cout << "  \"" << q << "\":";
                if (hits.empty())
                    std::cout << " (no match)";
                for (const auto& a : hits)
                    std::cout << "  " << a.full_name()
                              << (a.organisation.empty() ? "" : " — " + a.organisation) << ";";
                std::cout << "\n";
            }

            std::cout << "\n== Check-ins on Wednesday 28 September 2022\n";
            const std::int64_t t0 = *parse_instant("2022-09-28T09:12", tz);
            auto show = [&](const std::string& label, const std::string& code, std::int64_t at) {
                const auto r = check_in(store, code, at);
                std::cout << "  " << local_hh_mm(at, tz) << "  " << label << " → " << describe(r, tz) << "\n";
            };
            const std::string a = first_registered_for(store, "2022-09-28", false, 0);
            const std::string b = first_registered_for(store, "2022-09-28", false, 1);
            const std::string off = first_registered_for(store, "2022-09-27", true, 0);
            show("badge " + a, a, t0);
            show("badge " + b, b, t0 + 40'000);
            show("badge " + a + " again", a, t0 + 95'000);
            if (!off.empty())
                show("badge " + off + " (OFF day only)", off, t0 + 120'000);
            show("code ZZ-NOT-A-TICKET", "ZZ-NOT-A-TICKET", t0 + 150'000);
            const int undone = undo_checkins(store, b, "2022-09-28");
            std::cout << "  undo of " << b << ": " << undone << " check-in cancelled\n";
            show("badge " + b + " again after the undo", b, t0 + 200'000);

            std::cout << "\n== Arrival counts\n";
            FiguresOptions at;
            at.now_ms = t0 + 300'000;
            print_stats_text(std::cout, compute_figures(store, at));
            return 0;
        };
    });
}

void add_demo_roster_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("demo-roster",
                                   "Write a realistic synthetic roster (CSV) for demos and benchmarks");
    auto out = std::make_shared<std::string>("-");
    auto count = std::make_shared<std::size_t>(1700);
    auto seed = std::make_shared<std::uint64_t>(2022);
    auto days = std::make_shared<std::string>("2022-09-27,2022-09-28,2022-09-29");
    cmd->add_option("--out", *out, "Output file, - for standard output")->capture_default_str();
    cmd->add_option("--count", *count, "Number of attendees")->capture_default_str();
    cmd->add_option("--seed", *seed, "Random seed (same seed, same roster)")->capture_default_str();
    cmd->add_option("--days", *days, "Event days; the first is the OFF day")->capture_default_str();
    cmd->callback([=, &run] {
        run = [=] {
            std::vector<std::string> dates;
            for (const auto& d : parse_day_list(*days))
                dates.push_back(d.date);
            const DemoRosterOptions options{*count, *seed, dates};
            if (*out == "-") {
                write_demo_roster_csv(std::cout, options);
            } else {
                std::ofstream file(*out, std::ios::binary);
                if (!file)
                    throw InputError("--out", "cannot write " + *out);
                write_demo_roster_csv(file, options);
            }
            return 0;
        };
    });
}

} // namespace accueil::cli
