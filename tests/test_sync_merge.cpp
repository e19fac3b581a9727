// The merge function, bundles and the protocol's encoding (issue 3). The property test delivers one
// random history in random orders, batches and repetitions and requires identical projections.
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "store.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"
#include "sync/bundle.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"
#include "sync/protocol.hpp"
#include "sync/strict_json.hpp"

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
    // The names index keeps no text (shared/schema.cpp, version 10): what it holds, against the names.
    out << "# names index\n" << test::names_index_differences(s.db());
    dump("marks", "SELECT hex(origin), high_water FROM sync_marks ORDER BY origin");
    // The figures' summary tables: the merge keeps them batch by batch (check-ins applied set-wise,
    // Projector::batch_checkins), a rebuild fills them from scratch; both must agree.
    dump("checkin counts", "SELECT day, events, undone FROM checkin_counts ORDER BY day");
    dump("arrival counts", "SELECT day, quarter, kiosk, known, category_key, walk_in, arrivals FROM "
                           "arrival_counts ORDER BY day, quarter, kiosk, known, category_key, walk_in");
    dump("roster counts", "SELECT category_key, category, days, walk_in, people, reprints FROM roster_counts "
                          "ORDER BY category_key, category, days, walk_in");
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

MergeOptions push_from(Store& kiosk) {
    MergeOptions o;
    o.channel = Channel::Push;
    o.sender = kiosk.origin();
    o.source = kiosk.kiosk_name();
    return o;
}

// A kiosk's unacknowledged events through `merger`, acknowledged as the agent does.
void push_through(Merger& merger, Store& kiosk) {
    const auto r = merger.merge(unacked_events(kiosk, 1000), push_from(kiosk));
    REQUIRE(r.ok());
    WriteTransaction tx(kiosk.db());
    raise_acked(kiosk.db(), r.marks);
    tx.commit();
}

// When the person's first check-in of the day is, as checkin_days holds it; -1 without one.
std::int64_t first_at(Store& s, const std::string& id, const std::string& day) {
    SQLite::Statement q(s.db(), "SELECT first_at FROM checkin_days WHERE attendee_id = ? AND day = ?");
    q.bind(1, id);
    q.bind(2, day);
    return q.executeStep() ? q.getColumn(0).getInt64() : std::int64_t(-1);
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
            // Odd trials merge as the server does, with one merger kept for every batch.
            Merger kept(target);
            std::size_t pos = 0;
            while (pos < delivery.size()) {
                const std::size_t n = std::min<std::size_t>(1 + rng() % 40, delivery.size() - pos);
                const std::vector<JournalEvent> batch(delivery.begin() + long(pos),
                                                      delivery.begin() + long(pos + n));
                MergeOptions o = no_guard();
                o.channel = Channel::Pull;
                const auto r = trial % 2 ? kept.merge(batch, o) : merge_events(target, batch, o);
                INFO((r.ok() ? "" : r.rejected.front().reason));
                REQUIRE(r.ok());
                pos += n;
            }
            CHECK(count(target, "SELECT count(*) FROM journal") == int(history.size()));
            const std::string dump = projection_dump(target);
            CHECK(test::names_index_differences(target.db()).empty());
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

// The server keeps one merger for all its batches (its prepared statements, sync/app/server.cpp). An
// undo merged in between by another connection (a bundle merged beside the server), or by other code
// on the server's own connection, moves a day's first check-in later: nothing the merger kept from its
// earlier batches may hide that: the merger remembers each day's first check-in
// (Projector::remember_day_orders) and must forget it when an undo moves one later.
TEST_CASE("A merger kept between batches sees what others wrote in between") {
    for (const bool same_connection : {false, true}) {
        INFO((same_connection ? "same connection" : "another connection"));
        Desk desk(3);
        const auto people = roster(desk.kiosks[0]);
        const std::string& id = people[0].id;
        const std::string day = local_day(test::kSept28At0912, "Europe/Paris");
        Merger merger(desk.central);
        const auto first = [&] { return first_at(desk.central, id, day); };
        check_in(desk.kiosks[0], id, test::kSept28At0912);
        push_through(merger, desk.kiosks[0]);
        check_in(desk.kiosks[1], id, test::kSept28At0912 + 120'000);
        push_through(merger, desk.kiosks[1]);
        REQUIRE(first() == test::kSept28At0912);
        // Accueil 1 cancels its check-in; the day's first is now Accueil 2's, two minutes later.
        REQUIRE(undo_checkins(desk.kiosks[0], id, day) == 1);
        if (same_connection) {
            Merger other(desk.central);
            push_through(other, desk.kiosks[0]);
        } else {
            Store beside = Store::open(desk.dir.file("central.db"));
            Merger other(beside);
            push_through(other, desk.kiosks[0]);
        }
        REQUIRE(first() == test::kSept28At0912 + 120'000);
        // A check-in between the two: the day's first from now on.
        check_in(desk.kiosks[2], id, test::kSept28At0912 + 60'000);
        push_through(merger, desk.kiosks[2]);
        CHECK(first() == test::kSept28At0912 + 60'000);
        const std::string live = projection_dump(desk.central);
        rebuild_projections(desk.central.db());
        CHECK(projection_dump(desk.central) == live);
    }
}

// The merge reads the day rows of a batch with one cursor walking forward in key order, stepping over
// rows between two wanted keys and seeking again past a longer gap (Projector::read_day_rows): keys
// next to each other, far apart, before the first row and after the last must all be found or added.
TEST_CASE("A batch's days are read right whether its people are near or far apart in the table") {
    Desk desk(2, 300);
    auto people = roster(desk.kiosks[0]);
    std::sort(people.begin(), people.end(), [](const Attendee& a, const Attendee& b) { return a.id < b.id; });
    const std::int64_t day1 = test::kSept28At0912, day2 = day1 + test::kOneDayMs;
    // Accueil 1: everyone on the first day except the first and last ten in key order, at 9:12 plus i s.
    for (std::size_t i = 10; i + 10 < people.size(); ++i)
        check_in(desk.kiosks[0], people[i].id, day1 + std::int64_t(i) * 1000);
    desk.push(desk.kiosks[0]);
    // Accueil 2, one batch: a run of neighbours later (the rows stay), every 25th earlier (far apart:
    // replaced), the ten before the first row and the ten after the last (new rows), a second day.
    for (std::size_t i = 40; i < 60; ++i)
        check_in(desk.kiosks[1], people[i].id, day1 + 3'600'000);
    for (std::size_t i = 10; i + 10 < people.size(); i += 25)
        check_in(desk.kiosks[1], people[i].id, day1 - 60'000);
    for (std::size_t i = 0; i < 10; ++i) {
        check_in(desk.kiosks[1], people[i].id, day1 + 5000);
        check_in(desk.kiosks[1], people[people.size() - 1 - i].id, day1 + 6000);
    }
    for (std::size_t i = 0; i < people.size(); i += 40)
        check_in(desk.kiosks[1], people[i].id, day2);
    desk.push(desk.kiosks[1]);

    const auto first_at = [&](const std::string& id, std::int64_t when) {
        SQLite::Statement q(desk.central.db(),
                            "SELECT first_at FROM checkin_days WHERE attendee_id = ? AND day = ?");
        q.bind(1, id);
        q.bind(2, local_day(when, "Europe/Paris"));
        return q.executeStep() ? q.getColumn(0).getInt64() : std::int64_t(-1);
    };
    CHECK(first_at(people[45].id, day1) == day1 + 45 * 1000);
    CHECK(first_at(people[35].id, day1) == day1 - 60'000);
    CHECK(first_at(people[36].id, day1) == day1 + 36 * 1000);
    CHECK(first_at(people[0].id, day1) == day1 + 5000);
    CHECK(first_at(people.back().id, day1) == day1 + 6000);
    CHECK(first_at(people[40].id, day2) == day2);
    CHECK(first_at(people[41].id, day2) == -1);
    CHECK(count(desk.central, "SELECT count(*) FROM checkin_days") ==
          int(people.size() + (people.size() + 39) / 40));
    // The same tables as a replay of the journal from scratch, counts included.
    const std::string live = projection_dump(desk.central);
    rebuild_projections(desk.central.db());
    CHECK(projection_dump(desk.central) == live);
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
                      Catch::Contains("stick/k.acc") && Catch::Contains("Nothing was merged"));
    std::string other = bytes;
    other.replace(0, 16, "accueil-bundle 9");
    CHECK_THROWS_WITH(decode_bundle(other, "b"), Catch::Contains("another format version"));
    other.replace(0, 16, "accueil-bundle 1"); // the unsigned format of earlier versions
    CHECK_THROWS_WITH(decode_bundle(other, "b"), Catch::Contains("another format version"));

    // Files: written atomically, read back, merged with the same code path.
    write_bundle_file(desk.dir.file("k.acc"), b, device_key_of(k));
    for (const auto& entry : std::filesystem::directory_iterator(desk.dir.path()))
        CHECK(entry.path().filename().string().find(".part") == std::string::npos); // no temporary left
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

namespace {
// An event written by hand under `from`'s origin, as someone with a copy of its disk could.
JournalEvent forge(Store& from, EventKind kind, const std::string& entity, const std::string& payload,
                   std::int64_t seq = 0) {
    return JournalEvent{from.origin(),
                        seq ? seq : next_seq(from.db(), from.origin()),
                        HlcStamp::pack(system_wall_ms(), 0),
                        kind,
                        entity,
                        payload};
}

std::string journal_dump(Store& s) {
    std::ostringstream out;
    for (const auto& e : read_journal(s.db()))
        out << to_hex(e.origin) << "/" << e.seq << " " << e.payload << "\n";
    return out.str();
}

// Pushes one forged event and requires it refused with `reason`, leaving the central store as it was
// (journal and projections), with one bounded refusal record more.
void require_refused(Desk& desk, Store& sender, const JournalEvent& e, const std::string& reason) {
    const std::string before = journal_dump(desk.central) + projection_dump(desk.central);
    const auto refused_before = refusals(desk.central.db()).size();
    const auto r = desk.push_events(sender, {e});
    INFO(to_string(e.kind) << " " << e.payload.substr(0, 200));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.rejected.at(0).reason, Catch::Contains(reason));
    CHECK(journal_dump(desk.central) + projection_dump(desk.central) == before);
    CHECK(refusals(desk.central.db()).size() == refused_before + 1);
}
} // namespace

// A merger remembers each day's first check-in to skip reading rows that cannot change
// (Projector::remember_day_orders), but only what a committed batch wrote: a refused batch's rows
// were rolled back, and remembering them would hide later arrivals.
TEST_CASE("A merger remembers a day's first check-in only once its batch is committed") {
    Desk desk(2);
    const auto people = roster(desk.kiosks[0]);
    const std::string& id = people[0].id;
    const std::string day = local_day(test::kSept28At0912, "Europe/Paris");
    Merger merger(desk.central);
    const auto first_of_day = [&] { return first_at(desk.central, id, day); };
    Store& first = desk.kiosks[0];
    check_in(first, id, test::kSept28At0912);
    // Accueil 1's batch: the check-in, an undo of another one (the run of check-ins ends there, so the
    // day's row is written mid-batch), then an event the door refuses: the whole batch rolls back.
    auto batch = unacked_events(first, 1000);
    const std::int64_t next = next_seq(first.db(), first.origin());
    batch.push_back(forge(first, EventKind::CheckInUndone, id,
                          R"({"origin":")" + to_hex(first.origin()) + R"(","seq":9999})", next));
    batch.push_back(
        forge(first, EventKind::CheckIn, id, R"({"day":"1999-01-01","at":1,"kiosk":"Accueil 1"})", next + 1));
    REQUIRE_FALSE(merger.merge(batch, push_from(first)).ok());
    REQUIRE(first_of_day() == -1);
    // Accueil 2 checks the same person in half an hour later: the day's first, the refused batch having
    // left nothing.
    check_in(desk.kiosks[1], id, test::kSept28At0912 + 1'800'000);
    push_through(merger, desk.kiosks[1]);
    CHECK(first_of_day() == test::kSept28At0912 + 1'800'000);
    // Accueil 1's check-in comes again, alone: earlier, so the day's first from now on.
    push_through(merger, first);
    CHECK(first_of_day() == test::kSept28At0912);
    const std::string live = projection_dump(desk.central);
    rebuild_projections(desk.central.db());
    CHECK(projection_dump(desk.central) == live);
}

TEST_CASE("A kiosk's token can only check people in under its own name") {
    Desk desk(2, 12, Role::Kiosk);
    Store& a = desk.kiosks[0];
    Store& b = desk.kiosks[1];
    const auto people = roster(a);
    REQUIRE(check_in(b, people[0].id, test::kSept28At0912).verdict == Verdict::Admitted);
    desk.push(b);
    const auto b_checkin = read_journal(desk.central.db()).back();
    REQUIRE(b_checkin.kind == EventKind::CheckIn);
    const auto key = SigningKey::generate();

    SECTION("a badge-signing key") {
        require_refused(desk, a,
                        forge(a, EventKind::KeyAdded, "key",
                              R"({"public_key":")" + to_hex(key.public_key()) + R"(","label":"","at":1})"),
                        "forbidden: a kiosk may not send key-added");
        CHECK(load_event_keys(desk.central.db()).empty());
    }
    SECTION("the event itself") {
        require_refused(
            desk, a,
            forge(
                a, EventKind::EventDefined, "event",
                R"({"uid":"x","name":"Pirate","timezone":"UTC","days":[{"date":"2030-01-01","label":""}]})"),
            "forbidden");
    }
    SECTION("a new attendee or an edit") {
        require_refused(desk, a,
                        forge(a, EventKind::AttendeeCreated, random_attendee_id(), R"({"first_name":"X"})"),
                        "forbidden");
        require_refused(
            desk, a,
            forge(a, EventKind::AttendeeUpdated, people[1].id, R"({"email":"attacker@example.org"})"),
            "only from a signed badge");
    }
    SECTION("another kiosk's check-ins") {
        require_refused(desk, a,
                        forge(a, EventKind::CheckInUndone, people[0].id,
                              R"({"origin":")" + to_hex(b.origin()) + R"(","seq":)" +
                                  std::to_string(b_checkin.seq) + "}"),
                        "only its own check-ins");
        CHECK(count(desk.central, "SELECT count(*) FROM checkins WHERE undone = 0") == 1);
    }
    SECTION("another kiosk's origin and sequence numbers") {
        JournalEvent stolen = forge(b, EventKind::CheckIn, people[2].id,
                                    R"({"day":"2022-09-28","at":1664349120000,"kiosk":"Accueil 2"})");
        require_refused(desk, a, stolen, "another origin's event");
        // b's real next arrival still goes in.
        REQUIRE(check_in(b, people[3].id, test::kSept28At0912).verdict == Verdict::Admitted);
        CHECK(desk.push_events(b, unacked_events(b, 100)).ok());
    }
    SECTION("a check-in under another device's name") {
        require_refused(desk, a,
                        forge(a, EventKind::CheckIn, people[2].id,
                              R"({"day":"2022-09-28","at":1664349120000,"kiosk":"Accueil 2"})"),
                        "under its own name");
    }
    SECTION("the central store's own origin, or an origin nobody enrolled, in a bundle") {
        Store stranger = create_joining_store(desk.dir.file("stranger.db"));
        MergeOptions o;
        o.channel = Channel::Bundle;
        const auto r =
            merge_events(desk.central,
                         {forge(stranger, EventKind::CheckIn, people[2].id,
                                R"({"day":"2022-09-28","at":1664349120000,"kiosk":"X"})"),
                          forge(desk.central, EventKind::KeyAdded, "key",
                                R"({"public_key":")" + to_hex(key.public_key()) + R"(","label":"","at":1})")},
                         o);
        REQUIRE(r.rejected.size() == 2);
        CHECK_THAT(r.rejected[0].reason, Catch::Contains("not an enrolled device"));
        CHECK_THAT(r.rejected[1].reason, Catch::Contains("own origin"));
        CHECK(load_event_keys(desk.central.db()).empty());
    }
}

TEST_CASE("Late registrant: a kiosk records what a signed badge says, and only that") {
    Desk desk(1, 3, Role::Kiosk);
    Store& k = desk.kiosks[0];
    const auto key = init_event_key(desk.central, desk.dir.file("central.db.key"), "");
    desk.pull(k);
    Attendee late;
    {
        WriteTransaction tx(desk.central.db());
        late = create_attendee(
            desk.central, Attendee{.first_name = "Élodie", .last_name = "Brûlé", .category = "Bénévole"});
        tx.commit();
    }
    const auto code = badge_code_for(late, desk.central.event(), key);
    // The kiosk has not pulled since: it learns the person from the badge, and the server takes it.
    const auto r = check_in(k, code, test::kSept28At0912);
    REQUIRE(r.verdict == Verdict::Admitted);
    REQUIRE(r.created_from_badge);
    const auto facts = unacked_events(k, 10).front();
    REQUIRE(facts.kind == EventKind::AttendeeUpdated);
    CHECK_THAT(facts.payload, Catch::Contains(code));
    desk.push(k);
    CHECK(load_attendee(desk.central.db(), late.id)->first_name == "Élodie");

    // The same event with a field the badge does not say is refused.
    auto tampered = forge(k, EventKind::AttendeeUpdated, late.id,
                          R"({"category_key":"orateur","badge":")" + code + R"("})");
    require_refused(desk, k, tampered, "not what the signed badge says");
    // A badge signed with another key is refused too.
    const auto other = badge_code_for(late, desk.central.event(), SigningKey::generate());
    require_refused(
        desk, k,
        forge(k, EventKind::AttendeeUpdated, late.id, R"({"source":"badge","badge":")" + other + R"("})"),
        "does not verify");

    // The flow that wedged the server: after that merge, no statement holds a read snapshot, so a
    // write from another process (an `enroll`) does not lock the central store out of its next write.
    CHECK(busy_statements(desk.central.db()).empty());
    CHECK_FALSE(in_transaction(desk.central.db()));
    {
        Store other_process = Store::open(desk.central.path());
        enrol_device(other_process, "Accueil 9");
    }
    REQUIRE(check_in(k, code, test::kSept28At0912 + test::kOneDayMs).verdict == Verdict::Admitted);
    CHECK(desk.push_events(k, unacked_events(k, 10)).ok());
}

TEST_CASE("Nothing a device sends can break the stores that receive it") {
    Desk desk(1, 3, Role::Desk);
    Store& d = desk.kiosks[0];
    const auto people = roster(d);
    SECTION("a desk may edit people, with the right types") {
        require_refused(desk, d, forge(d, EventKind::AttendeeUpdated, people[0].id, R"({"first_name":42})"),
                        "\"first_name\" must be text");
        require_refused(desk, d,
                        forge(d, EventKind::AttendeeUpdated, people[0].id, R"({"days":"2031-01-01"})"),
                        "not a day of the event");
        require_refused(desk, d, forge(d, EventKind::AttendeeUpdated, "not-an-id", R"({"first_name":"A"})"),
                        "not an attendee id");
        require_refused(desk, d,
                        forge(d, EventKind::AttendeeUpdated, people[0].id,
                              R"({"first_name":")" + std::string(5000, 'a') + R"("})"),
                        "at most 200 bytes");
        CHECK(desk.push_events(
                      d, {forge(d, EventKind::AttendeeUpdated, people[0].id, R"({"first_name":"Zoé"})")})
                  .ok());
        CHECK(load_attendee(desk.central.db(), people[0].id)->first_name == "Zoé");
    }
    SECTION("a sequence number far ahead") {
        require_refused(desk, d,
                        forge(d, EventKind::CheckIn, people[0].id,
                              R"({"day":"2022-09-28","at":1664349120000,"kiosk":"Accueil 1"})", INT64_MAX),
                        "past what this origin has sent");
        // The device's real events still follow.
        REQUIRE(check_in(d, people[0].id, test::kSept28At0912).verdict == Verdict::Admitted);
        CHECK(desk.push_events(d, unacked_events(d, 10)).ok());
    }
    SECTION("a payload nested 300,000 deep, or too large") {
        const std::string deep =
            R"({"first_name":)" + std::string(300000, '[') + std::string(300000, ']') + "}";
        require_refused(desk, d, forge(d, EventKind::AttendeeUpdated, people[0].id, deep), "payload");
        std::string why;
        CHECK_FALSE(
            parse_strict_json(std::string(300000, '[') + std::string(300000, ']'), {1u << 24, 6}, why));
        CHECK_THAT(why, Catch::Contains("nested deeper"));
        require_refused(desk, d,
                        forge(d, EventKind::AttendeeUpdated, people[0].id,
                              R"({"organisation":")" + std::string(100000, 'x') + R"("})"),
                        "payload of 100");
        // The refusal records keep the size and a hash, not the 100 kB.
        CHECK(count(desk.central, "SELECT max(length(reason) + length(payload_hash)) FROM sync_refusals") <
              1000);
    }
    SECTION("two readers of one payload cannot disagree: duplicate keys are refused") {
        require_refused(
            desk, d,
            forge(d, EventKind::CheckIn, people[0].id,
                  R"({"day":"2022-09-28","day":"2022-09-29","at":1664349120000,"kiosk":"Accueil 1"})"),
            "twice");
        require_refused(
            desk, d,
            forge(d, EventKind::AttendeeUpdated, people[0].id, R"({"first_name":"A","first_name":"B"})"),
            "appears twice");
        require_refused(desk, d,
                        forge(d, EventKind::CheckIn, people[0].id,
                              R"({"day":"2022-09-28","at":1664349120000,"kiosk":"Accueil 1","extra":1})"),
                        "unknown field");
    }
    SECTION("an event definition that is not one reaches no store") {
        // Even from a device trusted as central (a kiosk pulling from the server checks the same way).
        Store kiosk = desk.join("k.db", "Accueil K", system_wall_ms, Role::Kiosk);
        const auto before = journal_dump(kiosk) + projection_dump(kiosk);
        const auto bad = forge(desk.central, EventKind::EventDefined, "event",
                               R"({"uid":"u","name":"N","timezone":"Europe/Paris","days":["2022-09-28"]})");
        MergeOptions o;
        o.channel = Channel::Pull;
        const auto r = merge_events(kiosk, {bad}, o);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.rejected[0].reason, Catch::Contains("each day is"));
        CHECK(journal_dump(kiosk) + projection_dump(kiosk) == before);
        // The store still opens and answers.
        Store again = Store::open(kiosk.path());
        CHECK(again.event().days.size() == 3);
    }
}

TEST_CASE("Bundles are signed by their device: a hand-made or re-signed one is refused whole") {
    Desk desk(1, 3, Role::Kiosk);
    Store& k = desk.kiosks[0];
    REQUIRE(check_in(k, roster(k)[0].id, test::kSept28At0912).verdict == Verdict::Admitted);
    Bundle b{k.origin(), k.kiosk_name(), 1, unacked_events(k, 100), {}};
    // Signed by the kiosk: accepted.
    CHECK_NOTHROW(
        verify_bundle_signer(desk.central, decode_bundle(encode_bundle(b, device_key_of(k)), "k"), "k"));
    // The same events signed by a key someone made: refused before anything is merged.
    const auto forger = SigningKey::generate();
    CHECK_THROWS_WITH(verify_bundle_signer(desk.central, decode_bundle(encode_bundle(b, forger), "f"), "f"),
                      Catch::Contains("another key"));
    // An unenrolled database's bundle: refused.
    Store stranger = create_joining_store(desk.dir.file("s.db"));
    Bundle s{stranger.origin(), "x", 1, {}, {}};
    CHECK_THROWS_WITH(verify_bundle_signer(
                          desk.central, decode_bundle(encode_bundle(s, device_key_of(stranger)), "s"), "s"),
                      Catch::Contains("not an enrolled device"));
    // A revoked device's bundle: refused.
    REQUIRE(revoke_device(desk.central, "Accueil 1"));
    CHECK_THROWS_WITH(
        verify_bundle_signer(desk.central, decode_bundle(encode_bundle(b, device_key_of(k)), "k"), "k"),
        Catch::Contains("revoked"));
    // A bundle with a key it may not add, signed by the kiosk itself: the door refuses it.
    WriteTransaction tx(desk.central.db());
    desk.central.db().exec("UPDATE sync_devices SET revoked_ms = NULL");
    tx.commit();
    Bundle evil{k.origin(),
                k.kiosk_name(),
                1,
                {forge(k, EventKind::KeyAdded, "key",
                       R"({"public_key":")" + to_hex(forger.public_key()) + R"(","label":"","at":1})")},
                {}};
    const auto read = decode_bundle(encode_bundle(evil, device_key_of(k)), "e");
    CHECK_NOTHROW(verify_bundle_signer(desk.central, read, "e"));
    CHECK_FALSE(merge_events(desk.central, read.events).ok());
    CHECK(load_event_keys(desk.central.db()).empty());
}

TEST_CASE("A bundle's numbers out of range are read as absent, never converted (found by the fuzzer)") {
    const auto key = SigningKey::generate();
    for (const std::string created : {"1e300", "1664349120664349120000", "\"soon\"", "-1.5"}) {
        std::string content = "accueil-bundle 2\n{\"protocol\":1,\"origin\":\"" + to_hex(random_origin()) +
                              "\",\"kiosk\":7,\"created_ms\":" + created + ",\"events\":[]}\n";
        const auto sig = key.sign(reinterpret_cast<const std::uint8_t*>(content.data()), content.size());
        content += "ed25519 " + to_hex(key.public_key()) + " " + to_hex(sig.data(), sig.size()) + "\n";
        INFO(created);
        const auto b = decode_bundle(content, "x");
        CHECK(b.created_ms == 0);
        CHECK(b.kiosk.empty());
    }
}
