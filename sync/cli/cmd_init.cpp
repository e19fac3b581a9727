#include "commands.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void add_init_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("init", "Create a database for a new event");
    auto db = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto days = std::make_shared<std::string>();
    auto tz = std::make_shared<std::string>("Europe/Paris");
    cmd->add_option("--db", *db, "Database file to create")->required();
    cmd->add_option("--name", *name, "Event name")->required();
    cmd->add_option("--days", *days, "Event days, e.g. 2022-09-27:OFF,2022-09-28,2022-09-29")->required();
    cmd->add_option("--tz", *tz, "Time zone of the event")->capture_default_str();
    cmd->callback([=, &run] {
        run = [=] {
            EventSpec spec{*name, *tz, parse_day_list(*days)};
            Store store = Store::create(*db, spec);
            std::cout << "created " << *db << ": \"" << spec.name << "\", " << spec.days.size() << " day(s), "
                      << spec.timezone << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
