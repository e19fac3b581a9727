// The central store on PostgreSQL (issue 15), against a real PostgreSQL started for each test
// (tests/support/postgres.hpp): its schema, the move from SQLite, and the merge, which must answer
// every batch exactly as the SQLite central store does.
#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "organiser_password.hpp"
#include "pg_central.hpp"
#include "pg_connection.hpp"
#include "pg_devices.hpp"
#include "pg_schema.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/desk_sync.hpp"
#include "support/postgres.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "sync/device_table.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"

#include <catch2/catch.hpp>

#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace accueil;
using namespace accueil::sync;

namespace {

// Every event of a journal in (origin, seq) order, as text: two stores hold the same journal when
// these are equal.
std::string journal_text(Store& s) {
    std::ostringstream out;
    SQLite::Statement q(s.db(), "SELECT lower(hex(origin)), seq, hlc, kind, entity, payload FROM journal "
                                "ORDER BY origin, seq");
    while (q.executeStep())
        out << q.getColumn(0).getString() << "/" << q.getColumn(1).getString() << " "
            << q.getColumn(2).getString() << " " << q.getColumn(3).getString() << " "
            << q.getColumn(4).getString() << " " << q.getColumn(5).getString() << "\n";
    return out.str();
}

std::string journal_text(pg::Connection& c) {
    std::ostringstream out;
    const auto r = c.exec("SELECT encode(origin, 'hex'), seq, hlc, kind, entity, payload FROM journal "
                          "ORDER BY origin, seq");
    for (int i = 0; i < r.rows(); ++i)
        out << r.text(i, 0) << "/" << r.text(i, 1) << " " << r.text(i, 2) << " " << r.text(i, 3) << " "
            << r.text(i, 4) << " " << r.text(i, 5) << "\n";
    return out.str();
}

// A central store with a roster and a kiosk that joined it and holds the event.
struct Event {
    test::TempDir dir;
    std::vector<std::string> people = test::create_central_with_roster(dir.file("central.db"), 30);
    Store central = Store::open(dir.file("central.db"));
    Store kiosk = create_joining_store(dir.file("kiosk.db"));

    Event() {
        test::join_offline(central, kiosk, "Accueil 1", Role::Kiosk);
        test::pull_as(central, kiosk, Role::Kiosk);
    }
    // The kiosk checks in people [from, from + n) and returns its events not yet sent.
    std::vector<JournalEvent> check_in(std::size_t from, std::size_t n) {
        for (std::size_t i = from; i < from + n; ++i)
            REQUIRE(
                accueil::check_in(kiosk, people[i], test::kSept28At0912 + std::int64_t(i) * 1000).verdict ==
                Verdict::Admitted);
        return unacked_events(kiosk, 100000);
    }
    MergeOptions push() const {
        MergeOptions o;
        o.channel = Channel::Push;
        o.sender = kiosk.origin();
        o.source = "Accueil 1";
        return o;
    }
};

std::vector<JournalEvent> slice(const std::vector<JournalEvent>& v, std::size_t from, std::size_t n) {
    return {v.begin() + long(from), v.begin() + long(std::min(v.size(), from + n))};
}

// What a kiosk could tell from an answer: counts, each refusal's reason and the marks.
std::string answer(const MergeResult& r) {
    std::ostringstream out;
    out << "applied " << r.applied << ", known " << r.already_known << ";";
    for (const auto& x : r.rejected)
        out << " refused " << to_hex(x.origin) << "/" << x.seq << ": " << x.reason << ";";
    for (const auto& [o, m] : r.marks)
        out << " mark " << to_hex(o) << "=" << m << ";";
    return out.str();
}

} // namespace

TEST_CASE("A PostgreSQL connection string is shown without its password") {
    CHECK(pg::redact("postgresql://accueil:s3cret@db.example.org:5432/events?sslmode=require") ==
          "postgresql://accueil:***@db.example.org:5432/events?sslmode=require");
    CHECK(pg::redact("postgresql://accueil@db/events?password=s3cret&sslmode=verify-full") ==
          "postgresql://accueil@db/events?password=***&sslmode=verify-full");
    CHECK(pg::redact("host=db user=accueil password=s3cret dbname=events") ==
          "host=db user=accueil password=*** dbname=events");
    CHECK(pg::redact("postgresql://accueil@/events?host=/run/postgresql") ==
          "postgresql://accueil@/events?host=/run/postgresql");
    // An '@' in the path is not a password's end.
    CHECK(pg::redact("postgresql://db/ev@nt") == "postgresql://db/ev@nt");
    CHECK(pg::is_store_url("postgresql://db/events"));
    CHECK(pg::is_store_url("postgres://db/events"));
    CHECK_FALSE(pg::is_store_url("central.db"));
}

TEST_CASE("A PostgreSQL store gets its schema, says when it holds no event yet, and refuses a newer one") {
    test::TestPostgres pg;
    // An empty database: the schema is made, and the person is told how to bring an event.
    try {
        pg::PgCentral::open(pg.url());
        FAIL("an empty PostgreSQL store opened");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("accueil-sync migrate --from central.db --to"));
    }
    auto c = pg::Connection::open(pg.url());
    CHECK(c.exec("SELECT max(version) FROM accueil_schema").int64(0, 0) == pg::schema_version());
    // Opening again changes nothing.
    pg::ensure_schema(c);
    CHECK(c.exec("SELECT count(*) FROM accueil_schema").int64(0, 0) == pg::schema_version());
    // A store made by the first version (no tables for the organisers' page) is brought up to date,
    // its data kept.
    REQUIRE(pg::schema_version() == 2);
    c.exec("INSERT INTO accueil_meta (key, value) VALUES ('kept', 'yes')");
    c.exec("DROP TABLE web_sessions, web_links");
    c.exec("DELETE FROM accueil_schema WHERE version = 2");
    pg::ensure_schema(c);
    CHECK(c.exec("SELECT count(*) FROM web_sessions").int64(0, 0) == 0);
    CHECK(c.exec("SELECT count(*) FROM web_links").int64(0, 0) == 0);
    CHECK(c.exec("SELECT value FROM accueil_meta WHERE key = 'kept'").text(0, 0) == "yes");
    CHECK(c.exec("SELECT max(version) FROM accueil_schema").int64(0, 0) == 2);
    // A newer accueil wrote it: refused, nothing touched.
    c.exec("INSERT INTO accueil_schema (version) VALUES (99)");
    try {
        pg::ensure_schema(c);
        FAIL("a newer schema was accepted");
    } catch (const pg::PgError& e) {
        CHECK_THAT(e.what(), Catch::Contains("schema version 99") && Catch::Contains("newer accueil"));
    }
    CHECK(c.exec("SELECT count(*) FROM accueil_schema").int64(0, 0) == pg::schema_version() + 1);
}

TEST_CASE("An unreachable PostgreSQL is a clear error that does not show the password") {
    test::TestPostgres pg;
    try {
        pg::Connection::open("postgresql://accueil:s3cret@/nowhere?host=" + pg.dir().string() + "/absent");
        FAIL("connected to nothing");
    } catch (const pg::PgError& e) {
        CHECK_THAT(e.what(), Catch::Contains("cannot reach PostgreSQL at postgresql://accueil:***@"));
        CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
    }
}

// A PostgreSQL host that stopped answering (a server frozen, a firewall dropping packets) must not hold
// a kiosk's push or the organisers' page for as long as TCP keeps trying.
TEST_CASE("A PostgreSQL address that accepts and never answers is given up and said clearly") {
    // The kernel completes the connection (listen backlog); nothing ever reads or answers it.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
    REQUIRE(::listen(fd, 8) == 0);
    socklen_t size = sizeof at;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&at), &size) == 0);
    const std::string url =
        "postgresql://accueil:s3cret@127.0.0.1:" + std::to_string(ntohs(at.sin_port)) + "/x";
    test::TempDir dir;
    // Under `timeout`: a hang is exit 124, not a stuck test.
    test::Process status(
        {"/usr/bin/timeout", "40", std::string(ACCUEIL_BIN_DIR) + "/accueil-sync", "status", "--store", url},
        dir.file("status"));
    const int code = status.wait();
    ::close(fd);
    INFO(status.out() << status.err());
    CHECK(code != 124);
    CHECK(code != 0);
    CHECK_THAT(status.out() + status.err(),
               Catch::Contains("cannot reach PostgreSQL at postgresql://accueil:***@") &&
                   Catch::Contains("timeout") && !Catch::Contains("s3cret"));
}

TEST_CASE("TLS to PostgreSQL is used when the URL asks for it, and refused when the server has none") {
    test::TestPostgres plain({.tcp = true});
    try {
        pg::Connection::open(plain.tcp_url() + "?sslmode=require");
        FAIL("sslmode=require connected without TLS");
    } catch (const pg::PgError& e) {
        CHECK_THAT(e.what(), Catch::Contains("SSL"));
    }
    test::TestPostgres secure({.tcp = true, .tls = true});
    auto c = pg::Connection::open(secure.tcp_url() + "?sslmode=require");
    CHECK(c.exec("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").text(0, 0) == "t");
    auto without = pg::Connection::open(secure.tcp_url() + "?sslmode=disable");
    CHECK(without.exec("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").text(0, 0) == "f");
}

TEST_CASE("migrate moves a central store to PostgreSQL, compared, and a second run adds only what is new") {
    Event ev;
    test::TestPostgres pg;
    REQUIRE(merge_events(ev.central, ev.check_in(0, 5), ev.push()).ok());
    auto moved = pg::move_to_postgres(ev.central.path(), pg.url());
    CHECK(moved.events == ev.central.db().execAndGet("SELECT count(*) FROM journal").getInt64());
    CHECK(moved.added == moved.events);
    CHECK(moved.devices == 1);
    auto c = pg::Connection::open(pg.url());
    CHECK(journal_text(c) == journal_text(ev.central));
    auto store = pg::PgCentral::open(pg.url());
    CHECK(store.origin() == ev.central.origin());
    CHECK(store.vector() == local_vector(ev.central));

    // The kiosks went on pushing to the old server meanwhile: the second run brings just that.
    auto more = ev.check_in(5, 3);
    REQUIRE(merge_events(ev.central, more, ev.push()).ok());
    moved = pg::move_to_postgres(ev.central.path(), pg.url());
    CHECK(moved.added == 3);
    CHECK(journal_text(c) == journal_text(ev.central));
    CHECK(store.vector() == local_vector(ev.central));
}

TEST_CASE("migrate refuses a PostgreSQL database that holds another central store, and changes nothing") {
    Event first;
    test::TempDir other_dir;
    test::create_central_with_roster(other_dir.file("other.db"), 3);
    test::TestPostgres pg;
    pg::move_to_postgres(first.central.path(), pg.url());
    auto c = pg::Connection::open(pg.url());
    const auto before = journal_text(c);
    try {
        pg::move_to_postgres(other_dir.file("other.db"), pg.url());
        FAIL("a second store was moved into the same database");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("already holds another central store"));
    }
    CHECK(journal_text(c) == before);
    // A file that is not there is said as such.
    CHECK_THROWS_WITH(pg::move_to_postgres(other_dir.file("absent.db"), pg.url()),
                      Catch::Contains("absent.db"));
}

TEST_CASE("A kiosk's batches get the same answers from the PostgreSQL store as from the SQLite one") {
    Event ev;
    // A desk too: it edits people, and its edits are held to this machine's clock.
    const std::string desk_path = ev.dir.file("desk.db");
    {
        Store desk = create_joining_store(desk_path);
        test::join_offline(ev.central, desk, "Accueil desk", Role::Desk);
        test::pull_as(ev.central, desk, Role::Desk);
    }
    test::TestPostgres pg;
    pg::move_to_postgres(ev.central.path(), pg.url());
    auto store = pg::PgCentral::open(pg.url(), system_wall_ms);
    Merger sqlite(ev.central);
    const auto events = ev.check_in(0, 12);
    REQUIRE(events.size() == 12);

    auto both = [&](const std::vector<JournalEvent>& batch, const MergeOptions& o) {
        const auto here = answer(sqlite.merge(batch, o));
        const auto there = answer(store.merge(batch, o));
        CHECK(there == here);
        return there;
    };
    // Out of order, with a gap: the mark stops before it.
    CHECK_THAT(both(slice(events, 4, 4), ev.push()),
               Catch::Contains("applied 4, known 0") && Catch::Contains("=0;"));
    // Past the gap, two of them again: above the mark, yet already there.
    CHECK_THAT(both(slice(events, 6, 2), ev.push()),
               Catch::Contains("applied 0, known 2") && Catch::Contains("=0;"));
    CHECK_THAT(both(slice(events, 0, 4), ev.push()), Catch::Contains("applied 4") && Catch::Contains("=8;"));
    // The same batch again, and a batch half known.
    CHECK_THAT(both(slice(events, 0, 4), ev.push()), Catch::Contains("applied 0, known 4"));
    CHECK_THAT(both(slice(events, 6, 6), ev.push()),
               Catch::Contains("applied 4, known 2") && Catch::Contains("=12;"));
    // A cloned disk: a seq already held, other content. Refused whole, recorded.
    auto clone = slice(events, 11, 1);
    clone[0].payload = events[0].payload;
    CHECK_THAT(both(clone, ev.push()), Catch::Contains("refused") && Catch::Contains("conflict"));
    // Another origin's event sent by this kiosk; a malformed payload; an unknown origin.
    auto forged = slice(events, 0, 1);
    forged[0].origin = ev.central.origin();
    forged[0].seq = 999;
    CHECK_THAT(both(forged, ev.push()), Catch::Contains("forbidden"));
    JournalEvent bad = events[0];
    bad.seq = 13;
    bad.payload = "{\"day\": 12}";
    CHECK_THAT(both({bad}, ev.push()), Catch::Contains("malformed"));
    MergeOptions bundle;
    bundle.guard_clock = false;
    JournalEvent stranger = events[0];
    stranger.origin[0] ^= 0xff;
    CHECK_THAT(both({stranger}, bundle), Catch::Contains("not an enrolled device"));
    // The same batch twice in itself with two contents.
    JournalEvent fresh = events[0];
    fresh.seq = 13;
    JournalEvent twin = fresh;
    twin.entity = ev.people[20];
    CHECK_THAT(both({fresh, twin}, ev.push()), Catch::Contains("conflict"));
    // The desk's edit in time is taken; one stamped an hour ahead (a wrong date) is refused by both.
    const auto edit = [&](std::int64_t ahead_ms, const std::string& organisation) {
        Store desk = Store::open(desk_path, [ahead_ms] { return system_wall_ms() + ahead_ms; });
        const auto before = *load_attendee(desk.db(), ev.people[2]);
        auto after = before;
        after.organisation = organisation;
        WriteTransaction tx(desk.db());
        REQUIRE(update_attendee(desk, before, after));
        tx.commit();
        return std::vector<JournalEvent>{unacked_events(desk, 100).back()};
    };
    MergeOptions from_desk;
    from_desk.channel = Channel::Push;
    from_desk.sender = Store::open(desk_path).origin();
    from_desk.source = "Accueil desk";
    CHECK_THAT(both(edit(0, "Mairie \"Centre\" \\N {a,b} \\ \t fin"), from_desk),
               Catch::Contains("applied 1"));
    CHECK_THAT(both(edit(3600 * 1000, "Préfecture"), from_desk),
               Catch::Contains("refused") && Catch::Contains("clock"));

    auto c = pg::Connection::open(pg.url());
    CHECK(journal_text(c) == journal_text(ev.central));
    CHECK(store.vector() == local_vector(ev.central));
    // Every refusal kept for organisers, as on SQLite.
    const auto theirs = store.refusals();
    const auto ours = refusals(ev.central.db());
    REQUIRE(theirs.size() == ours.size());
    for (std::size_t i = 0; i < ours.size(); ++i) {
        CHECK(theirs[i].reason == ours[i].reason);
        CHECK(theirs[i].payload_hash == ours[i].payload_hash);
    }
}

TEST_CASE("Two connections merging one origin's batches at once lose and double nothing") {
    Event ev;
    test::TestPostgres pg;
    pg::move_to_postgres(ev.central.path(), pg.url());
    std::vector<JournalEvent> events;
    // Two servers, each merging its list of batches on its own connection, at the same time.
    auto run = [&](const std::vector<std::vector<JournalEvent>>(&lists)[2]) {
        std::vector<std::string> failures;
        std::mutex m;
        std::size_t applied = 0;
        auto serve = [&](int which) {
            try {
                auto store = pg::PgCentral::open(pg.url());
                auto o = ev.push();
                // The window between a batch's marks and its commit, where the other server's batch of
                // the same origin would be missed without the origin's lock.
                o.before_commit = [] { std::this_thread::sleep_for(std::chrono::milliseconds(3)); };
                for (const auto& b : lists[which]) {
                    const auto r = store.merge(b, o);
                    std::lock_guard lock(m);
                    if (!r.ok())
                        failures.push_back(answer(r));
                    applied += r.applied;
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(m);
                failures.push_back(e.what());
            }
        };
        std::thread a(serve, 0), b(serve, 1);
        a.join();
        b.join();
        CHECK(failures.empty());
        return applied;
    };
    // A kiosk whose answer was slow tries the other server: here each server gets every other batch,
    // three times over (a lost mark shows only when the last two batches overlap).
    auto store = pg::PgCentral::open(pg.url());
    std::vector<std::vector<JournalEvent>> batches;
    for (std::size_t round = 0; round < 3; ++round) {
        const auto all = ev.check_in(round * 10, 10);
        const std::vector<JournalEvent> fresh(all.end() - 10, all.end());
        events.insert(events.end(), fresh.begin(), fresh.end());
        std::vector<std::vector<JournalEvent>> halves[2];
        for (std::size_t i = 0; i < fresh.size(); i += 2) {
            batches.push_back(slice(fresh, i, 2));
            halves[(i / 2) % 2].push_back(batches.back());
        }
        CHECK(run(halves) == fresh.size());
        CHECK(store.vector().at(ev.kiosk.origin()) == std::int64_t(events.size()));
    }
    // Then both get every batch again, each in its own order: nothing is written twice.
    std::vector<std::vector<JournalEvent>> shuffled[2] = {batches, batches};
    std::mt19937 rng(7);
    for (auto& list : shuffled)
        std::shuffle(list.begin(), list.end(), rng);
    CHECK(run(shuffled) == 0);
    CHECK(store.vector().at(ev.kiosk.origin()) == 30);
    REQUIRE(merge_events(ev.central, events, ev.push()).ok());
    auto c = pg::Connection::open(pg.url());
    CHECK(journal_text(c) == journal_text(ev.central));
}

TEST_CASE(
    "accueil-sync migrate moves a central store to PostgreSQL and back, and never prints the password") {
    Event ev;
    REQUIRE(merge_events(ev.central, ev.check_in(0, 6), ev.push()).ok());
    set_organiser_password(ev.central, "correct horse battery"); // organisers keep their password
    // What COPY's text format escapes, and what JSON escapes, in one person's name.
    {
        WriteTransaction tx(ev.central.db());
        create_attendee(ev.central, Attendee{.first_name = "Zoé \\N \"Back\\slash\"\tTab",
                                             .last_name = "Ångström 😀 \\.",
                                             .organisation = "Ligne\nsuivante\r",
                                             .category = "Participant"});
        tx.commit();
    }
    test::TestPostgres pg;
    // Trust authentication ignores the password: it is there to be hidden.
    const std::string url = "postgresql://accueil:s3cret@/accueil?host=" + pg.dir().string();
    auto there = test::run_bin("accueil-sync", "migrate --from " + ev.central.path() + " --to '" + url + "'");
    CHECK(there.exit_code == 0);
    CHECK_THAT(there.output, Catch::Contains("Central store moved") && Catch::Contains("1 devices") &&
                                 Catch::Contains("postgresql://accueil:***@") && !Catch::Contains("s3cret"));
    // Back into a new file: the same journal, and every projection rebuilt from it.
    const std::string back = ev.dir.file("back.db");
    auto home = test::run_bin("accueil-sync", "migrate --from '" + url + "' --to " + back);
    CHECK(home.exit_code == 0);
    CHECK_THAT(home.output, !Catch::Contains("s3cret"));
    Store returned = Store::open(back);
    CHECK(returned.origin() == ev.central.origin());
    CHECK(journal_text(returned) == journal_text(ev.central));
    CHECK(test::dump_projections(returned.db()) == test::dump_projections(ev.central.db()));
    const auto identity = {
        "SELECT key, value FROM meta WHERE key IN ('origin', 'sync.device_seed', 'web.password_hash') ORDER "
        "BY key",
        "SELECT * FROM sync_devices ORDER BY name", "SELECT * FROM sync_peers ORDER BY origin",
        "SELECT origin, seq, kind, source, reason, payload_hash FROM sync_refusals ORDER BY id"};
    CHECK(test::dump_queries(returned.db(), identity) == test::dump_queries(ev.central.db(), identity));
    CHECK(local_vector(returned) == local_vector(ev.central));
    // Said in French under a French locale.
    test::Process again(
        {std::string(ACCUEIL_BIN_DIR) + "/accueil-sync", "migrate", "--from", ev.central.path(), "--to", url},
        ev.dir.file("again"), {{"LANGUAGE", ""}, {"LC_ALL", "fr_FR.UTF-8"}});
    CHECK(again.wait() == 0);
    CHECK_THAT(again.out(), Catch::Contains("Base centrale déplacée") && Catch::Contains("0 copiés"));
}

TEST_CASE("accueil-sync migrate refuses what it cannot do, says why, and leaves everything as it was") {
    Event ev;
    test::TestPostgres pg;
    // Two files, two addresses.
    auto r = test::run_bin("accueil-sync", "migrate --from " + ev.central.path() + " --to other.db");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("one of --from and --to must be a postgresql:// address"));
    r = test::run_bin("accueil-sync", "migrate --from '" + pg.url() + "' --to '" + pg.url() + "'");
    CHECK(r.exit_code == 2);
    // Back from a database that holds no store: no file made.
    const std::string back = ev.dir.file("back.db");
    r = test::run_bin("accueil-sync", "migrate --from '" + pg.url() + "' --to " + back);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("holds no event yet"));
    CHECK_FALSE(std::filesystem::exists(back));
    // Back onto an existing file: refused, the file untouched.
    pg::move_to_postgres(ev.central.path(), pg.url());
    const auto before = journal_text(ev.central);
    r = test::run_bin("accueil-sync", "migrate --from '" + pg.url() + "' --to " + ev.central.path());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("already exists"));
    CHECK(journal_text(ev.central) == before);
    // PostgreSQL out of reach: said, exit 3.
    r = test::run_bin("accueil-sync",
                      "migrate --from " + ev.central.path() +
                          " --to 'postgresql://accueil:s3cret@/accueil?host=" + ev.dir.file("none") + "'");
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.output, Catch::Contains("cannot reach PostgreSQL") && !Catch::Contains("s3cret"));
}

TEST_CASE("accueil-sync status --store says of a PostgreSQL store what status --db says of the same file") {
    Event ev;
    // A second kiosk checks the same person in the same day: a duplicate to flag; a cloned batch: a
    // refusal to list.
    Store second = create_joining_store(ev.dir.file("kiosk2.db"));
    test::join_offline(ev.central, second, "Accueil 2", Role::Desk);
    test::pull_as(ev.central, second, Role::Desk);
    REQUIRE(merge_events(ev.central, ev.check_in(0, 3), ev.push()).ok());
    REQUIRE(accueil::check_in(second, ev.people[1], test::kSept28At0912 + 60000).verdict ==
            Verdict::Admitted);
    MergeOptions o;
    o.channel = Channel::Push;
    o.sender = second.origin();
    o.source = "Accueil 2";
    const auto sent = unacked_events(second, 100);
    REQUIRE(merge_events(ev.central, sent, o).ok());
    auto clone = sent;
    clone.back().payload = R"({"at":1664349180000,"day":"2022-09-28","kiosk":"Accueil 9"})";
    REQUIRE_FALSE(merge_events(ev.central, clone, o).ok());
    const std::string enrolled = enrol_device(ev.central, "Accueil 3", Role::Kiosk); // a code not used yet
    (void)enrolled;

    test::TestPostgres pg;
    pg::move_to_postgres(ev.central.path(), pg.url());
    const auto file = test::run_bin("accueil-sync", "status --db " + ev.central.path());
    const auto store = test::run_bin("accueil-sync", "status --store '" + pg.url() + "'");
    REQUIRE(file.exit_code == 0);
    CHECK(store.exit_code == 0);
    // The same, but for the first line (where) and the "(2 s ago)" of each time: the two commands
    // ran a moment apart.
    const auto comparable = [](std::string text) {
        text = text.substr(text.find('\n') + 1);
        for (auto end = text.find(" ago)"); end != std::string::npos; end = text.find(" ago)")) {
            const auto open = text.rfind('(', end);
            if (open == std::string::npos)
                break;
            text.erase(open, end + 5 - open);
        }
        return text;
    };
    CHECK(comparable(store.output) == comparable(file.output));
    CHECK_THAT(store.output, Catch::Contains("Prénom1 Nom1") && Catch::Contains("Accueil 3") &&
                                 Catch::Contains("conflict"));
    // One of the two, never both, never neither.
    CHECK(test::run_bin("accueil-sync", "status").exit_code != 0);
    CHECK(test::run_bin("accueil-sync", "status --db " + ev.central.path() + " --store '" + pg.url() + "'")
              .exit_code != 0);
}

TEST_CASE(
    "A server killed mid-batch leaves nothing of the batch in PostgreSQL, and the kiosk's retry lands once") {
    Event ev;
    test::TestPostgres pg;
    pg::move_to_postgres(ev.central.path(), pg.url());
    const auto events = ev.check_in(0, 8);
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The server: everything written, the commit not yet made, when it is killed.
        ::close(ready[0]);
        try {
            auto store = pg::PgCentral::open(pg.url());
            auto o = ev.push();
            o.before_commit = [&] {
                const char byte = 1;
                (void)!::write(ready[1], &byte, 1);
                ::pause();
            };
            store.merge(events, o);
        } catch (...) {
        }
        ::_exit(0);
    }
    ::close(ready[1]);
    char byte = 0;
    const bool reached = ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    REQUIRE(reached);
    auto store = pg::PgCentral::open(pg.url());
    auto c = pg::Connection::open(pg.url());
    // PostgreSQL rolled the open transaction back when the connection died: no event, no mark.
    CHECK(test::wait_until([&] {
        return c.exec("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")
                   .int64(0, 0) == 0;
    }));
    CHECK(c.exec("SELECT count(*) FROM journal WHERE origin = decode($1, 'hex')", {to_hex(ev.kiosk.origin())})
              .int64(0, 0) == 0);
    CHECK(store.vector().count(ev.kiosk.origin()) == 0);
    // The kiosk had no answer: it sends the batch again, to this server or another.
    const auto r = store.merge(events, ev.push());
    CHECK(r.applied == events.size());
    CHECK(store.vector().at(ev.kiosk.origin()) == 8);
    REQUIRE(merge_events(ev.central, events, ev.push()).ok());
    CHECK(journal_text(c) == journal_text(ev.central));
}

TEST_CASE("A journal larger than one piece of the move goes both ways whole") {
    test::TempDir dir;
    // Pieces are 10,000 rows (sync/pg/pg_migrate.cpp): this journal spans two.
    test::create_central_with_roster(dir.file("central.db"), 10'050);
    Store central = Store::open(dir.file("central.db"));
    test::TestPostgres pg;
    const auto moved = pg::move_to_postgres(central.path(), pg.url());
    CHECK(moved.events == 10'051); // the event and its people
    auto c = pg::Connection::open(pg.url());
    CHECK(journal_text(c) == journal_text(central));
    pg::move_from_postgres(pg.url(), dir.file("back.db"));
    Store back = Store::open(dir.file("back.db"));
    CHECK(journal_text(back) == journal_text(central));
    CHECK(test::dump_projections(back.db()) == test::dump_projections(central.db()));
}

TEST_CASE("accueil-sync revoke --store revokes a device of a PostgreSQL store as revoke --db does a file's") {
    Event ev;
    enrol_device(ev.central, "Accueil 3", Role::Kiosk); // a code not used yet
    test::TestPostgres pg;
    pg::move_to_postgres(ev.central.path(), pg.url());
    const std::string store = "--store '" + pg.url() + "'", file = "--db " + ev.central.path();
    // The same words, and the same exit codes, from both.
    for (const auto& [args, code] : std::vector<std::pair<std::string, int>>{
             {"'Accueil 1'", 0}, {"'Accueil 1'", 2}, {"'Accueil 3'", 0}, {"'Accueil 9'", 2}}) {
        const auto there = test::run_bin("accueil-sync", "revoke " + args + " " + store);
        const auto here = test::run_bin("accueil-sync", "revoke " + args + " " + file);
        CHECK(there.exit_code == code);
        CHECK(here.exit_code == code);
        // Digits aside: "revoked on <day> <hh:mm>" may fall on either side of a minute.
        const auto words = [](std::string text) {
            std::erase_if(text, [](char c) { return c >= '0' && c <= '9'; });
            return text;
        };
        CHECK(words(there.output) == words(here.output));
        CHECK_THAT(there.output, Catch::Contains("Accueil"));
    }
    auto central = pg::PgCentral::open(pg.url());
    for (const auto& d : central.devices())
        CHECK(d.revoked_ms.has_value());
    CHECK_THAT(test::run_bin("accueil-sync", "status " + store).output,
               Catch::Contains("Accueil 1") && Catch::Contains("revoked"));
    CHECK(test::run_bin("accueil-sync", "revoke 'Accueil 1'").exit_code != 0);
}

TEST_CASE("accueil report --store and accueil export --store write what --db writes of the same event") {
    Event ev;
    REQUIRE(merge_events(ev.central, ev.check_in(0, 12), ev.push()).ok());
    test::TestPostgres pg;
    pg::move_to_postgres(ev.central.path(), pg.url());
    test::TempDir tmp; // the snapshot's temporary folder goes here, and must be gone at the end
    // `accueil` with TMPDIR in `tmp`.
    const auto accueil = [&](const std::string& args) {
        test::CommandResult out;
        const std::string command = "TMPDIR=" + tmp.path().string() + " " + std::string(ACCUEIL_BIN_DIR) +
                                    "/accueil " + args + " 2>&1";
        FILE* pipe = ::popen(command.c_str(), "r");
        REQUIRE(pipe);
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
            out.output.append(buf, n);
        const int status = ::pclose(pipe);
        out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return out;
    };
    const std::string at = " --at 2022-09-28T18:00";
    const std::string file = "--db " + ev.central.path(), store = "--store '" + pg.url() + "'";
    // The same commands on the file and on the store.
    for (const auto& [source, name] : {std::pair{file, "file"}, std::pair{store, "store"}}) {
        const std::string n = name;
        const auto r = accueil("report " + source + " --out " + ev.dir.file(n + ".html") + " --csv " +
                               ev.dir.file(n + "-csv") + at);
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
        REQUIRE(accueil("export " + source + " --out " + ev.dir.file(n + ".csv")).exit_code == 0);
    }
    const std::string html = test::slurp(ev.dir.file("store.html"));
    CHECK(html.size() > 1000);
    CHECK(html == test::slurp(ev.dir.file("file.html")));
    std::size_t tables = 0;
    for (const auto& entry : std::filesystem::directory_iterator(ev.dir.file("file-csv"))) {
        INFO(entry.path().filename());
        ++tables;
        CHECK(test::slurp(ev.dir.file("store-csv") + "/" + entry.path().filename().string()) ==
              test::slurp(entry.path().string()));
    }
    CHECK(tables == 4);
    const std::string csv = test::slurp(ev.dir.file("store.csv"));
    CHECK(csv == test::slurp(ev.dir.file("file.csv")));
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 13); // a heading and the twelve arrivals
    // Nothing of the snapshots is left behind.
    CHECK(std::filesystem::is_empty(tmp.path()));
    // A file given as --store, and a store out of reach: said, nothing written, nothing left.
    auto r = accueil("export --store " + ev.central.path() + " --out " + ev.dir.file("bad.csv"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("is not a PostgreSQL address"));
    r = accueil("export --store 'postgresql://accueil:s3cret@/accueil?host=" + ev.dir.file("none") +
                "' --out " + ev.dir.file("bad.csv"));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::Contains("PostgreSQL") && !Catch::Contains("s3cret"));
    CHECK_FALSE(std::filesystem::exists(ev.dir.file("bad.csv")));
    CHECK(std::filesystem::is_empty(tmp.path()));
}

namespace {
// The PostgreSQL device table with a pause after the code is looked up: the moment a second server
// could trade the same code.
class SlowCodeTable final : public DeviceTable {
public:
    explicit SlowCodeTable(pg::PgCentral& c) : t_(c) {}
    std::int64_t now() override { return t_.now(); }
    Origin self() override { return t_.self(); }
    std::string timezone() override { return t_.timezone(); }
    void write(const std::function<bool()>& work) override { t_.write(work); }
    std::optional<Device> find(const std::string& n) override { return t_.find(n); }
    std::optional<Device> by_token_hash(const std::string& h) override { return t_.by_token_hash(h); }
    std::optional<Code> by_enrol_hash(const std::string& h) override {
        auto c = t_.by_enrol_hash(h);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        return c;
    }
    std::optional<std::string> holder_of(const Origin& o, const std::string& e) override {
        return t_.holder_of(o, e);
    }
    std::vector<Device> all() override { return t_.all(); }
    void retire(const std::string& n, const std::string& as) override { t_.retire(n, as); }
    void remove(const std::string& n) override { t_.remove(n); }
    void add_code(const std::string& n, const std::string& h, Role r, std::int64_t e) override {
        t_.add_code(n, h, r, e);
    }
    void revoke_replaced(const std::string& n, const Origin& o) override { t_.revoke_replaced(n, o); }
    void bind(const std::string& n, const std::string& h, const Origin& o) override { t_.bind(n, h, o); }
    bool revoke(const std::string& n) override { return t_.revoke(n); }
    void touch(const std::string& n, std::int64_t p) override { t_.touch(n, p); }
    void record_peer(const Origin& o, const Peer& p) override { t_.record_peer(o, p); }
    void add_badge_key(const PublicKey& k, const std::string& l) override { t_.add_badge_key(k, l); }

private:
    pg::PgDeviceTable t_;
};
} // namespace

TEST_CASE("One enrolment code traded at two servers at once joins one device, the other is refused") {
    Event ev;
    test::TestPostgres pg;
    pg::move_to_postgres(ev.central.path(), pg.url());
    auto first = pg::PgCentral::open(pg.url());
    auto second = pg::PgCentral::open(pg.url());
    pg::PgDeviceTable second_table(second);
    const std::string code = enrol(second_table, EnrolRequest{"Accueil 7", Role::Kiosk}).secret;
    const auto key = SigningKey::generate().public_key();
    JoinResult slow, quick;
    std::thread at_first([&] {
        SlowCodeTable table(first);
        slow = join_device(table, JoinAttempt{code, random_origin(), key, {}});
    });
    // The second server tries while the first holds the code between its look-up and its commit.
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    quick = join_device(second_table, JoinAttempt{code, random_origin(), key, {}});
    at_first.join();
    CHECK(slow.joined.has_value());
    CHECK_FALSE(quick.joined.has_value());
    CHECK(quick.refusal == JoinRefusal::UnknownCode);
    // One device, bound to the first kiosk's origin, with one token.
    const auto devices = second_table.all();
    const auto joined = std::count_if(devices.begin(), devices.end(), [](const Device& d) {
        return d.name == "Accueil 7" && d.joined_ms && !d.revoked_ms;
    });
    CHECK(joined == 1);
    REQUIRE(slow.joined);
    CHECK(authenticate(second_table, slow.joined->token).has_value());
}

TEST_CASE("Every --store command refuses a file name, or a SQLite setting, saying why and changing nothing") {
    Event ev;
    const std::string before = journal_text(ev.central);
    const std::string file = ev.central.path();
    for (const std::string& command :
         {"serve --insecure --listen 127.0.0.1:" + std::to_string(test::free_port()), std::string("status"),
          std::string("enroll --name X"), std::string("revoke X"),
          std::string("export --out ") + ev.dir.file("x.acc"), std::string("merge ") + file,
          std::string("password"), std::string("link --url http://127.0.0.1:1")}) {
        INFO(command);
        const auto r = test::run_bin("accueil-sync", command + " --store " + file);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.output, Catch::Contains("is not a PostgreSQL address") && Catch::Contains("--db"));
    }
    const auto r = test::run_bin("accueil-sync", "serve --store postgresql://accueil@/x --backup-every 60");
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::Contains("--store excludes --backup-every"));
    CHECK(journal_text(ev.central) == before);
    CHECK_FALSE(std::filesystem::exists(ev.dir.file("x.acc")));
}
