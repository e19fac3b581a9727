#include "commands.hpp"
#include "i18n/catalogue.hpp"
#include "import/roster_import.hpp"
#include "import/text_encoding.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

void print_import_summary(std::ostream& out, const ImportSummary& s, bool dry_run) {
    out << describe_import(s, dry_run);
}

void add_import_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("import", tr("import.help.command"));
    auto db = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    auto options = std::make_shared<ImportOptions>();
    auto encoding = std::make_shared<std::string>("auto");
    cmd->add_option("--db", *db, tr("import.help.db"))->required();
    cmd->add_option("file", *file, tr("import.help.file"))->required();
    cmd->add_option("--encoding", *encoding, tr("import.help.encoding"))
        ->check(CLI::Validator(
            [](std::string& value) {
                return parse_text_encoding(value) ? std::string() : tr("import.help.encoding_values");
            },
            "auto|utf-8|cp1252"))
        ->capture_default_str();
    cmd->add_flag("--dry-run", options->dry_run, tr("import.help.dry_run"));
    cmd->add_option("--map", options->mappings, tr("import.help.map"));
    cmd->add_flag("--all-days", options->all_days, tr("import.help.all_days"));
    cmd->callback([=, &run] {
        options->encoding = *parse_text_encoding(*encoding);
        run = [=] {
            // A kiosk's copy must not take a roster: it comes from the event database
            // (sync/cli/open_store.cpp).
            Store store = open_event_store(*db);
            const auto summary = import_roster_file(store, *file, *options);
            print_import_summary(std::cout, summary, options->dry_run);
            return 0;
        };
    });
}

} // namespace accueil::cli
