// The organiser CLI as scripts use it: real `accueil` processes, exit codes and one-line errors.
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using accueil::test::run_bin;

namespace {
struct CliFixture {
    accueil::test::TempDir dir;
    std::string db = dir.file("event.db");
    CliFixture() {
        const auto r = run_bin("accueil", "init --db " + db +
                                              " --name 'Numérique en Commun[s]' --days "
                                              "2022-09-27:OFF,2022-09-28,2022-09-29 --tz Europe/Paris");
        REQUIRE(r.exit_code == 0);
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir.file(name), std::ios::binary) << text;
        return dir.file(name);
    }
    // The figures at a fixed instant: the same store prints the same text.
    std::string journal_size() {
        return run_bin("accueil", "stats --db " + db + " --json --at 2022-09-28T18:00").output;
    }
};
const std::string kRoster = "Prénom;Nom;E-mail;Structure;Catégorie;Jours;Code\n"
                            "Léa;Dupré;lea@example.fr;Mairie de Lyon;Participant;28/09;T-001\n"
                            "Jean-Noël;N'Diaye;jn@example.fr;Emmaüs Connect;Intervenant;;T-002\n";
} // namespace

TEST_CASE_METHOD(CliFixture, "init, import, search, checkin and stats work together") {
    auto r = run_bin("accueil", "import --db " + db + " " + write("r.csv", kRoster));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("2 created, 0 updated, 0 unchanged, 0 skipped"));

    r = run_bin("accueil", "search --db " + db + " jean noel");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("Jean-Noël N'Diaye"));
    r = run_bin("accueil", "search --db " + db + " ndiaye");
    CHECK_THAT(r.output, Catch::Contains("Jean-Noël N'Diaye"));

    r = run_bin("accueil", "checkin --db " + db + " T-001 --at 2022-09-28T09:12");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::StartsWith("admitted: Léa Dupré"));
    r = run_bin("accueil", "checkin --db " + db + " T-001 --at 2022-09-28T09:20");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("already checked in") && Catch::Contains("09:12"));
    r = run_bin("accueil", "checkin --db " + db + " T-001 --at 2022-09-29T09:00");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::StartsWith("not registered for today"));
    r = run_bin("accueil", "checkin --db " + db + " NOPE --at 2022-09-28T09:00");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::StartsWith("unknown code"));

    r = run_bin("accueil", "stats --db " + db + " --json --at 2022-09-28T18:00");
    REQUIRE(r.exit_code == 0);
    const auto s = nlohmann::json::parse(r.output);
    CHECK(s["attendees"] == 2);
    CHECK(s["day"] == "2022-09-28");
    CHECK(s["days"][1]["date"] == "2022-09-28");
    CHECK(s["days"][1]["arrived"] == 1);
    CHECK(s["days"][1]["registered"] == 2);
    CHECK(s["categories"][0]["category"] == "Intervenant");
    CHECK(s["categories"][0]["registered"] == 1);

    r = run_bin("accueil", "undo --db " + db + " T-001 --at 2022-09-28T10:00");
    CHECK(r.exit_code == 0);
    r = run_bin("accueil", "stats --db " + db + " --json --at 2022-09-28T18:00");
    CHECK(nlohmann::json::parse(r.output)["days"][1]["arrived"] == 0);
    CHECK(nlohmann::json::parse(r.output)["undos"] == 1);

    r = run_bin("accueil", "rebuild --db " + db);
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(
              run_bin("accueil", "stats --db " + db + " --json --at 2022-09-28T18:00").output)["attendees"] ==
          2);
}

TEST_CASE_METHOD(CliFixture, "A malformed roster exits non-zero with file and line, store unchanged") {
    REQUIRE(run_bin("accueil", "import --db " + db + " " + write("ok.csv", kRoster)).exit_code == 0);
    const auto before = journal_size();
    const auto bad = write("bad.csv", "Prénom;Nom;Jours\nLéa;Dupré;28/09\nZoé;\"Martin;29/09\n");
    const auto r = run_bin("accueil", "import --db " + db + " " + bad);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::StartsWith("accueil: " + bad + ":3"));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1); // one clear line
    CHECK(journal_size() == before);
}

TEST_CASE_METHOD(CliFixture, "Dry run prints the summary and changes nothing") {
    const auto before = journal_size();
    const auto r = run_bin("accueil", "import --dry-run --db " + db + " " + write("r.csv", kRoster));
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("dry run") && Catch::Contains("2 created"));
    CHECK(journal_size() == before);
}

TEST_CASE("Every command has --help and bad invocations get one clear line") {
    accueil::test::TempDir dir;
    for (const char* cmd :
         {"init", "import", "search", "checkin", "undo", "stats", "rebuild", "demo", "demo-roster"}) {
        const auto r = run_bin("accueil", std::string(cmd) + " --help");
        CAPTURE(cmd);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.output, Catch::Contains("--"));
    }
    auto r = run_bin("accueil", "stats --db " + dir.file("missing.db"));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::Contains("no such database"));
    r = run_bin("accueil", "init --db " + dir.file("x.db") + " --name X --days 2022-13-01");
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::Contains("not a date"));
    r = run_bin("accueil", "init --db " + dir.file("x.db") + " --name X --days 2022-09-28 --tz Mars/Olympus");
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::Contains("unknown time zone"));
}

TEST_CASE_METHOD(CliFixture, "A bad --at is refused clearly and records nothing") {
    REQUIRE(run_bin("accueil", "import --db " + db + " " + write("r.csv", kRoster)).exit_code == 0);
    const auto before = journal_size();
    const auto r = run_bin("accueil", "checkin --db " + db + " T-001 --at 'demain matin'");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("--at") && Catch::Contains("not a time"));
    CHECK(journal_size() == before);
}

TEST_CASE("The demo runs end to end") {
    accueil::test::TempDir dir;
    const auto r = run_bin("accueil", "demo --db " + dir.file("demo.db") + " --count 300");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("300 created") && Catch::Contains("300 unchanged") &&
                             Catch::Contains("admitted:") && Catch::Contains("already checked in") &&
                             Catch::Contains("unknown code"));
}
