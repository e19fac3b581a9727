// Added to the schema 1 source tree (commit aa1d463) by make-fixtures.sh: that commit's `accueil`
// declares import and demo commands it does not define yet, so it does not link. This file defines
// them with that commit's own library calls only (create_attendee, update_attendee, the Store), so
// the schema 1 fixture is still written by schema 1 code. `import` reads the plain roster.csv beside
// this file (comma-separated, no quotes, days separated by ';'), creating or updating by ticket code.
#include "attendee_ops.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "store.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace accueil::cli {

namespace {
std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, sep))
        out.push_back(cell);
    if (!line.empty() && line.back() == sep)
        out.emplace_back();
    return out;
}
} // namespace

void add_import_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("import", "Import roster.csv (schema 1 fixture helper)");
    auto db = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_option("file", *file, "CSV file")->required();
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            std::ifstream in(*file);
            if (!in)
                throw InputError(*file, "cannot read");
            std::string line;
            std::getline(in, line); // header: Prénom,Nom,E-mail,Organisation,Catégorie,Jours,Code
            int created = 0, updated = 0;
            WriteTransaction tx(store.db());
            while (std::getline(in, line)) {
                const auto f = split(line, ',');
                if (f.size() != 7)
                    throw InputError(*file, "expected 7 fields: " + line);
                Attendee a;
                a.first_name = f[0];
                a.last_name = f[1];
                a.email = f[2];
                a.organisation = f[3];
                a.category = f[4];
                if (!f[5].empty())
                    a.days = split(f[5], ';');
                a.ext_code = f[6];
                a.source = "import";
                if (auto before = find_by_ext_code(store.db(), a.ext_code)) {
                    a.id = before->id;
                    a.badge_version = before->badge_version;
                    updated += update_attendee(store, *before, a) ? 1 : 0;
                } else {
                    create_attendee(store, a);
                    ++created;
                }
            }
            tx.commit();
            std::cout << created << " created, " << updated << " updated\n";
            return 0;
        };
    });
}

void add_demo_roster_command(CLI::App&, Action&) {}
void add_demo_command(CLI::App&, Action&) {}

} // namespace accueil::cli
