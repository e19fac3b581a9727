// Enrolment and the agent with the real programs on 127.0.0.1 (issue 12, findings 4, 7 and 8): joining
// is idempotent and honest, a failed join leaves nothing behind, `join --replace` revokes the old device
// at its server, a name in use is not enrolled again without --replace, the exit codes of
// shared/sync/join_exit.hpp, an agent on a path with no database, and all of it in French too.
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/sync_desk.hpp"
#include "support/temp_dir.hpp"
#include "sync/bundle.hpp"
#include "sync/devices.hpp"
#include "sync/join_exit.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace accueil;
using namespace accueil::test;
using sync::JoinExit;
namespace fs = std::filesystem;

namespace {

const Env kFrench{{"LANGUAGE", ""}, {"LC_ALL", "fr_FR.UTF-8"}};

int exit_code(JoinExit e) {
    return static_cast<int>(e);
}

// Everything a database holds that a join could write, as text: a refused join must leave it equal.
std::string contents(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    return dump_queries(d, {"SELECT key, hex(value) FROM meta ORDER BY key",
                            "SELECT hex(origin), seq, kind, entity FROM journal ORDER BY origin, seq",
                            "SELECT hex(origin), role, name FROM sync_peers ORDER BY origin",
                            "SELECT count(*) FROM attendees"});
}

// The central store's devices, whichever engine holds it (tests/support/sync_desk.hpp).
std::string devices_of(Desk& desk) {
    return desk.central_text("SELECT name, enrol_hash, token_hash, origin, joined_ms, revoked_ms, role "
                             "FROM sync_devices ORDER BY name");
}

// Whether `name` is listed as an active device by the central store.
bool active(Desk& desk, const std::string& name) {
    return desk.central_count("SELECT count(*) FROM sync_devices WHERE name = '" + name +
                              "' AND joined_ms IS NOT NULL AND revoked_ms IS NULL") == 1;
}

// Which engine holds the central store: the device rules must answer the same on both.
Backend backend_under_test() {
    return GENERATE(Backend::Sqlite, Backend::Postgres);
}

// accueil-sync under timeout(1): a command that used to wait forever fails (124) instead of hanging.
Ran bounded(Desk& desk, const std::vector<std::string>& args, const Env& env = {}) {
    std::vector<std::string> full{"/usr/bin/timeout", "20", kSync};
    full.insert(full.end(), args.begin(), args.end());
    Process p(full, desk.log("bounded"), env);
    const int code = p.wait();
    return {code, p.out(), p.err()};
}

bool nothing_at(const std::string& db) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        if (fs::exists(db + suffix))
            return false;
    return true;
}

} // namespace

TEST_CASE("Joining again with the same code changes nothing, and says where and as whom") {
    const auto backend = backend_under_test();
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const std::string code = desk.enroll("Accueil 1");
    const std::string k = desk.dir.file("kiosk.db");
    auto r = desk.run({"join", code, "--db", k});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    // Plain words: the server, the name, the roster and the arrivals; no "events received".
    CHECK_THAT(r.out, Catch::Contains("Joined http://127.0.0.1:" + std::to_string(desk.port) +
                                      " as \"Accueil 1\" (self-service kiosk)") &&
                          Catch::Contains("40 registered, 0 arrived so far"));
    CHECK_THAT(r.out, !Catch::Contains("events"));
    desk.kiosks.push_back(k);
    check_in_on(k, slice(desk.people, 0, 2));
    REQUIRE(desk.once(k).code == 0);
    const std::string before = contents(k);
    const std::string devices = devices_of(desk);

    // The same code again (scanned twice, a script run twice): done already, not "unknown code".
    r = desk.run({"join", code, "--db", k});
    INFO(r.out << r.err);
    CHECK(r.code == exit_code(JoinExit::Joined));
    CHECK_THAT(r.out, Catch::Contains("already joined http://127.0.0.1:" + std::to_string(desk.port) +
                                      " as \"Accueil 1\""));
    CHECK_THAT(r.out + r.err, !Catch::Contains("unknown or already used"));
    CHECK(contents(k) == before);

    // Another code without --replace: refused, saying where and as whom, nothing changed anywhere.
    const std::string other = desk.enroll("Accueil 2");
    const std::string devices_with_code = devices_of(desk);
    r = desk.run({"join", other, "--db", k});
    CHECK(r.code == exit_code(JoinExit::AlreadyJoined));
    CHECK_THAT(r.err, Catch::Contains("already joined") && Catch::Contains("\"Accueil 1\"") &&
                          Catch::Contains("--replace"));
    CHECK(contents(k) == before);
    CHECK(devices_of(desk) == devices_with_code);
    CHECK(devices_with_code != devices); // only the new code's row was added by enroll
    CHECK(active(desk, "Accueil 1"));
    CHECK(desk.once(k).code == 0);
    desk.require_converged(2);
}

TEST_CASE("join --replace at the same server revokes the old device, and the kiosk goes on as the new one") {
    const auto backend = backend_under_test();
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    check_in_on(k, slice(desk.people, 0, 3));
    REQUIRE(desk.once(k).code == 0);
    const std::string old_token = meta_in(k, "sync.token");

    const auto r = desk.run({"join", desk.enroll("Accueil 9"), "--db", k, "--replace"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("\"Accueil 1\" is no longer active") &&
                          Catch::Contains("as \"Accueil 9\"") && Catch::Contains("3 arrived so far"));
    CHECK_FALSE(active(desk, "Accueil 1"));
    CHECK(active(desk, "Accueil 9"));
    CHECK(meta_in(k, "kiosk_name") == "Accueil 9");
    // The old credentials are refused; the kiosk's new arrivals go in under its new name.
    const auto [status, body] = raw_post(desk.port, "/v1/pull", R"({"protocol":1})",
                                         {"X-Accueil-Protocol: 1", "Authorization: Bearer " + old_token});
    CHECK(status == 403);
    check_in_on(k, slice(desk.people, 3, 2));
    CHECK(desk.once(k).code == 0);
    desk.require_converged(5);
    // Its bundles are still its own (the origin moved to the new device, not revoked with the old).
    CHECK(desk.run({"export", "--all", "--db", k, "--out", desk.dir.file("k.acc")}).code == 0);
    CHECK(desk.run(desk.with_store({"merge", desk.dir.file("k.acc")})).code == 0);
}

TEST_CASE(
    "join --replace to another central store tells the old one first, and when unreachable nothing changes") {
    Desk old_desk, new_desk;
    old_desk.start_server();
    new_desk.start_server();
    const auto k = old_desk.add_kiosk("Accueil 1");
    check_in_on(k, slice(old_desk.people, 0, 2));
    REQUIRE(old_desk.once(k).code == 0);
    const std::string code = new_desk.enroll("Borne A");
    const std::string old_token = meta_in(k, "sync.token");

    // The old server is down: it cannot be told, so the join does not happen and the code stays unused.
    old_desk.stop_server();
    const std::string before = contents(k);
    const std::string new_devices = devices_of(new_desk);
    auto r = new_desk.run({"join", code, "--db", k, "--replace"});
    CHECK(r.code == exit_code(JoinExit::ServerUnreachable));
    CHECK_THAT(r.err, Catch::Contains("http://127.0.0.1:" + std::to_string(old_desk.port)) &&
                          Catch::Contains("Nothing changed"));
    CHECK(contents(k) == before);
    CHECK(devices_of(new_desk) == new_devices);
    CHECK(active(old_desk, "Accueil 1"));

    old_desk.start_server();
    r = new_desk.run({"join", code, "--db", k, "--replace"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("\"Accueil 1\" is no longer active at http://127.0.0.1:" +
                                      std::to_string(old_desk.port)));
    CHECK_FALSE(active(old_desk, "Accueil 1"));
    CHECK(active(new_desk, "Borne A"));
    CHECK(meta_in(k, "sync.server") == "http://127.0.0.1:" + std::to_string(new_desk.port));
    CHECK(meta_in(k, "kiosk_name") == "Borne A");
    // The old server refuses it from now on.
    const auto cut = raw_post(old_desk.port, "/v1/pull", R"({"protocol":1})",
                              {"X-Accueil-Protocol: 1", "Authorization: Bearer " + old_token});
    CHECK(cut.first == 403);
}

TEST_CASE("A failed join leaves nothing behind: no new file, an existing one exactly as it was") {
    Desk desk;
    desk.start_server();
    const std::string fresh = desk.dir.file("fresh.db");

    // Nothing listens at the code's address.
    const std::string silent =
        "accueil1:http:127.0.0.1:" + std::to_string(free_port()) + ":" + std::string(64, 'a') + ":00";
    auto r = desk.run({"join", silent, "--db", fresh});
    CHECK(r.code == exit_code(JoinExit::ServerUnreachable));
    CHECK_THAT(r.err, Catch::Contains("Nothing answers at http://127.0.0.1:"));
    CHECK(nothing_at(fresh));

    // The server refuses the code (used already).
    const std::string code = desk.enroll("Accueil 1");
    REQUIRE(desk.run({"join", code, "--db", desk.dir.file("first.db")}).code == 0);
    r = desk.run({"join", code, "--db", fresh});
    CHECK(r.code == exit_code(JoinExit::CodeRefused));
    CHECK_THAT(r.err, Catch::Contains("does not know this enrolment code"));
    CHECK(nothing_at(fresh));

    // A database made beforehand for joining (not joined yet): not written at all, not even a key.
    const std::string made = desk.dir.file("made.db");
    { sync::create_joining_store(made); }
    const std::string before = contents(made);
    r = desk.run({"join", code, "--db", made});
    CHECK(r.code == exit_code(JoinExit::CodeRefused));
    r = desk.run({"join", silent, "--db", made});
    CHECK(r.code == exit_code(JoinExit::ServerUnreachable));
    CHECK(contents(made) == before);
    CHECK(meta_in(made, "sync.device_seed").empty());

    // And the same file then joins with a good code.
    r = desk.run({"join", desk.enroll("Accueil 2"), "--db", made});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK_FALSE(meta_in(made, "sync.device_seed").empty());
}

TEST_CASE("join says what is wrong with the code and the server through its exit code") {
    Desk desk(true); // HTTPS, certificate pinned from the code
    desk.start_server();
    const std::string code = desk.enroll("Accueil 1");
    const std::string k = desk.dir.file("k.db");

    auto r = desk.run({"join", "hello", "--db", k});
    CHECK(r.code == exit_code(JoinExit::NotACode));
    // Truncated (a partial copy, a bad scan): damaged, and said so, not "not an accueil code".
    r = desk.run({"join", code.substr(0, code.size() - 10), "--db", k});
    CHECK(r.code == exit_code(JoinExit::DamagedCode));
    CHECK_THAT(r.err, Catch::Contains("incomplete or damaged") && Catch::Contains("copy the whole code") &&
                          !Catch::Contains("not an accueil enrolment code"));
    // The same address, another certificate in the code: someone else answering.
    std::string forged = code;
    forged.replace(forged.size() - 64, 64, std::string(64, 'b'));
    r = desk.run({"join", forged, "--db", k});
    CHECK(r.code == exit_code(JoinExit::WrongCertificate));
    CHECK_THAT(r.err, Catch::Contains("certificate"));
    // Nothing listening at the address.
    const std::string port = std::to_string(desk.port);
    std::string elsewhere = code;
    elsewhere.replace(elsewhere.find(":" + port + ":"), port.size() + 2,
                      ":" + std::to_string(free_port()) + ":");
    r = desk.run({"join", elsewhere, "--db", k});
    CHECK(r.code == exit_code(JoinExit::ServerUnreachable));
    CHECK(nothing_at(k));

    REQUIRE(desk.run({"join", code, "--db", k}).code == 0);
    r = desk.run({"join", code, "--db", desk.dir.file("other.db")});
    CHECK(r.code == exit_code(JoinExit::CodeRefused));
    CHECK(nothing_at(desk.dir.file("other.db")));
    r = desk.run({"join", desk.enroll("Accueil 2"), "--db", k});
    CHECK(r.code == exit_code(JoinExit::AlreadyJoined));
}

TEST_CASE("Enrolling a name in use is refused unless --replace, which cuts the old device off at once") {
    const auto backend = backend_under_test();
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const auto old_kiosk = desk.add_kiosk("Accueil 1");
    check_in_on(old_kiosk, slice(desk.people, 0, 2));
    REQUIRE(desk.once(old_kiosk).code == 0);

    const std::string before = devices_of(desk);
    auto r = desk.run(desk.with_store({"enroll", "--name", "Accueil 1"}));
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("\"Accueil 1\" is already the name of an enrolled device") &&
                          Catch::Contains("--replace"));
    CHECK(devices_of(desk) == before);

    r = desk.run(desk.with_store({"enroll", "--name", "Accueil 1", "--replace"}));
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("is cut off"));
    const std::string code = last_line(r.out);
    // Cut off at once: the old kiosk is told it was revoked, and its USB bundles are refused.
    check_in_on(old_kiosk, slice(desk.people, 2, 1));
    const auto cut = desk.once(old_kiosk);
    CHECK(cut.code == 1);
    CHECK_THAT(cut.err, Catch::Contains("revoked"));
    CHECK(desk.run({"export", "--db", old_kiosk, "--out", desk.dir.file("old.acc")}).code == 0);
    CHECK(desk.run(desk.with_store({"merge", desk.dir.file("old.acc")})).code == 2);
    // Still listed, revoked, under a name of its own; the name waits for the new device.
    CHECK(desk.central_count("SELECT count(*) FROM sync_devices WHERE name LIKE 'Accueil 1 (%' "
                             "AND revoked_ms IS NOT NULL") == 1);
    const std::string fresh = desk.dir.file("new.db");
    REQUIRE(desk.run({"join", code, "--db", fresh}).code == 0);
    CHECK(active(desk, "Accueil 1"));
    CHECK(meta_in(fresh, "kiosk_name") == "Accueil 1");

    // A code not used yet is in use too: --replace makes a new one, the first stops working.
    const std::string first = desk.enroll("Accueil 2");
    r = desk.run(desk.with_store({"enroll", "--name", "Accueil 2"}));
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("has not been used yet"));
    r = desk.run(desk.with_store({"enroll", "--name", "Accueil 2", "--replace"}));
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("previous code"));
    CHECK(desk.run({"join", first, "--db", desk.dir.file("a2.db")}).code == exit_code(JoinExit::CodeRefused));
    CHECK(desk.run({"join", last_line(r.out), "--db", desk.dir.file("a2.db")}).code == 0);

    // A revoked name is enrolled again without --replace; the revoked device stays cut off.
    REQUIRE(desk.run(desk.with_store({"revoke", "Accueil 2"})).code == 0);
    CHECK(desk.run(desk.with_store({"revoke", "Accueil 2"})).code == 2);
    r = desk.run(desk.with_store({"enroll", "--name", "Accueil 2"}));
    CHECK(r.code == 0);
    CHECK(desk.run({"export", "--all", "--db", desk.dir.file("a2.db"), "--out", desk.dir.file("a2.acc")})
              .code == 0);
    CHECK(desk.run(desk.with_store({"merge", desk.dir.file("a2.acc")})).code == 2);
}

TEST_CASE("An agent on a path with no database says so and stops, unless --wait") {
    Desk desk;
    desk.start_server();
    const std::string typo = desk.dir.file("kiosk-typo.db");
    auto r = bounded(desk, {"agent", "--db", typo});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("There is no database at " + typo));
    CHECK(nothing_at(typo));
    r = bounded(desk, {"agent", "--once", "--db", typo});
    CHECK(r.code == 2);
    CHECK(nothing_at(typo));
    // A database that has not joined: said too, with what to do.
    const std::string unjoined = desk.dir.file("unjoined.db");
    { sync::create_joining_store(unjoined); }
    r = bounded(desk, {"agent", "--db", unjoined});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("has not joined a server yet") && Catch::Contains("--wait"));

    // --wait (a service started at boot): waits for the database and its enrolment, then syncs.
    const std::string later = desk.dir.file("later.db");
    Process agent({kSync, "agent", "--db", later, "--wait", "--max-backoff", "0.5"}, desk.log("agent"));
    REQUIRE(wait_until(
        [&] { return agent.err().find("has not joined a server yet; waiting") != std::string::npos; },
        std::chrono::seconds(10)));
    REQUIRE(desk.run({"join", desk.enroll("Accueil 1"), "--db", later}).code == 0);
    desk.kiosks.push_back(later);
    check_in_on(later, slice(desk.people, 0, 1));
    CHECK(wait_until([&] { return desk.converged(1); }, std::chrono::seconds(20)));
    agent.signal(SIGTERM);
    CHECK(agent.wait() == 0);
}

TEST_CASE("Enrolment, joining, revoking and the agent speak French under a French locale") {
    Desk desk;
    desk.start_server();
    auto r = desk.run({"enroll", "--help"}, kFrench);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("Créer un code d'enrôlement") && Catch::Contains("--replace"));
    r = desk.run({"enroll", "--db", desk.central, "--name", "Accueil 1"}, kFrench);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("Enrôlement de « Accueil 1 » (borne en libre-service)"));
    const std::string code = last_line(r.out);
    r = desk.run({"join", code.substr(0, 30), "--db", desk.dir.file("k.db")}, kFrench);
    CHECK(r.code == exit_code(JoinExit::DamagedCode));
    CHECK_THAT(r.err, Catch::Contains("incomplet ou abîmé"));
    r = desk.run({"join", code, "--db", desk.dir.file("k.db")}, kFrench);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("sous le nom « Accueil 1 »") && Catch::Contains("inscrits : 40"));
    r = desk.run({"join", desk.enroll("Accueil 2"), "--db", desk.dir.file("k.db")}, kFrench);
    CHECK(r.code == exit_code(JoinExit::AlreadyJoined));
    CHECK_THAT(r.err, Catch::Contains("déjà relié") && Catch::Contains("« Accueil 1 »"));
    r = desk.run({"enroll", "--db", desk.central, "--name", "Accueil 1"}, kFrench);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("est déjà le nom d'un appareil enrôlé"));
    r = desk.run({"revoke", "Personne", "--db", desk.central}, kFrench);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("Aucun appareil actif ne s'appelle « Personne »") &&
                          Catch::Contains("Accueil 1"));
    r = desk.run({"revoke", "Accueil 1", "--db", desk.central}, kFrench);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("« Accueil 1 » est coupé"));
    r = bounded(desk, {"agent", "--db", desk.dir.file("typo.db")}, kFrench);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("Il n'y a pas de base de données"));
    r = desk.run({"agent", "--help"}, kFrench);
    CHECK_THAT(r.out, Catch::Contains("--wait") && Catch::Contains("Attendre la base"));
}
