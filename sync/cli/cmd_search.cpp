#include "commands.hpp"
#include "search.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void print_attendee_line(std::ostream& out, const Attendee& a) {
    out << a.id << '\t' << a.full_name() << '\t' << a.organisation << '\t' << a.category << '\t' << a.email
        << '\n';
}

void add_search_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand(
        "search", "Find attendees by name, organisation or e-mail (one per line, best first)");
    auto db = std::make_shared<std::string>();
    auto text = std::make_shared<std::vector<std::string>>();
    auto limit = std::make_shared<int>(20);
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_option("text", *text, "What to look for, e.g. \"jean noel\"")->required();
    cmd->add_option("--limit", *limit, "Most matches to print")->capture_default_str();
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            std::string query;
            for (const auto& t : *text)
                query += (query.empty() ? "" : " ") + t;
            const auto hits = search_attendees(store.db(), query, *limit);
            for (const auto& a : hits)
                print_attendee_line(std::cout, a);
            return hits.empty() ? 1 : 0;
        };
    });
}

} // namespace accueil::cli
