// Upgrades (issue 13): a store written by every earlier schema version opens with today's code,
// migrates, keeps all its data and keeps working. The fixtures in tests/data/schema/ were written by
// each version's own programs (tests/data/schema/make-fixtures.sh; its README.md says which commit
// made which file and which versions cannot have one).
#include "attendee.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "figures.hpp"
#include "projection.hpp"
#include "search.hpp"
#include "store.hpp"
#include "support/db_text.hpp"
#include "support/temp_dir.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"
#include "text_fold.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

using namespace accueil;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(ACCUEIL_TESTDATA_DIR) / "schema";

// Instants of the event (Europe/Paris, summer time: UTC+2), as the fixtures' script used them.
constexpr std::int64_t kSept30At1500 = 1790773200000; // 2026-09-30T15:00+02:00
constexpr std::int64_t kSept30At1800 = 1790784000000; // the `stats --at` of the fixtures
constexpr std::int64_t kOct1At0900 = 1790838000000;
constexpr std::int64_t kOct1At0930 = 1790839800000;
constexpr std::int64_t kOct1At1000 = 1790841600000;

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Fixture {
    std::string name; // "v4", or "v4-0638c88" for an earlier state of a version (README.md there)
    int version = 0;
    fs::path central;              // <name>.db
    std::optional<fs::path> kiosk; // <name>-kiosk.db: versions that had sync
    fs::path stats;                // <name>.stats.json: that version's `accueil stats --json`
};

// Every v<N>[-<commit>].db of the fixtures directory, by name.
std::vector<Fixture> fixtures() {
    std::vector<Fixture> out;
    REQUIRE(fs::is_directory(kFixtures));
    for (const auto& entry : fs::directory_iterator(kFixtures)) {
        const std::string file = entry.path().filename().string();
        if (file.size() < 4 || file[0] != 'v' || !file.ends_with(".db") || file.ends_with("-kiosk.db"))
            continue;
        Fixture f;
        f.name = file.substr(0, file.size() - 3);
        const std::string digits = f.name.substr(1, f.name.find('-') - 1);
        INFO(file);
        REQUIRE(!digits.empty());
        REQUIRE(std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }));
        f.version = std::stoi(digits);
        f.central = entry.path();
        f.stats = kFixtures / (f.name + ".stats.json");
        if (fs::exists(kFixtures / (f.name + "-kiosk.db")))
            f.kiosk = kFixtures / (f.name + "-kiosk.db");
        out.push_back(f);
    }
    std::sort(out.begin(), out.end(), [](const Fixture& a, const Fixture& b) { return a.name < b.name; });
    return out;
}

// Versions the README lists as impossible to make, one line each: "- impossible: schema N — why".
std::set<int> impossible_versions() {
    std::set<int> out;
    std::istringstream readme(read_bytes(kFixtures / "README.md"));
    const std::string mark = "- impossible: schema ";
    for (std::string line; std::getline(readme, line);)
        if (line.starts_with(mark))
            out.insert(std::stoi(line.substr(mark.size())));
    return out;
}

int raw_user_version(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA user_version").getInt();
}

// A working copy: a test never opens the committed file itself (opening migrates it).
std::string copy_into(const test::TempDir& dir, const fs::path& fixture) {
    const std::string to = dir.file(fixture.filename().string());
    fs::copy_file(fixture, to);
    return to;
}

// The projections (tests/support/db_text.hpp) and what that list leaves out: the notes flag and the
// badge keys, both older than schema 8 and so both carried through the migrations.
std::string projections(Store& s) {
    return test::dump_projections(s.db()) +
           test::dump_queries(s.db(),
                              {"SELECT id, has_note FROM attendees ORDER BY id",
                               "SELECT hex(public_key), key_id, label FROM event_keys ORDER BY public_key"});
}

// "T001 2026-09-29;..." : who arrived which day (checkin_days: first check-ins not undone).
std::string arrivals(Store& s) {
    std::string out;
    SQLite::Statement q(s.db(), "SELECT a.ext_code, d.day FROM checkin_days d JOIN attendees a ON a.id = "
                                "d.attendee_id ORDER BY d.day, a.ext_code");
    while (q.executeStep())
        out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + ";";
    return out;
}

Attendee by_code(Store& s, const std::string& code) {
    auto a = find_by_ext_code(s.db(), code);
    REQUIRE(a);
    return *a;
}

// What make-fixtures.sh did: day 1 at "Accueil 1" (T019 undone), day 2 at "Accueil 1", and where the
// version had sync, "Accueil 2" (T010, T018, and T003 again: a duplicate across devices).
std::string expected_arrivals(bool with_kiosk) {
    std::set<std::string> day1{"T001", "T002", "T004", "T005", "T006", "T009", "T012", "T014", "T016"};
    std::set<std::string> day2{"T001", "T003", "T008", "T013", "T017"};
    if (with_kiosk)
        day2.insert({"T010", "T018"});
    std::string out;
    for (const auto& c : day1)
        out += c + " 2026-09-29;";
    for (const auto& c : day2)
        out += c + " 2026-09-30;";
    return out;
}

// The figures today's code computes, against what the old `accueil stats --json` printed then. Old
// versions printed {"attendees", "by_day", "registered_by_day"}, later ones the figures' JSON
// {"attendees", "days": [{"date", "registered", "arrived", ...}], "reprints", ...}.
void check_figures_match_old_stats(Store& s, const fs::path& stats_file) {
    const auto old = nlohmann::json::parse(read_bytes(stats_file));
    FiguresOptions options;
    options.now_ms = kSept30At1800;
    const Figures now = compute_figures(s, options);
    CHECK(now.attendees == old.at("attendees").get<std::int64_t>());
    REQUIRE(now.days.size() == 3);
    for (const auto& d : now.days) {
        INFO("day " << d.date);
        if (old.contains("days")) {
            const auto it = std::find_if(old["days"].begin(), old["days"].end(),
                                         [&](const nlohmann::json& j) { return j.at("date") == d.date; });
            REQUIRE(it != old["days"].end());
            CHECK(d.registered == it->at("registered").get<std::int64_t>());
            CHECK(d.arrived == it->at("arrived").get<std::int64_t>());
            CHECK(d.duplicates == it->at("duplicates").get<std::int64_t>());
            CHECK(d.undos == it->at("undos").get<std::int64_t>());
        } else {
            CHECK(d.registered == old.at("registered_by_day").value(d.date, std::int64_t{0}));
            CHECK(d.arrived == old.at("by_day").value(d.date, std::int64_t{0}));
        }
    }
    if (old.contains("reprints"))
        CHECK(now.reprints == old["reprints"].get<std::int64_t>());
}

// What the agent's push does: the kiosk's unacknowledged events through the central store's door.
sync::MergeResult push(Store& central, Store& kiosk) {
    sync::MergeOptions o;
    o.channel = sync::Channel::Push;
    o.sender = kiosk.origin();
    o.source = kiosk.kiosk_name();
    return sync::merge_events(central, sync::unacked_events(kiosk, 1000), o);
}

// A kiosk with today's code joins the (migrated) central store, takes the event, checks someone in
// and pushes: what `accueil-sync join` and the agent do, without the network.
void new_kiosk_checks_in(Store& central, const test::TempDir& dir, const std::string& code,
                         std::int64_t at_ms) {
    Store kiosk = sync::create_joining_store(dir.file("new-kiosk.db"));
    const std::string secret = sync::enrol_device(central, "Accueil 3", sync::Role::Kiosk);
    std::string why;
    REQUIRE(sync::join_device(central, secret, kiosk.origin(), sync::device_key_of(kiosk).public_key(), why));
    // What the kiosk keeps of the join (the server it pins) and of each pull (the other devices).
    const std::string central_key = to_hex(sync::device_key_of(central).public_key());
    auto peers = sync::known_peers(central);
    peers.erase(central.origin());
    peers.erase(kiosk.origin());
    {
        WriteTransaction tx(kiosk.db());
        kiosk.set_meta("sync.server", "http://127.0.0.1:1");
        kiosk.set_meta("sync.server_origin", to_hex(central.origin()));
        kiosk.set_meta("sync.server_key", central_key);
        kiosk.set_meta("kiosk_name", "Accueil 3");
        sync::replace_peers(kiosk.db(), peers);
        tx.commit();
    }
    bool more = true;
    while (more) {
        const auto batch =
            sync::events_for_peer(central, sync::local_vector(kiosk), 500, sync::Role::Kiosk, kiosk.origin());
        more = batch.more;
        sync::MergeOptions o;
        o.channel = sync::Channel::Pull;
        o.guard_clock = false;
        o.covered = batch.covered;
        REQUIRE(sync::merge_events(kiosk, batch.events, o).ok());
    }
    {
        // What came from the central store is known there: never to be sent back (the agent's rule).
        WriteTransaction tx(kiosk.db());
        sync::raise_acked(kiosk.db(), sync::local_vector(central));
        tx.commit();
    }
    kiosk.reload_event();
    REQUIRE(kiosk.event().name == central.event().name);
    REQUIRE(check_in(kiosk, code, at_ms).verdict == Verdict::Admitted);
    const auto r = push(central, kiosk);
    INFO(sync::rejections_to_json(r.rejected).dump());
    REQUIRE(r.ok());
    CHECK(r.applied == 1);
}

} // namespace

TEST_CASE("Every earlier schema version has a fixture, or the README says why it cannot") {
    const auto all = fixtures();
    const auto impossible = impossible_versions();
    std::set<int> have;
    for (const auto& f : all)
        have.insert(f.version);
    for (int v = 1; v < kSchemaVersion; ++v) {
        INFO(
            "schema " << v << ": run tests/data/schema/make-fixtures.sh " << v
                      << " (add the version's last commit there), or list it in tests/data/schema/README.md");
        CHECK((have.count(v) + impossible.count(v)) == 1);
    }
    // A fixture of the current version or later would test nothing here.
    for (const auto& f : all)
        CHECK(f.version < kSchemaVersion);
    // The fixtures are what their names say, each with the old program's figures beside it.
    for (const auto& f : all) {
        INFO(f.central.filename().string());
        test::TempDir dir;
        CHECK(raw_user_version(copy_into(dir, f.central)) == f.version);
        CHECK(fs::exists(f.stats));
        CHECK_FALSE(fs::exists(f.central.string() + "-wal"));
        if (f.kiosk)
            CHECK(raw_user_version(copy_into(dir, *f.kiosk)) == f.version);
    }
}

TEST_CASE("A store from each earlier schema version migrates with all its data") {
    for (const auto& f : fixtures()) {
        DYNAMIC_SECTION(f.name) {
            test::TempDir dir;
            const std::string path = copy_into(dir, f.central);
            const bool had_sync = f.kiosk.has_value();
            Store s = Store::open(path);
            CHECK(schema_version(s.db()) == kSchemaVersion);
            CHECK(s.db().execAndGet("PRAGMA integrity_check").getString() == "ok");
            CHECK(s.db().execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() == 0);

            // The event and the roster, accents and edits included.
            CHECK(s.event().name == "Numérique en Commun[s]");
            CHECK(s.event().timezone == "Europe/Paris");
            CHECK(s.db().execAndGet("SELECT count(*) FROM attendees").getInt() == 20);
            const Attendee ines = by_code(s, "T002");
            CHECK(ines.full_name() == "Inès Müller");
            CHECK(ines.email == "ines.muller@bibliotheques.example.org"); // the re-import's edit
            CHECK(ines.organisation == "Réseau des médiathèques");
            CHECK(ines.days == std::vector<std::string>{"2026-09-29", "2026-09-30"});
            const Attendee zoe = by_code(s, "T004");
            CHECK(zoe.category == "Orateur"); // was "Bénévole" before the edit
            CHECK(zoe.category_key == label_key("Orateur"));
            CHECK(zoe.days.empty());
            CHECK(by_code(s, "T016").last_name == "Nguyễn");
            CHECK(by_code(s, "T003").last_name == "N'Diaye");
            CHECK(by_code(s, "T007").badge_version == (had_sync ? 2 : 1)); // reprinted where reprint existed
            // The search index answers as people type, accents or not; the names index (schema 10)
            // holds the names the store had.
            CHECK(test::names_index_differences(s.db()).empty());
            CHECK(s.db()
                      .execAndGet("SELECT count(*) FROM attendee_names WHERE attendee_names MATCH 'muller'")
                      .getInt() == 1);
            const auto found = search_attendees(s.db(), "nguyen");
            REQUIRE_FALSE(found.empty());
            CHECK(found.front().ext_code == "T016");
            REQUIRE_FALSE(search_attendees(s.db(), "mediatheque").empty());

            // Check-ins: who arrived which day, the undo, the duplicate across devices.
            CHECK(arrivals(s) == expected_arrivals(had_sync));
            CHECK(s.db().execAndGet("SELECT count(*) FROM undos").getInt() == 1);
            CHECK(s.db()
                      .execAndGet("SELECT a.ext_code || ' ' || c.day FROM checkins c JOIN attendees a ON "
                                  "a.id = c.attendee_id WHERE c.undone")
                      .getString() == "T019 2026-09-29");
            if (had_sync) {
                CHECK(s.db().execAndGet("SELECT count(*) FROM checkins WHERE kiosk = 'Accueil 2'").getInt() ==
                      3);
                const auto dups = sync::duplicate_checkins(s.db());
                REQUIRE(dups.size() == 1);
                CHECK(dups[0].full_name == "Jean-Éric N'Diaye");
                CHECK(dups[0].day == "2026-09-30");
                CHECK(dups[0].count == 2);
            }
            // The counts today's code gives are those the old program printed.
            check_figures_match_old_stats(s, f.stats);
        }
    }
}

TEST_CASE("A migrated store rebuilt from its journal alone gives the same tables") {
    for (const auto& f : fixtures()) {
        DYNAMIC_SECTION(f.name) {
            test::TempDir dir;
            Store s = Store::open(copy_into(dir, f.central));
            const std::string migrated = projections(s);
            REQUIRE(s.db().execAndGet("SELECT count(*) FROM checkins").getInt() > 0);
            rebuild_projections(s.db());
            CHECK(projections(s) == migrated);
        }
    }
}

TEST_CASE("A migrated store keeps working: check-ins, undos, a new kiosk, its old kiosk") {
    for (const auto& f : fixtures()) {
        DYNAMIC_SECTION(f.name) {
            test::TempDir dir;
            Store s = Store::open(copy_into(dir, f.central));
            const auto first = check_in(s, "T011", kOct1At0900);
            CHECK(first.verdict == Verdict::Admitted);
            CHECK(check_in(s, "T001", kSept30At1500).verdict == Verdict::AlreadyCheckedIn);
            CHECK(check_in(s, "T005", kOct1At0900).verdict == Verdict::NotToday);
            CHECK(undo_checkins(s, by_code(s, "T011").id, "2026-10-01") == 1);
            CHECK(check_in(s, "T011", kOct1At0930).verdict == Verdict::Admitted);

            // Sync with today's code: a kiosk joins the migrated central store and its check-in merges.
            new_kiosk_checks_in(s, dir, "T020", kOct1At1000);
            CHECK(s.db()
                      .execAndGet("SELECT first_kiosk FROM checkin_days WHERE day = '2026-10-01' AND "
                                  "attendee_id = (SELECT id FROM attendees WHERE ext_code = 'T020')")
                      .getString() == "Accueil 3");

            // The kiosk that was joined before the upgrade, upgraded too, still pushes to it.
            if (f.kiosk) {
                Store kiosk = Store::open(copy_into(dir, *f.kiosk));
                CHECK(schema_version(kiosk.db()) == kSchemaVersion);
                CHECK(kiosk.db().execAndGet("PRAGMA integrity_check").getString() == "ok");
                CHECK(kiosk.kiosk_name() == "Accueil 2");
                CHECK(sync::count_unacked(kiosk) == 0); // its agent had pushed everything
                REQUIRE(check_in(kiosk, "T015", kOct1At1000).verdict == Verdict::Admitted);
                const auto r = push(s, kiosk);
                INFO(sync::rejections_to_json(r.rejected).dump());
                CHECK(r.ok());
                CHECK(r.applied == 1);
            }
            FiguresOptions options;
            options.now_ms = kOct1At1000 + 60'000;
            const Figures after = compute_figures(s, options);
            REQUIRE(after.selected_day());
            CHECK(after.selected_day()->arrived ==
                  (f.kiosk ? 3 : 2)); // T011 (after its undo), T020, and T015 from the old kiosk
            CHECK(after.selected_day()->undos == 1);
            // And the journal still rebuilds to what the live tables say.
            const std::string live = projections(s);
            rebuild_projections(s.db());
            CHECK(projections(s) == live);
        }
    }
}

TEST_CASE("A store from a newer accueil is refused clearly and left byte for byte") {
    test::TempDir dir;
    const std::string path = dir.file("newer.db");
    { Store s = Store::create(path, EventSpec{"Plus tard", "Europe/Paris", parse_day_list("2030-05-02")}); }
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion + 1));
    }
    REQUIRE_FALSE(fs::exists(path + "-wal"));
    const std::string before = read_bytes(path);
    CHECK_THROWS_AS(Store::open(path), StoreError);
    CHECK_THROWS_WITH(Store::open(path),
                      Catch::Contains(path) && Catch::Contains("newer accueil") &&
                          Catch::Contains("schema " + std::to_string(kSchemaVersion + 1)) &&
                          Catch::Contains("update accueil"));
    CHECK(read_bytes(path) == before);
}

TEST_CASE("A damaged old store (a truncated fixture) is refused clearly and left as it was") {
    const auto all = fixtures();
    REQUIRE_FALSE(all.empty());
    for (const auto& f : all) {
        DYNAMIC_SECTION(f.name) {
            test::TempDir dir;
            const std::string path = copy_into(dir, f.central);
            fs::resize_file(path, fs::file_size(path) / 2);
            const std::string before = read_bytes(path);
            // Said when SQLite first reads it, before any migration step (shared/database.cpp).
            CHECK_THROWS_AS(Store::open(path), StoreError);
            CHECK_THROWS_WITH(Store::open(path), Catch::Contains(path) && Catch::Contains("malformed"));
            CHECK(read_bytes(path) == before);
            CHECK_FALSE(fs::exists(path + "-wal"));
        }
    }
}
