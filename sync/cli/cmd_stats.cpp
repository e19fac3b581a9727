#include "commands.hpp"
#include "figures.hpp"
#include "i18n/catalogue.hpp"
#include "projection.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

namespace {
// "60.0%" in English, "60,0 %" in French.
std::string percent(double rate) {
    return tr("cli.stats.percent", {{"n", decimal_text(rate * 100.0, 1)}});
}

std::string role_text(const std::string& role) {
    if (role == "kiosk")
        return tr("cli.db.role_kiosk");
    if (role == "desk")
        return tr("cli.db.role_desk");
    if (role == "central")
        return tr("cli.stats.role_central");
    return tr("cli.stats.role_none");
}

std::string n(std::int64_t v) {
    return std::to_string(v);
}
} // namespace

// The organisers' figures in a terminal (shared/figures.hpp has the definitions).
void print_stats_text(std::ostream& out, const Figures& f) {
    const DayFigures* today = f.selected_day();
    out << tr("cli.stats.headline", {{"event", f.event_name},
                                     {"registered", n(f.attendees)},
                                     {"arrived", n(today ? today->arrived : 0)},
                                     {"day", f.day}})
        << "\n"
        << tr("cli.stats.by_day") << "\n";
    for (const auto& d : f.days) {
        out << "  "
            << tr("cli.stats.day", {{"day", d.label.empty() ? d.date : d.date + " (" + d.label + ")"},
                                    {"arrived", n(d.arrived)},
                                    {"registered", n(d.registered)}});
        if (d.no_show_rate)
            out << tr("cli.stats.no_shows", {{"rate", percent(*d.no_show_rate)}});
        if (d.busiest)
            out << tr("cli.stats.busiest",
                      {{"time", d.busiest->label}, {"arrivals", n(d.busiest->arrivals)}});
        out << "\n";
    }
    out << tr("cli.stats.totals", {{"walk_ins", n(f.walk_ins)},
                                   {"reprints", n(f.reprints)},
                                   {"duplicates", n(f.duplicates)},
                                   {"undos", n(f.undos)}})
        << "\n";
    // Per category: the registrations (anyone in the roster, whatever their days), then the chosen day's
    // arrivals among those registered for it (issue 12: the lines said neither).
    if (!f.categories.empty())
        out << tr("cli.stats.by_category", {{"day", f.day}}) << "\n";
    for (const auto& c : f.categories) {
        out << "  "
            << tr("cli.stats.category",
                  {{"category", c.category.empty() ? tr("cli.stats.no_category") : c.category},
                   {"registered", n(c.registered)}});
        for (const auto& d : c.days)
            if (d.date == f.day)
                out << tr("cli.stats.category_day",
                          {{"arrived", n(d.arrived)}, {"registered", n(d.registered)}, {"day", d.date}});
        out << "\n";
    }
    if (!f.devices.empty())
        out << tr("cli.stats.by_device") << "\n";
    for (const auto& d : f.devices) {
        out << "  "
            << tr("cli.stats.device", {{"device", d.name.empty() ? tr("cli.stats.unnamed")
                                                                 : tr("cli.quoted", {{"text", d.name}})},
                                       {"role", role_text(d.role)},
                                       {"on_day", n(d.arrivals_on_day)},
                                       {"day", f.day},
                                       {"total", n(d.arrivals_total)}});
        if (d.revoked)
            out << tr("cli.stats.revoked");
        else if (d.offline)
            out << tr("cli.stats.offline", {{"since", local_day(*d.offline_since_ms, f.timezone) + " " +
                                                          local_hh_mm(*d.offline_since_ms, f.timezone)}});
        if (d.pending > 0)
            out << tr("cli.stats.pending", {{"count", n(d.pending)}});
        out << "\n";
    }
}

void add_stats_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("stats", tr("cli.stats.help"));
    auto db = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto at = std::make_shared<std::string>();
    auto day = std::make_shared<std::string>();
    cmd->add_option("--db", *db, tr("cli.opt.db_whole_event"))->required();
    cmd->add_flag("--json", *json, tr("cli.stats.opt_json"));
    cmd->add_option("--at", *at, tr("cli.stats.opt_at"));
    cmd->add_option("--day", *day, tr("cli.stats.opt_day"));
    cmd->callback([=, &run] {
        run = [=] {
            Store store = open_store(*db);
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
    auto* cmd = app.add_subcommand("rebuild", tr("cli.rebuild.help"));
    auto db = std::make_shared<std::string>();
    cmd->add_option("--db", *db, tr("cli.rebuild.opt_db"))->required();
    cmd->callback([=, &run] {
        run = [=] {
            Store store = open_store(*db);
            rebuild_projections(store.db());
            std::cout << tr("cli.rebuild.done", {{"path", *db}}) << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
