#include "checkin.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void add_checkin_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("checkin", "Check a badge or ticket code in; exits 0 only when admitted");
    auto db = std::make_shared<std::string>();
    auto code = std::make_shared<std::string>();
    auto at = std::make_shared<std::string>();
    auto kiosk = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_option("code", *code, "Ticket code or attendee id")->required();
    cmd->add_option("--at", *at, "Time of the scan (ISO 8601), default now");
    cmd->add_option("--kiosk", *kiosk, "Name recorded as the place of the check-in");
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
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
    auto* cmd = app.add_subcommand("undo", "Cancel a check-in (the attendee's check-ins of that day)");
    auto db = std::make_shared<std::string>();
    auto code = std::make_shared<std::string>();
    auto at = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_option("code", *code, "Ticket code or attendee id")->required();
    cmd->add_option("--at", *at, "A time on the day to undo (ISO 8601), default now");
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            const auto a = find_by_code(store, *code);
            if (!a)
                throw InputError("", "unknown code \"" + *code + "\"");
            const std::string day =
                local_day(resolve_instant(*at, store.event().timezone), store.event().timezone);
            const int n = undo_checkins(store, a->id, day);
            if (n == 0) {
                std::cout << "nothing to undo: " << a->full_name() << " is not checked in on " << day << "\n";
                return 1;
            }
            std::cout << "undone: " << a->full_name() << " on " << day << " (" << n << " check-in"
                      << (n > 1 ? "s" : "") << ")\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
