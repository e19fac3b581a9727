// `accueil demo`: the main job on the embedded default. A demo event, a generated roster imported
// (twice, to show it is idempotent), searches as volunteers type them, check-ins with every verdict,
// an undo, and the arrival counts.
#include "checkin.hpp"
#include "commands.hpp"
#include "demo_roster.hpp"
#include "errors.hpp"
#include "figures.hpp"
#include "i18n/catalogue.hpp"
#include "import/roster_import.hpp"
#include "search.hpp"
#include "store.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace accueil::cli {

using i18n::tr;

void print_import_summary(std::ostream& out, const ImportSummary& s, bool dry_run); // cmd_import.cpp
void print_stats_text(std::ostream& out, const Figures& f);                         // cmd_stats.cpp

namespace {
// "-3" would otherwise wrap round to billions of people (an unsigned count), and the roster import
// refuses more than 200,000 rows anyway.
constexpr std::size_t kMaxGeneratedPeople = 200'000;

const std::vector<EventDay> kDemoDays = {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}};

// Removes a previous demo database, but never a real event's.
void remove_previous_demo(const std::string& path) {
    if (!std::filesystem::exists(path))
        return;
    {
        Store old = Store::open(path);
        if (old.meta("demo") != "1")
            throw InputError("--db", tr("cli.demo.real_event", {{"path", path}}));
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
// The person a demo line is about, named as a volunteer would say it.
std::string name_of(Store& store, const std::string& id) {
    const auto a = load_attendee(store.db(), id);
    return a ? a->full_name() : id;
}
} // namespace

void add_demo_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("demo", tr("cli.demo.help"));
    auto db = std::make_shared<std::string>("accueil-demo.db");
    auto count = std::make_shared<std::size_t>(1700);
    cmd->add_option("--db", *db, tr("cli.demo.opt_db"))->capture_default_str();
    cmd->add_option("--count", *count, tr("cli.demo.opt_count"))
        ->check(CLI::Range(std::size_t(1), kMaxGeneratedPeople))
        ->capture_default_str();
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
            std::cout << tr("cli.demo.event", {{"name", store.event().name}, {"path", *db}}) << "\n";

            const std::string roster = *db + ".roster.csv";
            {
                std::ofstream out(roster, std::ios::binary);
                write_demo_roster_csv(out, DemoRosterOptions{*count, 2022, store.event().dates()});
            }
            std::cout << "\n" << tr("cli.demo.import", {{"path", roster}}) << "\n";
            print_import_summary(std::cout, import_roster_file(store, roster, {}), false);
            std::cout << tr("cli.demo.import_again") << "\n";
            print_import_summary(std::cout, import_roster_file(store, roster, {}), false);

            std::cout << "\n" << tr("cli.demo.search") << "\n";
            for (const char* q : {"eglantine", "jean noel", "ndiaye", "oeuvray", "celik", "mairie lyon"}) {
                const auto hits = search_attendees(store.db(), q, 3);
                std::cout << "  " << tr("cli.quoted", {{"text", q}}) << ":";
                if (hits.empty())
                    std::cout << " " << tr("cli.demo.no_match");
                for (const auto& a : hits)
                    std::cout << "  " << a.full_name()
                              << (a.organisation.empty() ? "" : " — " + a.organisation) << ";";
                std::cout << "\n";
            }

            std::cout << "\n" << tr("cli.demo.checkins") << "\n";
            const std::int64_t t0 = *parse_instant("2022-09-28T09:12", tz);
            auto show = [&](const std::string& label, const std::string& code, std::int64_t at) {
                const auto r = check_in(store, code, at);
                std::cout << "  " << local_hh_mm(at, tz) << "  " << label << " → " << describe(r, tz) << "\n";
            };
            const std::string a = first_registered_for(store, "2022-09-28", false, 0);
            const std::string b = first_registered_for(store, "2022-09-28", false, 1);
            const std::string off = first_registered_for(store, "2022-09-27", true, 0);
            show(tr("cli.demo.badge_of", {{"name", name_of(store, a)}}), a, t0);
            show(tr("cli.demo.badge_of", {{"name", name_of(store, b)}}), b, t0 + 40'000);
            show(tr("cli.demo.badge_again", {{"name", name_of(store, a)}}), a, t0 + 95'000);
            if (!off.empty())
                show(tr("cli.demo.badge_off_day", {{"name", name_of(store, off)}}), off, t0 + 120'000);
            show(tr("cli.demo.unknown_code", {{"code", "ZZ-NOT-A-TICKET"}}), "ZZ-NOT-A-TICKET", t0 + 150'000);
            const int undone = undo_checkins(store, b, "2022-09-28");
            std::cout << "  "
                      << tr("cli.demo.undo", {{"name", name_of(store, b)}, {"count", std::to_string(undone)}})
                      << "\n";
            show(tr("cli.demo.badge_after_undo", {{"name", name_of(store, b)}}), b, t0 + 200'000);

            std::cout << "\n" << tr("cli.demo.counts") << "\n";
            FiguresOptions at;
            at.now_ms = t0 + 300'000;
            print_stats_text(std::cout, compute_figures(store, at));
            return 0;
        };
    });
}

void add_demo_roster_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("demo-roster", tr("cli.demo_roster.help"));
    auto out = std::make_shared<std::string>("-");
    auto count = std::make_shared<std::size_t>(1700);
    auto seed = std::make_shared<std::uint64_t>(2022);
    auto days = std::make_shared<std::string>("2022-09-27,2022-09-28,2022-09-29");
    cmd->add_option("--out", *out, tr("cli.demo_roster.opt_out"))->capture_default_str();
    cmd->add_option("--count", *count, tr("cli.demo_roster.opt_count"))
        ->check(CLI::Range(std::size_t(1), kMaxGeneratedPeople))
        ->capture_default_str();
    cmd->add_option("--seed", *seed, tr("cli.demo_roster.opt_seed"))->capture_default_str();
    cmd->add_option("--days", *days, tr("cli.demo_roster.opt_days"))->capture_default_str();
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
                    throw InputError("--out", tr("cli.demo_roster.cannot_write", {{"path", *out}}));
                write_demo_roster_csv(file, options);
            }
            return 0;
        };
    });
}

} // namespace accueil::cli
