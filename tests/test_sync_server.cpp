// `accueil-sync serve`, `status` and the organisers' other commands of accueil-sync (issue 12): one
// server per port, said plainly with who holds it; `status` in one language, duplicates by name; every
// message in French under a French locale and in English otherwise. Real processes on 127.0.0.1.
#include "checkin.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/sockets.hpp"
#include "support/temp_dir.hpp"
#include "sync/devices.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

using namespace accueil;
using namespace std::chrono_literals;
using test::Env;
using test::Process;
using test::wait_until;
namespace fs = std::filesystem;

namespace {

const std::string kSync = std::string(ACCUEIL_BIN_DIR) + "/accueil-sync";

// The languages a person's terminal may be in: our programs read only the variables, so no system
// locale is needed. LANGUAGE, which would win over LC_ALL, is emptied.
const Env kFrench{{"LANGUAGE", ""}, {"LC_ALL", "fr_FR.UTF-8"}};
const Env kEnglish{{"LANGUAGE", ""}, {"LC_ALL", "C.UTF-8"}};

struct Ran {
    int code = -1;
    std::string out, err;
};

// Runs accueil-sync to its end; `input` is its standard input.
Ran run_sync(const test::TempDir& dir, const std::vector<std::string>& args, const Env& env,
             const std::string& input = "") {
    static int runs = 0;
    const std::string in_path = dir.file("stdin-" + std::to_string(runs));
    std::ofstream(in_path) << input;
    std::vector<std::string> full{"/bin/sh", "-c", "exec \"$0\" \"$@\" < " + in_path, kSync};
    full.insert(full.end(), args.begin(), args.end());
    Process p(full, dir.file("run-" + std::to_string(runs++)), env);
    const int code = p.wait();
    return {code, p.out(), p.err()};
}

// A server of `db` on 127.0.0.1:port, once it says it serves.
std::unique_ptr<Process> start_server(const test::TempDir& dir, const std::string& db, int port,
                                      const std::string& log) {
    auto p =
        std::make_unique<Process>(std::vector<std::string>{kSync, "serve", "--db", db, "--listen",
                                                           "127.0.0.1:" + std::to_string(port), "--insecure"},
                                  dir.file(log), kEnglish);
    REQUIRE(wait_until([&] { return p->out().find("serving") != std::string::npos; }, 15s));
    return p;
}

// What the databases are made of: each file beside them (their certificates among them), logs aside.
std::set<std::string> database_files(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.path().string().find(".db") != std::string::npos && !e.path().string().ends_with("-shm") &&
            !e.path().string().ends_with("-wal"))
            out.insert(e.path().string());
    return out;
}

std::string meta_of(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    return test::dump_queries(d, {"SELECT key, value FROM meta ORDER BY key"});
}

// A listening socket of the test itself on 127.0.0.1:port.
test::Socket hold_port(int port) {
    test::Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)); // not inherited by the children
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(std::uint16_t(port));
    REQUIRE(::bind(s.fd(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(s.fd(), 4) == 0);
    return s;
}

std::string own_command_line() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.substr(0, text.find('\0')); // the program's path: enough to recognise it
}

} // namespace

TEST_CASE("A second server on an address in use refuses to start, names the first and changes nothing",
          "[sync_server]") {
    test::TempDir dir;
    const std::string first_db = dir.file("central.db"), other_db = dir.file("other.db");
    test::create_central_with_roster(first_db, 3);
    test::create_central_with_roster(other_db, 3);
    const int port = test::free_port();
    auto first = start_server(dir, first_db, port, "first");
    const pid_t first_pid = test::pid_with_args({"serve", first_db});
    REQUIRE(first_pid > 0);

    const auto files_before = database_files(dir.path());
    const std::string first_meta = meta_of(first_db), other_meta = meta_of(other_db);
    const std::string address = "127.0.0.1:" + std::to_string(port);
    struct Attempt {
        std::string db, listen;
        std::vector<std::string> extra;
    };
    // Another database over TLS (a certificate would be made for it), the same database with another
    // address for enrolment codes, and every address of the machine, which includes the first one's.
    for (const Attempt& a : {Attempt{other_db, address, {}},
                             Attempt{first_db, address, {"--insecure", "--url", "http://192.0.2.9:1"}},
                             Attempt{other_db, "0.0.0.0:" + std::to_string(port), {"--insecure"}}}) {
        INFO(a.db << " " << a.listen);
        std::vector<std::string> args{"serve", "--db", a.db, "--listen", a.listen};
        args.insert(args.end(), a.extra.begin(), a.extra.end());
        const auto r = run_sync(dir, args, kEnglish);
        CHECK(r.code == 2);
        CHECK(r.out.find("serving") == std::string::npos);
        CHECK_THAT(r.err, Catch::Contains("another accueil-sync server already listens on") &&
                              Catch::Contains("(process " + std::to_string(first_pid) + ": ") &&
                              Catch::Contains("serve --db " + first_db) &&
                              Catch::Contains("kill " + std::to_string(first_pid)) &&
                              Catch::Contains("Nothing was changed."));
    }
    // Nothing written: no certificate, no address put in either database.
    CHECK(database_files(dir.path()) == files_before);
    CHECK(meta_of(first_db) == first_meta);
    CHECK(meta_of(other_db) == other_meta);

    // In French, the same.
    const auto fr = run_sync(dir, {"serve", "--db", other_db, "--listen", address}, kFrench);
    CHECK(fr.code == 2);
    CHECK_THAT(fr.err, Catch::Contains("un autre serveur accueil-sync écoute déjà sur " + address) &&
                           Catch::Contains("(processus " + std::to_string(first_pid) + " : ") &&
                           Catch::Contains("Rien n'a été modifié."));

    // The first server went on answering throughout.
    CHECK(test::http_get(port, "/v1/hello").first == 200);
    first->signal(SIGTERM);
    CHECK(first->wait() == 0);
    // Once it has stopped, the port is free again at once.
    auto second = start_server(dir, other_db, port, "second");
    second->signal(SIGTERM);
    CHECK(second->wait() == 0);
}

TEST_CASE("A port held by another program names it, or says plainly that it cannot tell", "[sync_server]") {
    test::TempDir dir;
    const std::string db = dir.file("central.db");
    test::create_central_with_roster(db, 1);
    const int port = test::free_port();
    const auto held = hold_port(port);
    const std::string address = "127.0.0.1:" + std::to_string(port);

    const auto r = run_sync(dir, {"serve", "--db", db, "--listen", address, "--insecure"}, kEnglish);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(address + " is already in use by another program (process " +
                                      std::to_string(::getpid()) + ": " + own_command_line()) &&
                          Catch::Contains("choose another port with --listen"));

    // A holder of another user: its descriptors are not ours to read, only the socket's owner is known.
    // A made-up /proc says so (the tests may run as root, who reads everything).
    const fs::path proc = dir.path() / "proc";
    fs::create_directories(proc / "net");
    char line[256];
    std::snprintf(
        line, sizeof line,
        "   0: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000  4242        0 "
        "987654321 1 0000000000000000 100 0 0 10 0\n",
        unsigned(port));
    std::ofstream(proc / "net" / "tcp")
        << "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
           "retrnsmt   uid  timeout inode\n"
        << line;
    std::ofstream(proc / "net" / "tcp6") << "  sl  local_address remote_address st\n";
    fs::create_directories(proc / "1" / "fd"); // a process whose descriptors hold nothing of the kind
    Env env = kEnglish;
    env.emplace_back("ACCUEIL_SYNC_TEST_PROC_ROOT", proc.string());
    const auto hidden = run_sync(dir, {"serve", "--db", db, "--listen", address, "--insecure"}, env);
    CHECK(hidden.code == 2);
    CHECK_THAT(hidden.err,
               Catch::Contains("already in use by another program (a program of the user 4242; this account "
                               "may not see which)"));
    env = kFrench;
    env.emplace_back("ACCUEIL_SYNC_TEST_PROC_ROOT", proc.string());
    const auto hidden_fr = run_sync(dir, {"serve", "--db", db, "--listen", address, "--insecure"}, env);
    CHECK_THAT(hidden_fr.err,
               Catch::Contains("est déjà utilisé par un autre programme (un programme de "
                               "l'utilisateur 4242 ; ce compte n'a pas le droit de voir lequel)"));
    // Nothing in /proc at all (another network namespace): said too.
    std::ofstream(proc / "net" / "tcp") << "  sl  local_address\n";
    env = kEnglish;
    env.emplace_back("ACCUEIL_SYNC_TEST_PROC_ROOT", proc.string());
    CHECK_THAT(run_sync(dir, {"serve", "--db", db, "--listen", address, "--insecure"}, env).err,
               Catch::Contains("another program (which one could not be found out)"));
    CHECK(meta_of(db).find("sync.url") == std::string::npos);
}

TEST_CASE("serve says a bad --listen and a missing database in the person's words", "[sync_server]") {
    test::TempDir dir;
    const std::string db = dir.file("central.db");
    test::create_central_with_roster(db, 1);
    const auto bad = run_sync(dir, {"serve", "--db", db, "--listen", "8443", "--insecure"}, kFrench);
    CHECK(bad.code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--listen attend MACHINE:PORT") && Catch::Contains("« 8443 »"));
    const auto port = std::to_string(test::free_port());
    const auto missing =
        run_sync(dir, {"serve", "--db", dir.file("centrale.db"), "--listen", "127.0.0.1:" + port}, kFrench);
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, Catch::Contains("Il n'y a pas de base de données à l'emplacement " +
                                            dir.file("centrale.db")) &&
                                Catch::Contains("accueil init"));
    CHECK_FALSE(fs::exists(dir.file("centrale.db")));
    CHECK_FALSE(fs::exists(dir.file("centrale.db.tls")));
}

namespace {

// A central store where Prénom0 Nom0 was checked in twice on 28 September (Accueil 1 at 09:12, then
// Accueil 3 at 09:14), Prénom1 Nom1 once, and a device enrolled that has not joined yet.
struct Duplicates {
    test::TempDir dir;
    std::string db = dir.file("central.db");
    std::vector<std::string> ids = test::create_central_with_roster(db, 3);

    Duplicates() {
        Store s = Store::open(db);
        s.set_kiosk_name("Accueil 1");
        REQUIRE(check_in(s, ids[0], test::kSept28At0912).verdict == Verdict::Admitted);
        REQUIRE(check_in(s, ids[1], test::kSept28At0912 + 60'000).verdict == Verdict::Admitted);
        {
            // Accueil 3, offline, checked her in too: its check-in as it reaches the central store.
            WriteTransaction tx(s.db());
            s.append(EventKind::CheckIn, ids[0],
                     {{"day", "2022-09-28"}, {"at", test::kSept28At0912 + 120'000}, {"kiosk", "Accueil 3"}});
            tx.commit();
        }
        sync::enrol_device(s, "Accueil 2");
    }
};

} // namespace

TEST_CASE("status lists duplicate check-ins by name with devices and times, in English", "[sync_server]") {
    Duplicates d;
    const auto r = run_sync(d.dir, {"status", "--db", d.db}, kEnglish);
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK_THAT(
        r.out,
        Catch::Contains("Database: " + d.db + "\n") &&
            Catch::Contains("Devices:\n  Accueil 2 (self-service kiosk): enrolment code not used yet\n") &&
            Catch::Contains("People checked in more than once the same day: 1\n"
                            "  Prénom0 Nom0, 2022-09-28: 09:12 (Accueil 1), 09:14 (Accueil 3)\n"));
    CHECK_THAT(r.out, !Catch::Contains(d.ids[0]) && !Catch::Contains("Prénom1"));
    // One language: none of the French words.
    for (const char* french : {"Base", "Appareils", "Personnes", "Modifications", " / "})
        CHECK_THAT(r.out, !Catch::Contains(french));
}

TEST_CASE("status lists duplicate check-ins by name with devices and times, in French", "[sync_server]") {
    Duplicates d;
    const auto r = run_sync(d.dir, {"status", "--db", d.db}, kFrench);
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK_THAT(
        r.out,
        Catch::Contains("Base de données : " + d.db + "\n") &&
            Catch::Contains("Appareils :\n  Accueil 2 (borne en libre-service) : code d'enrôlement pas "
                            "encore utilisé\n") &&
            Catch::Contains("Modifications refusées à l'arrivée : 0 (dont venant de copies de la base d'un "
                            "appareil : 0)\n") &&
            Catch::Contains("Personnes enregistrées plusieurs fois le même jour : 1\n"
                            "  Prénom0 Nom0, 2022-09-28 : 09:12 (Accueil 1), 09:14 (Accueil 3)\n"));
    CHECK_THAT(r.out, !Catch::Contains(d.ids[0]));
    // What concerns only a device's own database is not said of the central one.
    CHECK_THAT(r.out, !Catch::Contains("mises de côté sur cet appareil"));
    for (const char* english :
         {"Database", "Devices", "duplicate", "pending", "refused", "events", "origin", " / "})
        CHECK_THAT(r.out, !Catch::Contains(english));
}

TEST_CASE("The organisers' commands of accueil-sync speak French under a French locale", "[sync_server]") {
    test::TempDir dir;
    const std::string db = dir.file("central.db");
    test::create_central_with_roster(db, 2);
    const std::string before = meta_of(db);

    SECTION("help") {
        const auto help = run_sync(dir, {"--help"}, kFrench);
        CHECK(help.code == 0);
        CHECK_THAT(help.out, Catch::Contains("le serveur central des organisateurs"));
        // CLI11's own words too (shared/i18n/cli_words.hpp).
        const auto no_db = run_sync(dir, {"status"}, kFrench);
        CHECK(no_db.code != 0);
        CHECK_THAT(no_db.err, Catch::Contains("Il manque") && Catch::Contains("--db") &&
                                  Catch::Contains("La base centrale, ou celle d'un appareil") &&
                                  Catch::Contains("accueil-sync status --help"));
        for (const auto& [command, words] : std::vector<std::pair<std::string, std::string>>{
                 {"serve", "Adresse et port d'écoute"},
                 {"password", "La base centrale des organisateurs"},
                 {"link", "à usage unique"},
                 {"export", "clé USB"},
                 {"merge", "Les fichiers à intégrer"},
                 {"status", "celle d'un appareil"}}) {
            INFO(command);
            const auto r = run_sync(dir, {command, "--help"}, kFrench);
            CHECK(r.code == 0);
            CHECK_THAT(r.out, Catch::Contains(words));
            const auto en = run_sync(dir, {command, "--help"}, kEnglish);
            CHECK_THAT(en.out, !Catch::Contains(words));
        }
    }
    SECTION("password") {
        const auto short_one = run_sync(dir, {"password", "--db", db}, kFrench, "court\n");
        CHECK(short_one.code == 2);
        CHECK_THAT(short_one.err, Catch::Contains("Le mot de passe doit avoir au moins 10 caractères"));
        const auto none = run_sync(dir, {"password", "--db", db}, kFrench, "");
        CHECK_THAT(none.err, Catch::Contains("Aucun mot de passe donné"));
        CHECK(meta_of(db) == before);
        const auto set = run_sync(dir, {"password", "--db", db}, kFrench, "un mot de passe assez long\n");
        CHECK(set.code == 0);
        CHECK_THAT(set.out, Catch::Contains("Mot de passe des organisateurs enregistré dans " + db));
    }
    SECTION("link") {
        CHECK_THAT(run_sync(dir, {"link", "--db", db, "--valid", "48h"}, kFrench).err,
                   Catch::Contains("« 48h » n'est pas une durée d'au plus 24 heures"));
        CHECK_THAT(run_sync(dir, {"link", "--db", db}, kFrench).err,
                   Catch::Contains("Aucune adresse de serveur n'est encore connue"));
        const auto nowhere = run_sync(
            dir, {"link", "--db", db, "--url", "https://192.0.2.1:8443", "--png", dir.file("absent/qr.png")},
            kFrench);
        CHECK(nowhere.code == 2);
        CHECK_THAT(nowhere.err, Catch::Contains("ce dossier n'existe pas : créez-le d'abord"));
        CHECK(test::count_in(db, "SELECT count(*) FROM web_links") == 0); // no link made
        const auto made = run_sync(dir, {"link", "--db", db, "--url", "https://192.0.2.1:8443"}, kFrench);
        CHECK(made.code == 0);
        CHECK_THAT(made.out, Catch::Contains("La page des organisateurs, déjà connectée : scannez ce code") &&
                                 Catch::Contains("Il ne sert qu'une fois, pendant 10min."));
    }
    SECTION("export and merge") {
        const auto exported =
            run_sync(dir, {"export", "--db", db, "--out", dir.file("a.acc"), "--all"}, kFrench);
        CHECK(exported.code == 0);
        CHECK_THAT(exported.out, Catch::Contains(dir.file("a.acc") + " : ") &&
                                     Catch::Contains("arrivées et autres modifications écrites"));
        CHECK_THAT(run_sync(dir, {"export", "--db", db, "--out", dir.file("clé/a.acc")}, kFrench).err,
                   Catch::Contains("impossible d'écrire ici") && Catch::Contains("Rien n'a été écrit."));
        std::ofstream(dir.file("photo.jpg")) << "\xff\xd8\xff not a bundle";
        const int journal_before = test::count_in(db, "SELECT count(*) FROM journal");
        const auto wrong = run_sync(dir, {"merge", dir.file("photo.jpg"), "--db", db}, kFrench);
        CHECK(wrong.code == 2);
        CHECK_THAT(wrong.err,
                   Catch::Contains("Ce n'est pas un fichier écrit par accueil-sync export. Rien n'a "
                                   "été intégré."));
        const auto missing =
            run_sync(dir, {"merge", dir.file("a.acc"), "--db", dir.file("centrale.db")}, kFrench);
        CHECK_THAT(missing.err, Catch::Contains("Il n'y a pas de base de données"));
        CHECK_FALSE(fs::exists(dir.file("centrale.db")));
        CHECK(test::count_in(db, "SELECT count(*) FROM journal") == journal_before);
    }
    SECTION("status of a mistyped path") {
        const auto r = run_sync(dir, {"status", "--db", dir.file("centrale.db")}, kFrench);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("Il n'y a pas de base de données à l'emplacement"));
        CHECK_FALSE(fs::exists(dir.file("centrale.db")));
    }
}

TEST_CASE("A used or unknown login link is said in the browser's language", "[sync_server]") {
    test::TempDir dir;
    const std::string db = dir.file("central.db");
    test::create_central_with_roster(db, 1);
    const int port = test::free_port();
    auto server = start_server(dir, db, port, "server");
    const auto page = [&](const std::string& language) {
        const test::Socket s = test::connect_from("127.0.0.1", port);
        REQUIRE(s.ok());
        REQUIRE(s.send_all("GET /login/link?t=" + std::string(64, 'a') +
                           " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                           (language.empty() ? "" : "Accept-Language: " + language + "\r\n") + "\r\n"));
        return s.read_all(5s);
    };
    const std::string fr = page("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7");
    CHECK_THAT(fr, Catch::StartsWith("HTTP/1.1 401") && Catch::Contains("<html lang=\"fr\">") &&
                       Catch::Contains("Lien de connexion expiré ou déjà utilisé") &&
                       Catch::Contains("connectez-vous avec le mot de passe") && !Catch::Contains("expired"));
    for (const std::string& other : {std::string("en-GB,en;q=0.9,fr;q=0.5"), std::string()}) {
        const std::string en = page(other);
        CHECK_THAT(en, Catch::Contains("<html lang=\"en\">") &&
                           Catch::Contains("Login link expired or already used") &&
                           !Catch::Contains("expiré"));
    }
    server->signal(SIGTERM);
    CHECK(server->wait() == 0);
}
