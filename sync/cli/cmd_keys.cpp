#include "badge/event_keys.hpp"
#include "commands.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

void add_keys_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("keys", tr("cli.keys.help"));
    cmd->require_subcommand(1);

    auto* init = cmd->add_subcommand("init", tr("cli.keys.init_help"));
    auto db = std::make_shared<std::string>();
    auto key = std::make_shared<std::string>();
    auto label = std::make_shared<std::string>();
    init->add_option("--db", *db, tr("cli.opt.db"))->required();
    init->add_option("--key", *key, tr("cli.keys.opt_key"));
    init->add_option("--label", *label, tr("cli.keys.opt_label"));
    init->callback([=, &run] {
        run = [=] {
            Store store = open_event_store(*db);
            const std::string path = key->empty() ? default_key_path(*db) : *key;
            const auto k = init_event_key(store, path, *label);
            std::cout << tr("cli.keys.created", {{"short", to_hex(k.public_key()).substr(0, 4)},
                                                 {"event", store.event().name},
                                                 {"path", path},
                                                 {"public", to_hex(k.public_key())}})
                      << "\n";
            return 0;
        };
    });

    auto* list = cmd->add_subcommand("list", tr("cli.keys.list_help"));
    auto list_db = std::make_shared<std::string>();
    list->add_option("--db", *list_db, tr("cli.keys.opt_list_db"))->required();
    list->callback([=, &run] {
        run = [=] {
            Store store = open_store(*list_db);
            const auto keys = load_event_keys(store.db());
            if (keys.empty()) {
                // A kiosk or desk receives the event's keys from the organisers' machine; it makes none.
                std::cout << (store.meta("sync.role") ? tr("cli.keys.none_device")
                                                      : tr("cli.keys.none", {{"path", *list_db}}))
                          << "\n";
                return 1;
            }
            for (const auto& k : keys)
                std::cout << to_hex(k.public_key) << (k.label.empty() ? "" : "  " + k.label) << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
