// The organisers' figures (shared/figures.hpp) from a known journal: every expected number written out
// by hand below, from the people and scans of the fixture.
#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "figures.hpp"
#include "journal.hpp"
#include "projection.hpp"
#include "store.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/sync_peers.hpp"
#include "support/temp_dir.hpp"
#include "sync/devices.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

using namespace accueil;

namespace {

std::int64_t paris(const char* local) {
    const auto t = parse_instant(local, "Europe/Paris");
    REQUIRE(t);
    return *t;
}

// The demo event (27 September, the OFF day; 28; 29) in Europe/Paris, seen at 18:00 on the 28th.
//   Hélène Dubois  Participant  every day   arrives 27 10:05 (Accueil 1), 28 00:10 (Accueil 2)
//   Marc Petit     Intervenant  28          28 09:05 (Accueil 1) undone, again 09:40 (Accueil 2)
//   Zoé Martin     Participant  27          27 23:50 (Accueil 1)
//   Jean Durand    Bénévole     28, walk-in 28 09:10 (Accueil 1)
//   Léa Roux       Participant  28, 29      28 09:20 (Accueil 1) and a second scan 09:25 (Accueil 2);
//                                           badge version 3 (two reprints)
//   Paul Simon     (none)       29          -
//   Anne Hélie     Participant  28          -
//   Hugo Blanc     Presse       28          28 10:50 (Organisateurs: the organisers' own machine)
//   Inès Garcia    Participant  28          28 09:25 (Accueil 1)
// Devices: Accueil 1 (last contact 17:58), Accueil 2 (17:50, 4 pending), Accueil 3 (revoked),
// Bureau (a desk enrolled at 08:00 that never came).
struct FiguresFixture {
    test::TempDir dir;
    std::int64_t wall = paris("2022-09-28T08:00");
    Store store = Store::create(dir.file("central.db"), test::demo_spec(), [this] { return wall; });
    Attendee helene, marc, zoe, jean, lea, paul, anne, hugo, ines;
    std::int64_t now = paris("2022-09-28T18:00");

    FiguresFixture() {
        {
            WriteTransaction tx(store.db());
            auto add = [&](const char* first, const char* last, const char* category,
                           std::vector<std::string> days) {
                return create_attendee(store, Attendee{.first_name = first,
                                                       .last_name = last,
                                                       .organisation = "Mairie de Lyon",
                                                       .category = category,
                                                       .days = std::move(days)});
            };
            helene = add("Hélène", "Dubois", "Participant", {});
            marc = add("Marc", "Petit", "Intervenant", {"2022-09-28"});
            zoe = add("Zoé", "Martin", "Participant", {"2022-09-27"});
            Attendee walk_in{.first_name = "Jean", .last_name = "Durand", .category = "Bénévole"};
            walk_in.days = {"2022-09-28"};
            walk_in.source = "walk-in";
            jean = create_attendee(store, walk_in);
            Attendee reprinted{.first_name = "Léa", .last_name = "Roux", .category = "Participant"};
            reprinted.days = {"2022-09-28", "2022-09-29"};
            reprinted.badge_version = 3;
            lea = create_attendee(store, reprinted);
            paul = add("Paul", "Simon", "", {"2022-09-29"});
            anne = add("Anne", "Hélie", "Participant", {"2022-09-28"});
            hugo = add("Hugo", "Blanc", "Presse", {"2022-09-28"});
            ines = add("Inès", "Garcia", "Participant", {"2022-09-28"});
            tx.commit();
        }
        for (const char* name : {"Accueil 1", "Accueil 2", "Accueil 3"})
            sync::enrol_device(store, name);
        sync::enrol_device(store, "Bureau", sync::Role::Desk);

        scan("Accueil 1", helene, "2022-09-27T10:05");
        scan("Accueil 1", zoe, "2022-09-27T23:50");
        scan("Accueil 2", helene, "2022-09-28T00:10"); // 22:10 UTC on the 27th: the local day is the 28th
        scan("Accueil 1", marc, "2022-09-28T09:05");
        REQUIRE(undo_checkins(store, marc.id, "2022-09-28") == 1);
        scan("Accueil 2", marc, "2022-09-28T09:40");
        scan("Accueil 1", jean, "2022-09-28T09:10");
        scan("Accueil 1", lea, "2022-09-28T09:20");
        scan("Accueil 1", ines, "2022-09-28T09:25");
        scan("Organisateurs", hugo, "2022-09-28T10:50");
        { // Accueil 2 was offline and admitted Léa again: the merge keeps both scans.
            WriteTransaction tx(store.db());
            store.append(EventKind::CheckIn, lea.id,
                         {{"day", "2022-09-28"}, {"at", paris("2022-09-28T09:25")}, {"kiosk", "Accueil 2"}});
            tx.commit();
        }
        contact("Accueil 1", "2022-09-28T17:58", 0);
        contact("Accueil 2", "2022-09-28T17:50", 4);
        wall = paris("2022-09-28T12:00");
        REQUIRE(sync::revoke_device(store, "Accueil 3"));
    }
    void scan(const std::string& kiosk, const Attendee& a, const char* local) {
        store.set_kiosk_name(kiosk);
        REQUIRE(check_in(store, a.id, paris(local)).verdict == Verdict::Admitted);
    }
    void contact(const std::string& device, const char* local, std::int64_t pending) {
        wall = paris(local);
        WriteTransaction tx(store.db());
        sync::touch_device(store, device, pending);
        tx.commit();
    }
    Figures figures(const std::string& day = "") {
        FiguresOptions o;
        o.now_ms = now;
        o.day = day;
        return compute_figures(store, o);
    }
};

std::vector<std::string> names(const ExpectedList& list) {
    std::vector<std::string> out;
    for (const auto& p : list.people)
        out.push_back(p.first_name + " " + p.last_name);
    return out;
}

} // namespace

TEST_CASE_METHOD(FiguresFixture, "Figures of a known journal: totals and days") {
    const Figures f = figures();
    CHECK(f.event_name == "Numérique en Commun[s]");
    CHECK(f.timezone == "Europe/Paris");
    CHECK(f.today == "2022-09-28");
    CHECK(f.day == "2022-09-28");
    CHECK(f.generated_ms == now);
    CHECK(f.attendees == 9);
    CHECK(f.walk_ins == 1);
    CHECK(f.reprints == 2);
    CHECK(f.undos == 1);
    CHECK(f.duplicates == 1);

    REQUIRE(f.days.size() == 3);
    const DayFigures& off = f.days[0];
    CHECK(off.date == "2022-09-27");
    CHECK(off.label == "OFF");
    CHECK(off.registered == 2); // Hélène, Zoé
    CHECK(off.arrived == 2);
    CHECK(off.walk_ins == 0);
    CHECK(off.duplicates == 0);
    CHECK(off.undos == 0);
    REQUIRE(off.no_show_rate);
    CHECK(*off.no_show_rate == Approx(0.0));

    const DayFigures& d28 = f.days[1];
    CHECK(d28.date == "2022-09-28");
    CHECK(d28.label == "");
    CHECK(d28.registered == 7); // Hélène, Marc, Jean, Léa, Anne, Hugo, Inès
    CHECK(d28.arrived == 6);    // all but Anne
    CHECK(d28.walk_ins == 1);   // Jean
    CHECK(d28.duplicates == 1); // Léa's second scan
    CHECK(d28.undos == 1);      // Marc's first check-in
    REQUIRE(d28.no_show_rate);
    CHECK(*d28.no_show_rate == Approx(1.0 / 7.0));

    const DayFigures& d29 = f.days[2];
    CHECK(d29.registered == 3); // Hélène, Léa, Paul
    CHECK(d29.arrived == 0);
    CHECK_FALSE(d29.no_show_rate); // not begun
    CHECK(d29.quarter_hours.empty());
    CHECK_FALSE(d29.busiest);

    REQUIRE(f.selected_day() == &f.days[1]);
    CHECK(figures("2022-10-01").selected_day() == nullptr);
}

TEST_CASE_METHOD(FiguresFixture, "Quarter-hours are local, gaps included, across midnight") {
    const Figures f = figures();
    const DayFigures& off = f.days[0];
    // 10:00 to 23:45 on the 27th: 56 quarter-hours, arrivals in the first and the last.
    REQUIRE(off.quarter_hours.size() == 56);
    CHECK(off.quarter_hours.front().label == "10:00");
    CHECK(off.quarter_hours.front().arrivals == 1);
    CHECK(off.quarter_hours.front().start_ms == paris("2022-09-27T10:00"));
    CHECK(off.quarter_hours.back().label == "23:45");
    CHECK(off.quarter_hours.back().arrivals == 1);
    CHECK(off.quarter_hours[1].arrivals == 0);
    REQUIRE(off.busiest);
    CHECK(off.busiest->label == "10:00"); // a tie: the earliest

    const DayFigures& d28 = f.days[1];
    // 00:00 (Hélène, 22:10 UTC the day before) to 10:45 (Hugo): 44 quarter-hours.
    REQUIRE(d28.quarter_hours.size() == 44);
    CHECK(d28.quarter_hours.front().label == "00:00");
    CHECK(d28.quarter_hours.front().start_ms == paris("2022-09-28T00:00"));
    CHECK(d28.quarter_hours.front().start_ms == 1664316000000); // 2022-09-27T22:00Z
    CHECK(d28.quarter_hours.front().arrivals == 1);
    std::map<std::string, std::int64_t> non_empty;
    std::int64_t total = 0;
    for (const auto& q : d28.quarter_hours) {
        total += q.arrivals;
        if (q.arrivals)
            non_empty[q.label] = q.arrivals;
    }
    CHECK(total == 6);
    CHECK(non_empty == std::map<std::string, std::int64_t>{
                           {"00:00", 1}, {"09:00", 1}, {"09:15", 2}, {"09:30", 1}, {"10:45", 1}});
    REQUIRE(d28.busiest);
    CHECK(d28.busiest->label == "09:15"); // Léa 09:20, Inès 09:25
    CHECK(d28.busiest->arrivals == 2);
    CHECK(d28.busiest->start_ms == paris("2022-09-28T09:15"));
}

TEST_CASE_METHOD(FiguresFixture, "Categories, largest first, per day") {
    const Figures f = figures();
    REQUIRE(f.categories.size() == 5);
    std::vector<std::string> order;
    for (const auto& c : f.categories)
        order.push_back(c.category);
    CHECK(order == std::vector<std::string>{"Participant", "", "Bénévole", "Intervenant", "Presse"});
    const CategoryFigures& p = f.categories[0];
    CHECK(p.registered == 5); // Hélène, Zoé, Léa, Anne, Inès
    REQUIRE(p.days.size() == 3);
    CHECK(p.days[0].date == "2022-09-27");
    CHECK(p.days[0].registered == 2);
    CHECK(p.days[0].arrived == 2);
    CHECK(p.days[1].registered == 4);
    CHECK(p.days[1].arrived == 3);
    CHECK(p.days[2].registered == 2);
    CHECK(p.days[2].arrived == 0);
    const CategoryFigures& none = f.categories[1];
    CHECK(none.registered == 1);
    CHECK(none.days[2].registered == 1);
    CHECK(none.days[2].arrived == 0);
    for (std::size_t i = 2; i < 5; ++i) {
        CHECK(f.categories[i].registered == 1);
        CHECK(f.categories[i].days[1].registered == 1);
        CHECK(f.categories[i].days[1].arrived == 1);
    }
}

TEST_CASE_METHOD(FiguresFixture, "Devices: arrivals by kiosk, contact, offline, revoked") {
    const Figures f = figures();
    REQUIRE(f.devices.size() == 5);
    const DeviceFigures &a1 = f.devices[0], &a2 = f.devices[1], &a3 = f.devices[2], &desk = f.devices[3],
                        &org = f.devices[4];
    CHECK(a1.name == "Accueil 1");
    CHECK(a1.role == "kiosk");
    CHECK(a1.arrivals_total == 5); // Hélène and Zoé on the 27th; Jean, Léa, Inès (Marc's was undone)
    CHECK(a1.arrivals_on_day == 3);
    CHECK(a1.last_contact_ms == paris("2022-09-28T17:58"));
    CHECK(a1.pending == 0);
    CHECK_FALSE(a1.offline);
    CHECK_FALSE(a1.offline_since_ms);
    CHECK_FALSE(a1.revoked);

    CHECK(a2.name == "Accueil 2");
    CHECK(a2.arrivals_total == 2); // Hélène at 00:10, Marc at 09:40; Léa's was a second scan
    CHECK(a2.arrivals_on_day == 2);
    CHECK(a2.pending == 4);
    CHECK(a2.offline);
    CHECK(a2.offline_since_ms == paris("2022-09-28T17:50"));

    CHECK(a3.name == "Accueil 3");
    CHECK(a3.revoked);
    CHECK_FALSE(a3.offline);
    CHECK(a3.arrivals_total == 0);

    CHECK(desk.name == "Bureau");
    CHECK(desk.role == "desk");
    CHECK(desk.offline);
    CHECK_FALSE(desk.last_contact_ms);
    CHECK(desk.offline_since_ms == paris("2022-09-28T08:00")); // its enrolment

    CHECK(org.name == "Organisateurs");
    CHECK(org.role == "central");
    CHECK(org.arrivals_total == 1);
    CHECK(org.arrivals_on_day == 1);
    CHECK_FALSE(org.last_contact_ms);
    CHECK_FALSE(org.offline);

    // Another day shown: the totals stay, the day's arrivals follow it.
    const Figures off = figures("2022-09-27");
    CHECK(off.day == "2022-09-27");
    CHECK(off.devices[0].arrivals_on_day == 2);
    CHECK(off.devices[0].arrivals_total == 5);
    CHECK(off.devices[1].arrivals_on_day == 0);
}

TEST_CASE_METHOD(FiguresFixture, "Expected and not arrived, with and without a folded query") {
    auto e = expected_not_arrived(store, "2022-09-28", "", 50);
    CHECK(e.total == 1);
    CHECK(names(e) == std::vector<std::string>{"Anne Hélie"});
    CHECK(e.people[0].id == anne.id);
    CHECK(e.people[0].category == "Participant");
    CHECK(e.people[0].organisation == "Mairie de Lyon");

    e = expected_not_arrived(store, "2022-09-29", "", 50);
    CHECK(e.total == 3);
    CHECK(names(e) == std::vector<std::string>{"Hélène Dubois", "Léa Roux", "Paul Simon"});
    e = expected_not_arrived(store, "2022-09-29", "", 2);
    CHECK(e.total == 3);
    CHECK(names(e) == std::vector<std::string>{"Hélène Dubois", "Léa Roux"});
    e = expected_not_arrived(store, "2022-09-29", "", 0); // only how many
    CHECK(e.total == 3);
    CHECK(e.people.empty());
    e = expected_not_arrived(store, "2022-09-29", "simon", 0);
    CHECK(e.total == 1);
    CHECK(e.people.empty());

    e = expected_not_arrived(store, "2022-09-29", "helene", 50);
    CHECK(e.total == 1);
    CHECK(names(e) == std::vector<std::string>{"Hélène Dubois"});
    e = expected_not_arrived(store, "2022-09-28", "helene", 50); // she has arrived
    CHECK(e.total == 0);
    CHECK(e.people.empty());
    e = expected_not_arrived(store, "2022-09-28", "HELI", 50); // a prefix, any case
    CHECK(names(e) == std::vector<std::string>{"Anne Hélie"});
    e = expected_not_arrived(store, "2022-09-29", "mairie", 50); // organisation
    CHECK(names(e) == std::vector<std::string>{"Hélène Dubois", "Paul Simon"});
    e = expected_not_arrived(store, "2022-09-29", "\"*) OR", 50); // search syntax is only text
    CHECK(e.total == 0);
}

TEST_CASE_METHOD(FiguresFixture, "Bad days are refused with a clear message and nothing written") {
    const auto journal = store.db().execAndGet("SELECT count(*) FROM journal").getInt64();
    FiguresOptions o;
    o.now_ms = now;
    o.day = "28/09/2022";
    CHECK_THROWS_WITH(compute_figures(store, o),
                      Catch::Contains("28/09/2022") && Catch::Contains("YYYY-MM-DD"));
    CHECK_THROWS_AS(expected_not_arrived(store, "2022-02-30", "", 10), InputError);
    CHECK(store.db().execAndGet("SELECT count(*) FROM journal").getInt64() == journal);
    CHECK_FALSE(in_transaction(store.db()));
    CHECK(busy_statements(store.db()).empty());
}

TEST_CASE_METHOD(FiguresFixture, "JSON as served: field names, nulls for absent values") {
    const auto j = to_json(figures());
    for (const char* key : {"event_name", "timezone", "today", "day", "generated_ms", "attendees", "walk_ins",
                            "reprints", "undos", "duplicates", "days", "categories", "devices"})
        CHECK(j.contains(key));
    CHECK(j["attendees"] == 9);
    CHECK(j["days"][1]["date"] == "2022-09-28");
    CHECK(j["days"][1]["arrived"] == 6);
    CHECK(j["days"][1]["busiest"]["label"] == "09:15");
    CHECK(j["days"][1]["busiest"]["arrivals"] == 2);
    CHECK(j["days"][1]["quarter_hours"][0]["start_ms"] == 1664316000000);
    CHECK(j["days"][1]["no_show_rate"].get<double>() == Approx(1.0 / 7.0));
    CHECK(j["days"][2]["no_show_rate"].is_null());
    CHECK(j["days"][2]["busiest"].is_null());
    CHECK(j["categories"][0]["category"] == "Participant");
    CHECK(j["categories"][0]["days"][1] ==
          nlohmann::json{{"date", "2022-09-28"}, {"registered", 4}, {"arrived", 3}});
    CHECK(j["devices"][1]["offline"] == true);
    CHECK(j["devices"][1]["offline_since_ms"] == paris("2022-09-28T17:50"));
    CHECK(j["devices"][0]["offline_since_ms"].is_null());
    CHECK(j["devices"][3]["last_contact_ms"].is_null());
    CHECK(j["devices"][4]["role"] == "central");

    const auto e = to_json(expected_not_arrived(store, "2022-09-28", "", 10));
    CHECK(e["total"] == 1);
    CHECK(e["people"][0] == nlohmann::json{{"id", anne.id},
                                           {"first_name", "Anne"},
                                           {"last_name", "Hélie"},
                                           {"organisation", "Mairie de Lyon"},
                                           {"category", "Participant"}});
}

TEST_CASE_METHOD(FiguresFixture, "A kiosk's store gives only its own picture") {
    Store kiosk = sync::create_joining_store(dir.file("kiosk.db"));
    test::trust(kiosk, store, sync::Role::Central);
    std::vector<JournalEvent> roster; // the event and the people, as a first pull brings them
    for (auto& e : read_journal(store.db()))
        if (e.kind == EventKind::EventDefined || e.kind == EventKind::AttendeeCreated)
            roster.push_back(e);
    REQUIRE(test::merge_in(kiosk, roster).ok());
    kiosk.reload_event();
    kiosk.set_kiosk_name("Accueil 9");
    REQUIRE(check_in(kiosk, anne.id, paris("2022-09-28T11:00")).verdict == Verdict::Admitted);

    FiguresOptions o;
    o.now_ms = now;
    const Figures f = compute_figures(kiosk, o);
    CHECK(f.attendees == 9);
    REQUIRE(f.days.size() == 3);
    CHECK(f.days[0].arrived == 0);
    CHECK(f.days[1].registered == 7);
    CHECK(f.days[1].arrived == 1);
    CHECK(f.duplicates == 0);
    CHECK(f.undos == 0);
    REQUIRE(f.devices.size() == 1);
    CHECK(f.devices[0].name == "Accueil 9");
    CHECK(f.devices[0].arrivals_total == 1);
    CHECK_FALSE(f.devices[0].offline);
    CHECK(expected_not_arrived(kiosk, "2022-09-28", "", 50).total == 6);
}

TEST_CASE_METHOD(FiguresFixture, "A check-in stamped far from its day counts but stays off the chart") {
    {
        WriteTransaction tx(store.db());
        store.append(EventKind::CheckIn, anne.id, {{"day", "2022-09-28"}, {"at", 0}, {"kiosk", "Accueil 1"}});
        tx.commit();
    }
    const Figures f = figures();
    CHECK(f.days[1].arrived == 7);
    CHECK(f.days[1].quarter_hours.size() == 44); // still 00:00 to 10:45
    CHECK(f.days[1].quarter_hours.front().label == "00:00");
    CHECK(f.days[1].busiest->label == "09:15");
    CHECK(f.devices[0].arrivals_on_day == 4);
}

namespace {
// The figures' summary tables (schema 8) as text, in a stable order.
std::string summary_dump(Store& s) {
    return test::dump_queries(s.db(),
                              {"SELECT day, events, undone FROM checkin_counts ORDER BY day",
                               "SELECT day, quarter, kiosk, known, category_key, walk_in, arrivals FROM "
                               "arrival_counts ORDER BY 1, 2, 3, 4, 5, 6",
                               "SELECT category_key, category, days, walk_in, people, reprints FROM "
                               "roster_counts ORDER BY 1, 2, 3, 4"});
}

// The same tables counted from scratch (as the migration and rebuilds fill them), then put back.
std::string summary_from_scratch(Store& s) {
    SQLite::Transaction tx(s.db());
    fill_summary_tables(s.db());
    return summary_dump(s); // rolled back when tx goes
}
} // namespace

TEST_CASE("The summary tables equal a count from scratch, whatever the delivery order") {
    test::TempDir dir;
    std::int64_t wall = paris("2022-09-27T08:00");
    Store src = Store::create(dir.file("src.db"), test::demo_spec(), [&] { return wall; });
    std::mt19937 rng(8);
    const char* categories[] = {"Participant", "participant", "Intervenant", "Presse", ""};
    const std::vector<std::vector<std::string>> day_lists = {
        {}, {"2022-09-27"}, {"2022-09-28"}, {"2022-09-28", "2022-09-29"}};
    std::vector<Attendee> people;
    {
        WriteTransaction tx(src.db());
        for (int i = 0; i < 24; ++i) {
            Attendee a{
                .first_name = "P" + std::to_string(i), .last_name = "N", .category = categories[rng() % 5]};
            a.days = day_lists[rng() % day_lists.size()];
            if (rng() % 4 == 0)
                a.source = "walk-in";
            people.push_back(create_attendee(src, a));
        }
        tx.commit();
    }
    const std::vector<std::string> days = {"2022-09-27", "2022-09-28", "2022-09-29"};
    src.set_kiosk_name("Accueil 1");
    for (int step = 0; step < 400; ++step) {
        Attendee& a = people[rng() % people.size()];
        const std::size_t d = rng() % 3;
        const std::int64_t at = paris((days[d] + "T08:00").c_str()) + std::int64_t(rng() % (6 * 3600)) * 1000;
        const int op = int(rng() % 10);
        src.set_kiosk_name("Accueil " + std::to_string(1 + rng() % 3));
        if (op < 5) {
            check_in(src, a.id, at); // a first arrival, or a duplicate
        } else if (op == 5) {
            undo_checkins(src, a.id, days[d]);
        } else if (op == 6) {
            // Two check-ins, then only the first undone: the day's arrival moves to the second.
            WriteTransaction tx(src.db());
            const auto first =
                src.append(EventKind::CheckIn, a.id, {{"day", days[d]}, {"at", at}, {"kiosk", "Accueil 2"}});
            src.append(EventKind::CheckIn, a.id,
                       {{"day", days[d]}, {"at", at + 3600'000}, {"kiosk", "Accueil 3"}});
            src.append(EventKind::CheckInUndone, a.id,
                       {{"origin", to_hex(src.origin())}, {"seq", first.seq}});
            tx.commit();
        } else {
            Attendee b = a;
            if (op == 7)
                b.category = categories[rng() % 5];
            else if (op == 8)
                b.source = b.source == "walk-in" ? "" : "walk-in";
            else {
                b.days = day_lists[rng() % day_lists.size()];
                b.badge_version += 1; // a reprint
            }
            WriteTransaction tx(src.db());
            update_attendee(src, a, b);
            tx.commit();
            a = *load_attendee(src.db(), a.id);
        }
    }
    const std::string live = summary_dump(src);
    CHECK(live == summary_from_scratch(src));
    REQUIRE(src.db().execAndGet("SELECT sum(undone) FROM checkin_counts").getInt() > 0);

    // Two stores receive the journal in two orders, in batches (the merge adds each batch up in memory).
    const auto journal = read_journal(src.db());
    for (int order = 0; order < 2; ++order) {
        Store target = sync::create_joining_store(dir.file("t" + std::to_string(order) + ".db"));
        test::trust(target, src, sync::Role::Central);
        std::vector<JournalEvent> delivery = journal;
        if (order == 1) {
            std::shuffle(delivery.begin(), delivery.end(), rng);
            std::stable_partition(delivery.begin(), delivery.end(),
                                  [](const JournalEvent& e) { return e.kind == EventKind::EventDefined; });
        }
        for (std::size_t pos = 0; pos < delivery.size();) {
            const std::size_t n = std::min<std::size_t>(1 + rng() % 30, delivery.size() - pos);
            REQUIRE(test::merge_in(target, {delivery.begin() + long(pos), delivery.begin() + long(pos + n)})
                        .ok());
            pos += n;
        }
        CHECK(summary_dump(target) == live);
        CHECK(summary_from_scratch(target) == live);
    }
    // And a rebuild counts the same.
    rebuild_projections(src.db());
    CHECK(summary_dump(src) == live);
}
