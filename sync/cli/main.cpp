// accueil: the organiser's command line (init, import, search, check-in, stats, demo), in French when the
// locale is French and in English otherwise (assets/lang/<fr|en>/cli.json).
#include "commands.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "i18n/cli_words.hpp"

#include <SQLiteCpp/Exception.h>

#include <iostream>

#include <sys/stat.h>

int main(int argc, char** argv) {
    using accueil::i18n::tr;
    // Databases (names, e-mails, device tokens) and everything else this program writes: owner only.
    ::umask(077);
    // Named, so help reads "accueil search", not the path it was started from.
    CLI::App app{tr("cli.app.description"), "accueil"};
    app.require_subcommand(1);
    accueil::cli::Action run;
    accueil::cli::add_init_command(app, run);
    accueil::cli::add_import_command(app, run);
    accueil::cli::add_search_command(app, run);
    accueil::cli::add_checkin_command(app, run);
    accueil::cli::add_undo_command(app, run);
    accueil::cli::add_stats_command(app, run);
    accueil::cli::add_rebuild_command(app, run);
    accueil::cli::add_demo_roster_command(app, run);
    accueil::cli::add_demo_command(app, run);
    accueil::cli::add_keys_command(app, run);
    accueil::cli::add_badge_command(app, run);
    accueil::cli::add_badges_command(app, run);
    accueil::cli::add_reprint_command(app, run);
    accueil::cli::add_pin_command(app, run);
    accueil::cli::add_report_command(app, run);
    accueil::cli::add_export_command(app, run);
    accueil::cli::add_doctor_command(app, run);
    accueil::i18n::localise_cli(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = accueil::i18n::cli_exit(app, e);
        // `accueil doctor` answers 2 for any usage error, so scripts tell it from 1, a failed check.
        return code != 0 && app.got_subcommand("doctor") ? 2 : code;
    }
    // Expected failures become one clear line and a non-zero exit; only bugs would escape this.
    try {
        return run();
    } catch (const accueil::InputError& e) {
        std::cerr << tr("cli.main.error_line", {{"message", e.what()}}) << "\n";
        return 2;
    } catch (const accueil::StoreError& e) {
        std::cerr << tr("cli.main.error_line", {{"message", e.what()}}) << "\n";
        return 3;
    } catch (const SQLite::Exception& e) {
        const auto message = tr("cli.main.database_error",
                                {{"detail", e.what()}, {"code", std::to_string(e.getExtendedErrorCode())}});
        std::cerr << tr("cli.main.error_line", {{"message", message}}) << "\n";
        return 3;
    }
}
