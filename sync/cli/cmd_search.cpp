#include "commands.hpp"
#include "i18n/catalogue.hpp"
#include "search.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

// One attendee per line, tab-separated for scripts: id, name, organisation, category, e-mail.
void print_attendee_line(std::ostream& out, const Attendee& a) {
    out << a.id << '\t' << a.full_name() << '\t' << a.organisation << '\t' << a.category << '\t' << a.email
        << '\n';
}

void add_search_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("search", tr("cli.search.help"));
    auto db = std::make_shared<std::string>();
    auto text = std::make_shared<std::vector<std::string>>();
    auto limit = std::make_shared<int>(20);
    cmd->add_option("--db", *db, tr("cli.opt.db"))->required();
    cmd->add_option(tr("cli.search.arg_text"), *text, tr("cli.search.opt_text"))->required();
    cmd->add_option("--limit", *limit, tr("cli.search.opt_limit"))->capture_default_str();
    cmd->callback([=, &run] {
        run = [=] {
            Store store = open_store(*db);
            std::string query;
            for (const auto& t : *text)
                query += (query.empty() ? "" : " ") + t;
            const auto hits = search_attendees(store.db(), query, *limit);
            for (const auto& a : hits)
                print_attendee_line(std::cout, a);
            // Nothing on standard output for scripts; the person at the terminal is told on stderr.
            if (hits.empty())
                std::cerr << tr("cli.search.none", {{"text", query}}) << "\n";
            return hits.empty() ? 1 : 0;
        };
    });
}

} // namespace accueil::cli
