#include "commands.hpp"
#include "figures.hpp"
#include "projection.hpp"
#include "store.hpp"

#include <cstdio>
#include <iostream>

namespace accueil::cli {

namespace {
std::string percent(double rate) {
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%", rate * 100.0);
    return text;
}
} // namespace

// The organisers' figures in a terminal (shared/figures.hpp has the definitions).
void print_stats_text(std::ostream& out, const Figures& f) {
    const DayFigures* today = f.selected_day();
    out << f.event_name << " — " << f.attendees << " registered, " << (today ? today->arrived : 0)
        << " checked in on " << f.day << "\n";
    for (const auto& d : f.days) {
        out << "  " << d.date << (d.label.empty() ? "" : " (" + d.label + ")") << ": " << d.arrived
            << " arrived of " << d.registered << " registered";
        if (d.no_show_rate)
            out << ", no-shows " << percent(*d.no_show_rate);
        if (d.busiest)
            out << ", busiest " << d.busiest->label << " (" << d.busiest->arrivals << ")";
        out << "\n";
    }
    out << "  walk-ins " << f.walk_ins << ", reprints " << f.reprints << ", duplicates " << f.duplicates
        << ", undos " << f.undos << "\n";
    for (const auto& c : f.categories) {
        out << "  " << (c.category.empty() ? "(none)" : c.category) << ": " << c.registered;
        for (const auto& d : c.days)
            if (d.date == f.day)
                out << ", " << d.arrived << " arrived of " << d.registered << " on " << d.date;
        out << "\n";
    }
    for (const auto& d : f.devices) {
        out << "  " << (d.name.empty() ? "(unnamed)" : d.name) << (d.role.empty() ? "" : " [" + d.role + "]")
            << ": " << d.arrivals_on_day << " arrivals on " << f.day << ", " << d.arrivals_total << " in all";
        if (d.revoked)
            out << ", revoked";
        else if (d.offline)
            out << ", OFFLINE since " << local_day(*d.offline_since_ms, f.timezone) << " "
                << local_hh_mm(*d.offline_since_ms, f.timezone);
        if (d.pending > 0)
            out << ", " << d.pending << " pending";
        out << "\n";
    }
}

void add_stats_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("stats", "Arrival figures (registered, arrived, no-shows, devices)");
    auto db = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto at = std::make_shared<std::string>();
    auto day = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_flag("--json", *json, "Print JSON (the live page's /api/figures)");
    cmd->add_option("--at", *at, "Which instant counts as now (ISO 8601 time), default now");
    cmd->add_option("--day", *day, "The day the per-day figures show (YYYY-MM-DD), default today");
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            const auto& tz = store.event().timezone;
            FiguresOptions options;
            options.now_ms = resolve_instant(*at, tz);
            options.day = *day;
            const auto f = compute_figures(store, options);
            if (*json)
                std::cout << to_json(f).dump(2) << "\n";
            else
                print_stats_text(std::cout, f);
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
