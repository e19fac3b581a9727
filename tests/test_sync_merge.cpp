// The merge function, bundles and the protocol's encoding (issue 3). The property test delivers one
// random history in random orders, batches and repetitions and requires identical projections.
#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"
#include "sync/bundle.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/protocol.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>

using namespace accueil;
using namespace accueil::sync;

namespace {

MergeOptions no_guard() {
    MergeOptions o;
    o.guard_clock = false;
    return o;
}

// Everything people can see, in a canonical order. Row numbers and internal stamps depend on arrival
// order by design; the values do not.
std::string projection_dump(Store& s) {
    std::ostringstream out;
    auto dump = [&](const char* title, const char* sql) {
        out << "# " << title << "\n";
        SQLite::Statement q(s.db(), sql);
        while (q.executeStep()) {
            for (int i = 0; i < q.getColumnCount(); ++i)
                out << q.getColumn(i).getString() << "|";
            out << "\n";
        }
    };
    dump("event", "SELECT uid, name, timezone, days FROM event_info");
    dump("attendees", "SELECT id, first_name, last_name, email, organisation, category, category_key, days, "
                      "ext_code, badge_version, source FROM attendees ORDER BY id");
    dump("checkins", "SELECT hex(origin), seq, attendee_id, day, at_ms, hlc, kiosk, undone FROM checkins "
                     "ORDER BY origin, seq");
    dump("undos", "SELECT hex(origin), seq, hex(target_origin), target_seq FROM undos ORDER BY origin, seq");
    dump("checkin days", "SELECT attendee_id, day, first_at, first_hlc, hex(first_origin), first_seq, "
                         "first_kiosk FROM checkin_days ORDER BY attendee_id, day");
    dump("search", "SELECT a.id, s.names, s.organisation, s.email FROM attendees a JOIN attendee_search s "
                   "ON s.rowid = a.num ORDER BY a.id");
    dump("marks", "SELECT hex(origin), high_water FROM sync_marks ORDER BY origin");
    return out.str();
}

std::string checkins_of(Store& s) {
    std::ostringstream out;
    SQLite::Statement q(
        s.db(), "SELECT hex(origin), seq, attendee_id, day, undone FROM checkins ORDER BY origin, seq");
    while (q.executeStep())
        out << q.getColumn(0).getString() << "/" << q.getColumn(1).getInt64() << " "
            << q.getColumn(2).getString() << " " << q.getColumn(3).getString() << " "
            << q.getColumn(4).getInt() << "\n";
    return out.str();
}

int count(Store& s, const std::string& sql) {
    return s.db().execAndGet(sql).getInt();
}

std::vector<Attendee> roster(Store& s) {
    std::vector<Attendee> out;
    SQLite::Statement q(s.db(), "SELECT id FROM attendees ORDER BY id");
    while (q.executeStep())
        out.push_back(*load_attendee(s.db(), q.getColumn(0).getString()));
    return out;
}

// What `accueil-sync join` does on both sides, without the network: the central store enrols the
// device and binds its origin and key; the device pins the central's origin and key.
void join_offline(Store& central, Store& device, const std::string& name, Role role) {
    const std::string secret = enrol_device(central, name, role);
    std::string why;
    REQUIRE(join_device(central, secret, device.origin(), device_key_of(device).public_key(), why));
    WriteTransaction tx(device.db());
    device.set_meta("sync.server", "http://127.0.0.1:1");
    device.set_meta("sync.server_origin", to_hex(central.origin()));
    device.set_meta("sync.server_key", to_hex(device_key_of(central).public_key()));
    device.set_meta("kiosk_name", name);
    tx.commit();
}

// What the agent does with the server's list of devices on each pull.
void learn_peers(Store& central, Store& device) {
    auto peers = known_peers(central);
    peers.erase(central.origin());
    peers.erase(device.origin());
    WriteTransaction tx(device.db());
    replace_peers(device.db(), peers);
    tx.commit();
}

// A central store with a small roster, and desks (they may edit people and undo any check-in) that
// joined it.
struct Desk {
    test::TempDir dir;
    Store central = Store::create(dir.file("central.db"), test::demo_spec());
    std::vector<Store> kiosks;

    explicit Desk(int kiosk_count, int people = 12, Role role = Role::Desk) {
        // Durability is not under test here; fsyncs would make the property test slow.
        central.db().exec("PRAGMA synchronous=OFF");
        WriteTransaction tx(central.db());
        for (int i = 0; i < people; ++i)
            create_attendee(central, Attendee{.first_name = "Prénom" + std::to_string(i),
                                              .last_name = "Nom" + std::to_string(i),
                                              .category = i % 3 ? "Participant" : "Orateur"});
        tx.commit();
        for (int k = 0; k < kiosk_count; ++k) {
            kiosks.push_back(create_joining_store(dir.file("kiosk" + std::to_string(k) + ".db")));
            kiosks.back().db().exec("PRAGMA synchronous=OFF");
            join_offline(central, kiosks.back(), "Accueil " + std::to_string(k + 1), role);
        }
        for (auto& k : kiosks)
            pull(k);
    }
    // A device that joins later.
    Store join(const std::string& file, const std::string& name, WallClock wall = system_wall_ms,
               Role role = Role::Desk) {
        Store s = create_joining_store(dir.file(file), wall);
        join_offline(central, s, name, role);
        pull(s);
        return s;
    }
    void pull(Store& kiosk) {
        learn_peers(central, kiosk);
        bool more = true;
        while (more) {
            const auto ev = events_missing(central, local_vector(kiosk), 500, more, kiosk.origin());
            MergeOptions o = no_guard();
            o.channel = Channel::Pull;
            REQUIRE(merge_events(kiosk, ev, o).ok());
        }
        // What came from the central store is known there: never to be sent back.
        WriteTransaction tx(kiosk.db());
        raise_acked(kiosk.db(), local_vector(central));
        tx.commit();
    }
    MergeResult push_events(Store& kiosk, const std::vector<JournalEvent>& ev,
                            const std::string& source = "") {
        MergeOptions o;
        o.channel = Channel::Push;
        o.sender = kiosk.origin();
        o.source = source.empty() ? kiosk.kiosk_name() : source;
        return merge_events(central, ev, o);
    }
    void push(Store& kiosk) {
        const auto r = push_events(kiosk, unacked_events(kiosk, 100000));
        REQUIRE(r.ok());
        WriteTransaction tx(kiosk.db());
        raise_acked(kiosk.db(), r.marks);
        tx.commit();
    }
};

// Random operations a desk does in a day: check-ins, undos, edits, walk-ins, occasional partial syncs.
std::vector<JournalEvent> random_history(Desk& desk, std::mt19937& rng, int steps) {
    auto pick = [&](int n) { return int(rng() % unsigned(n)); };
    for (int i = 0; i < steps; ++i) {
        Store& k = desk.kiosks[std::size_t(pick(int(desk.kiosks.size())))];
        auto people = roster(k);
        const Attendee& a = people[std::size_t(pick(int(people.size())))];
        const std::int64_t at =
            test::kSept28At0912 + pick(3) * test::kOneDayMs - test::kOneDayMs + pick(3600) * 1000;
        switch (pick(10)) {
        case 0: {
            WriteTransaction tx(k.db());
            Attendee after = a;
            after.organisation = "Org " + std::to_string(pick(5));
            if (pick(2))
                after.email = "x" + std::to_string(pick(100)) + "@example.org";
            update_attendee(k, a, after);
            tx.commit();
            break;
        }
        case 1: {
            WriteTransaction tx(k.db());
            create_attendee(
                k,
                Attendee{.first_name = "Walk", .last_name = "In" + std::to_string(i), .source = "walk-in"});
            tx.commit();
            break;
        }
        case 2:
            undo_checkins(k, a.id, local_day(at, "Europe/Paris"));
            break;
        case 3:
            desk.push(k);
            desk.pull(k);
            break;
        default:
            check_in(k, a.id, at);
        }
    }
    std::vector<JournalEvent> all = read_journal(desk.central.db());
    for (auto& k : desk.kiosks)
        for (auto& e : read_journal(k.db()))
            all.push_back(e);
    std::sort(all.begin(), all.end(), [](const JournalEvent& a, const JournalEvent& b) {
        return std::tie(a.origin, a.seq) < std::tie(b.origin, b.seq);
    });
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

} // namespace

TEST_CASE("Property: any delivery order, batching and repetition gives the same projections") {
    for (unsigned seed = 1; seed <= 6; ++seed) {
        INFO("seed " << seed);
        std::mt19937 rng(seed);
        Desk desk(3);
        const auto history = random_history(desk, rng, 250);
        REQUIRE(history.size() > 100);

        test::TempDir dir;
        std::string reference;
        for (int trial = 0; trial < 5; ++trial) {
            INFO("trial " << trial);
            Store target = create_joining_store(dir.file("t" + std::to_string(trial) + ".db"));
            target.db().exec("PRAGMA synchronous=OFF");
            join_offline(desk.central, target, "Témoin " + std::to_string(trial), Role::Kiosk);
            learn_peers(desk.central, target);
            std::vector<JournalEvent> delivery = history;
            // Repetitions: a random third of the events come again.
            for (std::size_t i = 0; i < history.size() / 3; ++i)
                delivery.push_back(history[rng() % history.size()]);
            std::shuffle(delivery.begin(), delivery.end(), rng);
            // The event's definition comes first, as the server sends its own origin first: the door
            // checks every check-in's day against it.
            std::stable_partition(delivery.begin(), delivery.end(),
                                  [](const JournalEvent& e) { return e.kind == EventKind::EventDefined; });
            std::size_t pos = 0;
            while (pos < delivery.size()) {
                const std::size_t n = std::min<std::size_t>(1 + rng() % 40, delivery.size() - pos);
                const std::vector<JournalEvent> batch(delivery.begin() + long(pos),
                                                      delivery.begin() + long(pos + n));
                MergeOptions o = no_guard();
                o.channel = Channel::Pull;
                const auto r = merge_events(target, batch, o);
                INFO((r.ok() ? "" : r.rejected.front().reason));
                REQUIRE(r.ok());
                pos += n;
            }
            CHECK(count(target, "SELECT count(*) FROM journal") == int(history.size()));
            const std::string dump = projection_dump(target);
            if (trial == 0)
                reference = dump;
            else
                REQUIRE(dump == reference);
            // Replaying the journal from scratch gives the same thing again.
            rebuild_projections(target.db());
            REQUIRE(projection_dump(target) == reference);
        }
        // Everyone converges to the same check-ins once all is pushed and pulled.
        for (auto& k : desk.kiosks)
            desk.push(k);
        for (auto& k : desk.kiosks) {
            desk.pull(k);
            CHECK(checkins_of(k) == checkins_of(desk.central));
        }
    }
}

TEST_CASE("Marks advance only over contiguous seqs, in the merge's transaction") {
    Desk desk(1);
    Store& k = desk.kiosks[0];
    const auto people = roster(k);
    for (int i = 0; i < 5; ++i)
        check_in(k, people[std::size_t(i)].id, test::kSept28At0912);
    auto ev = unacked_events(k, 100);
    REQUIRE(ev.size() == 5);
    CHECK(desk.push_events(k, {ev[2], ev[4]}).marks.at(k.origin()) == 0);
    CHECK(desk.push_events(k, {ev[0]}).marks.at(k.origin()) == 1);
    const auto r = desk.push_events(k, {ev[1], ev[3], ev[0]});
    CHECK(r.applied == 2);
    CHECK(r.already_known == 1);
    CHECK(r.marks.at(k.origin()) == 5);
    CHECK(local_vector(desk.central).at(k.origin()) == 5);
    // The kiosk learns its events were acknowledged: nothing left to send.
    WriteTransaction tx(k.db());
    raise_acked(k.db(), r.marks);
    tx.commit();
    CHECK(count_unacked(k) == 0);
    CHECK(unacked_events(k, 100).empty());
}

TEST_CASE("A cloned kiosk database is detected: refused whole, recorded, never overwriting") {
    Desk desk(1);
    Store& a = desk.kiosks[0];
    a.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::filesystem::copy_file(a.path(), desk.dir.file("clone.db"));
    Store b = Store::open(desk.dir.file("clone.db"));
    REQUIRE(b.origin() == a.origin());
    const auto people = roster(a);
    check_in(a, people[0].id, test::kSept28At0912);
    check_in(b, people[1].id, test::kSept28At0912); // same (origin, seq), other person
    check_in(b, people[2].id, test::kSept28At0912);
    desk.push(a);
    const std::string before = projection_dump(desk.central);
    const auto r = desk.push_events(b, unacked_events(b, 100), "Accueil clone");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].seq == 1);
    CHECK_THAT(r.rejected[0].reason, Catch::Contains("conflict") && Catch::Contains("cloned"));
    CHECK(r.applied == 0);
    // Nothing of the batch went in, not even the event that did not conflict.
    CHECK(projection_dump(desk.central) == before);
    const auto c = refusals(desk.central.db());
    REQUIRE(c.size() == 1);
    CHECK(c[0].is_conflict());
    CHECK(c[0].source == "Accueil clone");
    CHECK(c[0].kind == "check-in");
    CHECK(c[0].payload_hash.size() == 32);
    CHECK(c[0].payload_size > 0);
    // Recorded without the payload: the refused version's contents are not kept.
    CHECK(count(desk.central,
                "SELECT count(*) FROM sync_refusals WHERE reason LIKE '%" + people[1].id + "%'") == 0);
    // Sent again: still refused, counted.
    CHECK_FALSE(desk.push_events(b, unacked_events(b, 100), "Accueil clone").ok());
    CHECK(refusals(desk.central.db())[0].count == 2);
}

TEST_CASE("HLC guard: edits from a kiosk set to 2038 are refused, its check-ins are kept") {
    Desk desk(1);
    Store& normal = desk.kiosks[0];
    const std::int64_t y2038 = 2153000000000; // 2038-03-22
    Store future = desk.join("future.db", "Futur", [] { return y2038; });
    const auto people = roster(future);

    // Its check-in (a fact, with the scan time the camera saw) goes through.
    check_in(future, people[0].id, test::kSept28At0912);
    auto r = desk.push_events(future, unacked_events(future, 100));
    REQUIRE(r.ok());
    CHECK(r.applied == 1);
    CHECK(HlcStamp::millis(desk.central.clock().last()) < y2038); // the clock did not jump to 2038
    {
        WriteTransaction tx(future.db());
        raise_acked(future.db(), r.marks);
        tx.commit();
    }
    // Its edit would win every later edit: refused.
    {
        WriteTransaction tx(future.db());
        Attendee after = people[1];
        after.email = "from-2038@example.org";
        update_attendee(future, people[1], after);
        tx.commit();
    }
    r = desk.push_events(future, unacked_events(future, 100));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.rejected.at(0).reason, Catch::Contains("clock"));
    CHECK(load_attendee(desk.central.db(), people[1].id)->email.empty());

    // A kiosk a day behind: accepted; a later edit elsewhere still wins over its edit.
    Store late = desk.join("late.db", "En retard", [] { return system_wall_ms() - test::kOneDayMs; });
    {
        WriteTransaction tx(late.db());
        Attendee after = people[2];
        after.organisation = "from yesterday";
        update_attendee(late, people[2], after);
        tx.commit();
    }
    {
        WriteTransaction tx(normal.db());
        Attendee after = people[2];
        after.organisation = "today";
        update_attendee(normal, people[2], after);
        tx.commit();
    }
    desk.push(normal);
    desk.push(late);
    CHECK(load_attendee(desk.central.db(), people[2].id)->organisation == "today");
}

TEST_CASE("A malformed event refuses the batch and changes nothing") {
    Desk desk(1);
    Store& k = desk.kiosks[0];
    check_in(k, roster(k)[0].id, test::kSept28At0912);
    auto ev = unacked_events(k, 10);
    JournalEvent bad = ev[0];
    bad.seq = 2;
    bad.kind = EventKind::CheckInUndone;
    bad.payload = R"({"origin":"nothex","seq":1})";
    const std::string before = projection_dump(desk.central);
    const auto r = desk.push_events(k, {ev[0], bad});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.rejected[0].reason, Catch::Contains("malformed"));
    CHECK(projection_dump(desk.central) == before);
    const auto refused = refusals(desk.central.db());
    REQUIRE(refused.size() == 1);
    CHECK_FALSE(refused[0].is_conflict());
}

TEST_CASE("Pull never returns the asker's own origin, dead letters are kept and skipped") {
    Desk desk(2);
    Store& a = desk.kiosks[0];
    Store& b = desk.kiosks[1];
    const auto people = roster(a);
    check_in(a, people[0].id, test::kSept28At0912);
    check_in(a, people[1].id, test::kSept28At0912);
    desk.push(a);
    bool more = false;
    CHECK(events_missing(desk.central, {}, 1000, more, a.origin()).size() ==
          std::size_t(count(desk.central, "SELECT count(*) FROM journal") - 2));
    desk.pull(b);
    CHECK(checkins_of(b) == checkins_of(a));
    // Paging: a small limit says there is more.
    Store fresh = create_joining_store(desk.dir.file("fresh.db"));
    const auto page = events_missing(desk.central, local_vector(fresh), 3, more);
    CHECK(page.size() == 3);
    CHECK(more);

    check_in(b, people[2].id, test::kSept28At0912);
    check_in(b, people[3].id, test::kSept28At0912);
    auto ev = unacked_events(b, 10);
    REQUIRE(ev.size() == 2);
    {
        WriteTransaction tx(b.db());
        add_dead_letters(b.db(), {{ev[0].origin, ev[0].seq, "refused: test"}}, 1);
        tx.commit();
    }
    CHECK(count_unacked(b) == 1);
    const auto dl = dead_letters(b.db());
    REQUIRE(dl.size() == 1);
    CHECK(dl[0].kind == "check-in");
    CHECK(dl[0].entity == people[2].id);
    CHECK(dl[0].reason == "refused: test");
}

TEST_CASE("Duplicate check-ins across kiosks are flagged, not dropped") {
    Desk desk(2);
    const auto people = roster(desk.kiosks[0]);
    check_in(desk.kiosks[0], people[0].id, test::kSept28At0912);
    check_in(desk.kiosks[1], people[0].id, test::kSept28At0912 + 1000);
    desk.push(desk.kiosks[0]);
    desk.push(desk.kiosks[1]);
    CHECK(count(desk.central, "SELECT count(*) FROM checkins") == 2);
    const auto d = duplicate_checkins(desk.central.db());
    REQUIRE(d.size() == 1);
    CHECK(d[0].count == 2);
    CHECK(d[0].attendee_id == people[0].id);
}

TEST_CASE("Bundles round-trip and any flipped byte or truncation is refused whole") {
    Desk desk(1);
    Store& k = desk.kiosks[0];
    const auto people = roster(k);
    for (int i = 0; i < 3; ++i)
        check_in(k, people[std::size_t(i)].id, test::kSept28At0912);
    Bundle b{k.origin(), k.kiosk_name(), 42, unacked_events(k, 100), {}};
    const std::string bytes = encode_bundle(b, device_key_of(k));
    const Bundle back = decode_bundle(bytes, "b");
    CHECK(back.events == b.events);
    CHECK(back.kiosk == "Accueil 1");
    CHECK(back.created_ms == 42);

    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::string damaged = bytes;
        damaged[i] = char(damaged[i] ^ 0x01);
        CHECK_THROWS_AS(decode_bundle(damaged, "b"), InputError);
    }
    for (std::size_t n = 0; n < bytes.size(); n += 7)
        CHECK_THROWS_AS(decode_bundle(bytes.substr(0, n), "b"), InputError);
    CHECK_THROWS_WITH(decode_bundle(bytes.substr(0, bytes.size() - 10), "stick/k.acc"),
                      Catch::Contains("stick/k.acc") && Catch::Contains("nothing merged"));
    std::string other = bytes;
    other.replace(0, 16, "accueil-bundle 9");
    CHECK_THROWS_WITH(decode_bundle(other, "b"), Catch::Contains("another format version"));
    other.replace(0, 16, "accueil-bundle 1"); // the unsigned format of earlier versions
    CHECK_THROWS_WITH(decode_bundle(other, "b"), Catch::Contains("another format version"));

    // Files: written atomically, read back, merged with the same code path.
    write_bundle_file(desk.dir.file("k.acc"), b, device_key_of(k));
    CHECK_FALSE(std::filesystem::exists(desk.dir.file("k.acc.part")));
    CHECK((std::filesystem::status(desk.dir.file("k.acc")).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    const auto read = read_bundle_file(desk.dir.file("k.acc"));
    CHECK_NOTHROW(verify_bundle_signer(desk.central, read, "k.acc"));
    const auto r = merge_events(desk.central, read.events);
    CHECK(r.applied == 3);
    CHECK_THROWS_AS(read_bundle_file(desk.dir.file("missing.acc")), InputError);
}

TEST_CASE("Protocol: events and vectors round-trip, bad input is refused with the reason") {
    JournalEvent e{random_origin(),
                   7,
                   HlcStamp::pack(1664349120000, 3),
                   EventKind::CheckIn,
                   "ABCDEFGHJKMN",
                   R"({"at":1,"day":"2022-09-28","kiosk":"Accueil 1"})"};
    CHECK(event_from_json(event_to_json(e)) == e);
    CHECK(event_from_json(nlohmann::json::parse(event_to_json(e).dump())) == e);
    VersionVector v{{e.origin, 12}, {random_origin(), 0}};
    CHECK(vector_from_json(vector_to_json(v)) == v);

    auto broken = [&](const std::function<void(nlohmann::json&)>& edit) {
        auto j = event_to_json(e);
        edit(j);
        return j;
    };
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j.erase("o"); })), Catch::Contains("\"o\""));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["o"] = "zz"; })), Catch::Contains("origin"));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["s"] = 0; })), Catch::Contains("seq"));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["s"] = "1"; })), Catch::Contains("seq"));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["h"] = -1; })), Catch::Contains("hlc"));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["k"] = 99; })), Catch::Contains("kind"));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["e"] = ""; })), Catch::Contains("entity"));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["p"] = "[1]"; })), Catch::Contains("payload"));
    CHECK_THROWS_WITH(event_from_json(broken([](auto& j) { j["p"] = "{"; })), Catch::Contains("payload"));
    CHECK_THROWS_AS(event_from_json(nlohmann::json::array()), InputError);
    CHECK_THROWS_AS(events_from_json(nlohmann::json::object()), InputError);
    CHECK_THROWS_AS(vector_from_json(nlohmann::json{{"nothex", 1}}), InputError);
    CHECK_THROWS_AS(vector_from_json(nlohmann::json{{to_hex(e.origin), -1}}), InputError);

    CHECK_NOTHROW(check_protocol({{"protocol", kProtocolVersion}}));
    CHECK_THROWS_WITH(check_protocol({{"protocol", 99}}), Catch::Contains("version 99"));
    CHECK_THROWS_WITH(check_protocol(nlohmann::json::object()), Catch::Contains("protocol"));
    CHECK_THROWS_AS(check_protocol(nlohmann::json::array()), InputError);
}

TEST_CASE("Enrolment codes and devices: one-time codes, hashed tokens, revocation") {
    EnrolmentCode c{"https", "192.168.1.10", 8443, random_secret_hex(), random_secret_hex()};
    const auto text = format_enrolment_code(c);
    const auto back = parse_enrolment_code(text + "\n");
    REQUIRE(back);
    CHECK(back->url() == "https://192.168.1.10:8443");
    CHECK(back->token == c.token);
    CHECK(back->fingerprint == c.fingerprint);
    CHECK_FALSE(parse_enrolment_code("accueil1:https:host:99999:" + c.token + ":" + c.fingerprint));
    CHECK_FALSE(parse_enrolment_code("accueil1:https:host:443:" + c.token + ":")); // https needs a pin
    CHECK(parse_enrolment_code("accueil1:http:127.0.0.1:8080:" + c.token + ":"));
    CHECK_FALSE(parse_enrolment_code("hello"));
    CHECK_FALSE(parse_enrolment_code("accueil1:ftp:h:1:" + c.token + ":"));
    CHECK(parse_server_url("http://127.0.0.1:8080/")->port == 8080);
    CHECK_FALSE(parse_server_url("127.0.0.1:8080"));

    test::TempDir dir;
    Store central = Store::create(dir.file("c.db"), test::demo_spec());
    const std::string secret = enrol_device(central, "Accueil 2");
    CHECK(count(central, "SELECT count(*) FROM sync_devices WHERE enrol_hash = '" + secret + "'") == 0);
    const Origin device = random_origin();
    const auto key = SigningKey::generate().public_key();
    std::string why;
    const auto joined = join_device(central, secret, device, key, why);
    REQUIRE(joined);
    CHECK(joined->name == "Accueil 2");
    CHECK(joined->role == Role::Kiosk);
    CHECK_FALSE(join_device(central, secret, device, key, why)); // one time only
    CHECK_THAT(why, Catch::Contains("already used"));
    // The origin and key are bound to the device at join.
    CHECK(known_peers(central).at(device).name == "Accueil 2");
    CHECK(known_peers(central).at(device).key == key);
    // Another device name cannot join with the same database (a copied kiosk disk).
    const std::string second = enrol_device(central, "Accueil 3", Role::Desk);
    CHECK_FALSE(join_device(central, second, device, key, why));
    CHECK_THAT(why, Catch::Contains("already joined as \"Accueil 2\""));
    // Codes expire.
    const std::string brief = enrol_device(central, "Accueil 4", Role::Kiosk, 1);
    central.db().exec("UPDATE sync_devices SET enrol_expires_ms = 1 WHERE name = 'Accueil 4'");
    CHECK_FALSE(join_device(central, brief, random_origin(), key, why));
    CHECK_THAT(why, Catch::Contains("expired"));
    CHECK_THROWS_AS(enrol_device(central, "Central", Role::Central), InputError);
    CHECK(authenticate(central, joined->token)->name == "Accueil 2");
    CHECK_FALSE(authenticate(central, random_secret_hex()));
    CHECK(count(central, "SELECT count(*) FROM sync_devices WHERE token_hash = '" + joined->token + "'") ==
          0);
    CHECK(list_devices(central).at(0).state() == "active");
    CHECK(list_devices(central).at(1).role == Role::Desk);
    CHECK(revoke_device(central, "Accueil 2"));
    CHECK_FALSE(revoke_device(central, "Accueil 2"));
    REQUIRE(authenticate(central, joined->token));
    CHECK(authenticate(central, joined->token)->revoked_ms);
    CHECK(list_devices(central).at(0).state() == "revoked");
    CHECK_THROWS_AS(enrol_device(central, ""), InputError);
    CHECK_THROWS_AS(create_joining_store(dir.file("c.db")), StoreError);
}
