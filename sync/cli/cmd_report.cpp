// `accueil report`: the post-event report for funders (one self-contained HTML page) and its tables as
// CSV (issue 11).
#include "commands.hpp"
#include "errors.hpp"
#include "output_file.hpp"
#include "report/report_data.hpp"
#include "report/report_html.hpp"
#include "report/report_tables.hpp"
#include "store.hpp"

#include <filesystem>
#include <iostream>

namespace accueil::cli {

void add_report_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("report", "Post-event report: one HTML page with charts, and CSV tables");
    auto db = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto csv_dir = std::make_shared<std::string>();
    auto excel_fr = std::make_shared<bool>(false);
    auto lang = std::make_shared<std::string>("fr");
    auto at = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file (the central store gives the whole event)")->required();
    cmd->add_option("--out", *out, "The HTML report to write, e.g. bilan.html")->required();
    cmd->add_option("--csv", *csv_dir,
                    "Also write days.csv, categories.csv, quarter_hours.csv and devices.csv in this folder");
    cmd->add_flag("--excel-fr", *excel_fr, "CSV for Excel in French: UTF-8 with BOM, ';' and decimal commas");
    cmd->add_option("--lang", *lang, "Language of the report: fr (default) or en")
        ->check(CLI::IsMember({"fr", "en"}));
    cmd->add_option("--at", *at, "The report as of this time (ISO 8601), default now");
    cmd->callback([=, &run] {
        run = [=] {
            // Bad destinations are said before anything is computed or written.
            require_parent_directory(*out);
            if (!csv_dir->empty())
                require_directory(*csv_dir);
            const auto language = report::parse_lang(*lang).value_or(report::Lang::Fr);
            Store store = Store::open(*db);
            const auto data = report::gather_report_data(store, resolve_instant(*at, store.event().timezone));
            // Everything is made in memory first, then written, each file whole or not at all.
            const std::string html = report::render_report_html(data, language);
            if (!csv_dir->empty()) {
                const auto style = report::csv_style(*excel_fr);
                for (const auto& table :
                     {report::days_table(data, language), report::categories_table(data, language),
                      report::quarter_hours_table(data, language), report::devices_table(data, language)}) {
                    const auto path = (std::filesystem::path(*csv_dir) / table.file).string();
                    write_file_atomically(path, report::table_csv(table, style));
                    std::cout << "wrote " << path << "\n";
                }
            }
            write_file_atomically(*out, html);
            std::cout << "wrote " << *out << " (" << data.figures.days.size() << " days, "
                      << data.figures.attendees << " attendees)\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
