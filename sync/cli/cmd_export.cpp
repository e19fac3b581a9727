// `accueil export`: the attendance list — who arrived when and where — as CSV (issue 11).
#include "commands.hpp"
#include "i18n/catalogue.hpp"
#include "output_file.hpp"
#include "report/attendance.hpp"
#include "store.hpp"
#include "store_snapshot.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

void add_export_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("export", tr("cli.export.help"));
    auto db = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto day = std::make_shared<std::string>();
    auto excel_fr = std::make_shared<bool>(false);
    auto lang = std::make_shared<std::string>("fr");
    auto store = std::make_shared<std::string>();
    auto* db_opt = cmd->add_option("--db", *db, tr("cli.opt.db_whole_event"));
    cmd->add_option("--store", *store, tr("cli.opt.store"))->excludes(db_opt);
    cmd->add_option("--out", *out, tr("cli.export.opt_out"))->required();
    cmd->add_option("--day", *day, tr("cli.export.opt_day"));
    cmd->add_flag("--excel-fr", *excel_fr, tr("cli.export.opt_excel_fr"));
    cmd->add_option("--lang", *lang, tr("cli.export.opt_lang"))->check(CLI::IsMember({"fr", "en"}));
    cmd->callback([=, &run] {
        if (db->empty() && store->empty()) // said as for any missing option: --db is the usual one
            throw CLI::RequiredError("--db");
        run = [=] {
            require_parent_directory(*out);
            auto source = ReadStore::open(*db, *store);
            Store& event = source.store();
            const auto csv = report::attendance_csv(event, *day, report::csv_style(*excel_fr),
                                                    report::parse_lang(*lang).value_or(report::Lang::Fr));
            write_file_atomically(*out, csv.text);
            std::cout << tr("cli.export.wrote", {{"path", *out}, {"arrivals", std::to_string(csv.rows)}})
                      << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
