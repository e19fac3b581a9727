#include "attendee.hpp"
#include "badge/badge_code.hpp"
#include "badge/badge_sheet.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"
#include "text_fold.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>

namespace accueil::cli {

using i18n::tr;

namespace {
// Attendees in print order (last name, first name), restricted to `only` (categories or attendees).
std::vector<Attendee> select_attendees(Store& store, const std::vector<std::string>& only) {
    std::set<std::string> categories, ids;
    for (const auto& item : only) {
        SQLite::Statement q(store.db(), "SELECT 1 FROM attendees WHERE category_key = ? LIMIT 1");
        q.bind(1, label_key(item));
        if (q.executeStep()) {
            categories.insert(label_key(item));
            continue;
        }
        const auto a = find_by_code(store, item);
        if (!a)
            throw InputError("--only", tr("cli.badges.only_unknown", {{"item", item}}));
        ids.insert(a->id);
    }
    SQLite::Statement q(store.db(), "SELECT id, category_key FROM attendees "
                                    "ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id");
    std::vector<Attendee> out;
    while (q.executeStep()) {
        const std::string id = q.getColumn(0).getString();
        if (!only.empty() && !ids.count(id) && !categories.count(q.getColumn(1).getString()))
            continue;
        if (auto a = load_attendee(store.db(), id))
            out.push_back(std::move(*a));
    }
    return out;
}

// "badges 850/1700 (50%)" redrawn in place on a terminal, at most every 100 ms and at the end.
SheetProgress terminal_progress() {
    if (!::isatty(STDERR_FILENO))
        return {};
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    return [last](std::size_t done, std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (done != total && now - *last < std::chrono::milliseconds(100))
            return;
        *last = now;
        std::fprintf(
            stderr, "\r%s",
            tr("cli.badges.progress", {{"done", std::to_string(done)},
                                       {"total", std::to_string(total)},
                                       {"percent", std::to_string(total ? done * 100 / total : 100)}})
                .c_str());
        if (done == total)
            std::fputc('\n', stderr);
        std::fflush(stderr);
    };
}
} // namespace

void add_badges_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("badges", tr("cli.badges.help"));
    auto db = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto layout = std::make_shared<std::string>("a4-8");
    auto only = std::make_shared<std::vector<std::string>>();
    auto key = std::make_shared<std::string>();
    cmd->add_option("--db", *db, tr("cli.opt.db"))->required();
    cmd->add_option("--out", *out, tr("cli.badges.opt_out"))->required();
    cmd->add_option("--layout", *layout, tr("cli.badges.opt_layout"))->capture_default_str();
    cmd->add_option("--only", *only, tr("cli.badges.opt_only"));
    cmd->add_option("--key", *key, tr("cli.opt.key"));
    cmd->callback([=, &run] {
        run = [=] {
            const auto chosen = parse_badge_layout(*layout);
            if (!chosen)
                throw InputError("--layout", tr("cli.badges.bad_layout", {{"layout", *layout}}));
            Store store = open_event_store(*db);
            const auto signing = load_signing_key(store, key->empty() ? default_key_path(*db) : *key);
            const auto people = select_attendees(store, *only);
            if (people.empty())
                throw InputError("", only->empty() ? tr("cli.badges.nobody", {{"path", *db}})
                                                   : tr("cli.badges.nobody_only"));
            std::vector<BadgeToPrint> badges;
            badges.reserve(people.size());
            int skipped = 0;
            for (const auto& a : people) {
                try {
                    badges.push_back({a, badge_code_for(a, store.event(), signing)});
                } catch (const InputError& e) {
                    std::cerr << "accueil: "
                              << tr("cli.badges.skipped", {{"name", a.full_name()}, {"why", e.what()}})
                              << "\n";
                    ++skipped;
                }
            }
            const auto placements =
                write_badge_sheet(*out, store.event(), badges, *chosen, terminal_progress());
            const int pages = placements.empty() ? 0 : placements.back().page + 1;
            std::cout << tr("cli.badges.wrote", {{"path", *out},
                                                 {"badges", std::to_string(badges.size())},
                                                 {"pages", std::to_string(pages)},
                                                 {"layout", to_string(*chosen)}});
            if (!placements.empty())
                std::cout << tr("cli.badges.module_size",
                                {{"mm", decimal_text(placements.front().module_mm, 2)}});
            std::cout << "\n";
            return skipped == 0 ? 0 : 1;
        };
    });
}

} // namespace accueil::cli
