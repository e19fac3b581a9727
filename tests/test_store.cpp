#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace accueil;

TEST_CASE("A new store has the event, an origin and the pragmas every process relies on") {
    test::TempDir dir;
    Store store = Store::create(dir.file("a.db"), test::demo_spec());
    CHECK(store.event().name == "Numérique en Commun[s]");
    CHECK(store.event().timezone == "Europe/Paris");
    REQUIRE(store.event().days.size() == 3);
    CHECK(store.event().days[0].label == "OFF");
    CHECK(store.db().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(store.db().execAndGet("PRAGMA synchronous").getInt() == 2); // FULL
    CHECK(store.db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(schema_version(store.db()) == kSchemaVersion);
    CHECK(store.origin() != Origin{});

    Store again = Store::open(dir.file("a.db"));
    CHECK(again.origin() == store.origin());
    CHECK(again.event().days == store.event().days);
}

TEST_CASE("Two databases get different origins") {
    test::TempDir dir;
    Store a = Store::create(dir.file("a.db"), test::demo_spec());
    Store b = Store::create(dir.file("b.db"), test::demo_spec());
    CHECK(a.origin() != b.origin());
}

TEST_CASE("Creating over an existing file is refused and leaves it alone") {
    test::TempDir dir;
    { Store a = Store::create(dir.file("a.db"), test::demo_spec()); }
    auto spec = test::demo_spec();
    spec.name = "Autre";
    CHECK_THROWS_AS(Store::create(dir.file("a.db"), spec), StoreError);
    CHECK(Store::open(dir.file("a.db")).event().name == "Numérique en Commun[s]");
}

TEST_CASE("Bad event definitions are refused with a clear message") {
    test::TempDir dir;
    auto spec = test::demo_spec();
    spec.timezone = "Europe/Lutece";
    CHECK_THROWS_WITH(Store::create(dir.file("a.db"), spec), Catch::Contains("unknown time zone"));
    CHECK_THROWS_WITH(parse_day_list("2022-02-30"), Catch::Contains("not a date"));
    CHECK_THROWS_WITH(parse_day_list("2022-09-27,2022-09-27"), Catch::Contains("twice"));
    CHECK_THROWS_WITH(parse_day_list(""), Catch::Contains("at least one day"));
    CHECK_FALSE(std::filesystem::exists(dir.file("a.db")));
}

TEST_CASE("A database made by a newer accueil is refused, untouched") {
    test::TempDir dir;
    const auto path = dir.file("new.db");
    {
        Store s = Store::create(path, test::demo_spec());
        s.db().exec("PRAGMA user_version=" + std::to_string(kSchemaVersion + 1));
    }
    CHECK_THROWS_WITH(Store::open(path), Catch::Contains("newer accueil"));
    SQLite::Database raw(path);
    CHECK(raw.execAndGet("PRAGMA user_version").getInt() == kSchemaVersion + 1);
}

TEST_CASE("Opening what is not an accueil database fails with a clear message") {
    test::TempDir dir;
    // Which file, and how each kind of database is made: the event's by init, a kiosk's by join.
    CHECK_THROWS_WITH(Store::open(dir.file("missing.db")),
                      Catch::StartsWith(dir.file("missing.db") + ": no such database") &&
                          Catch::Contains("accueil init on the organisers' machine") &&
                          Catch::Contains("a kiosk's by accueil-sync join") &&
                          !Catch::Contains("create it with"));
    CHECK_FALSE(std::filesystem::exists(dir.file("missing.db")));
    {
        std::ofstream junk(dir.file("junk.db"));
        junk << "this is a spreadsheet, not a database\n";
    }
    CHECK_THROWS_WITH(Store::open(dir.file("junk.db")), Catch::Contains("not an accueil database"));
    { SQLite::Database empty(dir.file("empty.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
    CHECK_THROWS_WITH(Store::open(dir.file("empty.db")), Catch::Contains("not an accueil database") &&
                                                             Catch::Contains("failed accueil-sync join") &&
                                                             !Catch::Contains("create it with"));
}

TEST_CASE("The store's messages follow the process language") {
    test::TempDir dir;
    const i18n::Lang saved = i18n::process_lang();
    i18n::set_process_lang(i18n::Lang::Fr);
    const auto french = [&](const auto& action) {
        try {
            action();
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    const std::string missing = french([&] { Store::open(dir.file("missing.db")); });
    auto spec = test::demo_spec();
    spec.timezone = "Europe/Lutece";
    const std::string zone = french([&] { Store::create(dir.file("a.db"), spec); });
    const std::string date = french([&] { parse_day_list("2022-02-30"); });
    { Store a = Store::create(dir.file("b.db"), test::demo_spec()); }
    const std::string exists = french([&] { Store::create(dir.file("b.db"), test::demo_spec()); });
    i18n::set_process_lang(saved);
    CHECK_THAT(missing,
               Catch::StartsWith(dir.file("missing.db") + " : aucune base de données à cet emplacement") &&
                   Catch::Contains("accueil init") && Catch::Contains("accueil-sync join"));
    CHECK(zone == "fuseau horaire inconnu « Europe/Lutece » (écrivez-le comme Europe/Paris)");
    CHECK(date ==
          "« 2022-02-30 » n'est pas une date (attendu : AAAA-MM-JJ, année, mois, jour, comme 2022-09-28)");
    CHECK_THAT(exists, Catch::StartsWith(dir.file("b.db") + " existe déjà : rien n'a été modifié"));
}

TEST_CASE("Time zone arithmetic follows the event's zone") {
    CHECK(local_day(test::kSept28At0912, "Europe/Paris") == "2022-09-28");
    CHECK(local_hh_mm(test::kSept28At0912, "Europe/Paris") == "09:12");
    CHECK(local_day(test::kSept28At0912 - 10 * 3600 * 1000, "Europe/Paris") == "2022-09-27");
    CHECK(parse_instant("2022-09-28T09:12", "Europe/Paris") == test::kSept28At0912);
    CHECK(parse_instant("2022-09-28 09:12:00", "Europe/Paris") == test::kSept28At0912);
    CHECK(parse_instant("2022-09-28T07:12:00Z", "Europe/Paris") == test::kSept28At0912);
    CHECK(parse_instant("2022-09-28T09:12:00+02:00", "Europe/Paris") == test::kSept28At0912);
    CHECK_FALSE(parse_instant("28/09/2022 9h12", "Europe/Paris"));
    CHECK_FALSE(parse_instant("2022-09-28T25:00", "Europe/Paris"));
}

TEST_CASE("A store whose event days were damaged by an older version still opens") {
    test::TempDir dir;
    const std::string path = dir.file("old.db");
    {
        Store s = Store::create(path, test::demo_spec());
        // What an unchecked merge once committed: days that are not objects.
        s.db().exec(R"(UPDATE event_info SET days = '["2022-09-28", 3, {"date": 5}]')");
    }
    Store s = Store::open(path);
    CHECK(s.event().days.empty());
    CHECK(s.event().name == "Numérique en Commun[s]");
}
