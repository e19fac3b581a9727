#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/badge_sheet.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "desk.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

void add_reprint_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("reprint", tr("cli.reprint.help"));
    auto db = std::make_shared<std::string>();
    auto who = std::make_shared<std::string>();
    auto png = std::make_shared<std::string>();
    auto layout = std::make_shared<std::string>("a6");
    auto key = std::make_shared<std::string>();
    cmd->add_option("--db", *db, tr("cli.opt.db"))->required();
    cmd->add_option(tr("cli.reprint.arg_attendee"), *who, tr("cli.reprint.opt_attendee"))->required();
    cmd->add_option("--png", *png, tr("cli.reprint.opt_png"));
    cmd->add_option("--layout", *layout, tr("cli.reprint.opt_layout"))->capture_default_str();
    cmd->add_option("--key", *key, tr("cli.opt.key"));
    cmd->callback([=, &run] {
        run = [=] {
            const auto chosen = parse_badge_layout(*layout);
            if (!chosen)
                throw InputError("--layout", tr("cli.badges.bad_layout", {{"layout", *layout}}));
            Store store = open_event_store(*db);
            // The key first: a reprint that cannot be signed must not invalidate the current badge.
            const auto signing = load_signing_key(store, key->empty() ? default_key_path(*db) : *key);
            const auto before = find_by_code(store, *who);
            if (!before)
                throw InputError("", tr("cli.no_such_person", {{"code", *who}}));
            std::string code;
            const Attendee after = reprint_badge(store, before->id, signing, &code); // the desk's too
            const std::string path =
                png->empty() ? "badge-" + after.id + "-v" + std::to_string(after.badge_version) + ".png"
                             : *png;
            write_badge_png(path, store.event(), {after, code}, *chosen);
            std::cout << tr("cli.reprint.done", {{"name", after.full_name()},
                                                 {"version", std::to_string(after.badge_version)},
                                                 {"old", std::to_string(before->badge_version)}})
                      << "\n"
                      << tr("cli.wrote", {{"path", path}}) << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
