#include "commands.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

void add_init_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("init", tr("cli.init.help"));
    auto db = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto days = std::make_shared<std::string>();
    auto tz = std::make_shared<std::string>("Europe/Paris");
    cmd->add_option("--db", *db, tr("cli.init.opt_db"))->required();
    cmd->add_option("--name", *name, tr("cli.init.opt_name"))->required();
    cmd->add_option("--days", *days, tr("cli.init.opt_days"))->required();
    cmd->add_option("--tz", *tz, tr("cli.init.opt_tz"))->capture_default_str();
    cmd->callback([=, &run] {
        run = [=] {
            EventSpec spec{*name, *tz, parse_day_list(*days)};
            Store store = Store::create(*db, spec);
            std::cout << tr("cli.init.done", {{"path", *db},
                                              {"name", spec.name},
                                              {"days", std::to_string(spec.days.size())},
                                              {"timezone", spec.timezone}})
                      << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
