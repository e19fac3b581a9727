// `accueil report`: the post-event report for funders (one self-contained HTML page) and its tables as
// CSV (issue 11).
#include "commands.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "output_file.hpp"
#include "report/report_data.hpp"
#include "report/report_html.hpp"
#include "report/report_tables.hpp"
#include "store.hpp"
#include "store_snapshot.hpp"

#include <filesystem>
#include <iostream>

namespace accueil::cli {

using i18n::tr;

void add_report_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("report", tr("cli.report.help"));
    auto db = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto csv_dir = std::make_shared<std::string>();
    auto excel_fr = std::make_shared<bool>(false);
    auto lang = std::make_shared<std::string>("fr");
    auto at = std::make_shared<std::string>();
    auto store = std::make_shared<std::string>();
    auto* db_opt = cmd->add_option("--db", *db, tr("cli.opt.db_whole_event"));
    cmd->add_option("--store", *store, tr("cli.opt.store"))->excludes(db_opt);
    cmd->add_option("--out", *out, tr("cli.report.opt_out"))->required();
    cmd->add_option("--csv", *csv_dir, tr("cli.report.opt_csv"));
    cmd->add_flag("--excel-fr", *excel_fr, tr("cli.report.opt_excel_fr"));
    cmd->add_option("--lang", *lang, tr("cli.report.opt_lang"))->check(CLI::IsMember({"fr", "en"}));
    cmd->add_option("--at", *at, tr("cli.report.opt_at"));
    cmd->callback([=, &run] {
        if (db->empty() && store->empty()) // said as for any missing option: --db is the usual one
            throw CLI::RequiredError("--db");
        run = [=] {
            // Bad destinations are said before anything is computed or written.
            require_parent_directory(*out);
            // The tables' folder may be new ("--csv bilan": made just before writing) when its parent
            // exists; a mistyped deeper path is refused rather than grown into a tree.
            if (!csv_dir->empty() && !std::filesystem::is_directory(*csv_dir))
                require_parent_directory(*csv_dir);
            const auto language = report::parse_lang(*lang).value_or(report::Lang::Fr);
            auto source = ReadStore::open(*db, *store);
            Store& event = source.store();
            const auto data = report::gather_report_data(event, resolve_instant(*at, event.event().timezone));
            // Everything is made in memory first, then written, each file whole or not at all.
            const std::string html = report::render_report_html(data, language);
            if (!csv_dir->empty()) {
                const auto style = report::csv_style(*excel_fr);
                std::error_code exists;
                std::filesystem::create_directory(*csv_dir, exists); // refused above if it cannot be
                require_directory(*csv_dir);
                for (const auto& table :
                     {report::days_table(data, language), report::categories_table(data, language),
                      report::quarter_hours_table(data, language), report::devices_table(data, language)}) {
                    const auto path = (std::filesystem::path(*csv_dir) / table.file).string();
                    write_file_atomically(path, report::table_csv(table, style));
                    std::cout << tr("cli.wrote", {{"path", path}}) << "\n";
                }
            }
            write_file_atomically(*out, html);
            std::cout << tr("cli.report.wrote", {{"path", *out},
                                                 {"days", std::to_string(data.figures.days.size())},
                                                 {"people", std::to_string(data.figures.attendees)}})
                      << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
