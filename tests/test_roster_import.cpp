#include "attendee.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "demo_roster.hpp"
#include "errors.hpp"
#include "figures.hpp"
#include "i18n/catalogue.hpp"
#include "import/roster_import.hpp"
#include "search.hpp"
#include "store.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

using namespace accueil;

namespace {
// Files without a days column into the three-day demo event: everyone comes every day (--all-days).
ImportOptions every_day() {
    ImportOptions o;
    o.all_days = true;
    return o;
}

struct ImportFixture {
    test::TempDir dir;
    Store store = Store::create(dir.file("i.db"), test::demo_spec());
    // These tests read the English messages whatever the terminal's language; French is set where checked.
    ImportFixture() { i18n::set_process_lang(i18n::Lang::En); }

    ImportSummary import(const std::string& bytes, ImportOptions options = every_day()) {
        return import_roster_bytes(store, bytes, "inscrits.csv", options);
    }
    // Everything the store holds, to prove a refused file changed nothing.
    std::string snapshot() {
        std::string out;
        SQLite::Statement q(store.db(),
                            "SELECT hex(origin), seq, hlc, kind, entity, payload FROM journal ORDER BY 1, 2");
        while (q.executeStep())
            for (int i = 0; i < 6; ++i)
                out += q.getColumn(i).getString() + "|";
        out += std::to_string(store.db().execAndGet("SELECT count(*) FROM attendees").getInt());
        return out;
    }
    int count(const char* sql) { return store.db().execAndGet(sql).getInt(); }
};

const std::string kRoster = "Prénom;Nom;Adresse e-mail;Structure;Catégorie;Jours;Code\r\n"
                            "Léa;Dupré;lea@example.fr;Mairie de Lyon;Participant;28/09;T-001\r\n"
                            "Jean-Noël;N'Diaye;jn@example.fr;\"Emmaüs; Connect\";Intervenant;Tous;T-002\r\n"
                            "Églantine;Œuvray;eg@example.fr;;Bénévole;mercredi + jeudi 29 septembre;\r\n";
} // namespace

TEST_CASE_METHOD(ImportFixture, "A French spreadsheet export imports with days, categories and codes") {
    const auto s = import(kRoster);
    CHECK(s.created == 3);
    CHECK(s.updated == 0);
    CHECK(s.delimiter == ';');
    const auto lea = find_by_ext_code(store.db(), "T-001");
    REQUIRE(lea);
    CHECK(lea->first_name == "Léa");
    CHECK(lea->days == std::vector<std::string>{"2022-09-28"});
    CHECK(lea->source == "import");
    const auto jn = find_by_email(store.db(), "JN@example.fr");
    REQUIRE(jn);
    CHECK(jn->organisation == "Emmaüs; Connect");
    CHECK(jn->days.empty()); // "Tous": every day
    CHECK(jn->category_key == "intervenant");
    const auto eg = find_by_email(store.db(), "eg@example.fr");
    REQUIRE(eg);
    CHECK(eg->days == std::vector<std::string>{"2022-09-28", "2022-09-29"});
    CHECK(eg->category_key == "benevole");
}

TEST_CASE_METHOD(ImportFixture,
                 "Re-importing is idempotent and updates only what changed, through the journal") {
    import(kRoster);
    const int journal = count("SELECT count(*) FROM journal");
    const auto again = import(kRoster);
    CHECK(again.created == 0);
    CHECK(again.unchanged == 3);
    CHECK(count("SELECT count(*) FROM journal") == journal);

    std::string updated = kRoster;
    updated.replace(updated.find("Mairie de Lyon"), 14, "Métropole de Lyon");
    const auto s = import(updated);
    CHECK(s.updated == 1);
    CHECK(s.unchanged == 2);
    CHECK(count("SELECT count(*) FROM attendees") == 3);
    CHECK(count("SELECT count(*) FROM journal WHERE kind = 3") == 1);
    CHECK(find_by_ext_code(store.db(), "T-001")->organisation == "Métropole de Lyon");
}

TEST_CASE_METHOD(ImportFixture, "Attendees are matched by code first, then by e-mail") {
    import("Nom;Prénom;E-mail;Code\nDupré;Léa;lea@example.fr;\n");
    const auto s = import("Nom;Prénom;E-mail;Code\nDupré;Léa;LEA@example.fr;T-9\n");
    CHECK(s.updated == 1);
    CHECK(count("SELECT count(*) FROM attendees") == 1);
    CHECK(find_by_ext_code(store.db(), "T-9"));
    // A later file with the same code and a new e-mail updates the same person.
    CHECK(import("Nom;Prénom;E-mail;Code\nDupré;Léa;lea.dupre@example.org;T-9\n").updated == 1);
    CHECK(count("SELECT count(*) FROM attendees") == 1);
}

TEST_CASE_METHOD(ImportFixture, "Windows-1252 files from French Excel are read correctly") {
    const std::string cp1252 = "Pr\xe9nom;Nom;Courriel\r\nL\xe9"
                               "a;Dupr\xe9;lea@example.fr\r\n\x8c"
                               "dile;C\xe9lik;odile@example.fr\r\n";
    const auto s = import(cp1252);
    CHECK(s.created == 2);
    CHECK(s.encoding == "Windows-1252");
    CHECK(find_by_email(store.db(), "lea@example.fr")->last_name == "Dupré");
    CHECK(find_by_email(store.db(), "odile@example.fr")->first_name == "Œdile");
}

TEST_CASE_METHOD(ImportFixture, "A single full-name column, TSV, --map and BOM all work") {
    const auto s = import("\xEF\xBB\xBF"
                          "Nom complet\tMail\nLéa DUPRÉ\tlea@example.fr\n");
    CHECK(s.created == 1);
    CHECK(s.delimiter == '\t');
    const auto lea = find_by_email(store.db(), "lea@example.fr");
    CHECK(lea->first_name == "Léa");
    CHECK(lea->last_name == "DUPRÉ");
    ImportOptions mapped = every_day();
    mapped.mappings = {"Participant·e=full_name", "Qui paie=ignore"};
    const auto m = import("Participant·e,Qui paie,Mail\nZoé Martin,Mairie,zoe@example.fr\n", mapped);
    CHECK(m.created == 1);
    CHECK(find_by_email(store.db(), "zoe@example.fr")->last_name == "Martin");
}

TEST_CASE_METHOD(ImportFixture, "A code shared by several people (an order code) does not merge them") {
    const auto s = import("Prénom;Nom;E-mail;Order code\nLéa;Dupré;lea@example.fr;ORD1\n"
                          "Zoé;Dupré;zoe@example.fr;ORD1\n");
    CHECK(s.created == 2);
    REQUIRE(s.warnings.size() == 1);
    CHECK_THAT(s.warnings[0], Catch::StartsWith("inscrits.csv:3: code \"ORD1\" is also on line 2"));
    CHECK(count("SELECT count(*) FROM attendees") == 2);
}

TEST_CASE_METHOD(ImportFixture, "Dry run reports without changing anything") {
    const auto before = snapshot();
    ImportOptions dry;
    dry.dry_run = true;
    const auto s = import(kRoster, dry);
    CHECK(s.created == 3);
    CHECK(snapshot() == before);
}

TEST_CASE_METHOD(ImportFixture, "Rows without any name are skipped with their line") {
    const auto s = import("Prénom;Nom;E-mail\nLéa;Dupré;lea@example.fr\n;;orphan@example.fr\n");
    CHECK(s.created == 1);
    CHECK(s.skipped == 1);
    REQUIRE(s.warnings.size() == 1);
    CHECK(s.warnings[0] == "inscrits.csv:3: no name, row skipped");
}

TEST_CASE_METHOD(ImportFixture, "Malformed files are refused with their line and leave the store unchanged") {
    import(kRoster);
    const auto before = snapshot();
    using Case = std::pair<std::string, std::string>;
    const auto [bytes, message] = GENERATE(
        Case{"Prénom;Nom\nLéa;\"Dupré\nZoé;Martin\n", "inscrits.csv:2"},                 // unterminated quote
        Case{"Structure;E-mail\nMairie;a@example.fr\n", "inscrits.csv:1"},               // no name column
        Case{"Prénom;Nom;E-mail\nLéa;Dupré\n", "inscrits.csv:2"},                        // wrong field count
        Case{"Prénom;Nom;Jours\nLéa;Dupré;28/09\nZoé;Martin;30/09\n", "inscrits.csv:3"}, // not an event day
        Case{"Prénom;Nom;E-mail\nLéa;Dupré;pas-une-adresse\n", "inscrits.csv:2"},        // not an e-mail
        Case{"Pr\x81nom;Nom\nL\x8d"
             "a;Dupr\x9d\n",
             "inscrits.csv:1"}); // neither UTF-8 nor Windows-1252
    CAPTURE(bytes);
    try {
        import(bytes);
        FAIL("the file was accepted");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith(message));
    }
    CHECK(snapshot() == before);
}

TEST_CASE_METHOD(ImportFixture, "A bad --map is refused before anything is read into the store") {
    const auto before = snapshot();
    ImportOptions bad;
    bad.mappings = {"Nom=shoe_size"};
    CHECK_THROWS_AS(import(kRoster, bad), InputError);
    bad.mappings = {"Colonne absente=email"};
    CHECK_THROWS_AS(import(kRoster, bad), InputError);
    CHECK(snapshot() == before);
}

TEST_CASE_METHOD(ImportFixture, "A missing file is a clear error") {
    CHECK_THROWS_WITH(import_roster_file(store, dir.file("absent.csv"), {}), Catch::Contains("cannot open"));
}

// ---------------------------------------------------------------------------------------------------
// Issue 9, finding 8: encodings are not guessed silently, and sizes are bounded.

namespace {
// UTF-8 with two stray Latin-1 bytes (0xE9 "é" typed in another program), on lines 3 and 5.
const std::string kMixed = "Prénom;Nom;E-mail\n"
                           "Léa;Dupré;lea@example.fr\n"
                           "Zo\xe9;Martin;zoe@example.fr\n"
                           "Jean-Noël;N'Diaye;jn@example.fr\n"
                           "Ren\xe9;Roux;rene@example.fr\n";

std::string import_error(ImportFixture& f, const std::string& bytes, ImportOptions options = every_day()) {
    try {
        f.import(bytes, options);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}
} // namespace

TEST_CASE_METHOD(ImportFixture, "A UTF-8 file with stray Latin-1 bytes is refused naming its lines") {
    import(kRoster);
    const auto before = snapshot();
    const std::string message = import_error(*this, kMixed);
    CHECK_THAT(message, Catch::StartsWith("inscrits.csv:3: not valid UTF-8 on lines 3 and 5"));
    CHECK_THAT(message, Catch::Contains("Zo<E9>;Martin") && Catch::Contains("Ren<E9>;Roux"));
    CHECK_THAT(message,
               Catch::Contains("the rest of the file is UTF-8") && Catch::Contains("--encoding cp1252"));
    CHECK(snapshot() == before);
}

TEST_CASE_METHOD(ImportFixture, "A cell of a stored field longer than 500 characters is refused") {
    import(kRoster);
    const auto before = snapshot();
    const std::string message = import_error(*this, "Prénom;Nom;Structure\nLéa;Dupré;Mairie\nZoé;Martin;" +
                                                        std::string(501, 'x') + "\n");
    CHECK_THAT(message, Catch::StartsWith("inscrits.csv:3: ") && Catch::Contains("\"Structure\"") &&
                            Catch::Contains("501 characters") && Catch::Contains("at most 500"));
    // 500 characters, accented ones counting once, are accepted.
    std::string accented;
    for (int i = 0; i < 500; ++i)
        accented += "é";
    CHECK(snapshot() == before);
    CHECK(import("Prénom;Nom;Structure\nZoé;Martin;" + accented + "\n").created == 1);
}

TEST_CASE_METHOD(ImportFixture, "Rows over 64 KB, too many columns or rows and huge files are refused") {
    import(kRoster);
    const auto before = snapshot();
    // A free-text column nothing reads may hold long answers, but not a whole row over 64 KB (a quote
    // opened by mistake swallows the file this way).
    CHECK_THAT(import_error(*this, "Prénom;Nom;Commentaire\nLéa;Dupré;ok\nZoé;Martin;\"" +
                                       std::string(70000, 'x') + "\"\n"),
               Catch::StartsWith("inscrits.csv:3: ") && Catch::Contains("65,536 bytes"));
    std::string wide = "Prénom;Nom";
    for (int i = 0; i < 199; ++i)
        wide += ";c" + std::to_string(i);
    CHECK_THAT(import_error(*this, wide + "\nLéa;Dupré" + std::string(199, ';') + "\n"),
               Catch::StartsWith("inscrits.csv:1: ") && Catch::Contains("at most 200 columns"));
    std::string tall = "Prénom;Nom\n";
    for (int i = 0; i < 200001; ++i)
        tall += ";\n"; // rows without a name: they would only be skipped
    CHECK_THAT(import_error(*this, tall),
               Catch::StartsWith("inscrits.csv:200002: ") && Catch::Contains("at most 200,000 rows"));
    // Refused from its size alone, before it is read (a sparse file: nothing is written to disk).
    const std::string huge = dir.file("huge.csv");
    std::ofstream(huge, std::ios::binary) << "Prénom;Nom\n";
    std::filesystem::resize_file(huge, 100 * 1024 * 1024 + 1);
    try {
        import_roster_file(store, huge, {});
        FAIL("a 100 MB file was accepted");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith(huge + ": ") && Catch::Contains("at most 100 MB"));
    }
    CHECK(snapshot() == before);
}

TEST_CASE_METHOD(ImportFixture,
                 "Import with --encoding utf-8 refuses the lines that are not UTF-8, cp1252 reads all") {
    import(kRoster);
    const auto before = snapshot();
    // Windows-1252 from Excel: read as such by default, refused line by line when said to be UTF-8.
    const std::string cp1252 = "Pr\xe9nom;Nom;E-mail\nL\xe9"
                               "a;Dupr\xe9;lea@example.fr\nZo\xe9;Martin;zoe@example.fr\n";
    ImportOptions utf8;
    utf8.encoding = TextEncoding::Utf8;
    const std::string message = import_error(*this, cp1252, utf8);
    CHECK_THAT(message, Catch::StartsWith("inscrits.csv:1: not valid UTF-8 on lines 1, 2 and 3") &&
                            Catch::Contains("Pr<E9>nom;Nom") && Catch::Contains("--encoding cp1252"));
    CHECK(snapshot() == before);

    // French typography in Windows-1252: "Café" then a no-break space and "»" are the bytes E9 A0 BB,
    // valid UTF-8 by chance. Guessing refuses the file as mixed; --encoding cp1252 reads it whole.
    const std::string quoted = "Pr\xe9nom;Nom;E-mail;Structure\n"
                               "Zo\xe9;Martin;zoe@example.fr;\xab\xa0Le Caf\xe9\xa0\xbb\n";
    CHECK_THAT(import_error(*this, quoted),
               Catch::StartsWith("inscrits.csv:1: not valid UTF-8 on lines 1 and 2"));
    CHECK(snapshot() == before);
    ImportOptions cp = every_day();
    cp.encoding = TextEncoding::Windows1252;
    const auto s = import(quoted, cp);
    CHECK(s.created == 1);
    CHECK(s.encoding == "Windows-1252");
    const auto zoe = find_by_email(store.db(), "zoe@example.fr");
    REQUIRE(zoe);
    CHECK(zoe->first_name == "Zoé");
    CHECK(zoe->organisation == "«\u00a0Le Café\u00a0»");
}

// ---------------------------------------------------------------------------------------------------
// Issue 12: the import says what it understood, refuses a file that does not say the days, reads form
// tools' headers and answers, and reports every bad row at once, in French or English.

namespace {

const std::string kGoogleForms = std::string(ACCUEIL_TESTDATA_DIR) + "/roster_google_forms.csv";

// People registered on each event day, as the organisers' figures count them.
std::vector<std::int64_t> registered_per_day(Store& store) {
    std::vector<std::int64_t> out;
    for (const auto& d :
         compute_figures(store, FiguresOptions{.now_ms = test::kSept28At0912, .day = ""}).days)
        out.push_back(d.registered);
    return out;
}

// The process's messages in French for one scope (in-process library calls).
struct FrenchMessages {
    FrenchMessages() { i18n::set_process_lang(i18n::Lang::Fr); }
    ~FrenchMessages() { i18n::set_process_lang(i18n::Lang::En); }
    FrenchMessages(const FrenchMessages&) = delete;
    FrenchMessages& operator=(const FrenchMessages&) = delete;
};

// An environment variable set (or unset, with nullopt) for one scope: the programs run_bin starts
// inherit it.
class ScopedEnv {
public:
    ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
        if (const char* old = std::getenv(name))
            old_ = old;
        value ? ::setenv(name, value->c_str(), 1) : ::unsetenv(name);
    }
    ~ScopedEnv() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

// A terminal in French: LANGUAGE unset (it would win), LC_ALL French. Only the variables are read.
struct FrenchTerminal {
    ScopedEnv language{"LANGUAGE", std::nullopt};
    ScopedEnv lc_all{"LC_ALL", "fr_FR.UTF-8"};
};
struct EnglishTerminal {
    ScopedEnv language{"LANGUAGE", std::nullopt};
    ScopedEnv lc_all{"LC_ALL", "C.UTF-8"};
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const ColumnUse* column_named(const ImportSummary& s, const std::string& header) {
    for (const auto& c : s.columns)
        if (c.header == header)
            return &c;
    return nullptr;
}

} // namespace

TEST_CASE_METHOD(ImportFixture,
                 "A Google Forms export registers each person for the days ticked: 6, 26, 21") {
    const auto s = import(slurp(kGoogleForms), ImportOptions{});
    CHECK(s.created == 32);
    CHECK(registered_per_day(store) == std::vector<std::int64_t>{6, 26, 21});
    // The question columns feed their fields; the timestamp and the registration date feed nothing.
    const auto* days = column_named(s, "Quels jours serez-vous présent·e ?");
    REQUIRE(days);
    CHECK(days->field == RosterField::Days);
    REQUIRE(column_named(s, "Vous êtes :"));
    CHECK(column_named(s, "Vous êtes :")->field == RosterField::Category);
    CHECK(column_named(s, "Organisme")->field == RosterField::Organisation);
    CHECK(column_named(s, "Adresse e-mail")->field == RosterField::Email);
    CHECK(column_named(s, "Avez-vous des besoins d'accessibilité ?")->field == RosterField::Note);
    CHECK_FALSE(column_named(s, "Horodateur")->field);
    CHECK_FALSE(column_named(s, "Date d'inscription")->field);
    CHECK(s.ignored_columns == std::vector<std::string>{"Horodateur", "Date d'inscription"});
    const auto lea = find_by_email(store.db(), "lea.dupre@example.org");
    REQUIRE(lea);
    CHECK(lea->category == "Participant·e");
    CHECK(lea->organisation == "Hubik");
    CHECK(lea->days == std::vector<std::string>{"2022-09-28"});
    CHECK(count("SELECT count(*) FROM attendees WHERE category = 'Intervenant·e'") > 0);
}

TEST_CASE_METHOD(ImportFixture, "A 'Date(s)' column gives the days") {
    const auto s = import("Nom;Prénom;Date(s)\nDupré;Léa;28/09/2022, 29/09/2022\nMartin;Zoé;27/09/2022\n",
                          ImportOptions{});
    CHECK(s.created == 2);
    CHECK(registered_per_day(store) == std::vector<std::int64_t>{1, 1, 1});
}

TEST_CASE_METHOD(
    ImportFixture,
    "A file without a days column is refused for an event of several days, naming both ways out") {
    import(kRoster);
    const auto before = snapshot();
    const std::string file = "Prénom;Nom;E-mail;Créneau\nLéa;Dupré;lea@example.fr;mercredi\n"
                             "Zoé;Martin;zoe@example.fr;jeudi\n";
    for (const bool dry : {false, true}) {
        ImportOptions options;
        options.dry_run = dry;
        const std::string message = import_error(*this, file, options);
        CHECK_THAT(message, Catch::StartsWith("inscrits.csv:1: "));
        // What was seen, and both ways out.
        CHECK_THAT(message, Catch::Contains("3 days") && Catch::Contains("\"Prénom\"") &&
                                Catch::Contains("\"Créneau\"") && Catch::Contains("--all-days") &&
                                Catch::Contains("--map \"COLUMN=days\"") &&
                                Catch::Contains("Nothing was imported"));
        CHECK(snapshot() == before);
    }
    // Said with --map: the column gives the days.
    ImportOptions mapped;
    mapped.mappings = {"Créneau=days"};
    const auto m = import(file, mapped);
    CHECK(m.created == 1);   // Zoé
    CHECK(m.unchanged == 1); // Léa, already on Wednesday from kRoster
    CHECK(find_by_email(store.db(), "zoe@example.fr")->days == std::vector<std::string>{"2022-09-29"});
}

TEST_CASE_METHOD(ImportFixture,
                 "The --all-days option registers everyone for every day, also on a re-import") {
    import(kRoster);
    REQUIRE(find_by_ext_code(store.db(), "T-001")->days == std::vector<std::string>{"2022-09-28"});
    const auto s = import("Code;Prénom;Nom\nT-001;Léa;Dupré\nT-009;Zoé;Martin\n", every_day());
    CHECK(s.all_days);
    CHECK(s.created == 1);
    CHECK(s.updated == 1);
    CHECK(find_by_ext_code(store.db(), "T-001")->days.empty()); // every day, as --all-days says
    CHECK(find_by_ext_code(store.db(), "T-009")->days.empty());
    // A file that has a days column keeps its days; the summary says --all-days changed nothing.
    const auto again = import(kRoster, every_day());
    CHECK_FALSE(again.all_days);
    CHECK(find_by_ext_code(store.db(), "T-001")->days == std::vector<std::string>{"2022-09-28"});
    CHECK_THAT(describe_import(again, false), Catch::Contains("--all-days") && Catch::Contains("\"Jours\""));
}

TEST_CASE("An event of one day needs no days column") {
    test::TempDir dir;
    Store store =
        Store::create(dir.file("one.db"), EventSpec{"Atelier", "Europe/Paris", {{"2022-09-28", ""}}});
    const auto s = import_roster_bytes(store, "Prénom;Nom\nLéa;Dupré\n", "r.csv", {});
    CHECK(s.created == 1);
    CHECK_FALSE(s.all_days);
}

TEST_CASE_METHOD(ImportFixture, "Every bad row is reported at once, with its line and its value whole") {
    import(kRoster);
    const auto before = snapshot();
    std::string file = "Prénom;Nom;E-mail;Structure;Jours\n";
    std::vector<int> bad_lines;
    int line = 1;
    auto add = [&](const std::string& row, bool bad) {
        file += row + "\n";
        ++line;
        if (bad)
            bad_lines.push_back(line);
    };
    for (int i = 0; i < 40; ++i) {
        const std::string n = std::to_string(i);
        add("P" + n + ";N" + n + ";p" + n + "@example.org;Mairie;mercredi", false);
        if (i % 3 == 0 && bad_lines.size() < 11) {
            switch (bad_lines.size() % 4) {
            case 0:
                add("Léa;Dupré;lea.dupre chez example.org;Mairie;mercredi", true);
                break;
            case 1:
                add("Zoé;Martin;zoe@example.org;Mairie;Mercredi 28 septembre, Vendredi 30 septembre", true);
                break;
            case 2:
                add("René;Roux;rene@example.org;Mairie", true);
                break; // a cell short
            default:
                add("Ana;Lima;ana@example.org;" + std::string(501, 'x') + ";jeudi", true);
                break;
            }
        }
    }
    REQUIRE(bad_lines.size() == 11);
    for (const bool dry : {false, true}) {
        ImportOptions options;
        options.dry_run = dry;
        try {
            import(file, options);
            FAIL("a file with bad rows was accepted");
        } catch (const RosterRowsRefused& e) {
            REQUIRE(e.rows.size() == 11);
            const std::string message = e.what();
            CAPTURE(message);
            CHECK_THAT(message,
                       Catch::StartsWith("inscrits.csv: 11 rows") && Catch::Contains("Nothing was imported"));
            for (std::size_t k = 0; k < bad_lines.size(); ++k) {
                CHECK(e.rows[k].line == bad_lines[k]);
                CHECK_THAT(message, Catch::Contains("line " + std::to_string(bad_lines[k]) + ": "));
            }
            CHECK_THAT(message, Catch::Contains("\"lea.dupre chez example.org\"") &&
                                    Catch::Contains("\"Mercredi 28 septembre, Vendredi 30 septembre\"") &&
                                    Catch::Contains("\"Vendredi 30 septembre\"") &&
                                    Catch::Contains("4 fields") && Catch::Contains("501 characters"));
            // The event's days, said once for the day answers that named none of them.
            CHECK_THAT(message, Catch::Contains("Wednesday 28 September 2022"));
        }
        CHECK(snapshot() == before);
    }
}

TEST_CASE_METHOD(ImportFixture, "Past 50 bad rows the report says how many more there are") {
    const auto before = snapshot();
    std::string file = "Prénom;Nom;E-mail\n";
    for (int i = 0; i < 62; ++i)
        file += "P" + std::to_string(i) + ";N;adresse-" + std::to_string(i) + "\n";
    try {
        import(file);
        FAIL("accepted");
    } catch (const RosterRowsRefused& e) {
        CHECK(e.rows.size() == 62);
        const std::string message = e.what();
        CHECK_THAT(message, Catch::Contains("line 51: ") && Catch::Contains("\"adresse-49\""));
        CHECK_THAT(message, !Catch::Contains("line 52: ") && !Catch::Contains("\"adresse-50\""));
        CHECK_THAT(message, Catch::Contains("and 12 more"));
    }
    CHECK(snapshot() == before);
}

TEST_CASE_METHOD(ImportFixture, "One bad row is one line naming its file and line") {
    const std::string message = import_error(*this, "Prénom;Nom;E-mail\nLéa;Dupré;lea@example.fr\n"
                                                    "Zoé;Martin;pas-une-adresse\n");
    CHECK_THAT(message, Catch::StartsWith("inscrits.csv:3: ") && Catch::Contains("\"pas-une-adresse\"") &&
                            Catch::Contains("Nothing was imported"));
    CHECK(std::count(message.begin(), message.end(), '\n') == 0);
}

TEST_CASE_METHOD(ImportFixture, "The summary lists each column with the field it feeds") {
    const auto s = import(kRoster, ImportOptions{});
    CHECK(s.file == "inscrits.csv");
    const std::string text = describe_import(s, false);
    CHECK_THAT(text, Catch::Contains("inscrits.csv") && Catch::Contains("\"Prénom\" → first name") &&
                         Catch::Contains("\"Adresse e-mail\" → e-mail") &&
                         Catch::Contains("\"Structure\" → organisation") &&
                         Catch::Contains("\"Jours\" → days") && Catch::Contains("\"Code\" → ticket code") &&
                         Catch::Contains("3 created, 0 updated, 0 unchanged, 0 skipped"));
    const auto g = import(slurp(kGoogleForms), ImportOptions{});
    CHECK_THAT(describe_import(g, true), Catch::Contains("\"Horodateur\" → not used") &&
                                             Catch::Contains("dry run") && Catch::Contains("--map"));
}

TEST_CASE_METHOD(ImportFixture, "Import messages speak French when the process does") {
    const auto before = snapshot();
    FrenchMessages french;
    const std::string no_days = import_error(*this, "Prénom;Nom;Créneau\nLéa;Dupré;matin\n", ImportOptions{});
    CHECK_THAT(no_days, Catch::Contains("jours") && Catch::Contains("« Créneau »") &&
                            Catch::Contains("--all-days") && Catch::Contains("--map") &&
                            Catch::Contains("Rien n'a été importé"));
    const std::string rows =
        import_error(*this, "Prénom;Nom;E-mail\nLéa;Dupré;x\nZoé;Martin;y\n", every_day());
    CHECK_THAT(rows, Catch::StartsWith("inscrits.csv: 2 lignes") && Catch::Contains("ligne 2 : ") &&
                         Catch::Contains("« x »") && Catch::Contains("adresse e-mail"));
    CHECK(snapshot() == before);
    const auto s = import(kRoster, ImportOptions{});
    CHECK_THAT(describe_import(s, false),
               Catch::Contains("« Prénom » → prénom") && Catch::Contains("« Jours » → jours de présence"));
}

TEST_CASE("accueil import prints its column mapping and refuses a file without days, in French or English") {
    test::TempDir dir;
    const std::string db = dir.file("event.db");
    REQUIRE(test::run_bin("accueil", "init --db " + db +
                                         " --name 'Numérique en Commun[s]' --days "
                                         "2022-09-27:OFF,2022-09-28,2022-09-29 --tz Europe/Paris")
                .exit_code == 0);
    const auto registered = [&] {
        const auto r = test::run_bin("accueil", "stats --db " + db + " --json --at 2022-09-28T18:00");
        REQUIRE(r.exit_code == 0);
        std::vector<int> out;
        const auto figures = nlohmann::json::parse(r.output);
        for (const auto& d : figures.at("days"))
            out.push_back(d["registered"].get<int>());
        return out;
    };
    const std::string no_days = dir.file("sans-jours.csv");
    std::ofstream(no_days, std::ios::binary) << "Prénom;Nom;E-mail;Créneau\nLéa;Dupré;lea@example.fr;jeudi\n";
    {
        FrenchTerminal french;
        auto r = test::run_bin("accueil", "import --db " + db + " " + no_days);
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.output, Catch::Contains("« Créneau »") && Catch::Contains("--all-days") &&
                                 Catch::Contains("Rien n'a été importé"));
        CHECK(registered() == std::vector<int>{0, 0, 0});
        r = test::run_bin("accueil", "import --db " + db + " --dry-run --all-days " + no_days);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.output,
                   Catch::Contains("« Créneau » → non utilisée") && Catch::Contains("tous les jours"));
        CHECK(registered() == std::vector<int>{0, 0, 0});
        r = test::run_bin("accueil", "import --db " + db + " --map 'Créneau=days' " + no_days);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.output, Catch::Contains("« Créneau » → jours de présence"));
        CHECK(registered() == std::vector<int>{0, 0, 1});
    }
    EnglishTerminal english;
    const auto r = test::run_bin("accueil", "import --db " + db + " " + kGoogleForms);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("\"Quels jours serez-vous présent·e ?\" → days") &&
                             Catch::Contains("\"Vous êtes :\" → category") &&
                             Catch::Contains("\"Horodateur\" → not used") && Catch::Contains("32 created"));
    CHECK(registered() == std::vector<int>{6, 26, 22}); // Léa's Thursday from the file before
}

TEST_CASE_METHOD(ImportFixture,
                 "A column taken for days whose answers name no day says how to leave it out") {
    const std::string message =
        import_error(*this,
                     "Prénom;Nom;Journée du 28 : atelier choisi\nLéa;Dupré;Inclusion numérique\n"
                     "Zoé;Martin;Médiation\n",
                     ImportOptions{});
    CHECK_THAT(message, Catch::StartsWith("inscrits.csv: 2 rows") &&
                            Catch::Contains("--map \"Journée du 28 : atelier choisi=ignore\" --all-days"));
    // A few wrong answers in a real days column do not suggest it.
    CHECK_THAT(import_error(*this,
                            "Prénom;Nom;Jours\nLéa;Dupré;vendredi\nZoé;Martin;jeudi\nRené;Roux;mercredi\n",
                            ImportOptions{}),
               Catch::StartsWith("inscrits.csv:2: ") && !Catch::Contains("=ignore"));
}

TEST_CASE_METHOD(ImportFixture, "A big import leaves the connection's page cache as it found it") {
    // roster_import.cpp raises the cache for imports of 5,000 rows or more, for their transaction only.
    const auto before = store.db().execAndGet("PRAGMA cache_size").getInt64();
    std::string csv = "Prénom;Nom;Adresse e-mail\r\n";
    for (int i = 0; i < 6000; ++i)
        csv += "Personne;N" + std::to_string(i) + ";p" + std::to_string(i) + "@example.fr\r\n";
    const auto summary = import(csv);
    CHECK(summary.created == 6000);
    CHECK(count("SELECT count(*) FROM attendees") == 6000);
    CHECK(store.db().execAndGet("PRAGMA cache_size").getInt64() == before);
}

TEST_CASE_METHOD(ImportFixture, "An import, small or big, leaves the projections a rebuild gives") {
    // The import writes the search index after its rows and, from 5,000 rows, the summary tables in one
    // statement each with the attendee triggers set aside (Store::BulkLoad): the result must be the one
    // replaying the journal gives, arrivals already counted included.
    import(kRoster, ImportOptions{});
    std::string live = test::dump_projections(store.db());
    rebuild_projections(store.db());
    REQUIRE(test::dump_projections(store.db()) == live);

    const std::string lea =
        store.db().execAndGet("SELECT id FROM attendees WHERE ext_code = 'T-001'").getString();
    const std::string jn =
        store.db().execAndGet("SELECT id FROM attendees WHERE ext_code = 'T-002'").getString();
    REQUIRE(check_in(store, lea, test::kSept28At0912).verdict == Verdict::Admitted);
    REQUIRE(check_in(store, jn, test::kSept28At0912 + test::kOneDayMs).verdict == Verdict::Admitted);
    REQUIRE(count("SELECT count(*) FROM arrival_counts") > 0);

    std::ostringstream csv;
    write_demo_roster_csv(csv, DemoRosterOptions{6000, 7, {"2022-09-27", "2022-09-28", "2022-09-29"}});
    std::string big = csv.str();
    // Updates of people already stored (Léa, who has arrived, changes category and days: her arrival
    // moves), a person twice in the file (created, then updated by the second row), accents.
    big += "Léa;Dupré;lea@example.fr;Mairie de Lyon;Organisateur;2022-09-28,2022-09-29;T-001\r\n"
           "Jean-Noël;N'Diaye;jn@example.fr;Emmaüs Connect;Intervenant;;T-002\r\n"
           "Zoé;Ørsted-Lévêque;zoe@example.fr;Ça Marche;Bénévole;2022-09-28;Z-100\r\n"
           "Zoé;Ørsted-Lévêque;zoe@example.fr;Ça Marche Encore;Bénévole;2022-09-29;Z-100\r\n";
    const auto summary = import(big, ImportOptions{});
    CHECK(summary.created == 6001);
    CHECK(summary.updated == 3);
    live = test::dump_projections(store.db());
    rebuild_projections(store.db());
    CHECK(test::dump_projections(store.db()) == live);

    // The triggers are back: a later change is counted as before.
    CHECK(count("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attendees'") == 6);
    CHECK(count("SELECT sum(people) FROM roster_counts") == count("SELECT count(*) FROM attendees"));
    const auto found = search_attendees(store.db(), "orsted", 5);
    REQUIRE(found.size() == 1);
    CHECK(found[0].organisation == "Ça Marche Encore");
    const auto ndiaye = search_attendees(store.db(), "jean noel ndiaye", 20);
    CHECK(std::any_of(ndiaye.begin(), ndiaye.end(), [&](const Attendee& a) { return a.id == jn; }));
}

TEST_CASE_METHOD(ImportFixture, "A person created then updated by a later row journals each row's record") {
    // The import journals a creation from the roster it matched rows against (no copy per person): a
    // later row of the same file that updates the person must not leak into the creation's payload.
    const auto s = import("Prénom;Nom;E-mail;Structure;Jours;Code\r\n"
                          "Zoé;Ørsted;zoe@example.fr;Ça Marche;28/09;Z-1\r\n"
                          "Léa;Dupré;lea@example.fr;Mairie;29/09;T-1\r\n"
                          "Zoé;Ørsted;zoe@example.fr;Ça Marche Encore;29/09;Z-1\r\n"
                          "Zoé;Ørsted;ZOE@example.fr;Ça Marche Toujours;29/09;\r\n",
                          ImportOptions{});
    CHECK(s.created == 2);
    CHECK(s.updated == 2);
    std::vector<std::pair<int, nlohmann::json>> events;
    SQLite::Statement q(store.db(), "SELECT kind, payload FROM journal WHERE kind IN (2, 3) ORDER BY seq");
    while (q.executeStep())
        events.emplace_back(q.getColumn(0).getInt(), nlohmann::json::parse(q.getColumn(1).getString()));
    REQUIRE(events.size() == 4);
    CHECK(events[0].first == int(EventKind::AttendeeCreated));
    CHECK(events[0].second["organisation"] == "Ça Marche");
    CHECK(events[0].second["days"] == "2022-09-28");
    CHECK(events[1].second["first_name"] == "Léa");
    CHECK(events[2].first == int(EventKind::AttendeeUpdated));
    CHECK(events[2].second == nlohmann::json{{"organisation", "Ça Marche Encore"}, {"days", "2022-09-29"}});
    CHECK(events[3].second ==
          nlohmann::json{{"organisation", "Ça Marche Toujours"}, {"email", "ZOE@example.fr"}});
    const auto zoe = find_by_ext_code(store.db(), "Z-1");
    REQUIRE(zoe);
    CHECK(zoe->organisation == "Ça Marche Toujours");
}
