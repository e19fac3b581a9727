#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/badge_sheet.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "desk.hpp"
#include "errors.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void add_reprint_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("reprint", "Issue a new badge: the previous ones are refused from now on");
    auto db = std::make_shared<std::string>();
    auto who = std::make_shared<std::string>();
    auto png = std::make_shared<std::string>();
    auto layout = std::make_shared<std::string>("a6");
    auto key = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_option("attendee", *who, "Attendee id or ticket code")->required();
    cmd->add_option("--png", *png, "Badge picture to write (default: badge-<id>-v<version>.png)");
    cmd->add_option("--layout", *layout, "Badge format: a4-8, a6 or label-62mm")->capture_default_str();
    cmd->add_option("--key", *key, "Private key file (default: <db>.key)");
    cmd->callback([=, &run] {
        run = [=] {
            const auto chosen = parse_badge_layout(*layout);
            if (!chosen)
                throw InputError("--layout", "unknown layout \"" + *layout + "\" (a4-8, a6 or label-62mm)");
            Store store = Store::open(*db);
            // The key first: a reprint that cannot be signed must not invalidate the current badge.
            const auto signing = load_signing_key(store, key->empty() ? default_key_path(*db) : *key);
            const auto before = find_by_code(store, *who);
            if (!before)
                throw InputError("", "no attendee has the id or ticket code \"" + *who + "\"");
            std::string code;
            const Attendee after = reprint_badge(store, before->id, signing, &code); // the desk's too
            const std::string path =
                png->empty() ? "badge-" + after.id + "-v" + std::to_string(after.badge_version) + ".png"
                             : *png;
            write_badge_png(path, store.event(), {after, code}, *chosen);
            std::cout << "reprinted " << after.full_name() << ": badge version " << after.badge_version
                      << " (version " << before->badge_version << " is now refused)\nwrote " << path << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
