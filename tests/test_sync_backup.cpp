// Backups of the central store and `accueil-sync restore` (issue 13), with the real server on
// 127.0.0.1 and real kiosks pushing; and the log lines of serve and agent.
#include "database.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/sync_desk.hpp"
#include "support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace accueil;
using namespace accueil::test;
namespace fs = std::filesystem;

namespace {

const Env kEnglish{{"LANGUAGE", ""}, {"LC_ALL", "C.UTF-8"}, {"LANG", "C.UTF-8"}};
const Env kFrench{{"LANGUAGE", ""}, {"LC_ALL", "fr_FR.UTF-8"}};

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

// The backups in a folder, by name (oldest first: names sort by time).
std::vector<std::string> backups_in(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".db")
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string integrity(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    return d.execAndGet("PRAGMA integrity_check").getString();
}

// Every journal event of `origin_hex` up to its acknowledged mark in `kiosk`: what the server
// acknowledged.
std::set<std::string> acknowledged(const std::string& kiosk) {
    SQLite::Database d(kiosk, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(d,
                        "SELECT hex(j.origin) || '/' || j.seq FROM journal j JOIN meta m ON m.key = 'origin' "
                        "AND m.value = j.origin JOIN sync_acked a ON a.origin = j.origin "
                        "WHERE j.seq <= a.high_water");
    std::set<std::string> out;
    while (q.executeStep())
        out.insert(q.getColumn(0).getString());
    return out;
}

std::set<std::string> journal_keys(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(d, "SELECT hex(origin) || '/' || seq FROM journal");
    std::set<std::string> out;
    while (q.executeStep())
        out.insert(q.getColumn(0).getString());
    return out;
}

// A consistent snapshot: each origin's seqs in the journal run 1..max without a gap.
bool gapless(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    return d.execAndGet("SELECT count(*) FROM (SELECT origin FROM journal GROUP BY origin "
                        "HAVING count(*) <> max(seq) OR min(seq) <> 1)")
               .getInt() == 0;
}

bool owner_only(const std::string& path) {
    return (fs::status(path).permissions() & fs::perms::all) ==
           (fs::perms::owner_read | fs::perms::owner_write);
}

} // namespace

TEST_CASE("A backup taken while kiosks push holds every acknowledged event and restores intact", "[backup]") {
    Desk desk(false, 300);
    desk.start_server(kEnglish, {"--backup-every", "1", "--backup-keep", "100"});
    const auto k1 = desk.add_kiosk("Accueil 1");
    const auto k2 = desk.add_kiosk("Accueil 2");
    auto a1 = desk.agent(k1);
    auto a2 = desk.agent(k2);

    // Arrivals stream in on both kiosks while the server merges them and takes backups.
    std::atomic<bool> streaming{true};
    std::atomic<int> admitted{0};
    std::thread scanner([&] {
        for (std::size_t i = 0; streaming && i < desk.people.size(); ++i)
            admitted += check_in_on(i % 2 ? k2 : k1, {desk.people[i]});
    });
    const bool backups_during = wait_until(
        [&] { // acknowledged by the server, not only recorded on the kiosks
            return count_of(desk.server->err(), "backup taken") >= 4 &&
                   acknowledged(k1).size() + acknowledged(k2).size() >= 40;
        },
        std::chrono::seconds(60));
    // The stop comes while arrivals are still coming: the last backup is taken after the last answer.
    desk.server->signal(SIGTERM);
    CHECK(desk.server->wait() == 0);
    streaming = false;
    scanner.join();
    a1->signal(SIGTERM);
    a2->signal(SIGTERM);
    a1->wait();
    a2->wait();
    REQUIRE(backups_during);
    const std::string log = desk.server->err();
    INFO(log);
    CHECK(count_of(log, "BACKUP FAILED") == 0);

    const std::string dir = desk.dir.file("backups");
    const auto names = backups_in(dir);
    REQUIRE(names.size() >= 5);
    for (const auto& n : names) {
        INFO(n);
        // Every copy taken in the middle of merges is whole, one consistent moment, owner-only.
        CHECK(integrity(dir + "/" + n) == "ok");
        CHECK(gapless(dir + "/" + n));
        CHECK(owner_only(dir + "/" + n));
    }
    // Nothing the server acknowledged is missing from the backup it took at stop.
    const std::string last = dir + "/" + names.back();
    const auto held = journal_keys(last);
    std::size_t acked = 0;
    for (const auto& k : {k1, k2}) {
        for (const auto& key : acknowledged(k)) {
            INFO(key);
            CHECK(held.count(key) == 1);
            ++acked;
        }
    }
    CHECK(acked >= 40);
    CHECK(journal_keys(desk.central) == held);

    // Restored where the central store was lost: intact, with the same journal.
    const std::string lost = desk.dir.file("new-laptop.db");
    const auto r = desk.run({"restore", last, "--db", lost}, kEnglish);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out,
               Catch::Contains("now holds the backup") && Catch::Contains("Numérique en Commun[s]") &&
                   Catch::Contains(std::to_string(count_in(last, "SELECT count(*) FROM checkin_days")) +
                                   " arrival"));
    CHECK(integrity(lost) == "ok");
    CHECK(journal_keys(lost) == held);
}

TEST_CASE("Backups rotate: the newest N and the last of each earlier day stay", "[backup]") {
    Desk desk;
    const std::string dir = desk.dir.file("kept");
    fs::create_directories(dir);
    for (const char* old : {"central-20220101-100000-000.db", "central-20220101-230000-000.db",
                            "central-20220102-080000-000.db", "central-20220102-090000-000.db",
                            ".central-20220103-090000-000.db.tmp", "notes.txt"})
        std::ofstream(dir + "/" + old) << "x";
    // Three clean stops, three backups (one every hour would not come during the test).
    for (int i = 0; i < 3; ++i) {
        desk.start_server(kEnglish, {"--backup-dir", dir, "--backup-every", "3600", "--backup-keep", "2"});
        desk.stop_server();
    }
    const auto names = backups_in(dir);
    REQUIRE(names.size() == 4);
    CHECK(names[0] == "central-20220101-230000-000.db");
    CHECK(names[1] == "central-20220102-090000-000.db");
    CHECK(fs::exists(dir + "/notes.txt"));                                 // not ours: left alone
    CHECK_FALSE(fs::exists(dir + "/.central-20220103-090000-000.db.tmp")); // a killed server's copy
    CHECK(integrity(dir + "/" + names[3]) == "ok");
    CHECK(journal_keys(dir + "/" + names[3]) == journal_keys(desk.central));
}

TEST_CASE("Restore refuses what it must not put back, leaving the database exactly as it was", "[backup]") {
    Desk desk;
    const std::string dir = desk.dir.file("backups");
    desk.start_server(kEnglish);
    const auto kiosk = desk.add_kiosk("Accueil 1");
    desk.stop_server();
    const auto names = backups_in(dir); // the one at stop, and perhaps one when the kiosk joined
    REQUIRE(!names.empty());
    const std::string good = dir + "/" + names.back();
    const std::string before = bytes_of(desk.central);
    REQUIRE(!before.empty());

    auto refused = [&](const std::string& file, const std::string& words, const Env& env = kEnglish) {
        INFO(file);
        const auto r = desk.run({"restore", file, "--db", desk.central}, env);
        INFO(r.out << r.err);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(words));
        CHECK(bytes_of(desk.central) == before);
        CHECK_FALSE(fs::exists(desk.central + ".restoring"));
        for (const auto& e : fs::directory_iterator(desk.dir.path()))
            CHECK(e.path().filename().string().find("before-restore") == std::string::npos);
    };

    // Damaged: the pages after the first overwritten.
    const std::string damaged = desk.dir.file("damaged.db");
    {
        std::string b = bytes_of(good);
        REQUIRE(b.size() > 3 * 4096);
        std::fill(b.begin() + 4096, b.end(), '\xAB');
        std::ofstream(damaged, std::ios::binary) << b;
    }
    refused(damaged, "is damaged");
    refused(damaged, "est abîmé", kFrench);
    // Cut short, as an interrupted copy to a USB stick would be.
    const std::string cut = desk.dir.file("cut.db");
    {
        const std::string b = bytes_of(good);
        std::ofstream(cut, std::ios::binary) << b.substr(0, b.size() / 2);
    }
    {
        const auto r = desk.run({"restore", cut, "--db", desk.central}, kEnglish);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("damaged") || Catch::Contains("not an accueil database"));
        CHECK(bytes_of(desk.central) == before);
    }
    std::ofstream(desk.dir.file("notes.txt")) << "not a database at all, long enough to have a header.....";
    refused(desk.dir.file("notes.txt"), "is not an accueil database");
    refused(kiosk, "is a kiosk's or desk's database");
    {
        const std::string newer = desk.dir.file("newer.db");
        fs::copy_file(good, newer);
        SQLite::Database d(newer, SQLite::OPEN_READWRITE);
        d.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion + 1));
    }
    refused(desk.dir.file("newer.db"), "made by a newer version of accueil");
    Store::create(desk.dir.file("other.db"),
                  EventSpec{"Another event", "Europe/Paris", {{"2023-01-01", ""}}});
    refused(desk.dir.file("other.db"), "a backup of another event database (\"Another event\")");
    refused(desk.dir.file("missing.db"), "There is no file at");
    refused(desk.dir.path().string(), "is not a file");
    {
        const auto r = desk.run({"restore", good, "--db", desk.dir.file("nowhere/central.db")}, kFrench);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("Le dossier de") && Catch::Contains("n'existe pas"));
        CHECK_FALSE(fs::exists(desk.dir.file("nowhere")));
    }
    refused(desk.central, "is the database itself");
}

TEST_CASE("Restore refuses while the server runs, then puts the backup back and keeps the replaced one",
          "[backup]") {
    Desk desk;
    const std::string dir = desk.dir.file("backups");
    desk.start_server(kEnglish);
    const auto kiosk = desk.add_kiosk("Accueil 1");
    desk.stop_server();
    const auto taken = backups_in(dir).size();
    REQUIRE(taken >= 1);
    const std::string backup = dir + "/" + backups_in(dir).back();
    const auto at_backup = journal_keys(backup);

    // Changes after the backup: an arrival pushed by the kiosk.
    desk.start_server(kEnglish, {"--backup-every", "0"});
    REQUIRE(check_in_on(kiosk, {desk.people[0]}) == 1);
    REQUIRE(desk.once(kiosk).code == 0);
    const auto now = journal_keys(desk.central);
    REQUIRE(now.size() > at_backup.size());

    auto r = desk.run({"restore", backup, "--db", desk.central}, kEnglish);
    INFO(r.out << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("is in use") && Catch::Contains("accueil-sync serve") &&
                          Catch::Contains("stop the server first"));
    CHECK(journal_keys(desk.central) == now);
    desk.stop_server();
    CHECK(backups_in(dir).size() == taken); // --backup-every 0: none at stop either

    r = desk.run({"restore", backup, "--db", desk.central}, kFrench);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("contient maintenant la sauvegarde") &&
                          Catch::Contains("« Numérique en Commun[s] », 0 arrivée") &&
                          Catch::Contains("La base remplacée est gardée sous le nom"));
    CHECK(journal_keys(desk.central) == at_backup);
    CHECK(integrity(desk.central) == "ok");
    std::string kept;
    for (const auto& e : fs::directory_iterator(desk.dir.path()))
        if (e.path().filename().string().starts_with("central.db.before-restore-"))
            kept = e.path().string();
    REQUIRE(!kept.empty());
    CHECK(journal_keys(kept) == now); // whole, its WAL folded in
    CHECK(owner_only(desk.central));

    // The restored store serves again.
    desk.start_server(kEnglish);
    desk.stop_server();
}

TEST_CASE("A server does not start while a restore holds its database", "[backup]") {
    Desk desk;
    const int fd = ::open(desk.central.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX) == 0);
    const auto r = desk.run(
        {"serve", "--db", desk.central, "--listen", "127.0.0.1:" + std::to_string(desk.port), "--insecure"},
        kEnglish);
    ::close(fd);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("a backup is being restored into"));
}

TEST_CASE("A server that cannot write its backups serves anyway and says why once", "[backup]") {
    Desk desk;
    std::ofstream(desk.dir.file("a-file")) << "x";
    const std::string nowhere = desk.dir.file("a-file") + "/backups";
    desk.start_server(kEnglish, {"--backup-dir", nowhere, "--backup-every", "1"});
    const auto kiosk = desk.add_kiosk("Accueil 1");
    REQUIRE(check_in_on(kiosk, {desk.people[0]}) == 1);
    REQUIRE(desk.once(kiosk).code == 0);
    REQUIRE(check_in_on(kiosk, {desk.people[1]}) == 1);
    REQUIRE(desk.once(kiosk).code == 0);
    desk.server->signal(SIGTERM);
    CHECK(desk.server->wait() == 0);
    const std::string log = desk.server->err();
    INFO(log);
    // At start, at each change merged and at stop the folder is still not there: said once.
    CHECK(count_of(log, "BACKUPS ARE NOT BEING TAKEN") == 1);
    CHECK_THAT(log, Catch::Contains("cannot create the backup folder " + nowhere));
    CHECK(count_of(log, "BACKUP FAILED") == 0);
    CHECK(count_of(log, "backup taken") == 0);
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkin_days") == 2); // it served all along
}

TEST_CASE("serve and agent log one line per event worth knowing, without secrets", "[backup][log]") {
    Desk desk;
    desk.start_server(kEnglish, {"--backup-every", "3600"});
    const std::string code = desk.enroll("Accueil 1");
    const std::string db = desk.dir.file("kiosk.db");
    REQUIRE(desk.run({"join", code, "--db", db}).code == 0);
    REQUIRE(wait_until([&] {
        return desk.server->err().find("device \"Accueil 1\" enrolled as kiosk") != std::string::npos;
    }));
    CHECK_THAT(desk.server->err(),
               Catch::Contains("server started on 127.0.0.1:") && Catch::Contains("backups every 3600 s"));

    auto agent = desk.agent(db, kEnglish);
    REQUIRE(wait_until([&] { return agent->err().find("first contact") != std::string::npos; }));
    CHECK_THAT(agent->err(), Catch::Contains("agent started for " + db) && Catch::Contains("\"Accueil 1\""));

    // The server goes away for a few retries, then comes back: one line each way.
    desk.stop_server();
    REQUIRE(wait_until([&] { return agent->err().find("offline:") != std::string::npos; }));
    desk.start_server(kEnglish, {"--backup-every", "3600"});
    REQUIRE(wait_until([&] { return agent->err().find("again, after") != std::string::npos; }));
    agent->signal(SIGTERM);
    agent->wait();
    const std::string said = agent->err();
    INFO(said);
    CHECK(count_of(said, "offline:") == 1);
    CHECK(count_of(said, "again, after") == 1);
    desk.server->signal(SIGTERM);
    CHECK(desk.server->wait() == 0);
    const std::string server_log = desk.server->err();
    CHECK_THAT(server_log, Catch::Contains("server stopped"));
    // The enrolment code holds the device's secret (accueil1:scheme:host:port:secret:...): never logged.
    std::string secret = code;
    for (int i = 0; i < 4; ++i)
        secret = secret.substr(secret.find(':') + 1);
    secret = secret.substr(0, secret.find(':'));
    REQUIRE(secret.size() >= 16);
    CHECK(server_log.find(secret) == std::string::npos);
    CHECK(said.find(secret) == std::string::npos);
}

TEST_CASE("A central store restored from an older backup gets back every arrival the kiosks had sent",
          "[backup]") {
    Desk desk;
    const std::string dir = desk.dir.file("backups");
    desk.start_server(kEnglish);
    const auto k1 = desk.add_kiosk("Accueil 1");
    const auto k2 = desk.add_kiosk("Accueil 2");
    // A device that joins is in a backup at once, not only in the next periodic one.
    REQUIRE(wait_until([&] { return !backups_in(dir).empty(); }, std::chrono::seconds(20)));
    REQUIRE(check_in_on(k1, {desk.people[0]}) == 1);
    REQUIRE(desk.once(k1).code == 0);
    desk.stop_server(); // its backup at stop holds people[0]'s arrival
    const std::string backup = dir + "/" + backups_in(dir).back();
    const std::string old_origin = meta_in(desk.central, "origin");

    // After that backup: arrivals the server acknowledged, and one recorded on the central machine
    // itself, which the kiosks pulled.
    desk.start_server(kEnglish, {"--backup-every", "0"});
    REQUIRE(check_in_on(k1, {desk.people[1], desk.people[2]}) == 2);
    REQUIRE(check_in_on(k2, {desk.people[3]}) == 1);
    REQUIRE(check_in_on(desk.central, {desk.people[4]}) == 1);
    for (const auto& k : {k1, k2, k1})
        REQUIRE(desk.once(k).code == 0);
    std::set<std::string> sent = acknowledged(k1);
    sent.merge(acknowledged(k2));
    REQUIRE(sent.size() == 4);
    desk.stop_server();

    // The central store is lost; the last backup is put back.
    const auto r = desk.run({"restore", backup, "--db", desk.central}, kEnglish);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    REQUIRE(checkins_in(desk.central).size() == 1);
    // It writes under a new origin from now on: its lost check-in's number is already in the kiosks.
    CHECK(meta_in(desk.central, "origin") != old_origin);

    desk.start_server(kEnglish, {"--backup-every", "0"});
    for (const auto& k : {k1, k2}) {
        const auto once = desk.once(k);
        INFO(once.out << once.err);
        CHECK(once.code == 0);
    }
    // Every arrival a kiosk had sent is back, and nothing was refused on the way.
    const auto held = journal_keys(desk.central);
    for (const auto& key : sent) {
        INFO(key);
        CHECK(held.count(key) == 1);
    }
    for (const auto& k : {k1, k2})
        CHECK(count_in(k, "SELECT count(*) FROM sync_dead_letters") == 0);

    // What the restored store records now reaches every kiosk.
    REQUIRE(check_in_on(desk.central, {desk.people[5]}) == 1);
    for (const auto& k : {k1, k2}) {
        REQUIRE(desk.once(k).code == 0);
        const auto theirs = checkins_in(k);
        for (const auto& c : checkins_in(desk.central)) {
            INFO(k << " " << c);
            CHECK(theirs.count(c) == 1);
        }
    }
    desk.stop_server();
}
