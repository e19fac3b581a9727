#include "commands.hpp"
#include "projection.hpp"
#include "stats.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void print_stats_text(std::ostream& out, const nlohmann::json& s) {
    out << s["event"].get<std::string>() << " — " << s["attendees"] << " registered, "
        << s["checked_in_today"] << " checked in today (" << s["today"].get<std::string>() << ")\n";
    for (const auto& [day, n] : s["by_day"].items())
        out << "  " << day << ": " << n << " arrived of " << s["registered_by_day"][day] << " registered\n";
    for (const auto& [cat, n] : s["by_category"].items())
        out << "  " << cat << ": " << n << "\n";
}

void add_stats_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("stats", "Arrival counts");
    auto db = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto at = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->add_option("--at", *at, "Which day counts as today (ISO 8601 time), default now");
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            const auto& tz = store.event().timezone;
            const auto s = compute_stats(store, local_day(resolve_instant(*at, tz), tz));
            if (*json)
                std::cout << s.dump(2) << "\n";
            else
                print_stats_text(std::cout, s);
            return 0;
        };
    });
}

void add_rebuild_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("rebuild", "Rebuild every table from the journal alone");
    auto db = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            rebuild_projections(store.db());
            std::cout << "rebuilt the projections of " << *db << " from its journal\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
