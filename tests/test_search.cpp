#include "attendee_ops.hpp"
#include "database.hpp"
#include "search.hpp"
#include "store.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"
#include "text_fold.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace accueil;

TEST_CASE("Folding ignores case, accents, ligatures and punctuation") {
    CHECK(fold_text("Églantine") == "eglantine");
    CHECK(fold_text("Jean-Noël") == "jean noel");
    CHECK(fold_text("N'Diaye") == "n diaye");
    CHECK(fold_text("N’Diaye") == "n diaye"); // typographic apostrophe
    CHECK(fold_text("Œuvray") == "oeuvray");
    CHECK(fold_text("Lætitia") == "laetitia");
    CHECK(fold_text("Çelik") == "celik");
    CHECK(fold_text("STRAßE") == "strasse");
    CHECK(fold_text("  de  La Fontaine ") == "de la fontaine");
    CHECK(fold_text("ﬁlipe") == "filipe"); // compatibility ligature
    CHECK(label_key("Bénévole") == "benevole");
    CHECK(label_key("Intervenant·e") == "intervenant-e");
    CHECK(is_valid_utf8("Léa"));
    CHECK_FALSE(is_valid_utf8("L\xe9"
                              "a"));
}

namespace {
struct SearchFixture {
    test::TempDir dir;
    Store store = Store::create(dir.file("s.db"), test::demo_spec());
    SearchFixture() {
        WriteTransaction tx(store.db());
        for (auto [first, last, org] :
             std::initializer_list<std::tuple<const char*, const char*, const char*>>{
                 {"Églantine", "Dupré", "Mairie de Lyon"},
                 {"Jean-Noël", "Martin", "Emmaüs Connect"},
                 {"Aminata", "N'Diaye", "Région Occitanie"},
                 {"Paul", "Œuvray", "Médiathèque de Brest"},
                 {"Ayşe", "Çelik", "France Services"},
                 {"Jean", "Noëlle", ""},
                 {"Claire", "Leroy", "Martin & fils"},
                 {"Louis", "Martinez", ""}}) {
            Attendee a{.first_name = first, .last_name = last, .organisation = org};
            a.email = fold_text(first).substr(0, 3) + "." + fold_text(last).substr(0, 3) + "@example.fr";
            create_attendee(store, a);
        }
        tx.commit();
    }
    std::vector<std::string> names(const std::string& q) {
        std::vector<std::string> out;
        for (const auto& a : search_attendees(store.db(), q))
            out.push_back(a.full_name());
        return out;
    }
};
} // namespace

TEST_CASE_METHOD(SearchFixture, "Search finds names whatever the accents, hyphens and apostrophes") {
    CHECK(names("eglantine") == std::vector<std::string>{"Églantine Dupré"});
    CHECK(names("EGLAN").front() == "Églantine Dupré");
    CHECK(names("jean noel").front() == "Jean-Noël Martin");
    CHECK(names("jean-noël").front() == "Jean-Noël Martin");
    CHECK(names("jeannoel").front() == "Jean-Noël Martin");
    CHECK(names("ndiaye") == std::vector<std::string>{"Aminata N'Diaye"});
    CHECK(names("n'diaye") == std::vector<std::string>{"Aminata N'Diaye"});
    CHECK(names("oeuvray") == std::vector<std::string>{"Paul Œuvray"});
    CHECK(names("celik") == std::vector<std::string>{"Ayşe Çelik"});
    CHECK(names("ayse") == std::vector<std::string>{"Ayşe Çelik"});
}

TEST_CASE_METHOD(SearchFixture, "Best matches come first: whole names before prefixes before organisations") {
    const auto hits = names("martin");
    REQUIRE(hits.size() >= 3);
    CHECK(hits[0] == "Jean-Noël Martin");                                // whole last name
    CHECK(hits[1] == "Louis Martinez");                                  // name prefix
    CHECK(hits.back() == "Claire Leroy");                                // only her organisation matches
    CHECK(names("lyon") == std::vector<std::string>{"Églantine Dupré"}); // organisation
}

TEST_CASE_METHOD(SearchFixture, "Search input never breaks the query") {
    CHECK(names("").empty());
    CHECK(names("   ").empty());
    CHECK(names("\"*) OR NEAR(").empty());
    CHECK(names("zzzz").empty());
    CHECK(names("martin AND").empty());
}

TEST_CASE_METHOD(SearchFixture, "An edit is searchable at once, the old name is not") {
    auto a = search_attendees(store.db(), "celik").front();
    Attendee b = a;
    b.last_name = "Yilmaz";
    WriteTransaction tx(store.db());
    update_attendee(store, a, b);
    tx.commit();
    CHECK(names("celik").empty());
    CHECK(names("yilmaz") == std::vector<std::string>{"Ayşe Yilmaz"});
    // The names index forgot the old name: it holds what the names column holds, nothing more.
    CHECK(test::names_index_differences(store.db()).empty());
    CHECK(store.db()
              .execAndGet("SELECT count(*) FROM attendee_names WHERE attendee_names MATCH 'celik'")
              .getInt() == 0);
}

TEST_CASE("Several words: whole-name matches read from the window of name prefixes rank as three queries "
          "do") {
    // Few distinct words, so that queries of several words match from a handful of people (one window
    // of name prefixes holds them all) to hundreds (every window full), with joined forms
    // ("jeanpierre"), names that are also organisation words, and a few names outside ASCII (their
    // tiers are always queried). Words of more than three letters are asked by their first three (the
    // longest whole when of five letters or more: "mart jeanso" as "mar" "jeanso"), checked here.
    // "legoff paul" puts Paul Le Goff (a joined form, whole words) before Paul Legoffic (prefixes)
    // although the latter scores more: tiers come before scores.
    test::TempDir dir;
    Store store = Store::create(dir.file("s.db"), test::demo_spec());
    const char* firsts[] = {"Jean", "Jean-Pierre", "Marie",  "Anne-Marie", "Paul",
                            "Léa",  "Ζωή",         "Martin", "Li"};
    const char* lasts[] = {"Martin",     "Martinez", "Le Goff", "Dupont",   "Paulin",
                           "De La Tour", "Marié",    "Jeanson", "Legoffic", "Ba"};
    const char* orgs[] = {"Mairie de Paris", "Martin & fils", "", "Jean Jaurès", "Le Marché", "Δήμος"};
    std::mt19937 rng(7);
    {
        WriteTransaction tx(store.db());
        for (int i = 0; i < 1500; ++i) {
            Attendee a{.first_name = firsts[rng() % std::size(firsts)],
                       .last_name = lasts[rng() % std::size(lasts)],
                       .organisation = orgs[rng() % std::size(orgs)]};
            a.email = "p" + std::to_string(i) + "@example.fr";
            create_attendee(store, a);
        }
        tx.commit();
    }
    const std::vector<std::string> queries = {"jean martin",
                                              "jean mar",
                                              "jean pierre le",
                                              "jeanpierre g",
                                              "marie d",
                                              "anne marie de la",
                                              "paul ma",
                                              "le goff",
                                              "le g",
                                              "lea jean",
                                              "léa marie",
                                              "zoe le",
                                              "ζωή ma",
                                              "martin martin",
                                              "martin m",
                                              "mar mar",
                                              "de paris",
                                              "jean jaures",
                                              "d l t",
                                              "legoff jean",
                                              "legoff paul",
                                              "legoff",
                                              "delatour marie",
                                              "p du",
                                              "jean",
                                              "mart",
                                              "m",
                                              "dupont jean marie",
                                              "jeanson paul",
                                              "x y",
                                              "mairie le",
                                              "p1 paul",
                                              "fils martin",
                                              "marie marche",
                                              "zwh le goff",
                                              "pau martinez",
                                              "ann mar martin",
                                              "mart mari",
                                              "mari mart",
                                              "paulin jean",
                                              "mart jean",
                                              "marti pierre",
                                              "mart jeanso",
                                              "jeanso mart"};
    // Words of one or two letters beside longer ones: first, last, two of them, with accents, whole
    // names ("Li", "Ba"), only in e-mails ("fr", "ex": p1@example.fr), outside ASCII.
    const std::vector<std::string> short_and_long = {
        "d jean",  "le paul",  "jean d",          "paul le g", "jean d l", "marie d l t",
        "léa d",   "lea le",   "li martin",       "martin li", "li m",     "ba jean",
        "jean ba", "li ba",    "jean fr",         "fr martin", "ex paul",  "paul p1",
        "ζωή d",   "pierre j", "jeanpierre le g", "mar d la"};
    std::vector<std::string> all = queries;
    all.insert(all.end(), short_and_long.begin(), short_and_long.end());
    int compared = 0;
    for (const auto& query : all) {
        for (int limit : {1, 5, 10, 20}) {
            INFO(query << " (limit " << limit << ")");
            const auto got = search_attendees(store.db(), query, limit);
            const auto want = search_attendees_tier_by_tier(store.db(), query, limit);
            std::vector<std::string> got_ids, want_ids;
            for (const auto& a : got)
                got_ids.push_back(a.id);
            for (const auto& a : want)
                want_ids.push_back(a.id);
            CHECK(got_ids == want_ids);
            compared += !want.empty();
        }
    }
    CHECK(compared > 80); // most queries find somebody, so the comparison is not between empty lists
}

namespace {
// A store of `groups` people, in this order: {first name, last name, how many}.
void add_people(Store& store, std::initializer_list<std::tuple<const char*, const char*, int>> groups) {
    WriteTransaction tx(store.db());
    int n = 0;
    for (auto [first, last, count] : groups)
        for (int i = 0; i < count; ++i, ++n)
            create_attendee(store, Attendee{.first_name = first,
                                            .last_name = last,
                                            .email = "p" + std::to_string(n) + "@example.fr"});
    tx.commit();
}

std::vector<std::string> ids(const std::vector<Attendee>& people) {
    std::vector<std::string> out;
    for (const auto& a : people)
        out.push_back(a.id);
    return out;
}
} // namespace

TEST_CASE("Words of four letters: windows of three-letter starts read on while most rows match, every row "
          "checked") {
    // "mart jean" and "mart" are asked as "mar"* "jea"* and "mar"*. The first window (40 people for 10
    // results) holds 25 Martin Jeanneton and 15 Marie Jean: most match, so the next window is read
    // with the three letters too. Its 15 Marie Jean must be checked out as the first window's are:
    // kept, they would fill the window before the 10 Martin Jeanne, who rank first (same score,
    // "Jeanne" before "Jeanneton").
    test::TempDir dir;
    Store store = Store::create(dir.file("s.db"), test::demo_spec());
    add_people(store, {{"Martin", "Jeanneton", 25}, {"Marie", "Jean", 30}, {"Martin", "Jeanne", 10}});
    for (const char* query : {"mart jean", "jean mart", "mart"}) {
        INFO(query);
        const auto got = search_attendees(store.db(), query, 10);
        CHECK(got.size() == 10);
        for (const auto& a : got)
            CHECK(a.full_name() == "Martin Jeanne");
        CHECK(ids(got) == ids(search_attendees_tier_by_tier(store.db(), query, 10)));
    }
}

TEST_CASE("Several words: past a window of three-letter starts, the rest is asked word for word") {
    // "mart jean" is asked as "mar"* "jea"* first: for 10 results, the first window (40 people) holds
    // 35 Marie Jean, who start "mar" "jea" but not the words, and 5 Martin Jeanne; too few match, so
    // the rest is asked word for word past it. Reading on with the three letters without checking the
    // rows would bring the 40 Marie Jean that follow into the list in place of the 5 Martin Jeanne
    // after them.
    test::TempDir dir;
    Store store = Store::create(dir.file("s.db"), test::demo_spec());
    add_people(
        store,
        {{"Marie", "Jean", 30}, {"Martin", "Jeanne", 5}, {"Marie", "Jean", 45}, {"Martin", "Jeanne", 5}});
    for (int limit : {10, 20}) {
        INFO("limit " << limit);
        const auto got = search_attendees(store.db(), "mart jean", limit);
        CHECK(got.size() == 10);
        for (const auto& a : got)
            CHECK(a.full_name() == "Martin Jeanne");
        CHECK(ids(got) == ids(search_attendees_tier_by_tier(store.db(), "mart jean", limit)));
    }
}

TEST_CASE("A kept search answers as a fresh one, sees others' writes and holds no read snapshot between "
          "searches") {
    // The kiosk and the desk keep one search per store (Store::attendee_search) and ask it on every key
    // typed. 60 people start "mar": a search for 10 of them stops with its window full, mid-step.
    test::TempDir dir;
    Store store = Store::create(dir.file("s.db"), test::demo_spec());
    add_people(store, {{"Martin", "Jeanneton", 25}, {"Marie", "Jean", 30}, {"Marc", "Noël", 5}});
    AttendeeSearch& kept = store.attendee_search();
    CHECK(&kept == &store.attendee_search());
    for (const char* query : {"mar", "mart jean", "marie", "jean", "noel marc", "zzz", "marc", "m"}) {
        INFO(query);
        CHECK(ids(kept.find(query, 10)) == ids(search_attendees(store.db(), query, 10)));
        // Nothing left stepping: a statement left mid-step would keep a read snapshot open, and this
        // connection's next write after another process's would fail (SQLITE_BUSY_SNAPSHOT).
        CHECK(busy_statements(store.db()).empty());
        CHECK_FALSE(in_transaction(store.db()));
    }
    REQUIRE(kept.find("mar", 10).size() == 10);

    // Another connection adds someone; this one sees her, then writes after it without any error.
    {
        Store other = Store::open(dir.file("s.db"));
        WriteTransaction tx(other.db());
        create_attendee(other,
                        Attendee{.first_name = "Marthe", .last_name = "Zénon", .email = "mz@example.fr"});
        tx.commit();
    }
    const auto found = kept.find("zenon", 10);
    REQUIRE(found.size() == 1);
    CHECK(found.front().full_name() == "Marthe Zénon");
    WriteTransaction tx(store.db());
    CHECK_NOTHROW(create_attendee(
        store, Attendee{.first_name = "Léa", .last_name = "Zénon", .email = "lz@example.fr"}));
    tx.commit();
    CHECK(kept.find("zenon", 10).size() == 2);
}
