// The README's "Préparer un événement" walk-through, run as written: every command of its sh blocks, in
// order, in French, against a real server on 127.0.0.1. The few changes a script needs where a person
// would act (another terminal, copying a code) are made here, each one named below.
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

using namespace accueil;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The commands of the sh blocks between the walk-through's markers, one per line, in order.
std::vector<std::string> walkthrough_commands() {
    const std::string readme = read_file(fs::path(ACCUEIL_SOURCE_DIR) / "README.md");
    const auto begin = readme.find("<!-- walkthrough:start -->");
    const auto end = readme.find("<!-- walkthrough:end -->");
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    std::istringstream in(readme.substr(begin, end - begin));
    std::vector<std::string> out;
    bool in_block = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("```", 0) == 0) {
            in_block = !in_block && line == "```sh";
            continue;
        }
        if (in_block && !line.empty())
            out.push_back(line);
    }
    return out;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

// No <regex> here: g++ 12 warns (maybe-uninitialized) inside std::regex in the sanitizer build.
std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

// What a person does by hand, done by the script instead.
std::string scripted(std::string line, int port) {
    line = replace_all(line, "0.0.0.0:8443", "127.0.0.1:" + std::to_string(port));
    if (starts_with(line, "accueil-sync serve "))
        // "in a terminal of its own, left running": in the background, then wait until it answers.
        // At the end it is stopped and waited for, as a person's Ctrl-C waits for the prompt.
        return line + " > serve.log 2>&1 &\nSERVE_PID=$!\n" +
               "trap 'kill $SERVE_PID 2>/dev/null && wait $SERVE_PID 2>/dev/null; true' EXIT\n" +
               "for i in $(seq 600); do (exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) +
               ") 2>/dev/null && break; kill -0 $SERVE_PID; sleep 0.05; done";
    if (starts_with(line, "accueil-sync password "))
        return line + " <<< 'un mot de passe pour la page'"; // "typed twice": one line on stdin
    if (starts_with(line, "accueil-sync enroll ")) {
        // The person reads the code on screen; the script keeps the last line printed.
        return "ENROL_OUTPUT=$(" + line + ")\nprintf '%s\\n' \"$ENROL_OUTPUT\"\n" +
               "CODE=$(printf '%s\\n' \"$ENROL_OUTPUT\" | grep -o 'accueil1:[^ ]*' | tail -n 1)";
    }
    return replace_all(line, "\"accueil1:…\"", "\"$CODE\"");
}

struct Run {
    int exit_code = -1;
    std::string output;
};

Run run_script(const fs::path& dir, const std::string& script) {
    std::ofstream(dir / "walkthrough.sh") << script;
    const std::string command = "cd '" + dir.string() + "' && env -u LANGUAGE LC_ALL=fr_FR.UTF-8 PATH='" +
                                std::string(ACCUEIL_BIN_DIR) +
                                ":'\"$PATH\" bash -euo pipefail walkthrough.sh 2>&1";
    Run r;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
        r.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace

TEST_CASE("the walk-through names the steps of preparing an event, in the order a person takes them",
          "[walkthrough]") {
    const auto commands = walkthrough_commands();
    std::string all;
    for (const auto& c : commands)
        all += c + "\n";
    std::size_t at = 0;
    for (const char* step :
         {"accueil init ", "accueil import ", "accueil keys init ", "accueil badges ", "accueil-sync serve ",
          "accueil-sync enroll ", "accueil-sync join ", "accueil checkin ", "accueil report "}) {
        INFO("step " << step);
        const auto found = all.find(step, at);
        REQUIRE(found != std::string::npos);
        at = found;
    }
}

TEST_CASE("the README walk-through runs as written, in French, and prepares a working event",
          "[walkthrough]") {
    test::TempDir dir;
    fs::copy_file(fs::path(ACCUEIL_SOURCE_DIR) / "assets" / "examples" / "inscriptions.csv",
                  dir.path() / "inscriptions.csv");
    const int port = test::free_port();
    std::string script;
    for (const auto& line : walkthrough_commands())
        script += "echo '$ '" + std::string("'") + replace_all(line, "'", "'\\''") + "'\n" +
                  scripted(line, port) + "\n";
    const Run run = run_script(dir.path(), script);
    INFO("script:\n"
         << script << "\noutput:\n"
         << run.output << "\nserver log:\n"
         << read_file(dir.path() / "serve.log"));
    REQUIRE(run.exit_code == 0);
    // The server the script started is gone when the script is: its last backup, taken as it stops,
    // was once written after this test had removed its directory, which it then left behind in /tmp.
    CHECK_THAT(read_file(dir.path() / "serve.log"), Catch::Contains("serveur arrêté"));

    const std::string event = (dir.path() / "evenement.db").string();
    const std::string kiosk = (dir.path() / "kiosque.db").string();
    CHECK(test::count_in(event, "SELECT COUNT(*) FROM attendees") == 8);
    CHECK(test::count_in(kiosk, "SELECT COUNT(*) FROM attendees") == 8); // the kiosk has the roster
    CHECK(test::count_in(event, "SELECT COUNT(*) FROM checkins") >= 1);
    CHECK(read_file(dir.path() / "badges.pdf").rfind("%PDF", 0) == 0);
    CHECK(read_file(dir.path() / "bilan.html").find("<html") != std::string::npos);
    CHECK(fs::exists(dir.path() / "presences.csv"));
    CHECK(fs::exists(dir.path() / "evenement.db.key"));
    // A French organiser reads French: the import's mapping, the check-in's verdict.
    CHECK_THAT(run.output, Catch::Contains("« Jours de présence » → jours de présence"));
    CHECK_THAT(run.output, Catch::Contains("arrivée enregistrée : Hélène Lefèvre"));
}
