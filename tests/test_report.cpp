// The post-event report and the attendance export (issue 11): the real `accueil report` and
// `accueil export` on a store whose figures are known by construction; the CSV read back with the
// project's own reader; the report opened in headless chromium and looked at.
#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "event_calendar.hpp"
#include "import/csv_reader.hpp"
#include "report/csv_writer.hpp"
#include "report/report_html.hpp"
#include "report/report_tables.hpp"
#include "store.hpp"
#include "support/cdp_browser.hpp"
#include "support/child_process.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace accueil;
using accueil::test::run_bin;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
        ++n;
    return n;
}

std::int64_t paris(const char* local) {
    const auto t = parse_instant(local, "Europe/Paris");
    REQUIRE(t);
    return *t;
}

// Files in `dir` whose name holds ".part": a write that failed half-way would leave one.
std::vector<std::string> leftovers(const std::filesystem::path& dir) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().filename().string().find(".part") != std::string::npos)
            found.push_back(entry.path().string());
    return found;
}

// The CSV row whose first cell is `key`, as a vector of cells (empty when there is none).
std::vector<std::string> row_of(const CsvTable& t, const std::string& key) {
    for (const auto& r : t.rows)
        if (!r.fields.empty() && r.fields[0] == key)
            return r.fields;
    return {};
}

// A three-day event in Paris whose figures are known by construction:
//  27 (OFF): Jean registered (every day), nobody arrives          -> 1 registered, 0 arrived, 100 %
//  28: Léa, Jean, Zoé, Wally (walk-in), Nina registered; Nina does not come; Zoé's 09:14 check-in is
//      undone and she comes back at 10:02                          -> 5 registered, 4 arrived, 20 %
//      quarter-hours 09:00 (Jean 09:05, Léa 09:12, Wally 09:13) = 3 busiest, 10:00 (Zoé) = 1
//  29: Jean, Zoé, Paul registered; Jean comes at 08:59            -> 3 registered, 1 arrived, 66.7 %
//  devices: "Borne <Nord> & 'A'" Jean 28, Léa 28, Jean 29; "Accueil" Wally 28, Zoé 28.
//  Léa's badge reprinted once. Roster text carries HTML specials and spreadsheet formulas.
struct ReportFixture {
    test::TempDir dir;
    std::string db = dir.file("central.db");
    static constexpr const char* kBorne = "Borne <Nord> & 'A'";
    static constexpr const char* kEvent = "Numérique <en> Commun[s] & \"Co\"";

    ReportFixture() {
        Store s = Store::create(
            db, EventSpec{
                    kEvent, "Europe/Paris", {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}}});
        Attendee lea, jean, zoe, paul, wally, nina;
        {
            WriteTransaction tx(s.db());
            lea = create_attendee(s, {.first_name = "Léa",
                                      .last_name = "Dupré",
                                      .email = "lea@example.fr",
                                      .organisation = "Mairie de Lyon",
                                      .category = "Participant",
                                      .days = {"2022-09-28"}});
            jean = create_attendee(s, {.first_name = "Jean",
                                       .last_name = "<script>alert(1)</script>",
                                       .email = "jean@example.fr",
                                       .organisation = "A&B \"Co\"",
                                       .category = "Élus & <Partenaires>"});
            zoe = create_attendee(s, {.first_name = "Zoé",
                                      .last_name = "=cmd|' /C calc'!A0",
                                      .email = "zoe@example.fr",
                                      .organisation = "Emmaüs; Connect",
                                      .category = "Participant",
                                      .days = {"2022-09-28", "2022-09-29"}});
            paul = create_attendee(s, {.first_name = "Paul",
                                       .last_name = "Martin",
                                       .organisation = "@SUM(1+1)",
                                       .category = "Participant",
                                       .days = {"2022-09-29"}});
            wally = create_attendee(s, {.first_name = "Wally",
                                        .last_name = "Walker",
                                        .category = "Sur place",
                                        .days = {"2022-09-28"},
                                        .source = "walk-in"});
            nina = create_attendee(
                s,
                {.first_name = "Nina", .last_name = "Absente", .category = "-VIP", .days = {"2022-09-28"}});
            Attendee reprinted = lea;
            reprinted.badge_version = 2;
            update_attendee(s, lea, reprinted);
            tx.commit();
        }
        s.set_kiosk_name(kBorne);
        REQUIRE(check_in_attendee(s, jean, paris("2022-09-28T09:05")).verdict == Verdict::Admitted);
        REQUIRE(check_in_attendee(s, lea, paris("2022-09-28T09:12")).verdict == Verdict::Admitted);
        REQUIRE(check_in_attendee(s, jean, paris("2022-09-29T08:59")).verdict == Verdict::Admitted);
        s.set_kiosk_name("Accueil");
        REQUIRE(check_in_attendee(s, wally, paris("2022-09-28T09:13")).verdict == Verdict::Admitted);
        REQUIRE(check_in_attendee(s, zoe, paris("2022-09-28T09:14")).verdict == Verdict::Admitted);
        REQUIRE(undo_checkins(s, zoe.id, "2022-09-28") == 1);
        REQUIRE(check_in_attendee(s, zoe, paris("2022-09-28T10:02")).verdict == Verdict::Admitted);
    }

    std::int64_t journal_events() {
        Store s = Store::open(db);
        return s.db().execAndGet("SELECT count(*) FROM journal").getInt64();
    }
};

} // namespace

TEST_CASE("CSV cells are quoted per RFC 4180 and roster text cannot become a formula") {
    report::CsvWriter plain(report::csv_style(false));
    plain.text("a,b").text("say \"hi\"").text("two\nlines").text("=1+1").text("+33 6").text("-x").text("@A1");
    plain.text("\tTab").text("\rCR").plain("-5").integer(-5).decimal(12.345, 1);
    plain.end_row();
    CHECK(plain.str() ==
          "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=1+1,'+33 6,'-x,'@A1,'\tTab,\"'\rCR\",-5,-5,12.3\r\n");

    report::CsvWriter excel(report::csv_style(true));
    excel.text("a,b").text("a;b").decimal(0.5, 1);
    excel.end_row();
    CHECK(excel.str() == "\xEF\xBB\xBF"
                         "a,b;\"a;b\";0,5\r\n");
}

TEST_CASE("HTML escaping and numbers as each language writes them") {
    CHECK(report::escape_html("<a href=\"x\">O'Neil & co</a>") ==
          "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;");
    CHECK(report::format_count(1234567, report::Lang::En) == "1,234,567");
    CHECK(report::format_count(1234567, report::Lang::Fr) == "1\u202F234\u202F567");
    CHECK(report::format_count(12, report::Lang::Fr) == "12");
    CHECK(report::format_percent(66.666, report::Lang::Fr) == "66,7\u202F%");
    CHECK(report::format_percent(66.666, report::Lang::En) == "66.7%");
    CHECK(report::format_long_date("2022-09-28", report::Lang::Fr) == "mercredi 28 septembre 2022");
    CHECK(report::format_long_date("2022-10-01", report::Lang::Fr) == "samedi 1er octobre 2022");
    CHECK(report::format_long_date("2022-09-28", report::Lang::En) == "Wednesday 28 September 2022");
    CHECK(report::format_long_date("not a date", report::Lang::En) == "not a date");
}

TEST_CASE_METHOD(ReportFixture,
                 "The report of a known store has its numbers, its charts and escaped roster text") {
    const auto before = journal_events();
    const auto out = dir.file("bilan.html");
    auto r = run_bin("accueil", "report --db " + db + " --out " + out + " --at 2022-09-30T12:00");
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("bilan.html"));
    const auto html = test::slurp(out);
    REQUIRE_FALSE(html.empty());

    // Self-contained: nothing fetched, no script.
    CHECK(count_of(html, "<script") == 0);
    CHECK(count_of(html, "src=") == 0);
    CHECK(count_of(html, "<link") == 0);
    CHECK(count_of(html, "url(") == 0);
    CHECK_THAT(html, Catch::Contains("@page { size: A4") && Catch::Contains("@media print"));

    // Every roster text escaped: no raw angle bracket, quote or ampersand of theirs survives.
    CHECK_THAT(html, Catch::Contains("<html lang=\"fr\">"));
    CHECK_THAT(html, Catch::Contains("Numérique &lt;en&gt; Commun[s] &amp; &quot;Co&quot;"));
    CHECK_THAT(html, Catch::Contains("Élus &amp; &lt;Partenaires&gt;"));
    CHECK_THAT(html, Catch::Contains("Borne &lt;Nord&gt; &amp; &#39;A&#39;"));
    for (const char* raw : {"<Nord>", "<Partenaires>", "<en>", "alert(1)", "& \"Co\"", "'A'"})
        CHECK(count_of(html, raw) == 0);

    // One chart per view: per day, per category, a quarter-hour chart for each day with arrivals
    // (28 and 29; the OFF day had none and says so), per device.
    CHECK(count_of(html, "<svg") == 5);
    CHECK(count_of(html, "</svg>") == 5);
    CHECK_THAT(html, Catch::Contains("Aucune arrivée ce jour-là."));
    CHECK_THAT(html, Catch::Contains("Quart d'heure le plus chargé : 09:00–09:15, 3 arrivées."));
    CHECK_THAT(html, Catch::Contains("Quart d'heure le plus chargé : 08:45–09:00, 1 arrivée."));
    CHECK_THAT(html, Catch::Contains("mercredi 28 septembre 2022"));
    CHECK_THAT(html, Catch::Contains("Du mardi 27 septembre 2022 au jeudi 29 septembre 2022"));

    // The per-day table: date, label, registered, arrived, no-shows, rate, walk-ins, duplicates, undos.
    const std::string n = "<td class=\"num\">";
    CHECK_THAT(html, Catch::Contains("<td class=\"nowrap\">2022-09-27</td><td>OFF</td>" + n + "1</td>" + n +
                                     "0</td>" + n + "1</td>" + n + "100,0\u202F%</td>" + n + "0</td>" + n +
                                     "0</td>" + n + "0</td>"));
    CHECK_THAT(html, Catch::Contains("<td class=\"nowrap\">2022-09-28</td><td></td>" + n + "5</td>" + n +
                                     "4</td>" + n + "1</td>" + n + "20,0\u202F%</td>" + n + "1</td>" + n +
                                     "0</td>" + n + "1</td><td class=\"nowrap\">09:00</td>" + n + "3</td>"));
    CHECK_THAT(html, Catch::Contains("<td class=\"nowrap\">2022-09-29</td><td></td>" + n + "3</td>" + n +
                                     "1</td>" + n + "2</td>" + n + "66,7\u202F%</td>"));
    // Key figures: 6 people, 9 registered person-days, 5 attended (4 absent: 44.4 %), 1 walk-in, 1
    // reprint, 1 undo, no duplicate.
    CHECK_THAT(html, Catch::Contains("<dt>Personnes inscrites</dt><dd>6</dd>"));
    CHECK_THAT(html, Catch::Contains("<dt>Journées inscrites</dt><dd>9</dd>"));
    CHECK_THAT(html, Catch::Contains("<dt>Présences</dt><dd>5</dd>"));
    CHECK_THAT(html, Catch::Contains("<dt>Taux d'absence</dt><dd>44,4\u202F%</dd>"));
    CHECK_THAT(html, Catch::Contains("<dt>Inscrits sur place</dt><dd>1</dd>"));
    CHECK_THAT(html, Catch::Contains("<dt>Badges réimprimés</dt><dd>1</dd>"));
    CHECK_THAT(html, Catch::Contains("<dt>Entrées annulées</dt><dd>1</dd>"));
    CHECK_THAT(html, Catch::Contains("<dt>Doublons (badge scanné deux fois)</dt><dd>0</dd>"));

    // In English on request.
    const auto out_en = dir.file("report.html");
    r = run_bin("accueil", "report --db " + db + " --out " + out_en + " --lang en --at 2022-09-30T12:00");
    REQUIRE(r.exit_code == 0);
    const auto en = test::slurp(out_en);
    CHECK_THAT(en, Catch::Contains("<html lang=\"en\">") && Catch::Contains("Attendance report"));
    CHECK_THAT(en, Catch::Contains("Busiest quarter-hour: 09:00–09:15, 3 arrivals."));
    CHECK_THAT(en, Catch::Contains("66.7%"));
    CHECK(count_of(en, "<svg") == 5);

    CHECK(journal_events() == before); // a report never writes to the store
    CHECK(leftovers(dir.path()).empty());
}

TEST_CASE_METHOD(ReportFixture, "The report's CSV tables read back with the project's own reader") {
    const auto csv_dir = dir.path() / "csv";
    std::filesystem::create_directory(csv_dir);
    auto r = run_bin("accueil", "report --db " + db + " --out " + dir.file("bilan.html") + " --csv " +
                                    csv_dir.string() + " --at 2022-09-30T12:00");
    REQUIRE(r.exit_code == 0);
    for (const char* name : {"days.csv", "categories.csv", "quarter_hours.csv", "devices.csv"})
        REQUIRE(std::filesystem::exists(csv_dir / name));

    const auto read = [&](const char* name, char delimiter) {
        return read_csv(test::slurp((csv_dir / name).string()), name, delimiter);
    };
    auto days = read("days.csv", ',');
    CHECK(days.header.fields[0] == "Jour");
    REQUIRE(days.rows.size() == 3);
    CHECK(row_of(days, "2022-09-27") ==
          std::vector<std::string>{"2022-09-27", "OFF", "1", "0", "1", "100.0", "0", "0", "0", "", ""});
    CHECK(row_of(days, "2022-09-28") ==
          std::vector<std::string>{"2022-09-28", "", "5", "4", "1", "20.0", "1", "0", "1", "09:00", "3"});
    CHECK(row_of(days, "2022-09-29") ==
          std::vector<std::string>{"2022-09-29", "", "3", "1", "2", "66.7", "0", "0", "0", "08:45", "1"});

    auto categories = read("categories.csv", ',');
    CHECK(categories.header.fields.size() == 2 + 2 * 3);
    CHECK(categories.header.fields[2] == "2022-09-27 inscrits");
    // Participant: Léa (28), Zoé (28, 29), Paul (29); Léa and Zoé came on the 28th, nobody on the 29th.
    CHECK(row_of(categories, "Participant") ==
          std::vector<std::string>{"Participant", "3", "0", "0", "2", "2", "2", "0"});
    CHECK(row_of(categories, "Élus & <Partenaires>") ==
          std::vector<std::string>{"Élus & <Partenaires>", "1", "1", "0", "1", "1", "1", "1"});
    // A category that would be a formula in a spreadsheet keeps a leading apostrophe.
    CHECK(row_of(categories, "'-VIP") ==
          std::vector<std::string>{"'-VIP", "1", "0", "0", "1", "0", "0", "0"});

    // One row per quarter-hour, one column per day.
    auto quarters = read("quarter_hours.csv", ',');
    CHECK(quarters.header.fields ==
          std::vector<std::string>{"Quart d'heure (heure locale)", "2022-09-27", "2022-09-28", "2022-09-29"});
    std::vector<std::string> flat;
    for (const auto& row : quarters.rows)
        flat.push_back(row.fields[0] + " " + row.fields[1] + " " + row.fields[2] + " " + row.fields[3]);
    CHECK(flat == std::vector<std::string>{"08:45 0 0 1", "09:00 0 3 0", "09:15 0 0 0", "09:30 0 0 0",
                                           "09:45 0 0 0", "10:00 0 1 0"});

    auto devices = read("devices.csv", ',');
    CHECK(devices.header.fields ==
          std::vector<std::string>{"Appareil", "Rôle", "2022-09-27", "2022-09-28", "2022-09-29", "Total"});
    const auto borne = row_of(devices, kBorne);
    REQUIRE(borne.size() == 6);
    CHECK(std::vector<std::string>(borne.begin() + 2, borne.end()) ==
          std::vector<std::string>{"0", "2", "1", "3"});
    const auto desk = row_of(devices, "Accueil");
    REQUIRE(desk.size() == 6);
    CHECK(std::vector<std::string>(desk.begin() + 2, desk.end()) ==
          std::vector<std::string>{"0", "2", "0", "2"});

    // For Excel in French: a BOM, ';' and decimal commas; the reader finds the same cells.
    r = run_bin("accueil", "report --db " + db + " --out " + dir.file("bilan.html") + " --csv " +
                               csv_dir.string() + " --excel-fr --at 2022-09-30T12:00");
    REQUIRE(r.exit_code == 0);
    const auto raw = test::slurp((csv_dir / "days.csv").string());
    CHECK(raw.rfind("\xEF\xBB\xBFJour;", 0) == 0);
    CHECK_THAT(raw, Catch::Contains(";66,7;"));
    days = read("days.csv", 0);
    CHECK(days.delimiter == ';');
    CHECK(row_of(days, "2022-09-29") ==
          std::vector<std::string>{"2022-09-29", "", "3", "1", "2", "66,7", "0", "0", "0", "08:45", "1"});
    CHECK(row_of(read("categories.csv", ';'), "'-VIP").size() == 8);
    CHECK(leftovers(csv_dir).empty());
}

TEST_CASE_METHOD(ReportFixture, "The attendance export lists who arrived when and where") {
    const auto before = journal_events();
    const auto out = dir.file("presences.csv");
    auto r = run_bin("accueil", "export --db " + db + " --out " + out);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("5 arrivals"));
    auto t = read_csv(test::slurp(out), "presences.csv", ',');
    CHECK(t.header.fields == std::vector<std::string>{"Nom", "Prénom", "E-mail", "Organisation", "Catégorie",
                                                      "Jour", "Heure d'arrivée", "Appareil"});
    REQUIRE(t.rows.size() == 5);
    // By day, then time; Zoé's undone 09:14 check-in is not an arrival, her 10:02 one is.
    std::vector<std::string> order;
    for (const auto& row : t.rows)
        order.push_back(row.fields[5] + " " + row.fields[6] + " " + row.fields[1]);
    CHECK(order == std::vector<std::string>{"2022-09-28 09:05 Jean", "2022-09-28 09:12 Léa",
                                            "2022-09-28 09:13 Wally", "2022-09-28 10:02 Zoé",
                                            "2022-09-29 08:59 Jean"});
    CHECK(t.rows[0].fields == std::vector<std::string>{"<script>alert(1)</script>", "Jean", "jean@example.fr",
                                                       "A&B \"Co\"", "Élus & <Partenaires>", "2022-09-28",
                                                       "09:05", kBorne});
    CHECK(t.rows[3].fields[0] == "'=cmd|' /C calc'!A0"); // a formula neutralised
    CHECK(t.rows[3].fields[3] == "Emmaüs; Connect");
    CHECK(t.rows[3].fields[7] == "Accueil");

    // One day only, for Excel in French.
    r = run_bin("accueil", "export --db " + db + " --out " + out + " --day 2022-09-29 --excel-fr --lang en");
    REQUIRE(r.exit_code == 0);
    const auto raw = test::slurp(out);
    CHECK(raw.rfind("\xEF\xBB\xBFLast name;First name;", 0) == 0);
    t = read_csv(raw, "presences.csv", 0);
    CHECK(t.delimiter == ';');
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].fields[1] == "Jean");
    CHECK(t.rows[0].fields[6] == "08:59");

    // A day nobody came: the header alone.
    r = run_bin("accueil", "export --db " + db + " --out " + out + " --day 2022-09-27");
    REQUIRE(r.exit_code == 0);
    CHECK(read_csv(test::slurp(out), "presences.csv", ',').rows.empty());
    CHECK(journal_events() == before);
    CHECK(leftovers(dir.path()).empty());
}

TEST_CASE_METHOD(ReportFixture, "Bad destinations and days are clear errors that leave no file behind") {
    const auto before = journal_events();
    const auto out = dir.file("presences.csv");

    auto r = run_bin("accueil", "export --db " + db + " --out " + out + " --day 2022-09-30");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("not a day of the event") &&
                             Catch::Contains("2022-09-27, 2022-09-28, 2022-09-29"));
    r = run_bin("accueil", "export --db " + db + " --out " + out + " --day 28/09");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("2022-09-27, 2022-09-28, 2022-09-29"));
    CHECK_FALSE(std::filesystem::exists(out));

    r = run_bin("accueil", "export --db " + db + " --out " + dir.file("missing/presences.csv"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("no such folder"));
    r = run_bin("accueil", "report --db " + db + " --out " + dir.file("missing/bilan.html"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("no such folder"));

    // An existing report stays as it was when a later run cannot write its CSV folder (a new folder is
    // made only inside an existing one: sync/cli/cmd_report.cpp).
    const auto bilan = dir.file("bilan.html");
    std::ofstream(bilan) << "the previous report";
    r = run_bin("accueil", "report --db " + db + " --out " + bilan + " --csv " + dir.file("nope/tables"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("nope") && Catch::Contains("no such folder"));
    CHECK(test::slurp(bilan) == "the previous report");

    // --out naming a folder: refused, the folder untouched, no temporary file left.
    std::filesystem::create_directory(dir.path() / "a-folder");
    r = run_bin("accueil", "report --db " + db + " --out " + dir.file("a-folder"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("a-folder") && Catch::Contains("cannot write"));
    CHECK(std::filesystem::is_directory(dir.path() / "a-folder"));

    r = run_bin("accueil", "report --db " + db + " --out " + bilan + " --lang de");
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::Contains("--lang"));
    r = run_bin("accueil", "report --db " + dir.file("no.db") + " --out " + dir.file("x.html"));
    CHECK(r.exit_code != 0);
    CHECK_FALSE(std::filesystem::exists(dir.file("x.html")));

    CHECK(test::slurp(bilan) == "the previous report");
    CHECK(leftovers(dir.path()).empty());
    CHECK(journal_events() == before);
}

TEST_CASE_METHOD(ReportFixture, "The report in headless chromium: no console errors and every chart drawn") {
    REQUIRE(std::filesystem::exists(test::kChromium));
    const auto out = dir.file("bilan.html");
    REQUIRE(run_bin("accueil", "report --db " + db + " --out " + out + " --at 2022-09-30T12:00").exit_code ==
            0);

    test::Browser browser(1000, 1400);
    browser.navigate("file://" + out);
    CHECK(browser.errors_text().empty());
    // Every chart is an svg with bars that the browser laid out with a size.
    const auto charts = browser.evaluate("Array.from(document.querySelectorAll('svg.chart')).map(s => ({"
                                         "bars: s.querySelectorAll('rect.bar').length,"
                                         "width: s.getBoundingClientRect().width,"
                                         "height: s.getBoundingClientRect().height}))");
    REQUIRE(charts.is_array());
    CHECK(charts.size() == 5);
    for (const auto& c : charts) {
        CHECK(c["bars"].get<int>() > 0);
        CHECK(c["width"].get<double>() > 300);
        CHECK(c["height"].get<double>() > 50);
    }
    // Busiest bars drawn in their own colour, one per day with arrivals.
    CHECK(browser.evaluate("document.querySelectorAll('rect.bar.busiest').length").get<int>() == 2);
    // The page fits its width (A4's 190 mm of text): no horizontal scroll, no table wider than its box.
    CHECK(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth").get<bool>());
    CHECK(browser
              .evaluate("Array.from(document.querySelectorAll('div.table'))"
                        ".every(d => d.scrollWidth <= d.clientWidth + 1)")
              .get<bool>());

    std::filesystem::create_directories("/tmp/web-shots");
    browser.screenshot("/tmp/web-shots/report.png", true);
    CHECK(std::filesystem::file_size("/tmp/web-shots/report.png") > 10'000);

    // Printed on A4 (186 mm between the margins, about 700 CSS px): nothing wider than the page.
    browser.call("Emulation.setEmulatedMedia", {{"media", "print"}});
    browser.set_viewport(700, 1000);
    CHECK(browser.evaluate("document.documentElement.scrollWidth <= 700").get<bool>());
    CHECK(browser
              .evaluate("Array.from(document.querySelectorAll('div.table'))"
                        ".every(d => d.scrollWidth <= d.clientWidth + 1)")
              .get<bool>());
    const auto pdf = browser.call("Page.printToPDF", {{"paperWidth", 8.27},
                                                      {"paperHeight", 11.69},
                                                      {"preferCSSPageSize", true},
                                                      {"printBackground", true}});
    const auto bytes = test::base64_decode(pdf.at("data").get<std::string>());
    CHECK(bytes.rfind("%PDF-", 0) == 0);
    std::ofstream("/tmp/web-shots/report.pdf", std::ios::binary) << bytes;
    CHECK(browser.errors_text().empty());
}
