// Deployment (issue 13): the systemd units, the Debian maintainer scripts, the kiosk's settings file and
// the install rules of deploy/packaging.cmake. The packages themselves are built, linted, installed and
// purged by deploy/check-packages.sh, which CI runs after this suite.
#include "support/child_process.hpp"
#include "support/kiosk_test_util.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace accueil::test;
namespace fs = std::filesystem;

namespace {

const fs::path kDeploy = fs::path(ACCUEIL_SOURCE_DIR) / "deploy";
const std::vector<std::string> kUnits = {"accueil-central.service", "accueil-agent.service",
                                         "accueil-kiosk.service"};

std::string read_file(const fs::path& path) {
    REQUIRE(fs::exists(path));
    return slurp(path.string());
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// The values of one key in a unit file, in order (ExecStart=, User=...).
std::vector<std::string> unit_values(const std::string& unit_text, const std::string& key) {
    std::vector<std::string> values;
    for (const auto& line : lines_of(unit_text))
        if (line.rfind(key + "=", 0) == 0)
            values.push_back(line.substr(key.size() + 1));
    return values;
}

// Every "--option" word in a text (letters, digits and '-' after the two dashes).
std::set<std::string> options_named_in(const std::string& text) {
    std::set<std::string> options;
    for (std::size_t at = text.find("--"); at != std::string::npos; at = text.find("--", at + 2)) {
        if (at > 0 && text[at - 1] != ' ' && text[at - 1] != '"' && text[at - 1] != '(')
            continue;
        std::size_t end = at + 2;
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-'))
            ++end;
        if (end > at + 2)
            options.insert(text.substr(at, end - at));
    }
    return options;
}

bool has_option_word(const std::string& help, const std::string& option) {
    for (std::size_t at = help.find(option); at != std::string::npos; at = help.find(option, at + 1)) {
        const std::size_t end = at + option.size();
        const bool whole =
            end == help.size() || !(std::isalnum(static_cast<unsigned char>(help[end])) || help[end] == '-');
        if (whole)
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("Every systemd unit of deploy/systemd passes systemd-analyze verify", "[deploy]") {
    REQUIRE(run_command("command -v systemd-analyze").status == 0); // a missing tool is a failure
    TempDir dir;
    for (const auto& name : kUnits) {
        INFO(name);
        // The programs are checked where this build made them; cage where Debian installs it.
        std::string text = read_file(kDeploy / "systemd" / name);
        replace_all(text, "/usr/bin/accueil-sync", std::string(ACCUEIL_BIN_DIR) + "/accueil-sync");
        replace_all(text, "/usr/bin/accueil-kiosk", std::string(ACCUEIL_BIN_DIR) + "/accueil-kiosk");
        const std::string copy = dir.file(name);
        std::ofstream(copy) << text;
        const auto verified = run_command("systemd-analyze verify " + quote(copy) + " 2>&1");
        INFO(verified.out);
        CHECK(verified.status == 0);
        CHECK(verified.out.empty()); // unknown keys and bad values are only warnings: none allowed
    }
}

TEST_CASE("A unit with a mistyped key is caught by the verification", "[deploy]") {
    TempDir dir;
    const std::string copy = dir.file("accueil-agent.service");
    std::string text = read_file(kDeploy / "systemd" / "accueil-agent.service");
    replace_all(text, "/usr/bin/accueil-sync", std::string(ACCUEIL_BIN_DIR) + "/accueil-sync");
    replace_all(text, "ProtectHome=yes", "ProtectHomes=yes");
    std::ofstream(copy) << text;
    const auto verified = run_command("systemd-analyze verify " + quote(copy) + " 2>&1");
    CHECK(verified.out.find("ProtectHomes") != std::string::npos);
}

TEST_CASE("The units run the agreed commands as the user accueil in /var/lib/accueil", "[deploy]") {
    const std::map<std::string, std::string> commands = {
        {"accueil-central.service", "/usr/bin/accueil-sync serve --db /var/lib/accueil/central.db"},
        {"accueil-agent.service", "/usr/bin/accueil-sync agent --db /var/lib/accueil/kiosk.db --wait"},
        {"accueil-kiosk.service",
         "/usr/bin/cage -d -s -- /usr/bin/accueil-kiosk --db /var/lib/accueil/kiosk.db $ACCUEIL_KIOSK_ARGS"},
    };
    for (const auto& [name, command] : commands) {
        INFO(name);
        const std::string text = read_file(kDeploy / "systemd" / name);
        CHECK(unit_values(text, "ExecStart") == std::vector<std::string>{command});
        CHECK(unit_values(text, "User") == std::vector<std::string>{"accueil"});
        CHECK(unit_values(text, "StateDirectory") == std::vector<std::string>{"accueil"});
        CHECK(unit_values(text, "StateDirectoryMode") == std::vector<std::string>{"0750"});
        CHECK(unit_values(text, "NoNewPrivileges") == std::vector<std::string>{"yes"});
        CHECK(unit_values(text, "ProtectHome") == std::vector<std::string>{"yes"});
    }
    const std::string kiosk = read_file(kDeploy / "systemd" / "accueil-kiosk.service");
    CHECK(unit_values(kiosk, "Restart") == std::vector<std::string>{"always"});
    CHECK(unit_values(kiosk, "TTYPath") == std::vector<std::string>{"/dev/tty1"});
    CHECK(unit_values(kiosk, "Conflicts") == std::vector<std::string>{"getty@tty1.service"});
    CHECK(unit_values(kiosk, "WantedBy") == std::vector<std::string>{"graphical.target"});
    const std::string central = read_file(kDeploy / "systemd" / "accueil-central.service");
    CHECK(unit_values(central, "Restart") == std::vector<std::string>{"on-failure"});
    CHECK(unit_values(central, "ProtectSystem") == std::vector<std::string>{"strict"});
    CHECK(unit_values(central, "PrivateTmp") == std::vector<std::string>{"yes"});
}

TEST_CASE("Every maintainer script is POSIX sh that parses and stops at the first error", "[deploy]") {
    int scripts = 0;
    for (const auto& package : {"accueil-common", "accueil-central", "accueil-kiosk"}) {
        for (const auto& script : {"postinst", "prerm", "postrm"}) {
            const fs::path path = kDeploy / "debian" / package / script;
            if (!fs::exists(path))
                continue;
            INFO(path.string());
            ++scripts;
            const std::string text = read_file(path);
            CHECK(text.rfind("#!/bin/sh\n", 0) == 0);
            CHECK(text.find("\nset -e\n") != std::string::npos);
            const auto parsed = run_command("sh -n " + quote(path.string()) + " 2>&1");
            INFO(parsed.out);
            CHECK(parsed.status == 0);
        }
    }
    // common: postinst, postrm; central and kiosk: postinst, prerm, postrm.
    CHECK(scripts == 8);
}

TEST_CASE("A maintainer script with a syntax error fails the shell's check", "[deploy]") {
    TempDir dir;
    std::string text = read_file(kDeploy / "debian" / "accueil-common" / "postinst");
    replace_all(text, "\nfi\n", "\n");
    std::ofstream(dir.file("postinst")) << text;
    CHECK(run_command("sh -n " + quote(dir.file("postinst")) + " 2>/dev/null").status != 0);
}

TEST_CASE("The kiosk's settings file sets what the unit reads, with options the kiosk accepts", "[deploy]") {
    const std::string settings = read_file(kDeploy / "default" / "accueil-kiosk");
    const std::string unit = read_file(kDeploy / "systemd" / "accueil-kiosk.service");
    CHECK(unit_values(unit, "EnvironmentFile") == std::vector<std::string>{"-/etc/default/accueil-kiosk"});

    // Every setting is a variable the unit's command line uses.
    std::vector<std::string> keys;
    for (const auto& line : lines_of(settings)) {
        if (line.empty() || line[0] == '#')
            continue;
        const auto eq = line.find('=');
        REQUIRE(eq != std::string::npos);
        keys.push_back(line.substr(0, eq));
    }
    CHECK(keys == std::vector<std::string>{"ACCUEIL_KIOSK_ARGS"});
    for (const auto& key : keys)
        CHECK(unit_values(unit, "ExecStart").at(0).find("$" + key) != std::string::npos);

    // Every option the file documents is one of the kiosk's.
    const auto help = run_command(quote(kiosk_binary()) + " --help 2>&1");
    REQUIRE(help.status == 0);
    const auto options = options_named_in(settings);
    CHECK(options.count("--camera") == 1);
    CHECK(options.count("--mode") == 1);
    CHECK(options.count("--lang") == 1);
    CHECK(options.count("--open-hours") == 1);
    for (const auto& option : options) {
        INFO(option);
        CHECK(has_option_word(help.out, option));
    }

    // The example line and the default parse as the kiosk's command line: with --print-codes and no
    // --replay the kiosk stops right after parsing with the same refusal as without them.
    const auto baseline = run_command(quote(kiosk_binary()) + " --print-codes 2>&1");
    REQUIRE(baseline.status == 2);
    for (const auto& line : lines_of(settings)) {
        const auto at = line.find("ACCUEIL_KIOSK_ARGS=\"");
        if (at == std::string::npos)
            continue;
        const std::string args = line.substr(at + 20, line.rfind('"') - (at + 20));
        INFO(line);
        const auto parsed = run_command(quote(kiosk_binary()) + " " + args + " --print-codes 2>&1");
        CHECK(parsed.status == baseline.status);
        CHECK(parsed.out == baseline.out);
    }
}

TEST_CASE("An option the kiosk does not know is told apart by the settings check", "[deploy]") {
    const auto help = run_command(quote(kiosk_binary()) + " --help 2>&1");
    REQUIRE(help.status == 0);
    CHECK(has_option_word(help.out, "--camera"));
    CHECK_FALSE(has_option_word(help.out, "--cam"));
    CHECK_FALSE(has_option_word(help.out, "--opening-hours"));
    const auto baseline = run_command(quote(kiosk_binary()) + " --print-codes 2>&1");
    const auto wrong = run_command(quote(kiosk_binary()) + " --lang de --print-codes 2>&1");
    CHECK(wrong.out != baseline.out);
}

// The sanitizer build (CI's second pass) names its source and generated files in the reports its checks
// would print, so its programs hold build paths; packages are made from the plain build.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPlainBuild = false;
#else
constexpr bool kPlainBuild = true;
#endif

TEST_CASE("Each package installs to the agreed paths, with nothing pointing back at the build", "[deploy]") {
    const fs::path build = fs::path(ACCUEIL_BIN_DIR).parent_path();
    const std::map<std::string, std::vector<std::string>> expected = {
        {"common",
         {"usr/bin/accueil", "usr/bin/accueil-sync", "usr/share/accueil/examples/inscriptions.csv",
          "usr/share/doc/accueil-common/copyright", "usr/share/doc/accueil-common/changelog.Debian.gz",
          "usr/share/man/man1/accueil.1.gz", "usr/share/man/man1/accueil-sync.1.gz"}},
        {"central",
         {"lib/systemd/system/accueil-central.service", "usr/share/doc/accueil-central/copyright",
          "usr/share/doc/accueil-central/changelog.Debian.gz"}},
        {"kiosk",
         {"usr/bin/accueil-kiosk", "lib/systemd/system/accueil-agent.service",
          "lib/systemd/system/accueil-kiosk.service", "etc/default/accueil-kiosk",
          "usr/share/doc/accueil-kiosk/copyright", "usr/share/doc/accueil-kiosk/changelog.Debian.gz",
          "usr/share/man/man1/accueil-kiosk.1.gz"}},
    };
    for (const auto& [component, files] : expected) {
        INFO(component);
        TempDir root;
        // Stripped, as CPack strips the packages' programs (deploy/packaging.cmake): the debug
        // information of a RelWithDebInfo build names the build directory.
        const auto installed =
            run_command("DESTDIR=" + quote(root.path().string()) + " cmake --install " +
                        quote(build.string()) + " --prefix /usr --strip --component " + component + " 2>&1");
        INFO(installed.out);
        REQUIRE(installed.status == 0);
        std::set<std::string> found;
        for (const auto& entry : fs::recursive_directory_iterator(root.path()))
            if (!entry.is_directory())
                found.insert(fs::relative(entry.path(), root.path()).string());
        for (const auto& file : files) {
            INFO(file);
            CHECK(found.count(file) == 1);
        }
        if (component == "kiosk" && fs::exists(kDeploy / "udev"))
            for (const auto& rule : fs::directory_iterator(kDeploy / "udev"))
                if (rule.path().extension() == ".rules")
                    CHECK(found.count("lib/udev/rules.d/" + rule.path().filename().string()) == 1);
        for (const auto& file : found) {
            INFO(file);
            const bool known_root = file.rfind("usr/", 0) == 0 || file.rfind("lib/systemd/system/", 0) == 0 ||
                                    file.rfind("lib/udev/rules.d/", 0) == 0 ||
                                    file.rfind("etc/default/", 0) == 0;
            CHECK(known_root);
            if (file.rfind("usr/bin/", 0) != 0)
                continue;
            // No run path, and no path of the build or the source tree in the program.
            const std::string program = quote((root.path() / file).string());
            CHECK(run_command("readelf -d " + program + " | grep -E 'RPATH|RUNPATH'").out.empty());
            if (!kPlainBuild)
                continue;
            CHECK(run_command("strings " + program + " | grep -F " + quote(build.string())).out.empty());
            CHECK(run_command("strings " + program + " | grep -F " +
                              quote(std::string(ACCUEIL_SOURCE_DIR) + "/assets"))
                      .out.empty());
        }
    }
}
