#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "badge/qr_render.hpp"
#include "checkin.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

void add_badge_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("badge", tr("cli.badge.help"));
    auto db = std::make_shared<std::string>();
    auto what = std::make_shared<std::string>();
    auto png = std::make_shared<std::string>();
    auto svg = std::make_shared<std::string>();
    auto key = std::make_shared<std::string>();
    cmd->add_option("--db", *db, tr("cli.opt.db"))->required();
    cmd->add_option("code", *what, tr("cli.badge.opt_code"))->required();
    cmd->add_option("--png", *png, tr("cli.badge.opt_png"));
    cmd->add_option("--svg", *svg, tr("cli.badge.opt_svg"));
    cmd->add_option("--key", *key, tr("cli.opt.key"));
    cmd->callback([=, &run] {
        run = [=] {
            Store store = open_store(*db);
            std::string code;
            if (looks_like_badge_code(*what)) {
                // An existing code: checked, so a mistyped one is not printed as if it were valid.
                const auto check = verify_badge_code(*what, store.event().uid, load_event_keys(store.db()));
                if (!check)
                    throw InputError("", tr("cli.badge.not_valid", {{"why", badge_error_text(check.error)}}));
                code = *what;
                const auto a = load_attendee(store.db(), badge_attendee_id(*check.payload));
                const std::string version = std::to_string(check.payload->badge_version);
                std::cout << (a && !a->full_name().empty()
                                  ? tr("cli.badge.of_person",
                                       {{"name", a->full_name()}, {"version", version}})
                                  : tr("cli.badge.of_id",
                                       {{"id", badge_attendee_id(*check.payload)}, {"version", version}}))
                          << "\n";
            } else {
                // Signing is the event's: a kiosk's copy of the roster must not hand out badges.
                require_event_store(store, *db);
                const auto a = find_by_code(store, *what);
                if (!a)
                    throw InputError("", tr("cli.no_such_person", {{"code", *what}}));
                const auto signing = load_signing_key(store, key->empty() ? default_key_path(*db) : *key);
                code = badge_code_for(*a, store.event(), signing);
                std::cout << tr("cli.badge.of_person",
                                {{"name", a->full_name()}, {"version", std::to_string(a->badge_version)}})
                          << "\n";
            }
            const auto qr = encode_qr(code);
            std::cout << code << "\n"
                      << tr("cli.badge.qr",
                            {{"version", std::to_string(qr.version)}, {"modules", std::to_string(qr.width)}})
                      << "\n";
            if (!png->empty()) {
                write_qr_png(qr, *png);
                std::cout << tr("cli.wrote", {{"path", *png}}) << "\n";
            }
            if (!svg->empty()) {
                write_qr_svg(qr, *svg);
                std::cout << tr("cli.wrote", {{"path", *svg}}) << "\n";
            }
            return 0;
        };
    });
}

} // namespace accueil::cli
