#include "commands.hpp"
#include "errors.hpp"
#include "organiser_pin.hpp"
#include "store.hpp"

#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace accueil::cli {

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

void read_pin_line(const char* prompt, Secret& out) {
    const bool terminal = ::isatty(STDIN_FILENO);
    if (terminal)
        std::cerr << prompt << std::flush;
    NoEcho no_echo;
    if (!std::getline(std::cin, out.text))
        throw InputError("", "no PIN on standard input (one line of 4 to 12 digits)");
    if (!out.text.empty() && out.text.back() == '\r') // typed on Windows or pasted from there
        out.text.pop_back();
}
} // namespace

void add_pin_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("pin", "The organiser PIN that switches a kiosk to desk mode on the spot");
    cmd->require_subcommand(1);

    auto* set = cmd->add_subcommand("set", "Set or replace the PIN, read from standard input (one line of "
                                           "4 to 12 digits; not echoed on a terminal)");
    auto set_db = std::make_shared<std::string>();
    set->add_option("--db", *set_db, "Database file")->required();
    set->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*set_db);
            Secret pin;
            read_pin_line("Organiser PIN (4 to 12 digits): ", pin);
            if (::isatty(STDIN_FILENO)) { // typed blind: ask twice
                Secret again;
                read_pin_line("Same PIN again: ", again);
                if (again.text != pin.text)
                    throw InputError("", "the two PINs differ; nothing was changed");
            }
            set_organiser_pin(store, pin.text);
            std::cout << "organiser PIN set (Argon2id hash in " << *set_db << ")\n";
            return 0;
        };
    });

    auto* clear =
        cmd->add_subcommand("clear", "Remove the PIN: desk mode can no longer be entered on the spot");
    auto clear_db = std::make_shared<std::string>();
    clear->add_option("--db", *clear_db, "Database file")->required();
    clear->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*clear_db);
            if (clear_organiser_pin(store))
                std::cout << "organiser PIN removed\n";
            else
                std::cout << "no organiser PIN was set; nothing to remove\n";
            return 0;
        };
    });
}

} // namespace accueil::cli
