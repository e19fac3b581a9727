#include "checkin.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

using i18n::tr;

void add_checkin_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("checkin", tr("cli.checkin.help"));
    auto db = std::make_shared<std::string>();
    auto code = std::make_shared<std::string>();
    auto at = std::make_shared<std::string>();
    auto kiosk = std::make_shared<std::string>();
    cmd->add_option("--db", *db, tr("cli.opt.db"))->required();
    cmd->add_option("code", *code, tr("cli.opt.code"))->required();
    cmd->add_option("--at", *at, tr("cli.checkin.opt_at"));
    cmd->add_option("--kiosk", *kiosk, tr("cli.checkin.opt_kiosk"));
    cmd->callback([=, &run] {
        run = [=] {
            Store store = open_store(*db);
            const auto when = resolve_instant(*at, store.event().timezone);
            if (!kiosk->empty())
                store.set_kiosk_name(*kiosk);
            const auto r = check_in(store, *code, when);
            std::cout << describe(r, store.event().timezone) << "\n";
            return r.verdict == Verdict::Admitted ? 0 : 1;
        };
    });
}

void add_undo_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("undo", tr("cli.undo.help"));
    auto db = std::make_shared<std::string>();
    auto code = std::make_shared<std::string>();
    auto at = std::make_shared<std::string>();
    cmd->add_option("--db", *db, tr("cli.opt.db"))->required();
    cmd->add_option("code", *code, tr("cli.opt.code"))->required();
    cmd->add_option("--at", *at, tr("cli.undo.opt_at"));
    cmd->callback([=, &run] {
        run = [=] {
            Store store = open_store(*db);
            const auto a = find_by_code(store, *code);
            if (!a)
                throw InputError("", tr("cli.undo.unknown_code", {{"code", *code}}));
            const std::string day =
                local_day(resolve_instant(*at, store.event().timezone), store.event().timezone);
            const int n = undo_checkins(store, a->id, day);
            if (n == 0) {
                std::cout << tr("cli.undo.nothing", {{"name", a->full_name()}, {"day", day}}) << "\n";
                return 1;
            }
            std::cout << tr(n == 1 ? "cli.undo.done_one" : "cli.undo.done_many",
                            {{"name", a->full_name()}, {"day", day}, {"count", std::to_string(n)}})
                      << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
