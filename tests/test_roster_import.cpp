#include "attendee.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "import/roster_import.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace accueil;

namespace {
struct ImportFixture {
    test::TempDir dir;
    Store store = Store::create(dir.file("i.db"), test::demo_spec());

    ImportSummary import(const std::string& bytes, ImportOptions options = {}) {
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
    ImportOptions mapped;
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

std::string import_error(ImportFixture& f, const std::string& bytes, ImportOptions options = {}) {
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
    ImportOptions cp;
    cp.encoding = TextEncoding::Windows1252;
    const auto s = import(quoted, cp);
    CHECK(s.created == 1);
    CHECK(s.encoding == "Windows-1252");
    const auto zoe = find_by_email(store.db(), "zoe@example.fr");
    REQUIRE(zoe);
    CHECK(zoe->first_name == "Zoé");
    CHECK(zoe->organisation == "«\u00a0Le Café\u00a0»");
}
