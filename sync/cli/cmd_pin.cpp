#include "commands.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "organiser_pin.hpp"
#include "store.hpp"

#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace accueil::cli {

using i18n::tr;

namespace {
// Turns the terminal's echo off while it lives, so a PIN typed at the prompt is not shown to the room.
class NoEcho {
public:
    NoEcho() {
        if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
            termios quiet = saved_;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~NoEcho() {
        if (active_) {
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
            std::cerr << "\n"; // the Enter the person typed was not echoed either
        }
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;

private:
    termios saved_{};
    bool active_ = false;
};

// Overwrites the PIN's bytes when it goes out of scope.
struct Secret {
    std::string text;
    ~Secret() { wipe_pin(text); }
};

void read_pin_line(const std::string& prompt, Secret& out) {
    const bool terminal = ::isatty(STDIN_FILENO);
    if (terminal)
        std::cerr << prompt << std::flush;
    NoEcho no_echo;
    if (!std::getline(std::cin, out.text))
        throw InputError("", tr("cli.pin.no_input"));
    if (!out.text.empty() && out.text.back() == '\r') // typed on Windows or pasted from there
        out.text.pop_back();
}
} // namespace

void add_pin_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("pin", tr("cli.pin.help"));
    cmd->require_subcommand(1);

    auto* set = cmd->add_subcommand("set", tr("cli.pin.set_help"));
    auto set_db = std::make_shared<std::string>();
    set->add_option("--db", *set_db, tr("cli.pin.opt_db"))->required();
    set->callback([=, &run] {
        run = [=] {
            Store store = open_device_store(*set_db);
            Secret pin;
            read_pin_line(tr("cli.pin.prompt"), pin);
            if (::isatty(STDIN_FILENO)) { // typed blind: ask twice
                Secret again;
                read_pin_line(tr("cli.pin.prompt_again"), again);
                if (again.text != pin.text)
                    throw InputError("", tr("cli.pin.differ"));
            }
            set_organiser_pin(store, pin.text);
            std::cout << tr("cli.pin.set", {{"path", *set_db}}) << "\n";
            return 0;
        };
    });

    auto* clear = cmd->add_subcommand("clear", tr("cli.pin.clear_help"));
    auto clear_db = std::make_shared<std::string>();
    clear->add_option("--db", *clear_db, tr("cli.pin.opt_db"))->required();
    clear->callback([=, &run] {
        run = [=] {
            Store store = open_device_store(*clear_db);
            if (clear_organiser_pin(store))
                std::cout << tr("cli.pin.removed") << "\n";
            else
                std::cout << tr("cli.pin.none") << "\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
