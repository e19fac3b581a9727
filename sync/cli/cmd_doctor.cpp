// `accueil doctor` (issue 13): on a kiosk or desk laptop, what stops a good day, in plain words, one
// line per check; exit code 0 only when all is well, 1 when a check failed, 2 for a usage error. The
// checks themselves live in sync/doctor/.
#include "commands.hpp"
#include "device_checks.hpp"
#include "doctor_check.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "server_checks.hpp"
#include "store_checks.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace accueil::cli {

using i18n::tr;
using namespace std::chrono_literals;

namespace {

struct DoctorOptions {
    std::string db = "/var/lib/accueil/kiosk.db"; // the installed kiosk's database (deploy/)
    std::string camera, user;
    bool no_camera = false, no_scanner = false, no_printer = false, no_sound = false;
};

// Each check's time limit: a few seconds of network or driver each, and then some.
constexpr auto kStepLimit = 3s;

doctor::Check late(const char* name, std::chrono::milliseconds limit) {
    return {doctor::Outcome::Problem,
            tr("doctor.timeout", {{"what", tr(name)}, {"seconds", std::to_string(limit.count() / 1000)}})};
}

doctor::Check skipped(const char* key) {
    return {doctor::Outcome::NotChecked, tr(key)};
}

int run_doctor(const DoctorOptions& o) {
    using doctor::Outcome;
    std::optional<doctor::Account> user;
    if (!o.user.empty()) {
        user = doctor::find_account(o.user);
        if (!user)
            throw InputError("--user", tr("doctor.bad_user", {{"user", o.user}}));
    }
    const doctor::DeviceFacts device = doctor::read_device(o.db);
    const bool desk = device.is_desk();

    std::cout << tr("doctor.header", {{"path", o.db}}) << "\n";
    int problems = 0;
    const auto say = [&](const doctor::Check& c) {
        problems += c.outcome == Outcome::Problem;
        std::cout << doctor::check_line(c) << std::endl; // line by line: slow checks show progress
    };

    say(doctor::enrolment_check(device));
    if (device.joined) {
        // Two tries at most (pinned, then unpinned to tell an impostor), each connect and read bounded.
        const std::chrono::milliseconds limit = kStepLimit * 5;
        const doctor::ServerChecks timed_out{late("doctor.name.server", limit),
                                             skipped("doctor.cert.not_checked_server"),
                                             skipped("doctor.clock.not_checked_server")};
        const auto server = doctor::bounded(
            limit,
            [url = device.server, pin = device.fingerprint, db = o.db] {
                return doctor::check_server(url, pin, db, kStepLimit);
            },
            timed_out);
        say(server.server);
        say(server.certificate);
        say(server.clock);
    } else {
        const auto none = doctor::server_not_joined();
        say(none.server);
        say(none.certificate);
        say(none.clock);
    }
    say(doctor::disk_check(o.db));
    if (!device.unreadable.empty())
        say(skipped("doctor.perm.unreadable"));
    else
        say(doctor::permissions_check(device, user ? *user : doctor::default_account()));

    // The scanner first: whether a desk can do without a camera depends on it.
    const doctor::Check scanner = o.no_scanner
                                      ? skipped("doctor.scanner.skipped")
                                      : doctor::bounded(
                                            kStepLimit, [desk] { return doctor::scanner_check(desk); },
                                            late("doctor.name.scanner", kStepLimit));
    if (o.no_camera) {
        say(skipped("doctor.camera.skipped"));
    } else {
        const Outcome missing = desk && scanner.outcome == Outcome::Ok ? Outcome::Warning : Outcome::Problem;
        const std::chrono::milliseconds frame_wait = 4s, limit = frame_wait + kStepLimit;
        say(doctor::bounded(
            limit,
            [camera = o.camera, missing, frame_wait] {
                return doctor::camera_check(camera, missing, frame_wait);
            },
            late("doctor.name.camera", limit)));
    }
    say(scanner);
    if (o.no_printer) {
        say(skipped("doctor.printer.skipped"));
    } else {
        // Resolving a CUPS queue and asking the printer: two bounded steps of two requests each.
        const std::chrono::milliseconds limit = kStepLimit * 5;
        say(doctor::bounded(
            limit,
            [printer = device.printer, desk, db = o.db] {
                return doctor::printer_check(printer, desk, db, kStepLimit);
            },
            late("doctor.name.printer", limit)));
    }
    if (o.no_sound) {
        say(skipped("doctor.sound.skipped"));
    } else {
        // Spoken verdicts are on by default on a self-service kiosk, off at the desk (README).
        const Outcome missing = desk ? Outcome::Warning : Outcome::Problem;
        say(doctor::bounded(
            kStepLimit, [missing] { return doctor::sound_check(missing); },
            late("doctor.name.sound", kStepLimit)));
    }

    std::cout << (problems == 0   ? tr("doctor.summary.ok")
                  : problems == 1 ? tr("doctor.summary.one_problem")
                                  : tr("doctor.summary.problems", {{"count", std::to_string(problems)}}))
              << std::endl;
    const int code = problems == 0 ? 0 : 1;
    // A probe left running (a stuck driver) must not be waited for, nor see the program's objects go.
    if (doctor::abandoned_checks() > 0) {
        std::fflush(nullptr);
        std::_Exit(code);
    }
    return code;
}

} // namespace

void add_doctor_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("doctor", tr("doctor.help.command"));
    auto o = std::make_shared<DoctorOptions>();
    cmd->add_option("--db", o->db, tr("doctor.help.db"))->capture_default_str();
    cmd->add_option("--camera", o->camera, tr("doctor.help.camera"));
    cmd->add_option("--user", o->user, tr("doctor.help.user"));
    cmd->add_flag("--no-camera", o->no_camera, tr("doctor.help.no_camera"));
    cmd->add_flag("--no-scanner", o->no_scanner, tr("doctor.help.no_scanner"));
    cmd->add_flag("--no-printer", o->no_printer, tr("doctor.help.no_printer"));
    cmd->add_flag("--no-sound", o->no_sound, tr("doctor.help.no_sound"));
    cmd->callback([o, &run] { run = [o] { return run_doctor(*o); }; });
}

} // namespace accueil::cli
