// `accueil export`: the attendance list — who arrived when and where — as CSV (issue 11).
#include "commands.hpp"
#include "output_file.hpp"
#include "report/attendance.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void add_export_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("export", "Attendance list as CSV: who arrived, which day, when, where");
    auto db = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto day = std::make_shared<std::string>();
    auto excel_fr = std::make_shared<bool>(false);
    auto lang = std::make_shared<std::string>("fr");
    cmd->add_option("--db", *db, "Database file (the central store gives the whole event)")->required();
    cmd->add_option("--out", *out, "The CSV file to write, e.g. presences.csv")->required();
    cmd->add_option("--day", *day, "Only this event day (YYYY-MM-DD)");
    cmd->add_flag("--excel-fr", *excel_fr, "For Excel in French: UTF-8 with BOM and ';'");
    cmd->add_option("--lang", *lang, "Language of the column names: fr (default) or en")
        ->check(CLI::IsMember({"fr", "en"}));
    cmd->callback([=, &run] {
        run = [=] {
            require_parent_directory(*out);
            Store store = Store::open(*db);
            const auto csv = report::attendance_csv(store, *day, report::csv_style(*excel_fr),
                                                    report::parse_lang(*lang).value_or(report::Lang::Fr));
            write_file_atomically(*out, csv.text);
            std::cout << "wrote " << *out << " (" << csv.rows << " arrivals)\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
