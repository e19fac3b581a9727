#include "badge/event_keys.hpp"
#include "commands.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void add_keys_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("keys", "Badge-signing keys of the event (Ed25519)");
    cmd->require_subcommand(1);

    auto* init = cmd->add_subcommand("init", "Create a key pair: the private key in an owner-only file, the "
                                             "public key in the event data (kiosks receive it)");
    auto db = std::make_shared<std::string>();
    auto key = std::make_shared<std::string>();
    auto label = std::make_shared<std::string>();
    init->add_option("--db", *db, "Database file")->required();
    init->add_option("--key", *key, "Private key file to create (default: <db>.key)");
    init->add_option("--label", *label, "A note for people, e.g. the year or the machine");
    init->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            const std::string path = key->empty() ? default_key_path(*db) : *key;
            const auto k = init_event_key(store, path, *label);
            std::cout << "created key " << to_hex(k.public_key()).substr(0, 4) << " for \""
                      << store.event().name << "\"\n  private key: " << path
                      << " (mode 600: keep it on this machine, back it up)\n"
                      << "  public key:  " << to_hex(k.public_key())
                      << " (in the event data; kiosks get it)\n";
            return 0;
        };
    });

    auto* list = cmd->add_subcommand("list", "List the event's public keys");
    auto list_db = std::make_shared<std::string>();
    list->add_option("--db", *list_db, "Database file")->required();
    list->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*list_db);
            const auto keys = load_event_keys(store.db());
            if (keys.empty()) {
                std::cout << "no badge key yet: run `accueil keys init --db " << *list_db << "`\n";
                return 1;
            }
            for (const auto& k : keys)
                std::cout << to_hex(k.public_key) << (k.label.empty() ? "" : "  " + k.label) << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
