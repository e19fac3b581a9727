// accueil-sync with real processes on 127.0.0.1 (random free ports): the server, agents, enrolment,
// bundles and every failure of issue 3. Each test ends with the same check: the central store and
// every kiosk hold exactly the same check-ins, none lost, none doubled.
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/sockets.hpp"
#include "support/sync_desk.hpp"
#include "support/tcp_relay.hpp"
#include "support/temp_dir.hpp"
#include "sync/bundle.hpp"
#include "sync/device_key.hpp"
#include "sync/link_state.hpp"
#include "sync/merge.hpp"
#include "sync/protocol.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace accueil;
using namespace accueil::test;
using namespace std::chrono_literals;

namespace {

// Devices `status` shows with nothing left to send.
std::size_t settled_devices(const std::string& status) {
    std::size_t n = 0;
    for (auto at = status.find(", nothing left to send\n"); at != std::string::npos;
         at = status.find(", nothing left to send\n", at + 1))
        ++n;
    return n;
}

// (attendee, day) pairs checked in more than once (check-ins not undone), from central_checkins()'s lines.
std::size_t duplicate_days(const std::multiset<std::string>& checkins) {
    std::map<std::string, int> per_day;
    for (const auto& line : checkins) {
        std::istringstream words(line);
        std::string at, attendee, day, undone;
        words >> at >> attendee >> day >> undone;
        if (undone == "0")
            ++per_day[attendee + " " + day];
    }
    return std::size_t(
        std::count_if(per_day.begin(), per_day.end(), [](const auto& p) { return p.second > 1; }));
}

} // namespace

TEST_CASE("Three kiosks check people in while the server is down, it starts, all converge") {
    const auto backend = GENERATE(Backend::Sqlite, Backend::Postgres);
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const auto k1 = desk.add_kiosk("Accueil 1"), k2 = desk.add_kiosk("Accueil 2"),
               k3 = desk.add_kiosk("Accueil 3");
    // Joining downloaded the event and the roster.
    CHECK(count_in(k2, "SELECT count(*) FROM attendees") == 40);
    CHECK(count_in(k2, "SELECT count(*) FROM event_info") == 1);
    desk.stop_server();

    std::vector<std::unique_ptr<Process>> agents;
    for (const auto& k : desk.kiosks)
        agents.push_back(desk.agent(k));
    int total = check_in_on(k1, slice(desk.people, 0, 10));
    total += check_in_on(k2, slice(desk.people, 10, 10));
    total += check_in_on(k3, slice(desk.people, 20, 10));
    total += check_in_on(k3, slice(desk.people, 0, 2)); // already in at Accueil 1: a duplicate to flag
    REQUIRE(total == 32);
    // The kiosks keep working and know they are offline.
    CHECK(wait_until([&] { return meta_in(k1, "sync.online") == "0" && meta_in(k1, "sync.pending") == "10"; },
                     10s));

    desk.start_server();
    CHECK(wait_until([&] { return desk.converged(32); }, 30s));
    desk.require_converged(32);
    CHECK(wait_until([&] { return meta_in(k3, "sync.online") == "1" && meta_in(k3, "sync.pending") == "0"; },
                     10s));
    CHECK(duplicate_days(desk.central_checkins()) == 2);
    const auto status = desk.run(desk.with_store({"status"}));
    CHECK_THAT(status.out, Catch::Contains("Accueil 2 (self-service kiosk): active") &&
                               Catch::Contains("People checked in more than once the same day: 2"));
    // New arrivals are pushed and spread within seconds while everyone is online.
    check_in_on(k2, slice(desk.people, 30, 3));
    CHECK(wait_until([&] { return desk.converged(35); }, 10s));
    for (auto& a : agents) {
        a->signal(SIGTERM);
        CHECK(a->wait() == 0);
    }
    desk.require_converged(35);
    // Organisers see every device with nothing left to send (the last push counts as delivered).
    CHECK(settled_devices(desk.run(desk.with_store({"status"})).out) == 3);
}

// The agent probes a server that is away without running rounds; the count the kiosk shows must still
// follow the arrivals recorded meanwhile (CI once saw it stuck at the count before the cut).
TEST_CASE("While the server is away, the kiosk's count of arrivals to send follows new check-ins") {
    Desk desk;
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    desk.stop_server();
    auto agent = desk.agent(k);
    // The agent has seen the server away before anyone arrives.
    REQUIRE(wait_until([&] { return meta_in(k, "sync.online") == "0"; }, 10s));
    CHECK(meta_in(k, "sync.pending") == "0");
    check_in_on(k, slice(desk.people, 0, 4));
    CHECK(wait_until([&] { return meta_in(k, "sync.pending") == "4"; }, 5s));
    check_in_on(k, slice(desk.people, 4, 3));
    CHECK(wait_until([&] { return meta_in(k, "sync.pending") == "7"; }, 5s));
    CHECK(meta_in(k, "sync.online") == "0");
    desk.start_server();
    CHECK(wait_until([&] { return meta_in(k, "sync.online") == "1" && meta_in(k, "sync.pending") == "0"; },
                     10s));
    agent->signal(SIGTERM);
    CHECK(agent->wait() == 0);
    desk.require_converged(7);
}

// CI saw a kiosk stuck showing its count from before the last check-ins: they were committed after the
// failed round had counted and before the probe started to watch, so the watch never saw them move.
TEST_CASE("The offline count of arrivals to send includes check-ins made just before the watch began") {
    Desk desk;
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    desk.stop_server();
    Store agent_side = Store::open(k);
    sync::record_link_state(agent_side, false, sync::count_unacked(agent_side), "away");
    REQUIRE(meta_in(k, "sync.pending") == "0");
    REQUIRE(check_in_on(k, slice(desk.people, 0, 3)) == 3); // the kiosk app, on its own connection
    sync::PendingWatch watch(agent_side, "away");
    watch.look();
    CHECK(meta_in(k, "sync.pending") == "3");
    CHECK(meta_in(k, "sync.online") == "0");
    // And later check-ins are followed as before.
    REQUIRE(check_in_on(k, slice(desk.people, 3, 2)) == 2);
    watch.look();
    CHECK(meta_in(k, "sync.pending") == "5");
}

TEST_CASE("A lost response, the same batch twice and batches out of order change nothing") {
    const auto backend = GENERATE(Backend::Sqlite, Backend::Postgres);
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server({{"ACCUEIL_SYNC_TEST_DROP_RESPONSES", "1"}});
    const auto k = desk.add_kiosk("Accueil 1");
    check_in_on(k, slice(desk.people, 0, 10));
    // The server commits, the answer is lost: the agent does not know and says so.
    auto r = desk.once(k);
    CHECK(r.code == 1);
    CHECK(desk.central_checkins().size() == 10);
    // Sent again: recognised, acknowledged, nothing doubled.
    r = desk.once(k);
    CHECK(r.code == 0);
    CHECK(desk.central_checkins().size() == 10);

    // Out of order: later events arrive before earlier ones (here by a bundle), then the rest.
    check_in_on(k, slice(desk.people, 10, 10));
    std::vector<JournalEvent> later;
    {
        Store ks = Store::open(k);
        later = sync::unacked_events(ks, 100);
        REQUIRE(later.size() == 10);
        sync::Bundle b{ks.origin(), "Accueil 1", 0, {later.begin() + 5, later.end()}, {}};
        sync::write_bundle_file(desk.dir.file("later.acc"), b, sync::device_key_of(ks));
    }
    r = desk.run(desk.with_store({"merge", desk.dir.file("later.acc")}));
    // The server is running on that store: the bundle goes in through its locks like any writer.
    CHECK(r.code == 0);
    CHECK(desk.central_checkins().size() == 15);
    r = desk.once(k);
    CHECK(r.code == 0);

    // The same batch posted twice by hand: the second is all "known".
    const std::string token = meta_in(k, "sync.token");
    Store ks = Store::open(k);
    const nlohmann::json batch = {
        {"protocol", 1}, {"origin", to_hex(ks.origin())}, {"events", sync::events_to_json(later)}};
    const std::vector<std::string> hdr{"X-Accueil-Protocol: 1", "Authorization: Bearer " + token};
    auto [s1, b1] = raw_post(desk.port, "/v1/push", batch.dump(), hdr);
    CHECK(s1 == 200);
    CHECK(nlohmann::json::parse(b1)["known"] == 10);
    CHECK(desk.central_checkins().size() == 20);
    CHECK(nlohmann::json::parse(b1)["marks"][to_hex(ks.origin())] == 20);
    desk.require_converged(20);
}

TEST_CASE(
    "Bad requests: other protocol, malformed bodies, unknown token, oversize: refused, nothing changed") {
    const auto backend = GENERATE(Backend::Sqlite, Backend::Postgres);
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    const std::string token = meta_in(k, "sync.token");
    const std::string origin = to_hex(Store::open(k).origin());
    const int before = desk.central_count("SELECT count(*) FROM journal");
    const std::string auth = "Authorization: Bearer " + token;

    auto [s, body] = raw_post(desk.port, "/v1/push", "{}", {"X-Accueil-Protocol: 2", auth});
    CHECK(s == 426);
    CHECK_THAT(body, Catch::Contains("protocol version 2"));
    std::tie(s, body) = raw_post(desk.port, "/v1/pull", "{}", {auth});
    CHECK(s == 426);
    std::tie(s, body) = raw_post(desk.port, "/v1/push", "{not json", {"X-Accueil-Protocol: 1", auth});
    CHECK(s == 400);
    CHECK_THAT(body, Catch::Contains("not valid JSON"));
    std::tie(s, body) =
        raw_post(desk.port, "/v1/push", R"({"protocol":1,"origin":")" + origin + R"(","events":[{"o":"x"}]})",
                 {"X-Accueil-Protocol: 1", auth});
    CHECK(s == 400);
    CHECK_THAT(body, Catch::Contains("origin"));
    std::tie(s, body) = raw_post(desk.port, "/v1/push", R"({"protocol":1,"origin":")" + origin + R"("})",
                                 {"X-Accueil-Protocol: 1", auth});
    CHECK(s == 400);
    CHECK_THAT(body, Catch::Contains("events"));
    std::tie(s, body) =
        raw_post(desk.port, "/v1/pull", R"({"protocol":1,"origin":")" + origin + R"(","vector":[]})",
                 {"X-Accueil-Protocol: 1", auth});
    CHECK(s == 400);
    std::tie(s, body) =
        raw_post(desk.port, "/v1/push", R"({"protocol":1,"origin":")" + origin + R"(","events":[]})",
                 {"X-Accueil-Protocol: 1", "Authorization: Bearer " + std::string(64, 'a')});
    CHECK(s == 401);
    std::tie(s, body) = raw_post(desk.port, "/v1/join",
                                 R"({"protocol":1,"secret":"nope","origin":")" + to_hex(random_origin()) +
                                     R"(","device_key":")" + std::string(64, 'a') + R"("})",
                                 {"X-Accueil-Protocol: 1"});
    CHECK(s == 403);
    CHECK_THAT(body, Catch::Contains("unknown or already used"));
    // A join that does not bind a device key (an older kiosk, or someone by hand): refused, saying why.
    std::tie(s, body) =
        raw_post(desk.port, "/v1/join", R"({"protocol":1,"secret":"nope"})", {"X-Accueil-Protocol: 1"});
    CHECK(s == 400);
    const std::string huge = R"({"protocol":1,"pad":")" + std::string(17u << 20, 'x') + "\"}";
    std::tie(s, body) = raw_post(desk.port, "/v1/push", huge, {"X-Accueil-Protocol: 1", auth});
    CHECK(s == 413);
    CHECK(desk.central_count("SELECT count(*) FROM journal") == before);
    CHECK(desk.once(k).code == 0); // the server is still fine
    desk.require_converged(0);
}

TEST_CASE("kill -9 of the server in the middle of a merge and of an agent in the middle of a batch") {
    const auto backend = GENERATE(Backend::Sqlite, Backend::Postgres);
    INFO("central store on " << to_string(backend));
    Desk desk(false, 400, backend);
    desk.start_server({{"ACCUEIL_SYNC_TEST_MERGE_DELAY_MS", "3000"}});
    const auto k1 = desk.add_kiosk("Accueil 1");
    const auto k2 = desk.add_kiosk("Accueil 2");
    check_in_on(k1, slice(desk.people, 0, 300));
    auto a1 = desk.agent(k1);
    // The push is inside the server's transaction (it waits 3 s before committing): kill it there.
    std::this_thread::sleep_for(1500ms);
    desk.server->kill9();
    CHECK(desk.central_checkins().size() == 0);
    desk.start_server();
    CHECK(wait_until([&] { return desk.central_checkins().size() == 300; }, 20s));

    // Kiosk 2 applies what it pulls slowly: kill its agent while the batch is in its transaction.
    auto a2 = desk.agent(k2, {{"ACCUEIL_SYNC_TEST_APPLY_DELAY_MS", "3000"}});
    std::this_thread::sleep_for(1500ms);
    a2->kill9();
    CHECK(count_in(k2, "SELECT count(*) FROM checkins") == 0);
    check_in_on(k2, slice(desk.people, 300, 50)); // the kiosk works on
    a2 = desk.agent(k2);
    CHECK(wait_until([&] { return desk.converged(350); }, 30s));
    desk.require_converged(350);
}

TEST_CASE("Clocks: a kiosk a day behind and one set to 2038, the guard keeps edits sane") {
    const auto backend = GENERATE(Backend::Sqlite, Backend::Postgres);
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const std::int64_t behind = -test::kOneDayMs;
    const std::int64_t to2038 = 2153000000000 - system_wall_ms();
    const Env env_behind{{"ACCUEIL_FAKE_CLOCK_OFFSET_MS", std::to_string(behind)}};
    const Env env_2038{{"ACCUEIL_FAKE_CLOCK_OFFSET_MS", std::to_string(to2038)}};
    // Desks: they may edit people, so their clocks matter to last-writer-wins.
    const auto late = desk.add_kiosk("En retard", env_behind, "desk");
    const auto future = desk.add_kiosk("En 2038", env_2038, "desk");
    check_in_on(late, slice(desk.people, 0, 5), behind);
    check_in_on(future, slice(desk.people, 5, 5), to2038);
    {
        Store f = Store::open(future, [to2038] { return system_wall_ms() + to2038; });
        WriteTransaction tx(f.db());
        Attendee a = *load_attendee(f.db(), desk.people[20]);
        Attendee b = a;
        b.organisation = "from 2038";
        update_attendee(f, a, b);
        tx.commit();
    }
    {
        Store l = Store::open(late, [behind] { return system_wall_ms() + behind; });
        WriteTransaction tx(l.db());
        Attendee a = *load_attendee(l.db(), desk.people[21]);
        Attendee b = a;
        b.organisation = "from yesterday";
        update_attendee(l, a, b);
        tx.commit();
    }
    CHECK(desk.once(late, env_behind).code == 0);
    const auto r = desk.once(future, env_2038);
    CHECK(r.code == 1); // its edit was refused...
    CHECK_THAT(r.err, Catch::Contains("clock"));
    CHECK(count_in(future, "SELECT count(*) FROM sync_dead_letters") == 1); // ...kept for organisers
    CHECK_THAT(desk.run({"status", "--db", future}).out,
               Catch::Contains("Changes the server refused, kept aside on this device: 1"));
    CHECK(desk.once(late, env_behind).code == 0);
    CHECK(desk.once(future, env_2038).code == 0);
    CHECK(desk.central_clock() >> 16 < std::uint64_t(2153000000000));
    // The central journal holds yesterday's edit, never the one from 2038.
    CHECK(desk.central_count("SELECT count(*) FROM journal WHERE payload LIKE '%from 2038%'") == 0);
    CHECK(desk.central_count("SELECT count(*) FROM journal WHERE payload LIKE '%from yesterday%'") == 1);
    if (backend == Backend::Sqlite) { // the projections, which only the SQLite store keeps
        Store c = Store::open(desk.central);
        CHECK(load_attendee(c.db(), desk.people[20])->organisation.empty());
        CHECK(load_attendee(c.db(), desk.people[21])->organisation == "from yesterday");
    }
    desk.require_converged(10);
}

TEST_CASE("A cloned kiosk database is refused with a clear error and never overwrites") {
    const auto backend = GENERATE(Backend::Sqlite, Backend::Postgres);
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const auto a = desk.add_kiosk("Accueil 1");
    {
        Store s = Store::open(a);
        s.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    const std::string clone = desk.dir.file("clone.db");
    std::filesystem::copy_file(a, clone);
    check_in_on(a, slice(desk.people, 0, 3));
    check_in_on(clone, slice(desk.people, 10, 3));
    CHECK(desk.once(a).code == 0);
    const auto r = desk.once(clone);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("cloned"));
    CHECK(desk.central_count("SELECT count(*) FROM sync_refusals WHERE reason LIKE 'conflict%'") == 3);
    CHECK(count_in(clone, "SELECT count(*) FROM sync_dead_letters") == 3);
    CHECK_THAT(desk.run(desk.with_store({"status"})).out,
               Catch::Contains("(from copies of a device's database: 3)"));
    // The original's check-ins stand; the clone's stayed out and wait, visible, in its dead letters.
    CHECK(desk.central_checkins() == checkins_in(a));
    desk.require_converged(3);
}

TEST_CASE("A revoked device is cut off, by network and by bundle, it still receives the central's bundle") {
    const auto backend = GENERATE(Backend::Sqlite, Backend::Postgres);
    INFO("central store on " << to_string(backend));
    Desk desk(false, 40, backend);
    desk.start_server();
    const auto ok = desk.add_kiosk("Accueil 1");
    const auto cut = desk.add_kiosk("Accueil 2");
    check_in_on(ok, slice(desk.people, 0, 4));
    check_in_on(cut, slice(desk.people, 4, 4));
    CHECK(desk.run(desk.with_store({"revoke", "Accueil 2"})).code == 0);
    CHECK(desk.run(desk.with_store({"revoke", "Nobody"})).code == 2);
    const auto r = desk.once(cut);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("revoked"));
    CHECK(count_in(cut, "SELECT count(*) FROM sync_dead_letters") == 0); // not refused: just not sent
    CHECK(meta_in(cut, "sync.pending") == "4");
    CHECK(desk.once(ok).code == 0);
    CHECK_THAT(desk.run(desk.with_store({"status"})).out,
               Catch::Contains("Accueil 2 (self-service kiosk): cut off (revoked)"));
    // Its USB stick is refused whole: a stolen kiosk cannot come back through a bundle.
    CHECK(desk.run({"export", "--db", cut, "--out", desk.dir.file("cut.acc")}).code == 0);
    const auto merged = desk.run(desk.with_store({"merge", desk.dir.file("cut.acc")}));
    CHECK(merged.code == 2);
    CHECK_THAT(merged.err, Catch::Contains("revoked") && Catch::Contains("Nothing was merged"));
    // The central store's bundle, signed with the key the kiosk pinned at join, still reaches it.
    CHECK(desk.run(desk.with_store({"export", "--all", "--out", desk.dir.file("central.acc")})).code == 0);
    CHECK(desk.run({"merge", desk.dir.file("central.acc"), "--db", cut}).code == 0);
    CHECK(desk.once(ok).code == 0);
    CHECK(desk.central_checkins().size() == 4);
    CHECK(checkins_in(cut).size() == 8);
    CHECK(desk.central_checkins() == checkins_in(ok));
}

TEST_CASE("HTTPS with a pinned certificate, a server with another certificate is refused") {
    Desk desk(true);
    desk.start_server();
    const std::string code = desk.enroll("Accueil 1");
    CHECK(code.starts_with("accueil1:https:127.0.0.1:"));
    CHECK(std::filesystem::exists(desk.central + ".enrol.png"));
    const std::string k = desk.dir.file("kiosk.db");
    REQUIRE(desk.run({"join", code, "--db", k}).code == 0);
    desk.kiosks.push_back(k);
    CHECK(desk.run({"join", code, "--db", desk.dir.file("again.db")}).code == 23); // one-time code
    check_in_on(k, slice(desk.people, 0, 3));
    CHECK(desk.once(k).code == 0);

    // Another certificate at the same address (a stranger's machine): refused, nothing sent.
    desk.stop_server();
    std::filesystem::remove_all(desk.central + ".tls");
    desk.start_server();
    check_in_on(k, slice(desk.people, 3, 3));
    const auto r = desk.once(k);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("certificate"));
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkins") == 3);
    CHECK(count_in(k, "SELECT count(*) FROM sync_dead_letters") == 0);
    // Re-enrolled with the new certificate (its name given anew, the kiosk joining anew), it catches up.
    const auto again = desk.run({"enroll", "--db", desk.central, "--name", "Accueil 1", "--replace"});
    REQUIRE(again.code == 0);
    REQUIRE(desk.run({"join", last_line(again.out), "--db", k, "--replace"}).code == 0);
    desk.require_converged(6);
}

TEST_CASE("A bundle with one flipped byte is refused whole, the good one merges") {
    Desk desk;
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    check_in_on(k, slice(desk.people, 0, 6));
    desk.stop_server();
    const std::string file = desk.dir.file("k.acc");
    REQUIRE(desk.run({"export", "--db", k, "--out", file}).code == 0);
    std::string bytes = slurp(file);
    bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x20);
    std::ofstream(desk.dir.file("bad.acc"), std::ios::binary) << bytes;
    std::ofstream(desk.dir.file("short.acc"), std::ios::binary) << slurp(file).substr(0, bytes.size() - 30);
    auto r = desk.run({"merge", file, desk.dir.file("bad.acc"), "--db", desk.central});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("signature"));
    r = desk.run({"merge", desk.dir.file("short.acc"), "--db", desk.central});
    CHECK(r.code == 2);
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkins") == 0);
    r = desk.run({"merge", file, "--db", desk.central});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("6 new check-ins and changes taken in"));
    desk.start_server();
    CHECK(desk.once(k).code == 0);
    desk.require_converged(6);
}

TEST_CASE("The central database is full: the batch fails whole and goes in later") {
    Desk desk;
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1", {}, "desk"); // a desk: it registers walk-ins
    desk.stop_server();
    const int pages = count_in(desk.central, "PRAGMA page_count");
    desk.start_server({}, {"--max-db-pages", std::to_string(pages + 2)});
    {
        Store ks = Store::open(k);
        WriteTransaction tx(ks.db());
        for (int i = 0; i < 40; ++i) // make the batch big: 40 walk-ins with long names
            create_attendee(ks, Attendee{.first_name = std::string(190, 'x'),
                                         .last_name = std::to_string(i),
                                         .organisation = std::string(190, 'o')});
        tx.commit();
    }
    check_in_on(k, slice(desk.people, 0, 5));
    auto r = desk.once(k);
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("retry later"));
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkins") == 0);
    CHECK(count_in(desk.central, "SELECT count(*) FROM attendees") == 40);
    CHECK(count_in(k, "SELECT count(*) FROM sync_dead_letters") == 0);
    desk.stop_server();
    desk.start_server();
    CHECK(desk.once(k).code == 0);
    CHECK(count_in(desk.central, "SELECT count(*) FROM attendees") == 80);
    desk.require_converged(5);
}

// Issue 9, a bounded server: idle sockets, oversized chunked bodies and half-sent requests must not stop
// the server from answering the kiosks. Idle connections come from other loopback addresses (each one
// "another machine" for the per-IP limit); the server process is found by its command line.
namespace {

pid_t server_pid(const Desk& desk) {
    return pid_with_args({"serve", desk.central});
}

// 200 idle connections from 10 addresses (20 each, under the per-IP limit), nothing sent on them.
std::vector<Socket> idle_sockets(int port, int count = 200) {
    std::vector<Socket> out;
    for (int i = 0; i < count; ++i)
        out.push_back(connect_from("127.0.0." + std::to_string(10 + i / 20), port));
    return out;
}

} // namespace

TEST_CASE("200 idle sockets held open: a kiosk still joins, pushes and pulls") {
    Desk desk(true);
    desk.start_server();
    const pid_t pid = server_pid(desk);
    REQUIRE(pid > 0);
    const int fds_before = open_fds(pid);
    const auto idle = idle_sockets(desk.port);
    for (const auto& s : idle)
        REQUIRE(s.ok());
    // The server has taken every one of them (accepted, not just waiting in the listen queue).
    REQUIRE(wait_until([&] { return open_fds(pid) >= fds_before + 200; }, 5s));

    const auto start = std::chrono::steady_clock::now();
    const auto k1 = desk.add_kiosk("Accueil 1");
    const auto k2 = desk.add_kiosk("Accueil 2");
    check_in_on(k1, slice(desk.people, 0, 5));
    check_in_on(k2, slice(desk.people, 5, 5));
    CHECK(desk.once(k1).code == 0);
    CHECK(desk.once(k2).code == 0); // pushes its 5, pulls k1's
    CHECK(desk.once(k1).code == 0); // pulls k2's
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took < 8s);
    // All of that happened while the idle sockets were still held by the server.
    int still_open = 0;
    for (const auto& s : idle)
        still_open += !s.closed_by_peer();
    CHECK(still_open == 200);
    desk.require_converged(10);
    // Idle connections do not stay for ever: the server closes them (no request within 8 s) and
    // releases their sockets.
    CHECK(wait_until(
        [&] {
            for (const auto& s : idle)
                if (!s.closed_by_peer())
                    return false;
            return true;
        },
        30s));
    CHECK(wait_until([&] { return open_fds(pid) < fds_before + 10; }, 10s));
}

TEST_CASE("More connections from one address than the per-IP limit: the extra ones are closed") {
    Desk desk;
    desk.start_server();
    std::vector<Socket> many;
    for (int i = 0; i < 60; ++i)
        many.push_back(connect_from("127.0.0.9", desk.port));
    // 32 are kept (the per-IP limit), the others closed at once; other addresses are still served.
    CHECK(wait_until(
        [&] {
            int closed = 0;
            for (const auto& s : many)
                closed += s.closed_by_peer();
            return closed == 28;
        },
        5s));
    CHECK(http_get(desk.port, "/v1/hello").first == 200);
}

TEST_CASE("A chunked push larger than 16 MB without a token is cut off, the memory stays flat") {
    Desk desk;
    desk.start_server();
    const pid_t pid = server_pid(desk);
    REQUIRE(pid > 0);
    CHECK(http_get(desk.port, "/v1/hello").first == 200);
    const long rss_before = vm_rss_kib(pid);
    REQUIRE(rss_before > 0);

    Socket s = connect_from("127.0.0.1", desk.port);
    REQUIRE(s.ok());
    s.set_timeouts(20s);
    REQUIRE(s.send_all("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Accueil-Protocol: 1\r\n"
                       "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
    // Up to 256 MB in 1 MB chunks, until the server stops taking them.
    const std::string chunk = "100000\r\n" + std::string(1u << 20, 'x') + "\r\n";
    std::size_t sent = 0;
    while (sent < (256u << 20) && s.send_all(chunk))
        sent += 1u << 20;
    const std::string answer = s.read_all(10s);
    INFO("sent " << sent / (1u << 20) << " MB; answer: " << answer.substr(0, 200));
    CHECK(sent < (64u << 20)); // nothing much read past the 16 MB limit
    CHECK((answer.empty() || answer.starts_with("HTTP/1.1 413")));
    const long grown_kib = vm_rss_kib(pid) - rss_before;
    INFO("server memory grew by " << grown_kib << " KiB");
    CHECK(grown_kib < 40 * 1024);

    // The server still answers, and a kiosk still syncs.
    CHECK(http_get(desk.port, "/v1/hello").first == 200);
    const auto k = desk.add_kiosk("Accueil 1");
    check_in_on(k, slice(desk.people, 0, 3));
    CHECK(desk.once(k).code == 0);
    desk.require_converged(3);
}

TEST_CASE("Half-sent requests (slowloris) are closed after the timeout while kiosks are served") {
    Desk desk;
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    std::vector<Socket> slow;
    for (int i = 0; i < 30; ++i) {
        slow.push_back(connect_from("127.0.0.20", desk.port));
        REQUIRE(slow.back().send_all("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Accueil-"));
    }
    const auto start = std::chrono::steady_clock::now();
    // Meanwhile, everyone else is answered at once.
    CHECK(http_get(desk.port, "/v1/hello", 3s).first == 200);
    check_in_on(k, slice(desk.people, 0, 4));
    CHECK(desk.once(k).code == 0);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    // The half-sent requests are dropped (no complete request within 8 s), not left for ever.
    CHECK(wait_until(
        [&] {
            for (const auto& s : slow)
                if (!s.closed_by_peer())
                    return false;
            return true;
        },
        15s));
    desk.require_converged(4);
}

// Issue 9, sync trust, with the real programs: what a kiosk may say, the flow that wedged the server,
// bundles, owner-only files and expiring codes.
namespace {
const std::string kAccueil = std::string(ACCUEIL_BIN_DIR) + "/accueil";

bool owner_only(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) == 0;
}
} // namespace

TEST_CASE("Late registrant by badge, then an enrolment beside the running server: it keeps taking pushes") {
    Desk desk;
    {
        Process keys({kAccueil, "keys", "init", "--db", desk.central}, desk.log("keys"));
        REQUIRE(keys.wait() == 0);
    }
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    // Registered after the kiosk's last pull; badge printed by the organisers.
    std::string code, late_id;
    {
        Store c = Store::open(desk.central);
        WriteTransaction tx(c.db());
        const auto late = create_attendee(
            c, Attendee{.first_name = "Élodie", .last_name = "Brûlé", .category = "Participant"});
        tx.commit();
        late_id = late.id;
        code = badge_code_for(late, c.event(), read_key_file(default_key_path(desk.central)));
    }
    {
        Store ks = Store::open(k);
        const auto r = check_in(ks, code, test::kSept28At0912);
        REQUIRE(r.verdict == Verdict::Admitted);
        REQUIRE(r.created_from_badge);
    }
    CHECK(desk.once(k).code == 0);
    // An organiser enrols another device while the server runs: before, every later write of the server
    // answered 503 "database is locked".
    desk.enroll("Accueil 2");
    check_in_on(k, slice(desk.people, 0, 3));
    const auto r = desk.once(k);
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    desk.add_kiosk("Accueil 3");
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkins") == 4);
    CHECK(desk.server->err().find("BUG") == std::string::npos);
    desk.require_converged(4);
}

TEST_CASE("Over HTTP, a kiosk's token cannot add a key, speak for another kiosk, or take its numbers") {
    Desk desk;
    desk.start_server();
    const auto a = desk.add_kiosk("Accueil 1");
    const auto b = desk.add_kiosk("Accueil 2");
    check_in_on(b, slice(desk.people, 0, 2));
    REQUIRE(desk.once(b).code == 0);
    const int before = count_in(desk.central, "SELECT count(*) FROM journal");
    const std::string token = meta_in(a, "sync.token");
    const std::vector<std::string> hdr{"X-Accueil-Protocol: 1", "Authorization: Bearer " + token};
    Store as = Store::open(a);
    Store bs = Store::open(b);
    const auto key = SigningKey::generate();
    auto body = [](const Store& origin, const std::vector<JournalEvent>& ev) {
        return nlohmann::json{
            {"protocol", 1}, {"origin", to_hex(origin.origin())}, {"events", sync::events_to_json(ev)}}
            .dump();
    };
    const JournalEvent add_key{as.origin(),
                               next_seq(as.db(), as.origin()),
                               HlcStamp::pack(system_wall_ms(), 0),
                               EventKind::KeyAdded,
                               "key",
                               R"({"public_key":")" + to_hex(key.public_key()) + R"(","label":"","at":1})"};
    auto [s, reply] = raw_post(desk.port, "/v1/push", body(as, {add_key}), hdr);
    CHECK(s == 409);
    CHECK_THAT(reply, Catch::Contains("forbidden"));
    // Under the other kiosk's origin, with its next sequence number: refused before any merge.
    JournalEvent stolen{bs.origin(),
                        next_seq(bs.db(), bs.origin()),
                        HlcStamp::pack(system_wall_ms(), 0),
                        EventKind::CheckIn,
                        desk.people[5],
                        R"({"day":"2022-09-28","at":1664349120000,"kiosk":"Accueil 2"})"};
    std::tie(s, reply) = raw_post(desk.port, "/v1/push", body(bs, {stolen}), hdr);
    CHECK(s == 403);
    std::tie(s, reply) = raw_post(desk.port, "/v1/push", body(as, {stolen}), hdr);
    CHECK(s == 409);
    CHECK_THAT(reply, Catch::Contains("another origin"));
    CHECK(count_in(desk.central, "SELECT count(*) FROM journal") == before);
    CHECK(count_in(desk.central, "SELECT count(*) FROM event_keys") == 0);
    // Organisers see what was refused and why; b's own arrivals still go in.
    CHECK_THAT(desk.run({"status", "--db", desk.central}).out,
               Catch::Contains("Changes refused on arrival: 2") &&
                   Catch::Contains("a kiosk may not send key-added"));
    check_in_on(b, slice(desk.people, 5, 1));
    CHECK(desk.once(b).code == 0);
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkins") == 3);
}

TEST_CASE("A bundle signed by anyone but its enrolled device is refused by merge, and files are owner-only") {
    Desk desk(true);
    desk.start_server();
    const auto k = desk.add_kiosk("Accueil 1");
    check_in_on(k, slice(desk.people, 0, 2));
    const std::string good = desk.dir.file("k.acc");
    REQUIRE(desk.run({"export", "--db", k, "--out", good}).code == 0);
    {
        Store ks = Store::open(k);
        const sync::Bundle forged{ks.origin(), "Accueil 1", 1, sync::unacked_events(ks, 100), {}};
        sync::write_bundle_file(desk.dir.file("forged.acc"), forged, SigningKey::generate());
    }
    const auto r = desk.run({"merge", desk.dir.file("forged.acc"), "--db", desk.central});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("another key"));
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkins") == 0);
    CHECK(desk.run({"merge", good, "--db", desk.central}).code == 0);
    CHECK(count_in(desk.central, "SELECT count(*) FROM checkins") == 2);
    // Names, e-mails, tokens and live enrolment codes: readable by their owner only.
    // (A kiosk's WAL file exists only while a connection is open; the server holds the central one.)
    for (const auto& f :
         {desk.central, desk.central + "-wal", desk.central + "-shm", desk.central + ".enrol.png", k, good}) {
        INFO(f);
        CHECK(owner_only(f));
    }
}

TEST_CASE("Enrolment codes expire") {
    Desk desk;
    desk.start_server();
    const auto r = desk.run({"enroll", "--db", desk.central, "--name", "Accueil 1", "--valid", "2h"});
    REQUIRE(r.code == 0);
    const std::string code = last_line(r.out);
    CHECK(desk.run({"enroll", "--db", desk.central, "--name", "X", "--valid", "soon"}).code == 2);
    desk.stop_server();
    desk.start_server({{"ACCUEIL_FAKE_CLOCK_OFFSET_MS", std::to_string(3 * 3600 * 1000)}});
    const auto joined = desk.run({"join", code, "--db", desk.dir.file("k.db")});
    CHECK(joined.code != 0);
    CHECK_THAT(joined.err, Catch::Contains("expired"));
}

TEST_CASE(
    "A network cut: the agent only probes, at most once a second, and syncs as soon as one is answered") {
    Desk desk;
    desk.start_server();
    const auto k1 = desk.add_kiosk("Accueil 1");
    // The kiosk reaches the server through a relay (its network), which the test cuts and restores.
    TcpRelay relay(desk.port);
    {
        Store s = Store::open(k1);
        WriteTransaction tx(s.db());
        s.set_meta("sync.server", "http://127.0.0.1:" + std::to_string(relay.port()));
        tx.commit();
    }
    // The default backoff (60 s), as deployed: a cut must not make the agent wait that long.
    Process agent({kSync, "agent", "--db", k1}, desk.log("agent"));
    REQUIRE(wait_until([&] { return meta_in(k1, "sync.online") == "1"; }, 20s));

    relay.cut();
    const auto cut_at = std::chrono::steady_clock::now();
    REQUIRE(check_in_on(k1, slice(desk.people, 0, 5)) == 5);
    REQUIRE(wait_until([&] { return relay.seen_during_cut() >= 6; }, 60s));
    const auto during = relay.seen();
    const double cut_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - cut_at).count();
    CHECK(meta_in(k1, "sync.online") == "0");
    CHECK(meta_in(k1, "sync.pending") == "5");
    // At most one attempt a second (plus the one under way), and after the round that found the
    // server gone, only the cheap probe.
    std::vector<std::string> lines;
    for (const auto& s : during)
        if (s.during_cut)
            lines.push_back(s.first_line);
    INFO("attempts during the cut: " << lines.size() << " in " << cut_s << " s");
    CHECK(double(lines.size()) <= cut_s + 1);
    std::size_t probes = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO(i << ": " << lines[i]);
        if (lines[i].starts_with("GET /v1/hello "))
            ++probes;
        else // only the first one may be a round's request (the agent's pull, a second after the last)
            CHECK(i == 0);
    }
    CHECK(probes + 1 >= lines.size());

    const std::size_t before_restore = relay.seen().size();
    relay.restore();
    CHECK(wait_until([&] { return desk.converged(5); }, 30s));
    desk.require_converged(5);
    // Recovered at the first probe that was answered: the probe, then the round, on the next connection.
    const auto after = relay.seen();
    REQUIRE(after.size() >= before_restore + 2);
    std::vector<std::string> restored;
    for (std::size_t i = before_restore; i < after.size(); ++i)
        if (!after[i].during_cut)
            restored.push_back(after[i].first_line);
    REQUIRE(restored.size() >= 2);
    CHECK(restored[0].starts_with("GET /v1/hello "));
    CHECK(restored[1].starts_with("POST /v1/pull "));
    CHECK(wait_until([&] { return meta_in(k1, "sync.online") == "1" && meta_in(k1, "sync.pending") == "0"; },
                     10s));
    agent.signal(SIGTERM);
    CHECK(agent.wait() == 0);
}

namespace {
// CPU seconds (user + system) of the one child process of this test still running, the server; -1
// when there is not exactly one.
double only_child_cpu_s() {
    const std::string self = std::to_string(::getpid());
    std::ifstream children("/proc/" + self + "/task/" + self + "/children");
    std::vector<std::string> pids;
    for (std::string pid; children >> pid;)
        pids.push_back(pid);
    if (pids.size() != 1)
        return -1;
    std::ifstream stat_file("/proc/" + pids.front() + "/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2)); // the command may hold spaces
    std::string field;
    for (int i = 3; i < 14; ++i) // fields 3..13, then utime (14) and stime (15)
        fields >> field;
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    return (utime + stime) / double(::sysconf(_SC_CLK_TCK));
}
} // namespace

TEST_CASE("After a merge with no organisers' page open, the server's figures thread goes back to sleep") {
    // It once kept the merge's notification pending and spun a whole core until a page opened: on a
    // two-core central machine, half the CPU the kiosks' rounds need.
    Desk desk;
    desk.start_server();
    const auto k1 = desk.add_kiosk("Accueil 1");
    // Two merges: the second one came while the first was still waiting for a page to show it.
    REQUIRE(check_in_on(k1, slice(desk.people, 0, 3)) == 3);
    REQUIRE(desk.once(k1).code == 0);
    REQUIRE(check_in_on(k1, slice(desk.people, 3, 2)) == 2);
    REQUIRE(desk.once(k1).code == 0);
    REQUIRE(desk.converged(5));
    const double after_merge = only_child_cpu_s();
    REQUIRE(after_merge >= 0);
    // An idle server uses next to nothing; a spinning thread passes a second of CPU within seconds.
    CHECK_FALSE(wait_until([&] { return only_child_cpu_s() - after_merge > 1.0; }, 4s));
    desk.stop_server();
}

// Issue 15: an organisation's PostgreSQL with two servers behind one address. The kiosks know only
// that address (a relay sends each connection to either server at random, as a load balancer would);
// one server is killed -9 while its merges hold their transactions open, and started again.
TEST_CASE("Two servers behind one address, ten kiosks, one killed -9 and restarted: each arrival once") {
    Desk desk(true, 400, Backend::Postgres);
    const int port_a = free_port(), port_b = free_port();
    TcpRelay front({port_a, port_b});
    const std::string url = "https://127.0.0.1:" + std::to_string(front.port());
    const auto serve = [&](int port, const Env& env) {
        auto p = std::make_unique<Process>(
            std::vector<std::string>{kSync, "serve", "--store", desk.store, "--listen",
                                     "127.0.0.1:" + std::to_string(port), "--url", url},
            desk.log("server"), desk.in_own_tmp(env));
        REQUIRE(wait_until([&] { return p->out().find("serving") != std::string::npos; }, 10s));
        return p;
    };
    // Server A holds each merge's transaction open 300 ms: killed, it dies inside one.
    const Env slow{{"ACCUEIL_SYNC_TEST_MERGE_DELAY_MS", "300"}};
    auto a = serve(port_a, slow);
    auto b = serve(port_b, {});
    // One certificate for both (kept in the store): a kiosk pinned it at join, whichever server it met.
    const auto fingerprint = [](const std::string& out) {
        const std::string mark = "(SHA-256): ";
        const auto at = out.find(mark);
        return at == std::string::npos ? ""
                                       : out.substr(at + mark.size(), out.find('.', at) - at - mark.size());
    };
    CHECK(fingerprint(a->out()).size() >= 64);
    CHECK(fingerprint(a->out()) == fingerprint(b->out()));
    for (int i = 0; i < 10; ++i)
        desk.add_kiosk("Accueil " + std::to_string(i + 1));
    std::vector<std::unique_ptr<Process>> agents;
    for (const auto& k : desk.kiosks)
        agents.push_back(desk.agent(k));
    // Three waves of ten arrivals per kiosk, thirty different people each.
    const auto wave = [&](int n) {
        for (std::size_t k = 0; k < desk.kiosks.size(); ++k)
            REQUIRE(check_in_on(desk.kiosks[k], slice(desk.people, k * 30 + std::size_t(n) * 10, 10)) == 10);
    };
    wave(0);
    // Killed while the first wave goes in.
    REQUIRE(wait_until([&] { return desk.central_checkins().size() >= 20; }, 30s));
    a->kill9();
    wave(1);
    CHECK(wait_until([&] { return desk.central_checkins().size() == 200; }, 60s));
    const auto served_before = front.served();
    a = serve(port_a, {});
    wave(2);
    CHECK(wait_until([&] { return desk.converged(300); }, 60s));
    desk.require_converged(300);
    // Exactly once: as many check-in events in the journal as made, none refused.
    CHECK(desk.central_count("SELECT count(*) FROM journal WHERE kind = 4") == 300);
    CHECK(desk.central_count("SELECT count(*) FROM sync_refusals") == 0);
    // Both servers took kiosks' connections, and the restarted one took some again.
    const auto served = front.served();
    INFO("connections to A, B: " << served[0] << ", " << served[1]);
    CHECK(served[0] > served_before[0]);
    CHECK(served[1] > 0);
    for (auto& agent : agents) {
        agent->signal(SIGTERM);
        CHECK(agent->wait() == 0);
    }
    // Organisers see every device, from either server's store, with nothing left to send.
    CHECK(settled_devices(desk.run(desk.with_store({"status"})).out) == 10);
}

TEST_CASE("PostgreSQL restarts under a running server: it connects again and the kiosk's arrivals go in") {
    Desk desk(false, 40, Backend::Postgres);
    desk.start_server();
    // Said to the person who started it: where kiosks and organisers find it.
    CHECK_THAT(desk.server->out(), Catch::Contains("(the organisers' page: http://127.0.0.1:"));
    const auto k = desk.add_kiosk("Accueil 1");
    check_in_on(k, slice(desk.people, 0, 5));
    CHECK(desk.once(k).code == 0);
    desk.pg->restart();
    check_in_on(k, slice(desk.people, 5, 5));
    // The restart broke the server's connection: at most one round fails on it, the next goes in.
    CHECK(wait_until([&] { return desk.once(k).code == 0 && desk.central_checkins().size() == 10; }, 20s));
    desk.require_converged(10);
    desk.stop_server(); // the same process served throughout, and stops cleanly
}

// Issue 15's aim: the organisers move a running event from the laptop to their PostgreSQL. The kiosks
// go on checking people in and are never touched: the new server answers at the same address with
// the same certificate and the same identity, and takes up where the laptop stopped.
TEST_CASE(
    "A running event moves from the laptop to PostgreSQL: the kiosks work on, untouched, nothing lost") {
    Desk desk(true);
    desk.start_server();
    const auto k1 = desk.add_kiosk("Accueil 1"), k2 = desk.add_kiosk("Accueil 2");
    std::vector<std::unique_ptr<Process>> agents;
    for (const auto& k : desk.kiosks)
        agents.push_back(desk.agent(k));
    check_in_on(k1, slice(desk.people, 0, 10));
    check_in_on(k2, slice(desk.people, 10, 10));
    CHECK(wait_until([&] { return desk.converged(20); }, 30s));

    // The first pass while the laptop's server still takes arrivals.
    desk.pg = std::make_unique<TestPostgres>();
    desk.store = desk.pg->url();
    check_in_on(k1, slice(desk.people, 20, 5));
    auto r = desk.run({"migrate", "--from", desk.central, "--to", desk.store});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    check_in_on(k2, slice(desk.people, 25, 5));
    CHECK(wait_until([&] { return checkins_in(desk.central).size() == 30; }, 30s));
    // The laptop's server stops; the second pass brings what arrived since the first.
    desk.stop_server();
    r = desk.run({"migrate", "--from", desk.central, "--to", desk.store});
    REQUIRE(r.code == 0);
    desk.backend = Backend::Postgres;
    CHECK(desk.central_checkins() == checkins_in(desk.central));
    // The new server on the same address: the kiosks' agents find it by themselves.
    desk.start_server();
    check_in_on(k1, slice(desk.people, 30, 5));
    CHECK(wait_until([&] { return desk.converged(35); }, 30s));
    // Nothing refused, nothing to enrol again: the same certificate and identity answered.
    for (const auto& k : desk.kiosks)
        CHECK(count_in(k, "SELECT count(*) FROM sync_dead_letters") == 0);
    CHECK(desk.central_count("SELECT count(*) FROM sync_refusals") == 0);
    // A kiosk enrolled now joins the same way, pinning the certificate the others pinned.
    const auto k3 = desk.add_kiosk("Accueil 3");
    CHECK(meta_in(k3, "sync.fingerprint") == meta_in(k1, "sync.fingerprint"));
    CHECK(wait_until([&] { return desk.once(k3).code == 0 && desk.converged(35); }, 30s));
    for (auto& a : agents) {
        a->signal(SIGTERM);
        CHECK(a->wait() == 0);
    }
    desk.require_converged(35);
}
