#include "attendee_ops.hpp"
#include "attendee_payload.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "ids.hpp"
#include "projection.hpp"
#include "store.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/schema_downgrade.hpp"
#include "support/sync_peers.hpp"
#include "support/temp_dir.hpp"

#include <SQLiteCpp/Backup.h>
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <random>
#include <set>

using namespace accueil;

using test::dump_projections;

// The merge remembers days by the id's bits (Projector::remember_day_orders): two ids must never give
// the same bits, and text that is not an id none.
TEST_CASE("An attendee id reads back as the 60 bits it was written from, anything else as none") {
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 2000; ++i) {
        const std::string id = random_attendee_id();
        const auto bits = attendee_id_bits(id);
        REQUIRE(bits);
        CHECK(*bits < (std::uint64_t(1) << 60));
        CHECK(seen.insert(*bits).second);
    }
    CHECK(attendee_id_bits("000000000000") == std::uint64_t(0));
    CHECK(attendee_id_bits("00000000000Z") == std::uint64_t(31));
    CHECK(attendee_id_bits("ZZZZZZZZZZZZ") == (std::uint64_t(1) << 60) - 1);
    for (const auto& bad : std::vector<std::string>{"", "00000000000", "0000000000000", "00000000000U",
                                                    "0000000000a1", std::string("00000000000\0", 12)})
        CHECK_FALSE(attendee_id_bits(bad));
    // Every byte in the last place: the 32 of the alphabet give their value, the 224 others none.
    const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    int read = 0;
    for (int b = 0; b < 256; ++b) {
        const std::string id = std::string(11, '0') + char(b);
        const auto at = alphabet.find(char(b));
        INFO("byte " << b);
        if (at != std::string::npos) {
            CHECK(attendee_id_bits(id) == std::uint64_t(at));
            ++read;
        } else {
            CHECK_FALSE(attendee_id_bits(id));
        }
    }
    CHECK(read == 32);
}

// The rebuild reads creations without a JSON tree (shared/attendee_payload.hpp): for what it accepts it
// must give exactly what the general parser gives, and it must hand everything else back to it.
TEST_CASE("An attendee payload reads as the general JSON parser reads it or not at all") {
    AttendeePayloadReader reader;
    const auto general = [](const std::string& payload) {
        return attendee_from_json("0000000000AB", nlohmann::json::parse(payload));
    };
    std::vector<std::string> accepted = {
        R"({})",
        R"({"category":"Bénévole"})",
        R"( { "first_name" : "L\u00e9a \"Lo\"", "last_name":"a\\b\/c\u0000d" } )",
        R"({"has_note":false,"badge_version":-1,"days":",2022-09-27,,2022-09-28,"})",
        R"({"category":"Orateur","category_key":"autre"})",
    };
    std::mt19937 rng(7);
    const char* names[] = {"Léa", "Jean-Noël", "Œuvray", "N'Diaye", "", "Zoé \"Z\"", "名前", "a\\b"};
    for (int i = 0; i < 200; ++i) {
        Attendee a{
            .first_name = names[rng() % 8], .last_name = names[rng() % 8], .category = names[rng() % 8]};
        a.email = "p" + std::to_string(i) + "@example.fr";
        a.category_key = rng() % 2 ? names[rng() % 8] : "";
        a.organisation = names[rng() % 8];
        if (rng() % 2)
            a.days = {"2022-09-27", "2022-09-29"};
        a.ext_code = rng() % 2 ? "T-" + std::to_string(rng()) : "";
        a.badge_version = int(rng() % 5);
        a.source = rng() % 2 ? "walk-in" : "import";
        a.has_note = rng() % 2;
        accepted.push_back(attendee_to_json(a).dump());
    }
    for (const auto& payload : accepted) {
        INFO(payload);
        const auto a = reader.read("0000000000AB", payload);
        REQUIRE(a);
        CHECK(*a == general(payload));
    }
    // Anything else, valid JSON for the general parser or not, is left to it.
    const std::vector<std::string> refused = {
        R"({"first_name":"x","pronouns":"elle"})", // unknown: its value would go unchecked
        R"({"pronouns":01})",                      // and not even JSON
        R"({"first_name":"x","first_name":"y"})",  // the general parser keeps the last one
        R"({"first_name":1})",
        R"({"days":null})",
        R"({"badge_version":"2"})",
        R"({"badge_version":2.0})",
        R"({"badge_version":3000000000})",
        R"({"has_note":1})",
        R"({"first_name":"x"} {})",
        R"({"first_name":"x"}x)",
        R"({"first_name":"x")",
        "{\"first_name\":\"\xC3\x28\"}", // not UTF-8
        R"({"first_name":"\ud800"})",    // half a surrogate pair
        R"([])",
        R"("x")",
        "",
    };
    for (const auto& payload : refused) {
        INFO(payload);
        CHECK_FALSE(reader.read("0000000000AB", payload));
    }
}

// A creation the reader leaves to the general parser (here, from a newer program with a field this one
// does not know) replays as it was applied live.
TEST_CASE("A rebuild replays creations with fields it does not know as the live store applied them") {
    test::TempDir dir;
    Store store = Store::create(dir.file("a.db"), test::demo_spec());
    {
        WriteTransaction tx(store.db());
        auto payload = attendee_to_json(Attendee{.first_name = "Léa", .last_name = "Martin"});
        payload["pronouns"] = "elle";
        store.append(EventKind::AttendeeCreated, random_attendee_id(), payload);
        create_attendee(store, Attendee{.first_name = "Zoé", .last_name = "Çelik"});
        tx.commit();
    }
    const std::string live = dump_projections(store.db());
    REQUIRE(store.db().execAndGet("SELECT count(*) FROM attendees").getInt() == 2);
    rebuild_projections(store.db());
    CHECK(dump_projections(store.db()) == live);
}

TEST_CASE("Every change is a journal event written with its projection, seq gapless") {
    test::TempDir dir;
    Store store = Store::create(dir.file("a.db"), test::demo_spec());
    Attendee a;
    {
        WriteTransaction tx(store.db());
        a = create_attendee(store,
                            Attendee{.first_name = "Léa", .last_name = "Dupré", .email = "lea@example.fr"});
        tx.commit();
    }
    REQUIRE(check_in(store, a.id, test::kSept28At0912).verdict == Verdict::Admitted);
    REQUIRE(undo_checkins(store, a.id, "2022-09-28") == 1);
    const auto journal = read_journal(store.db());
    REQUIRE(journal.size() == 4);
    CHECK(journal[0].kind == EventKind::EventDefined);
    CHECK(journal[1].kind == EventKind::AttendeeCreated);
    CHECK(journal[2].kind == EventKind::CheckIn);
    CHECK(journal[3].kind == EventKind::CheckInUndone);
    for (std::size_t i = 0; i < journal.size(); ++i) {
        CHECK(journal[i].seq == std::int64_t(i + 1));
        CHECK(journal[i].origin == store.origin());
        if (i > 0)
            CHECK(journal[i].hlc > journal[i - 1].hlc);
    }
    CHECK(store.db().execAndGet("SELECT undone FROM checkins").getInt() == 1);
}

TEST_CASE("A failed transaction leaves neither the event nor its projection") {
    test::TempDir dir;
    Store store = Store::create(dir.file("a.db"), test::demo_spec());
    {
        WriteTransaction tx(store.db());
        create_attendee(store, Attendee{.first_name = "Léa", .last_name = "Dupré"});
        // no commit: the destructor rolls back
    }
    CHECK(store.db().execAndGet("SELECT count(*) FROM attendees").getInt() == 0);
    CHECK(store.db().execAndGet("SELECT count(*) FROM journal").getInt() == 1);
}

TEST_CASE("The same (origin, seq) with different content is refused, never merged") {
    test::TempDir dir;
    Store store = Store::create(dir.file("a.db"), test::demo_spec());
    auto e = read_journal(store.db()).front();
    const auto repeat = test::merge_in(store, {e}); // a repeat is a no-op
    CHECK(repeat.ok());
    CHECK(repeat.already_known == 1);
    e.payload = R"({"name":"forged"})";
    const auto forged = test::merge_in(store, {e});
    REQUIRE_FALSE(forged.ok());
    CHECK_THAT(forged.rejected.front().reason, Catch::Contains("different content"));
    CHECK(store.event().name == "Numérique en Commun[s]");
}

TEST_CASE("Rebuilding the projections from the journal gives identical tables") {
    test::TempDir dir;
    std::int64_t wall = test::kSept28At0912 - test::kOneDayMs;
    Store store = Store::create(dir.file("a.db"), test::demo_spec(), [&] { return wall; });
    std::mt19937 rng(GENERATE(1u, 2u, 3u));
    const char* firsts[] = {"Léa", "Jean-Noël", "Églantine", "Zoé", "Maël"};
    const char* lasts[] = {"N'Diaye", "Œuvray", "Çelik", "de La Fontaine", "Martin"};
    const char* days[] = {"2022-09-27", "2022-09-28", "2022-09-29"};
    std::vector<Attendee> people;
    for (int step = 0; step < 600; ++step) {
        wall += std::int64_t(rng() % 120'000);
        if (rng() % 50 == 0)
            wall -= 3'600'000; // the clock jumps back now and then
        const int op = int(rng() % 10);
        if (people.empty() || op < 3) {
            WriteTransaction tx(store.db());
            Attendee a{
                .first_name = firsts[rng() % 5], .last_name = lasts[rng() % 5], .category = "Participant"};
            a.email = "p" + std::to_string(step) + "@example.fr";
            if (rng() % 2)
                a.days = {days[rng() % 3]};
            people.push_back(create_attendee(store, a));
            tx.commit();
        } else if (op < 5) {
            Attendee& a = people[rng() % people.size()];
            Attendee b = a;
            b.organisation = "Org " + std::to_string(rng() % 7);
            b.last_name = lasts[rng() % 5];
            b.category = rng() % 2 ? "Intervenant" : "Bénévole";
            WriteTransaction tx(store.db());
            update_attendee(store, a, b);
            tx.commit();
            a = *load_attendee(store.db(), a.id);
        } else if (op < 8) {
            const auto& a = people[rng() % people.size()];
            const std::int64_t at = test::kSept28At0912 + (std::int64_t(rng() % 3) - 1) * test::kOneDayMs;
            check_in(store, a.id, at);
        } else {
            const auto& a = people[rng() % people.size()];
            undo_checkins(store, a.id, days[rng() % 3]);
        }
    }
    const std::string live = dump_projections(store.db());
    CHECK(test::names_index_differences(store.db()).empty()); // after renames too
    // The rebuild sets indexes, triggers and the search table aside and makes them again.
    const auto schema = [](SQLite::Database& db) {
        return test::dump_queries(db, {"SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"});
    };
    const std::string live_schema = schema(store.db());
    REQUIRE(live_schema.find("attendees_email") != std::string::npos);
    REQUIRE(store.db().execAndGet("SELECT count(*) FROM checkins").getInt() > 0);
    rebuild_projections(store.db());
    CHECK(dump_projections(store.db()) == live);
    CHECK(schema(store.db()) == live_schema);
    // FTS5's buffer for pending terms, raised while the index is written, is back to its 1 MB default.
    CHECK(store.db().execAndGet("SELECT v FROM attendee_search_config WHERE k = 'hashsize'").getInt() ==
          1 << 20);
    CHECK(store.db().execAndGet("SELECT v FROM attendee_names_config WHERE k = 'hashsize'").getInt() ==
          1 << 20);
    CHECK(test::names_index_differences(store.db()).empty());
    // A database in memory has no second connection to read the check-ins on while the rest is
    // replayed: the rebuild reads them on its own connection, with the same result.
    SQLite::Database memory(":memory:", SQLite::OPEN_READWRITE);
    SQLite::Backup(memory, store.db()).executeStep();
    REQUIRE(std::string(sqlite3_db_filename(memory.getHandle(), "main")).empty());
    rebuild_projections(memory);
    CHECK(dump_projections(memory) == live);
}

TEST_CASE("Attendee edits converge whatever the delivery order (last writer wins per field)") {
    test::TempDir dir;
    Store source = Store::create(dir.file("src.db"), test::demo_spec());
    Attendee a;
    {
        WriteTransaction tx(source.db());
        a = create_attendee(source, Attendee{.first_name = "Lea", .last_name = "Dupre", .organisation = "A"});
        Attendee b = a;
        b.first_name = "Léa";
        update_attendee(source, a, b);
        Attendee c = b;
        c.organisation = "B";
        update_attendee(source, b, c);
        tx.commit();
    }
    auto events = read_journal(source.db());
    std::string reference;
    std::mt19937 rng(7);
    for (int round = 0; round < 6; ++round) {
        test::TempDir other;
        Store target = Store::create(other.file("t.db"), test::demo_spec());
        test::trust(target, source, sync::Role::Central);
        std::shuffle(events.begin(), events.end(), rng);
        for (const auto& e : events) // one by one: each delivery order is its own sequence of batches
            REQUIRE(test::merge_in(target, {e}).ok());
        REQUIRE(test::merge_in(target, events).ok()); // repetitions change nothing
        const auto got = load_attendee(target.db(), a.id);
        REQUIRE(got);
        CHECK(got->first_name == "Léa");
        CHECK(got->organisation == "B");
        CHECK(got->last_name == "Dupre");
    }
}

TEST_CASE("The day summary keeps the earliest check-in not undone, whatever arrives first") {
    test::TempDir dir;
    Store kiosk = Store::create(dir.file("k.db"), test::demo_spec());
    Attendee a;
    {
        WriteTransaction tx(kiosk.db());
        a = create_attendee(kiosk, Attendee{.first_name = "Églantine", .last_name = "Durand"});
        tx.commit();
    }
    REQUIRE(check_in(kiosk, a.id, test::kSept28At0912).verdict == Verdict::Admitted);
    REQUIRE(undo_checkins(kiosk, a.id, "2022-09-28") == 1);
    REQUIRE(check_in(kiosk, a.id, test::kSept28At0912 + 60'000).verdict == Verdict::Admitted);
    const auto events = read_journal(kiosk.db());
    REQUIRE(events.size() == 5);

    auto summary = [](Store& s) {
        SQLite::Statement q(s.db(), "SELECT first_at, first_kiosk FROM checkin_days");
        std::string out;
        while (q.executeStep())
            out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + ";";
        return out;
    };
    const std::string expected = std::to_string(test::kSept28At0912 + 60'000) + " poste principal;";
    CHECK(summary(kiosk) == expected);
    // Another store receives them backwards: the undo before the check-in it cancels.
    Store other = Store::create(dir.file("o.db"), test::demo_spec());
    test::trust(other, kiosk, sync::Role::Central);
    for (auto it = events.rbegin(); it != events.rend(); ++it)
        REQUIRE(test::merge_in(other, {*it}).ok());
    CHECK(summary(other) == expected);
    CHECK(other.db().execAndGet("SELECT count(*) FROM checkins WHERE undone = 1").getInt() == 1);
}

TEST_CASE("A schema 3 database migrates: its check-ins are summarised from the journal") {
    test::TempDir dir;
    const std::string path = dir.file("old.db");
    std::string before;
    {
        Store s = Store::create(path, test::demo_spec());
        std::vector<Attendee> people;
        WriteTransaction tx(s.db());
        for (int i = 0; i < 3; ++i)
            people.push_back(create_attendee(s, Attendee{.first_name = "P" + std::to_string(i)}));
        tx.commit();
        for (const auto& p : people)
            REQUIRE(check_in(s, p.id, test::kSept28At0912).verdict == Verdict::Admitted);
        REQUIRE(undo_checkins(s, people[1].id, "2022-09-28") == 1);
        before = dump_projections(s.db());
        // Back to schema 3 as it was: a checkins table, no summary, none of schema 5's sync trust nor
        // schema 6's notes nor schema 7's web sessions.
        s.db().exec(
            std::string(test::kDropSchemasAfter6) +
            "DROP TABLE attendee_notes; ALTER TABLE attendees DROP COLUMN has_note; DROP TABLE sync_peers; "
            "DROP TABLE sync_refusals; ALTER TABLE sync_devices DROP COLUMN role; "
            "ALTER TABLE sync_devices DROP COLUMN enrol_expires_ms; CREATE TABLE sync_conflicts (origin BLOB "
            "NOT NULL, seq INTEGER NOT NULL, device TEXT NOT NULL, payload TEXT NOT NULL, first_ms INTEGER "
            "NOT NULL, count INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (origin, seq, device)) WITHOUT ROWID; "
            "INSERT INTO sync_devices (name, origin, enrolled_ms, joined_ms) VALUES ('Accueil 2', "
            "x'000102030405060708090a0b0c0d0e0f', 1, 2); "
            "DROP VIEW checkins; DROP TABLE checkin_days; CREATE TABLE checkins (origin BLOB NOT NULL, "
            "seq INTEGER NOT NULL, attendee_id TEXT NOT NULL, day TEXT NOT NULL, at_ms INTEGER NOT NULL, "
            "hlc INTEGER NOT NULL, kiosk TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0, PRIMARY KEY "
            "(origin, seq)) WITHOUT ROWID; PRAGMA user_version=3");
    }
    Store s = Store::open(path);
    CHECK(schema_version(s.db()) == kSchemaVersion);
    CHECK(dump_projections(s.db()) == before);
    CHECK(s.db().execAndGet("SELECT count(*) FROM checkin_days").getInt() == 2);
    // Schema 5: a device that joined before roles existed is a kiosk (the narrowest role).
    CHECK(s.db().execAndGet("SELECT role || ' ' || name FROM sync_peers").getString() == "kiosk Accueil 2");
    CHECK(s.db().execAndGet("SELECT role FROM sync_devices").getString() == "kiosk");
}
