// Attention notes (issue 10): set, change and clear them through the journal; the schema migration;
// the door refusing them from kiosks; and the privacy property: a kiosk's database file never holds a
// note's text, only that a note exists.
#include "attendee_notes.hpp"
#include "attendee_ops.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "import/roster_import.hpp"
#include "projection.hpp"
#include "search.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/desk_sync.hpp"
#include "support/schema_downgrade.hpp"
#include "support/sync_peers.hpp"
#include "support/temp_dir.hpp"
#include "sync/bundle.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace accueil;
using namespace accueil::sync;

namespace {

int journal_size(Store& s) {
    return s.db().execAndGet("SELECT count(*) FROM journal").getInt();
}

std::string one_attendee(Store& s, const std::string& first = "Léa", const std::string& last = "Dupré") {
    WriteTransaction tx(s.db());
    const auto a = create_attendee(s, Attendee{.first_name = first, .last_name = last, .source = "import"});
    tx.commit();
    return a.id;
}

void set_note(Store& s, const std::string& id, const std::string& text) {
    WriteTransaction tx(s.db());
    set_attendee_note(s, id, text);
    tx.commit();
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The database file and its write-ahead log, as a copied disk would show them.
std::string disk_bytes(const std::string& db) {
    return file_bytes(db) + file_bytes(db + "-wal");
}

std::string find_id(Store& s, const std::string& name) {
    const auto found = search_attendees(s.db(), name, 1);
    REQUIRE(found.size() == 1);
    return found.front().id;
}

} // namespace

TEST_CASE("A note is set, changed and cleared through the journal, with has_note") {
    test::TempDir dir;
    Store s = Store::create(dir.file("e.db"), test::demo_spec());
    const std::string id = one_attendee(s);
    CHECK_FALSE(attendee_note(s.db(), id));
    CHECK_FALSE(load_attendee(s.db(), id)->has_note);

    const int before = journal_size(s);
    set_note(s, id, "  Fauteuil roulant : salle accessible\n(étage 0)  ");
    CHECK(attendee_note(s.db(), id) == "Fauteuil roulant : salle accessible\n(étage 0)");
    CHECK(load_attendee(s.db(), id)->has_note);
    CHECK(journal_size(s) == before + 2); // NoteSet + AttendeeUpdated {has_note}

    set_note(s, id, "Fauteuil roulant : salle accessible\n(étage 0)");
    CHECK(journal_size(s) == before + 2); // the same text: nothing journalled

    set_note(s, id, "Orateur : loge verte");
    CHECK(attendee_note(s.db(), id) == "Orateur : loge verte");
    CHECK(journal_size(s) == before + 3); // has_note unchanged: the text only

    set_note(s, id, "   ");
    CHECK_FALSE(attendee_note(s.db(), id));
    CHECK_FALSE(load_attendee(s.db(), id)->has_note);

    // The projection is the journal's: a rebuild gives the same note and flag.
    set_note(s, id, "Besoin d'un interprète LSF");
    rebuild_projections(s.db());
    CHECK(attendee_note(s.db(), id) == "Besoin d'un interprète LSF");
    CHECK(load_attendee(s.db(), id)->has_note);
}

TEST_CASE("Bad notes are refused and leave the store unchanged") {
    test::TempDir dir;
    Store s = Store::create(dir.file("e.db"), test::demo_spec());
    const std::string id = one_attendee(s);
    set_note(s, id, "Allergie aux arachides");
    const int before = journal_size(s);

    const std::string longest(kMaxNoteChars, 'x');
    const std::string accented_longest = [] {
        std::string t;
        for (std::size_t i = 0; i < kMaxNoteChars; ++i)
            t += "é";
        return t;
    }();
    CHECK_FALSE(note_problem(longest));
    CHECK_FALSE(note_problem(accented_longest)); // characters, not bytes
    for (const std::string& bad :
         {longest + "x", accented_longest + "é", std::string("bip\x07"), std::string("nul\0x", 5),
          std::string("\xC3\x28 invalid"), std::string("c1 \xC2\x85 control")}) {
        CAPTURE(bad);
        CHECK(note_problem(bad));
        WriteTransaction tx(s.db());
        CHECK_THROWS_AS(set_attendee_note(s, id, bad), InputError);
    }
    {
        WriteTransaction tx(s.db());
        CHECK_THROWS_AS(set_attendee_note(s, "ZZZZZZZZZZZZ", "note"), InputError);
    }
    CHECK(journal_size(s) == before);
    CHECK(attendee_note(s.db(), id) == "Allergie aux arachides");
}

TEST_CASE("Schema 6: a version 5 database opens and gains the notes table") {
    test::TempDir dir;
    const std::string path = dir.file("old.db");
    std::string id;
    {
        Store s = Store::create(path, test::demo_spec());
        id = one_attendee(s);
    }
    {
        // Back to what schema 5 made: no attendee_notes, no has_note, nothing of the later versions.
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec(
            std::string(test::kDropSchemasAfter6) +
            "DROP TABLE attendee_notes; ALTER TABLE attendees DROP COLUMN has_note; PRAGMA user_version=5;");
    }
    Store s = Store::open(path);
    CHECK(schema_version(s.db()) == kSchemaVersion);
    CHECK(s.db().tableExists("attendee_notes"));
    CHECK_FALSE(load_attendee(s.db(), id)->has_note);
    set_note(s, id, "Chien guide");
    CHECK(attendee_note(s.db(), id) == "Chien guide");
    CHECK(load_attendee(s.db(), id)->has_note);
}

TEST_CASE("Notes are last-writer-wins whatever the delivery order") {
    test::TempDir dir;
    Store central = Store::create(dir.file("central.db"), test::demo_spec());
    const std::string id = one_attendee(central);
    set_note(central, id, "premier");
    set_note(central, id, "second");
    set_note(central, id, "troisième");
    auto events = read_journal(central.db());
    std::reverse(events.begin(), events.end());

    Store other = create_joining_store(dir.file("desk.db"));
    test::join_offline(central, other, "Bureau", Role::Desk);
    // The desk receives the journal backwards, one event a batch.
    for (const auto& e : events)
        REQUIRE(test::merge_in(other, {e}).ok());
    CHECK(attendee_note(other.db(), id) == "troisième");
    CHECK(load_attendee(other.db(), id)->has_note);
}

TEST_CASE("The door refuses notes, has_note and new attendees from a kiosk, a desk may send them") {
    test::TempDir dir;
    Store central = Store::create(dir.file("central.db"), test::demo_spec());
    const std::string id = one_attendee(central);
    Store kiosk = create_joining_store(dir.file("kiosk.db"));
    Store desk = create_joining_store(dir.file("desk.db"));
    test::join_offline(central, kiosk, "Accueil 1", Role::Kiosk);
    test::join_offline(central, desk, "Bureau", Role::Desk);
    test::pull_as(central, kiosk, Role::Kiosk);
    test::pull_as(central, desk, Role::Desk);

    // The API refuses on a kiosk; a forged event is refused by the door.
    {
        WriteTransaction tx(kiosk.db());
        CHECK_THROWS_AS(set_attendee_note(kiosk, id, "secret"), InputError);
    }
    int kiosks = 1;
    auto refused = [&](EventKind kind, const nlohmann::json& payload) {
        const std::string n = std::to_string(++kiosks);
        Store k = create_joining_store(dir.file("k" + n + ".db"));
        test::join_offline(central, k, "Accueil " + n, Role::Kiosk);
        test::pull_as(central, k, Role::Kiosk);
        {
            WriteTransaction tx(k.db());
            k.append(kind, id, payload);
            tx.commit();
        }
        const int before = journal_size(central);
        const auto r = test::push_from(central, k);
        CHECK(journal_size(central) == before);
        return r.ok() ? std::string() : r.rejected.front().reason;
    };
    CHECK(refused(EventKind::NoteSet, {{"note", "écrit par un kiosque"}}).starts_with("forbidden"));
    // An attendee change from a kiosk must be what a signed badge says: has_note never is.
    CHECK(refused(EventKind::AttendeeUpdated, {{"has_note", true}}).find("signed badge") !=
          std::string::npos);
    CHECK(refused(EventKind::AttendeeCreated, attendee_to_json(Attendee{.first_name = "A", .last_name = "B"}))
              .starts_with("forbidden"));
    CHECK_FALSE(attendee_note(central.db(), id));
    CHECK_FALSE(load_attendee(central.db(), id)->has_note);

    // A desk registers a walk-in and writes notes.
    std::string walk_in;
    {
        WriteTransaction tx(desk.db());
        walk_in =
            create_attendee(desk, Attendee{.first_name = "Sam", .last_name = "Nouveau", .source = "walk-in"})
                .id;
        set_attendee_note(desk, walk_in, "Malentendant : boucle magnétique");
        set_attendee_note(desk, id, "Orateur : loge verte");
        tx.commit();
    }
    REQUIRE(test::push_from(central, desk).ok());
    CHECK(attendee_note(central.db(), walk_in) == "Malentendant : boucle magnétique");
    CHECK(attendee_note(central.db(), id) == "Orateur : loge verte");
    CHECK(load_attendee(central.db(), walk_in)->source == "walk-in");

    // Malformed notes from a desk are refused too.
    {
        WriteTransaction tx(desk.db());
        desk.append(EventKind::NoteSet, id, {{"note", std::string(kMaxNoteChars + 1, 'x')}});
        tx.commit();
    }
    const auto r = test::push_from(central, desk);
    REQUIRE_FALSE(r.ok());
    CHECK(r.rejected.front().reason.starts_with("malformed"));
}

TEST_CASE("Privacy: a kiosk's database file never holds a note's text, only that one exists") {
    test::TempDir dir;
    Store central = Store::create(dir.file("central.db"), test::demo_spec());
    const std::string secret1 = "Fauteuil XYZZY-7731 salle accessible";
    const std::string secret2 = "Orateur QWERTY-4412 loge verte";
    {
        std::ofstream csv(dir.file("inscriptions.csv"), std::ios::binary);
        csv << "Prénom,Nom,E-mail,Remarques\n"
            << "Léa,Dupré,lea@example.org," << secret1 << "\n"
            << "Jean,Martin,jean@example.org,\n";
        for (int i = 0; i < 20; ++i) // enough events for several small pull rounds
            csv << "P" << i << ",N" << i << ",p" << i << "@example.org,\n";
    }
    ImportOptions every_day; // no days column: everyone comes every day
    every_day.all_days = true;
    const auto summary = import_roster_file(central, dir.file("inscriptions.csv"), every_day);
    CHECK(summary.created == 22);
    const std::string lea = find_id(central, "Léa Dupré");
    const std::string jean = find_id(central, "Jean Martin");
    CHECK(attendee_note(central.db(), lea) == secret1);
    CHECK(load_attendee(central.db(), lea)->has_note);
    CHECK_FALSE(load_attendee(central.db(), jean)->has_note);

    auto check_files = [&] {
        const std::string k = disk_bytes(dir.file("kiosk.db"));
        const std::string d = disk_bytes(dir.file("desk.db"));
        REQUIRE(k.find("Dupré") != std::string::npos); // the scan sees text: the names are there
        CHECK(k.find("XYZZY-7731") == std::string::npos);
        CHECK(k.find("QWERTY-4412") == std::string::npos);
        CHECK(d.find("XYZZY-7731") != std::string::npos);
        CHECK(d.find("QWERTY-4412") != std::string::npos);
    };
    {
        Store desk = create_joining_store(dir.file("desk.db"));
        Store kiosk = create_joining_store(dir.file("kiosk.db"));
        test::join_offline(central, desk, "Bureau", Role::Desk);
        test::join_offline(central, kiosk, "Accueil 1", Role::Kiosk);
        test::pull_as(central, desk, Role::Desk);
        // Small rounds: the note sits mid-stream, and `more` and the marks must still carry the kiosk
        // to the end in a bounded number of rounds.
        CHECK(test::pull_as(central, kiosk, Role::Kiosk, 3) <= 15);

        // The desk adds a note; it reaches the central store, then the kiosk learns only the flag.
        set_note(desk, jean, secret2);
        REQUIRE(test::push_from(central, desk).ok());
        test::pull_as(central, kiosk, Role::Kiosk, 3);

        // Nothing is left to send, and nothing is sent again: the marks passed over the notes.
        const auto again = events_for_peer(central, local_vector(kiosk), 3, Role::Kiosk, kiosk.origin());
        CHECK(again.events.empty());
        CHECK(again.covered.empty());
        CHECK_FALSE(again.more);

        CHECK(load_attendee(kiosk.db(), lea)->has_note);
        CHECK(load_attendee(kiosk.db(), jean)->has_note);
        CHECK_FALSE(attendee_note(kiosk.db(), lea));
        CHECK(kiosk.db().execAndGet("SELECT count(*) FROM attendee_notes").getInt() == 0);
        CHECK(kiosk.db().execAndGet("SELECT count(*) FROM journal WHERE kind = 7").getInt() == 0);
        CHECK(attendee_note(desk.db(), lea) == secret1);
        CHECK(attendee_note(desk.db(), jean) == secret2);

        // A bundle the central store wrote (it holds the notes) merged into the kiosk: still no text.
        Bundle b{central.origin(), "central", central.wall_ms(), read_journal(central.db())};
        write_bundle_file(dir.file("central.acc"), b, device_key_of(central));
        const Bundle read = read_bundle_file(dir.file("central.acc"));
        verify_bundle_signer(kiosk, read, "central.acc");
        REQUIRE(test::merge_in(kiosk, read.events, Channel::Bundle).ok());
        CHECK(kiosk.db().execAndGet("SELECT count(*) FROM attendee_notes").getInt() == 0);
        check_files(); // open: the database file and its write-ahead log
    }
    check_files(); // closed: the log checkpointed into the file
}
