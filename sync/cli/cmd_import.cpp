#include "commands.hpp"
#include "import/roster_import.hpp"
#include "import/text_encoding.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void print_import_summary(std::ostream& out, const ImportSummary& s, bool dry_run) {
    out << (dry_run ? "dry run (nothing changed): " : "") << s.created << " created, " << s.updated
        << " updated, " << s.unchanged << " unchanged, " << s.skipped << " skipped"
        << " (" << s.encoding << ", delimiter '"
        << (s.delimiter == '\t' ? std::string("TAB") : std::string(1, s.delimiter)) << "')\n";
    if (!s.ignored_columns.empty()) {
        out << "ignored columns:";
        for (const auto& c : s.ignored_columns)
            out << " \"" << c << "\"";
        out << "\n";
    }
    for (const auto& w : s.warnings)
        out << "warning: " << w << "\n";
}

void add_import_command(CLI::App& app, Action& run) {
    auto* cmd =
        app.add_subcommand("import", "Import or update the roster from a CSV/TSV file (all rows or nothing)");
    auto db = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    auto options = std::make_shared<ImportOptions>();
    auto encoding = std::make_shared<std::string>("auto");
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_option("file", *file, "CSV or TSV file (UTF-8, Windows-1252 or UTF-16 with a BOM; , ; or TAB)")
        ->required();
    cmd->add_option("--encoding", *encoding,
                    "auto: UTF-8, or Windows-1252 when nothing in the file is UTF-8 (a file mixing both is "
                    "refused, naming the lines); utf-8: refuse lines that are not UTF-8; cp1252: read the "
                    "whole file as Windows-1252")
        ->check(CLI::Validator(
            [](std::string& value) {
                return parse_text_encoding(value) ? std::string() : "must be auto, utf-8 or cp1252";
            },
            "auto|utf-8|cp1252"))
        ->capture_default_str();
    cmd->add_flag("--dry-run", options->dry_run, "Report what would happen without changing anything");
    cmd->add_option("--map", options->mappings,
                    "Override a column's meaning: \"column=field\" (first_name, last_name, full_name, email, "
                    "organisation, category, days, code)");
    cmd->callback([=, &run] {
        options->encoding = *parse_text_encoding(*encoding);
        run = [=] {
            Store store = Store::open(*db);
            const auto summary = import_roster_file(store, *file, *options);
            print_import_summary(std::cout, summary, options->dry_run);
            return 0;
        };
    });
}

} // namespace accueil::cli
