// The organiser CLI as scripts use it: real `accueil` processes, exit codes and one-line errors, in
// French when the locale is French and in English otherwise (issue 12).
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using accueil::test::run_bin;
namespace test = accueil::test;

namespace {
// A terminal in French or in English: LANGUAGE emptied (it would win over LC_ALL), LC_ALL set. Only the
// variables are read, so no system locale is needed.
const test::Env kFrench{{"LANGUAGE", ""}, {"LC_ALL", "fr_FR.UTF-8"}};
const test::Env kEnglish{{"LANGUAGE", ""}, {"LC_ALL", "C.UTF-8"}};

struct Ran {
    int code = -1;
    std::string out, err;
    std::string all() const { return out + err; }
};

// The real `accueil` run to its end in `env`, its standard output and error kept apart.
Ran run_accueil(const test::TempDir& dir, const std::vector<std::string>& args, const test::Env& env) {
    static int runs = 0;
    std::vector<std::string> full{std::string(ACCUEIL_BIN_DIR) + "/accueil"};
    full.insert(full.end(), args.begin(), args.end());
    test::Process p(full, dir.file("accueil-run-" + std::to_string(runs++)), env);
    const int code = p.wait();
    return {code, p.out(), p.err()};
}

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
    CHECK_THAT(r.output, Catch::StartsWith("not registered for 2022-09-29: Léa Dupré"));
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
    CHECK_THAT(r.output, Catch::Contains("no database at " + dir.file("missing.db")));
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

TEST_CASE_METHOD(CliFixture, "Verdicts and answers are French under a French locale, English otherwise") {
    REQUIRE(run_bin("accueil", "import --db " + db + " " + write("r.csv", kRoster)).exit_code == 0);
    auto r = run_accueil(
        dir, {"checkin", "--db", db, "T-001", "--at", "2022-09-28T09:12", "--kiosk", "Accueil 1"}, kFrench);
    CHECK(r.code == 0);
    CHECK(r.out == "arrivée enregistrée : Léa Dupré (Participant), 2022-09-28\n");
    // The device's name is data: quoted whole, in the sentence's language's quotes.
    r = run_accueil(dir, {"checkin", "--db", db, "T-001", "--at", "2022-09-28T09:20"}, kFrench);
    CHECK(r.code == 1);
    CHECK(r.out == "arrivée déjà enregistrée : Léa Dupré (Participant), à 09:12 le 2022-09-28, au poste « "
                   "Accueil 1 »\n");
    r = run_accueil(dir, {"checkin", "--db", db, "T-001", "--at", "2022-09-28T09:21"}, kEnglish);
    CHECK(r.out == "already checked in: Léa Dupré (Participant), at 09:12 on 2022-09-28, at \"Accueil 1\"\n");
    r = run_accueil(dir, {"checkin", "--db", db, "T-001", "--at", "2022-09-29T09:00"}, kFrench);
    CHECK(r.out == "pas d'inscription pour le 2022-09-29 : Léa Dupré (Participant) (inscription pour : "
                   "2022-09-28)\n");
    r = run_accueil(dir, {"checkin", "--db", db, "NOPE", "--at", "2022-09-28T09:00"}, kFrench);
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::StartsWith("code inconnu : aucune inscription n'a ce code"));

    r = run_accueil(dir, {"undo", "--db", db, "T-001", "--at", "2022-09-28T10:00"}, kFrench);
    CHECK(r.code == 0);
    CHECK(r.out == "annulé : Léa Dupré le 2022-09-28 (1 arrivée annulée)\n");
    r = run_accueil(dir, {"undo", "--db", db, "T-001", "--at", "2022-09-28T10:00"}, kEnglish);
    CHECK(r.code == 1);
    CHECK(r.out == "nothing to undo: Léa Dupré is not checked in on 2022-09-28\n");

    const auto fr =
        run_accueil(dir, {"init", "--db", dir.file("b.db"), "--name", "B", "--days", "2022-09-28"}, kFrench);
    CHECK(fr.code == 0);
    CHECK_THAT(fr.out, Catch::StartsWith(dir.file("b.db") + " créé : « B », 1 jour(s)") &&
                           Catch::Contains("Étape suivante : importez la liste des inscrits"));
    const auto en =
        run_accueil(dir, {"init", "--db", dir.file("c.db"), "--name", "C", "--days", "2022-09-28"}, kEnglish);
    CHECK_THAT(en.out, Catch::StartsWith("created " + dir.file("c.db") + ": \"C\", 1 day(s)") &&
                           Catch::Contains("Next: import the roster"));
}

TEST_CASE_METHOD(CliFixture,
                 "stats says that its per-category lines count registrations, in both languages") {
    REQUIRE(run_bin("accueil", "import --db " + db + " " + write("r.csv", kRoster)).exit_code == 0);
    REQUIRE(run_bin("accueil", "checkin --db " + db + " T-001 --at 2022-09-28T09:12").exit_code == 0);
    const auto en = run_accueil(dir, {"stats", "--db", db, "--at", "2022-09-28T18:00"}, kEnglish);
    CHECK(en.code == 0);
    CHECK_THAT(en.out,
               Catch::Contains("By category: registrations (all days), then arrivals on 2022-09-28") &&
                   Catch::Contains("  Participant: 1 registered, 1 arrived of 1 registered on 2022-09-28") &&
                   Catch::Contains("  2022-09-28: 1 arrived of 2 registered, no-shows 50.0%"));
    const auto fr = run_accueil(dir, {"stats", "--db", db, "--at", "2022-09-28T18:00"}, kFrench);
    CHECK(fr.code == 0);
    CHECK_THAT(fr.out,
               Catch::Contains("Par catégorie : inscriptions (tous jours confondus), puis arrivées le "
                               "2022-09-28") &&
                   Catch::Contains("  Participant : inscriptions 1, le 2022-09-28 : inscriptions 1, "
                                   "arrivées 1") &&
                   Catch::Contains("  2022-09-28 : inscriptions 2, arrivées 1, absences 50,0 %"));
    CHECK_THAT(fr.out, !Catch::Contains("registered") && !Catch::Contains("arrived"));
}

TEST_CASE("Every command's --help in French and in English") {
    test::TempDir dir;
    const auto top_fr = run_accueil(dir, {"--help"}, kFrench);
    CHECK(top_fr.code == 0);
    CHECK_THAT(top_fr.out, Catch::Contains("Utilisation : accueil [OPTIONS] COMMANDE"));
    CHECK_THAT(top_fr.out, Catch::Contains("\nCommandes :\n") &&
                               Catch::Contains("Créer le fichier de l'événement") &&
                               Catch::Contains("Afficher cette aide et quitter"));
    const auto top_en = run_accueil(dir, {"--help"}, kEnglish);
    CHECK_THAT(top_en.out, Catch::Contains("Usage: accueil [OPTIONS] COMMAND") &&
                               Catch::Contains("Commands:") && Catch::Contains("Create the event database") &&
                               Catch::Contains("Show this help and exit"));
    for (const auto& cmd : {std::vector<std::string>{"init"},
                            {"import"},
                            {"search"},
                            {"checkin"},
                            {"undo"},
                            {"stats"},
                            {"rebuild"},
                            {"demo"},
                            {"demo-roster"},
                            {"keys"},
                            {"keys", "init"},
                            {"keys", "list"},
                            {"badge"},
                            {"badges"},
                            {"reprint"},
                            {"pin"},
                            {"pin", "set"},
                            {"pin", "clear"},
                            {"report"},
                            {"export"}}) {
        auto args = cmd;
        args.push_back("--help");
        const auto fr = run_accueil(dir, args, kFrench);
        const auto en = run_accueil(dir, args, kEnglish);
        CAPTURE(cmd);
        CHECK(fr.code == 0);
        CHECK(en.code == 0);
        CHECK_THAT(fr.out,
                   Catch::Contains("Utilisation") && Catch::Contains("Afficher cette aide et quitter"));
        // CLI11's own words, and the English descriptions, are gone.
        CHECK_THAT(fr.out, !Catch::Contains("Usage") && !Catch::Contains("REQUIRED") &&
                               !Catch::Contains(" TEXT ") && !Catch::Contains(" TEXT:") &&
                               !Catch::Contains("Print this help") && !Catch::Contains("Database file") &&
                               !Catch::Contains("file to write"));
        CHECK_THAT(en.out, Catch::Contains("Usage:") && Catch::Contains("Show this help and exit"));
        CHECK(fr.out != en.out);
    }
    const auto checkin = run_accueil(dir, {"checkin", "--help"}, kFrench);
    CHECK_THAT(checkin.out, Catch::Contains("Code du badge ou du billet") && Catch::Contains("OBLIGATOIRE") &&
                                Catch::Contains("Fichier de l'événement (créé par accueil init)"));
}

TEST_CASE("Command line mistakes get a plain sentence in the person's language, and where help is") {
    test::TempDir dir;
    auto r = run_accueil(dir, {"search", "jean"}, kFrench);
    CHECK(r.code != 0);
    CHECK(r.err ==
          "accueil search : Il manque l'option --db : Fichier de l'événement (créé par accueil init).\n"
          "Pour l'aide, lancez : accueil search --help\n");
    r = run_accueil(dir, {"search", "jean"}, kEnglish);
    CHECK(r.err == "accueil search: Missing --db: Event database file (made by accueil init).\n"
                   "For help, run: accueil search --help\n");
    r = run_accueil(dir, {"search", "--db", dir.file("x.db"), "jean", "--frob"}, kFrench);
    CHECK(r.code != 0);
    CHECK_THAT(r.err, Catch::StartsWith(
                          "accueil search : --frob ne fait pas partie des options de cette commande."));
    r = run_accueil(dir, {"search", "--db", dir.file("x.db"), "--limit", "abc", "jean"}, kFrench);
    CHECK_THAT(r.err, Catch::StartsWith("accueil search : --limit attend un nombre, pas « abc »."));
    r = run_accueil(dir, {"search", "--db", dir.file("x.db"), "--limit", "abc", "jean"}, kEnglish);
    CHECK_THAT(r.err, Catch::StartsWith("accueil search: --limit expects a number, not \"abc\"."));
    r = run_accueil(dir, {"search", "--db"}, kFrench);
    CHECK_THAT(r.err, Catch::StartsWith("accueil search : Il manque la valeur après --db"));
    r = run_accueil(dir, {"reprint", "--db", dir.file("x.db")}, kFrench);
    CHECK_THAT(r.err,
               Catch::StartsWith("accueil reprint : Il manque l'argument personne : La personne, par son "
                                 "identifiant ou son code de billet."));
    // 0 (and -3, which an unsigned count once wrapped round to billions) is refused before any work.
    r = run_accueil(dir, {"demo", "--db", dir.file("demo.db"), "--count", "0"}, kEnglish);
    CHECK(r.code != 0);
    CHECK_THAT(r.err, Catch::StartsWith("accueil demo: --count must be from 1 to 200000, not \"0\"."));
    CHECK_FALSE(std::filesystem::exists(dir.file("demo.db")));
    r = run_accueil(dir, {"bogus"}, kFrench);
    CHECK(r.code != 0);
    CHECK_THAT(r.err,
               Catch::StartsWith("accueil : « bogus » n'est pas une commande. Les commandes sont : init, "
                                 "import, search, checkin") &&
                   Catch::Contains("Pour l'aide, lancez : accueil --help"));
    r = run_accueil(dir, {}, kEnglish);
    CHECK_THAT(r.err, Catch::StartsWith("accueil: Which command? Choose one of: init, import, search"));
    r = run_accueil(dir, {"keys"}, kFrench);
    CHECK_THAT(r.err, Catch::StartsWith("accueil keys : Quelle commande ? Choisissez parmi : init, list."));
    r = run_accueil(dir, {"export", "--db", dir.file("x.db"), "--out", dir.file("p.csv"), "--lang", "de"},
                    kFrench);
    CHECK(r.code != 0);
    CHECK_THAT(r.err,
               Catch::StartsWith("accueil export : --lang accepte ces valeurs : fr, en (pas « de »)."));
    CHECK_FALSE(std::filesystem::exists(dir.file("x.db")));
}

TEST_CASE_METHOD(CliFixture, "checkin on a date outside the event says it is not one of the event's days") {
    REQUIRE(run_bin("accueil", "import --db " + db + " " + write("r.csv", kRoster)).exit_code == 0);
    const auto before = test::count_in(db, "SELECT count(*) FROM journal");
    auto r = run_accueil(dir, {"checkin", "--db", db, "T-002", "--at", "2022-10-02T09:00"}, kEnglish);
    CHECK(r.code == 1);
    CHECK(r.out ==
          "not an event day: 2022-10-02 is not one of the event's days (2022-09-27 (OFF), 2022-09-28, "
          "2022-09-29); nothing was recorded. Check the date (the computer's clock, or --at)\n");
    r = run_accueil(dir, {"checkin", "--db", db, "T-002", "--at", "2022-10-02T09:00"}, kFrench);
    CHECK(r.code == 1);
    CHECK_THAT(r.out,
               Catch::StartsWith("pas un jour de l'événement : le 2022-10-02 n'en fait pas partie (jours : "
                                 "2022-09-27 (OFF), 2022-09-28, 2022-09-29)"));
    CHECK(test::count_in(db, "SELECT count(*) FROM journal") == before);
}

TEST_CASE("A kiosk's database is refused where the event database is needed, saying where that is") {
    test::TempDir dir;
    const std::string kiosk = dir.file("kiosque.db");
    {
        // What `accueil-sync join` leaves: the device's role and name in meta.
        accueil::Store s = accueil::Store::create(kiosk, test::demo_spec());
        accueil::WriteTransaction tx(s.db());
        s.set_meta("sync.role", "kiosk");
        s.set_meta("kiosk_name", "Borne 2");
        tx.commit();
    }
    const auto before = test::count_in(kiosk, "SELECT count(*) FROM journal");
    auto r = run_accueil(dir, {"keys", "init", "--db", kiosk}, kEnglish);
    CHECK(r.code == 2);
    CHECK_THAT(r.err,
               Catch::Contains(kiosk + " is the database of the device \"Borne 2\" (self-service kiosk, made "
                                       "by accueil-sync join), not the event database") &&
                   Catch::Contains("organisers' machine") && Catch::Contains("made by accueil init"));
    CHECK_THAT(r.err, !Catch::Contains("create it with"));
    CHECK_FALSE(std::filesystem::exists(kiosk + ".key"));

    r = run_accueil(dir, {"badges", "--db", kiosk, "--out", dir.file("b.pdf")}, kFrench);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("est la base de l'appareil « Borne 2 » (borne en libre-service") &&
                          Catch::Contains("pas le fichier de l'événement"));
    CHECK_FALSE(std::filesystem::exists(dir.file("b.pdf")));

    // Its roster comes from the organisers' machine: an import here would be refused there.
    std::ofstream(dir.file("r.csv")) << kRoster;
    r = run_accueil(dir, {"import", "--db", kiosk, dir.file("r.csv")}, kEnglish);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("not the event database"));
    CHECK(test::count_in(kiosk, "SELECT count(*) FROM attendees") == 0);
    r = run_accueil(dir, {"badge", "--db", kiosk, "T-001"}, kEnglish);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("not the event database"));
    r = run_accueil(dir, {"reprint", "--db", kiosk, "T-001"}, kEnglish);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("not the event database"));

    // A device gets its keys from the organisers' machine; it is not told to make one.
    r = run_accueil(dir, {"keys", "list", "--db", kiosk}, kEnglish);
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("receives the event's keys from the organisers' machine") &&
                          !Catch::Contains("keys init"));
    CHECK(test::count_in(kiosk, "SELECT count(*) FROM journal") == before);
}

TEST_CASE("A missing database names its whole path and what to run, and creates nothing") {
    test::TempDir dir;
    const std::string missing = dir.file("evenement.db");
    auto r = run_accueil(dir, {"stats", "--db", missing}, kEnglish);
    CHECK(r.code == 2);
    CHECK(r.err ==
          "accueil: there is no database at " + missing +
              ". Check the path; to prepare a new event, create its database with: accueil init --db " +
              missing + " --name \"…\" --days …\n");
    r = run_accueil(dir, {"checkin", "--db", missing, "T-001"}, kFrench);
    CHECK_THAT(r.err,
               Catch::StartsWith("accueil : il n'y a pas de base de données à l'emplacement " + missing +
                                 ". Vérifiez le chemin ; pour préparer un nouvel événement"));
    // The organiser PIN is a kiosk's: its database comes from joining, not from `accueil init`.
    r = run_accueil(dir, {"pin", "clear", "--db", dir.file("kiosque.db")}, kEnglish);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("no database at " + dir.file("kiosque.db")) &&
                          Catch::Contains("accueil-sync join") && !Catch::Contains("accueil init"));
    CHECK_FALSE(std::filesystem::exists(missing));
    CHECK_FALSE(std::filesystem::exists(dir.file("kiosque.db")));
}

TEST_CASE("The demo speaks French under a French locale") {
    test::TempDir dir;
    const auto r = run_accueil(dir, {"demo", "--db", dir.file("demo.db"), "--count", "120"}, kFrench);
    CHECK(r.code == 0);
    CHECK_THAT(r.out,
               Catch::Contains("== Événement : ") && Catch::Contains("== Recherche, telle qu'un bénévole") &&
                   Catch::Contains("arrivée enregistrée : ") &&
                   Catch::Contains("arrivée déjà enregistrée : ") && Catch::Contains("code inconnu") &&
                   Catch::Contains("annulation pour ") && Catch::Contains("== Chiffres des arrivées") &&
                   Catch::Contains("Par catégorie : inscriptions"));
    CHECK_THAT(r.out, !Catch::Contains("admitted") && !Catch::Contains("== Event") &&
                          !Catch::Contains("already checked in") && !Catch::Contains("registered"));
}
