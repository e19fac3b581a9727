// The pure parsing layer of `accueil import`: encodings, CSV, header names, full names and day cells.
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "import/csv_reader.hpp"
#include "import/day_values.hpp"
#include "import/header_map.hpp"
#include "import/text_encoding.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace accueil;
using Catch::Matchers::Contains;
using Fields = std::vector<std::string>;

namespace {

// The message of the InputError that `fn` throws, or "" when it throws none.
template <class Fn> std::string input_error(Fn&& fn) {
    try {
        fn();
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

const std::vector<std::string> kEventDates = {"2022-09-27", "2022-09-28", "2022-09-29"}; // Tue, Wed, Thu

// These tests read the English messages whatever the terminal's language; French is set where checked.
const bool kEnglish = (i18n::set_process_lang(i18n::Lang::En), true);

} // namespace

// ---------------------------------------------------------------------------------------------------
// Encodings

TEST_CASE("UTF-8 is kept as is, with or without a BOM") {
    const auto plain = decode_text("Prénom;Nom\nLéa;Dupré\n");
    REQUIRE(plain);
    CHECK(plain.encoding == "UTF-8");
    CHECK(plain.text == "Prénom;Nom\nLéa;Dupré\n");

    const auto bom = decode_text("\xEF\xBB\xBFPrénom;Nom\n");
    REQUIRE(bom);
    CHECK(bom.encoding == "UTF-8 (BOM)");
    CHECK(bom.text == "Prénom;Nom\n"); // the BOM is gone

    const auto empty = decode_text("");
    REQUIRE(empty);
    CHECK(empty.text.empty());
}

TEST_CASE("Windows-1252 from French Excel becomes UTF-8") {
    const std::string cp1252 = "Pr\xE9nom;Nom\r\nL\xE9"
                               "a;Dupr\xE9";
    const auto r = decode_text(cp1252);
    REQUIRE(r);
    CHECK(r.encoding == "Windows-1252");
    CHECK(r.text == "Prénom;Nom\r\nLéa;Dupré");
    // The 0x80-0x9F block is not Latin-1: euro sign, oe ligature, curly apostrophe.
    CHECK(windows1252_to_utf8("\x80 C\x9Cur d\x92"
                              "Alsace") == "€ Cœur d’Alsace");
    CHECK(windows1252_to_utf8("\xC7\xE0 \xFF") == "Çà ÿ");
}

TEST_CASE("Bytes that are neither UTF-8 nor Windows-1252 are refused with a line") {
    // 0xE9 is not valid UTF-8 on line 2; 0x81 has no meaning in Windows-1252 (line 3).
    const std::string bytes = "Nom\nL\xE9"
                              "a\nX\x81Y\n";
    const auto r = decode_text(bytes);
    CHECK_FALSE(r);
    CHECK(r.error_line == 2);
    CHECK_THAT(r.error, Contains("neither UTF-8") && Contains("Windows-1252") && Contains("0x81"));
    CHECK(r.text.empty());
    CHECK(input_error([&] { decode_text_or_throw(bytes, "roster.csv"); }).starts_with("roster.csv:2: "));
    // With a UTF-8 BOM the file cannot be Windows-1252: damage is reported, not reinterpreted.
    const auto damaged = decode_text("\xEF\xBB\xBFNom\nDupr\xE9\n");
    CHECK_FALSE(damaged);
    CHECK(damaged.error_line == 2);
    for (const char undefined : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'})
        CHECK_FALSE(decode_text(std::string("Nom\xE9") + undefined));
}

TEST_CASE("UTF-16 with a byte order mark, spreadsheets and binary files") {
    const std::string le("\xFF\xFEN\0o\0m\0\n\0L\0\xE9\0", 14);
    const auto r = decode_text(le);
    REQUIRE(r);
    CHECK(r.encoding == "UTF-16LE");
    CHECK(r.text == "Nom\nLé");

    const auto xlsx = decode_text(std::string("PK\x03\x04rest", 8));
    CHECK_FALSE(xlsx);
    CHECK_THAT(xlsx.error, Contains("save it as CSV"));

    const auto nul = decode_text(std::string("Nom\nA\0B", 7));
    CHECK_FALSE(nul);
    CHECK(nul.error_line == 2);
}

TEST_CASE("The first invalid UTF-8 byte is located") {
    CHECK(first_invalid_utf8("abc") == std::string_view::npos);
    CHECK(first_invalid_utf8("aé\xFF") == 3);
    CHECK(first_invalid_utf8("\xC3") == 0);         // truncated sequence
    CHECK(first_invalid_utf8("\xC0\xAF") == 0);     // overlong '/'
    CHECK(first_invalid_utf8("\xED\xA0\x80") == 0); // UTF-16 surrogate
}

TEST_CASE("UTF-8 with stray invalid bytes is refused, listing the lines, not read as Windows-1252") {
    // Rule: valid multi-byte UTF-8 somewhere AND invalid bytes elsewhere means a mixed file.
    const std::string mixed = "Prénom;Nom\nZo\xE9;Martin\nLéa;Dupré\nRen\xE9\xE9;Roux\n";
    const auto r = decode_text(mixed);
    CHECK_FALSE(r);
    CHECK(r.error_line == 2);
    CHECK(r.text.empty());
    CHECK_THAT(r.error, Contains("not valid UTF-8 on lines 2 and 4") && Contains("Zo<E9>;Martin") &&
                            Contains("Ren<E9><E9>;Roux") && Contains("the rest of the file is UTF-8"));
    CHECK(input_error([&] {
              decode_text_or_throw(mixed, "roster.csv");
          }).starts_with("roster.csv:2: not valid UTF-8 on lines 2 and 4"));
    // Many bad lines: the first ten are named, the others counted.
    std::string many = "Prénom;Nom\n";
    for (int i = 0; i < 25; ++i)
        many += "Ren\xE9;Roux\n";
    CHECK_THAT(decode_text(many).error, Contains("lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 15 more lines"));
    // Without any valid multi-byte sequence the file is still Windows-1252 (old Excel exports).
    CHECK(decode_text("Pr\xE9nom;Nom\nZo\xE9;Martin\n").encoding == "Windows-1252");
}

TEST_CASE("The encoding can be said instead of guessed") {
    CHECK(parse_text_encoding("auto") == TextEncoding::Auto);
    CHECK(parse_text_encoding("UTF-8") == TextEncoding::Utf8);
    CHECK(parse_text_encoding("utf8") == TextEncoding::Utf8);
    CHECK(parse_text_encoding("cp1252") == TextEncoding::Windows1252);
    CHECK(parse_text_encoding("Windows-1252") == TextEncoding::Windows1252);
    CHECK_FALSE(parse_text_encoding("latin9"));

    const std::string cp1252 = "Nom\nDupr\xE9\n\nL\xE9"
                               "a\n";
    const auto refused = decode_text(cp1252, TextEncoding::Utf8);
    CHECK_FALSE(refused);
    CHECK(refused.error_line == 2);
    CHECK(refused.invalid_lines == std::vector<int>{2, 4});
    CHECK_THAT(refused.error, Contains("not valid UTF-8 on lines 2 and 4") && Contains("Dupr<E9>"));
    CHECK(decode_text("Nom\nDupré\n", TextEncoding::Utf8).text == "Nom\nDupré\n");

    // Said to be Windows-1252, every byte is converted, even those that happen to be valid UTF-8.
    const auto forced = decode_text("Caf\xE9\xA0\xBB Dupré", TextEncoding::Windows1252);
    REQUIRE(forced);
    CHECK(forced.encoding == "Windows-1252");
    CHECK(forced.text == "Café\u00a0» DuprÃ©");
    const auto undefined = decode_text("Nom\nA\x81\n", TextEncoding::Windows1252);
    CHECK_FALSE(undefined);
    CHECK(undefined.error_line == 2);
    CHECK_THAT(undefined.error, Contains("0x81") && Contains("Windows-1252"));
}

// ---------------------------------------------------------------------------------------------------
// CSV

TEST_CASE("The delimiter is sniffed among comma, semicolon and TAB") {
    CHECK(sniff_delimiter("Nom;Prénom;E-mail\nDupré;Léa;lea@example.org\n") == ';');
    CHECK(sniff_delimiter("Last name,First name,Email\nDoe,Jane,jane@example.org\n") == ',');
    CHECK(sniff_delimiter("Nom\tPrénom\tStructure\nDupré\tLéa\tMairie, Lyon\n") == '\t');
    // Commas inside a cell of a ';' file: only ';' counts the same on every line.
    CHECK(sniff_delimiter("Nom;Prénom;Structure\nDupré;Léa;Mairie, Lyon\nMartin;Paul;CNRS\n") == ';');
    // Delimiters inside quotes do not count.
    CHECK(sniff_delimiter("Name,Company\n\"Doe; Jane\",\"A; B; C\"\n") == ',');
    CHECK(sniff_delimiter("Nom\nDupré\n") == ',');

    for (const char d : {',', ';', '\t'}) {
        std::string text = "Nom#Prénom#E-mail\nDupré#Léa#lea@example.org\n";
        std::replace(text.begin(), text.end(), '#', d);
        const CsvTable t = read_csv(text, "roster.csv");
        CHECK(t.delimiter == d);
        CHECK(t.header.fields == Fields{"Nom", "Prénom", "E-mail"});
        REQUIRE(t.rows.size() == 1);
        CHECK(t.rows[0].fields == Fields{"Dupré", "Léa", "lea@example.org"});
    }
}

TEST_CASE("Quoted fields hold doubled quotes, delimiters and line breaks") {
    const std::string text = "Nom;Note;Ville\r\n"
                             "\"Dupré\";\"Elle a dit \"\"bonjour\"\"\";\"Lyon; France\"\r\n"
                             "Martin;\"ligne 1\r\nligne 2\nligne 3\";Paris\r\n"
                             "\"\";\"\";\"\"\r\n";
    const CsvTable t = read_csv(text, "roster.csv");
    CHECK(t.delimiter == ';');
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].fields == Fields{"Dupré", "Elle a dit \"bonjour\"", "Lyon; France"});
    CHECK(t.rows[1].fields == Fields{"Martin", "ligne 1\r\nligne 2\nligne 3", "Paris"});
    CHECK(t.rows[2].fields == Fields{"", "", ""});
}

TEST_CASE("Records carry the physical line they start on") {
    const std::string text = "Nom,Note\n"          // 1
                             "A,\"one\n"           // 2
                             "two\r\n"             // 3
                             "three\"\n"           // 4
                             "\n"                  // 5: blank, skipped
                             "B,x\r"               // 6: a lone CR ends a line too
                             "C,\"y\"\r\n"         // 7
                             "\"D\nE\",z\n\n\n\n"; // 8-9, then trailing blank lines
    const CsvTable t = read_csv(text, "roster.csv");
    CHECK(t.header.line == 1);
    REQUIRE(t.rows.size() == 4);
    CHECK(t.rows[0].line == 2);
    CHECK(t.rows[0].fields[1] == "one\ntwo\r\nthree");
    CHECK(t.rows[1].line == 6);
    CHECK(t.rows[2].line == 7);
    CHECK(t.rows[3].line == 8);
    CHECK(t.rows[3].fields == Fields{"D\nE", "z"});
    // A last line without a line break, ending in an empty field.
    const CsvTable u = read_csv("a;b\n1;", "roster.csv");
    REQUIRE(u.rows.size() == 1);
    CHECK(u.rows[0].fields == Fields{"1", ""});
}

TEST_CASE("An unterminated quote is reported at the line where it opened") {
    const std::string text = "Nom;Prénom\nDupré;Léa\n\"Martin;Paul\nDurand;Jean\nPetit;Ana\n";
    const std::string msg = input_error([&] { read_csv(text, "roster.csv"); });
    CHECK(msg.starts_with("roster.csv:3: "));
    CHECK_THAT(msg, Contains("never closed"));
}

TEST_CASE("A row with the wrong number of fields is reported with both counts") {
    const std::string text = "Nom;Prénom;E-mail\nDupré;Léa;lea@example.org\n\"a\nb\";Paul\n";
    const std::string msg = input_error([&] { read_csv(text, "roster.csv"); });
    CHECK(msg.starts_with("roster.csv:3: "));
    CHECK_THAT(msg, Contains("has 2 fields") && Contains("has 3"));

    const std::string more = input_error([&] { read_csv("Nom;Prénom\nDupré;Léa;extra\n", "r.csv"); });
    CHECK(more.starts_with("r.csv:2: "));
    CHECK_THAT(more, Contains("has 3 fields") && Contains("has 2"));
    // Stray empty trailing fields carry nothing and are dropped.
    const CsvTable t = read_csv("Nom;Prénom\nDupré;Léa;;\n", "r.csv");
    CHECK(t.rows.at(0).fields == Fields{"Dupré", "Léa"});
}

TEST_CASE("Text after a closing quote is an error, spaces are not") {
    const std::string msg = input_error([] { read_csv("Nom,Note\nA,\"b\"c\n", "roster.csv"); });
    CHECK(msg.starts_with("roster.csv:2: "));
    CHECK_THAT(msg, Contains("closing quote"));
    const CsvTable t = read_csv("Nom,Note\nA,\"b\"  \n", "roster.csv");
    CHECK(t.rows.at(0).fields == Fields{"A", "b"});
}

TEST_CASE("BOM, Excel's sep= line, an empty file and an explicit delimiter") {
    const CsvTable bom = read_csv("\xEF\xBB\xBFNom,Prénom\nDupré,Léa\n", "r.csv");
    CHECK(bom.header.fields == Fields{"Nom", "Prénom"});

    const CsvTable sep = read_csv("sep=,\r\nNom;Structure,Prénom\nDupré;X,Léa\n", "r.csv");
    CHECK(sep.delimiter == ',');
    CHECK(sep.header.line == 2);
    CHECK(sep.rows.at(0).fields == Fields{"Dupré;X", "Léa"});

    const CsvTable forced = read_csv("a,b;c\n1,2;3\n", "r.csv", ';');
    CHECK(forced.header.fields == Fields{"a,b", "c"});

    CHECK_THAT(input_error([] { read_csv("\n\r\n", "empty.csv"); }),
               Contains("empty.csv: the file is empty"));
}

TEST_CASE("A large roster keeps every row and its line numbers") {
    // Speed is measured by accueil-bench (roster import rows/s), not asserted here.
    std::string text = "Nom;Prénom;E-mail;Structure;Catégorie;Jours;Code\n";
    for (int i = 0; i < 20000; ++i)
        text += "Dupré" + std::to_string(i) + ";Léa;lea" + std::to_string(i) +
                "@example.org;\"Mairie;\nLyon\";Bénévole;28/09;ABC" + std::to_string(i) + "\n";
    const CsvTable t = read_csv(text, "big.csv");
    REQUIRE(t.rows.size() == 20000);
    CHECK(t.rows.back().fields[0] == "Dupré19999");
    CHECK(t.rows.back().fields[3] == "Mairie;\nLyon");
    CHECK(t.rows.back().line == 2 + 2 * 19999); // each row spans two physical lines
}

TEST_CASE("Rows, columns and row sizes are bounded, with the line where the limit is passed") {
    const std::string big_cell(70000, 'x');
    CHECK_THAT(input_error([&] { read_csv("Nom;Note\nDupré;ok\nMartin;\"" + big_cell + "\"\n", "r.csv"); }),
               Contains("r.csv:3: ") && Contains("65,536 bytes"));
    CHECK_THAT(input_error([&] { read_csv("Nom;Note\nDupré;" + big_cell + "\n", "r.csv"); }),
               Contains("r.csv:2: ") && Contains("65,536 bytes"));
    // A row with far too many delimiters stops at the limit, not at its end.
    CHECK_THAT(
        input_error([] { read_csv("Nom;Note\nDupré;ok\n" + std::string(100000, ';') + "\n", "r.csv"); }),
        Contains("r.csv:3: ") && Contains("at most 200 columns"));
    std::string wide = "Nom";
    for (int i = 0; i < 200; ++i)
        wide += ";c" + std::to_string(i);
    CHECK_THAT(input_error([&] { read_csv(wide + "\n", "r.csv"); }),
               Contains("r.csv:1: ") && Contains("at most 200 columns"));
    std::string tall = "Nom\n";
    for (int i = 0; i < 200000; ++i)
        tall += "x\n";
    CHECK(read_csv(tall, "r.csv").rows.size() == 200000); // the limit itself is fine
    CHECK_THAT(input_error([&] { read_csv(tall + "x\n", "r.csv"); }),
               Contains("r.csv:200002: ") && Contains("at most 200,000 rows"));
}

// ---------------------------------------------------------------------------------------------------
// Header names

TEST_CASE("Header names are recognised whatever their case, accents and punctuation") {
    using F = RosterField;
    CHECK(field_for_header("PRÉNOM") == F::FirstName);
    CHECK(field_for_header("prenom") == F::FirstName);
    CHECK(field_for_header("Nom de famille") == F::LastName);
    CHECK(field_for_header("Last Name") == F::LastName);
    CHECK(field_for_header("Surname") == F::LastName);
    CHECK(field_for_header("Given name") == F::FirstName);
    CHECK(field_for_header("Nom et prénom") == F::FullName);
    CHECK(field_for_header("Nom & Prénom") == F::FullName);
    CHECK(field_for_header("Full name") == F::FullName);
    CHECK(field_for_header("Attendee name") == F::FullName);
    CHECK(field_for_header("Participant") == F::FullName);
    CHECK(field_for_header("Adresse e-mail") == F::Email);
    CHECK(field_for_header("Courriel") == F::Email);
    CHECK(field_for_header("E-mail du participant") == F::Email);
    CHECK(field_for_header("Adresse électronique") == F::Email);
    CHECK(field_for_header("Société") == F::Organisation);
    CHECK(field_for_header("Organization") == F::Organisation);
    CHECK(field_for_header("Type de billet") == F::Category);
    CHECK(field_for_header("Ticket Type") == F::Category);
    CHECK(field_for_header("Tarif") == F::Category);
    CHECK(field_for_header("Jours de présence") == F::Days);
    CHECK(field_for_header("Journées") == F::Days);
    CHECK(field_for_header("Code-barre") == F::ExternalCode);
    CHECK(field_for_header("Barcode #") == F::ExternalCode);
    CHECK(field_for_header("Numéro de billet") == F::ExternalCode);
    CHECK(field_for_header("Order code") == F::ExternalCode);
    // pretix's sub-columns, form questions with notes, and what must not match.
    CHECK(field_for_header("Attendee name: Family name") == F::LastName);
    CHECK(field_for_header("Attendee name: Given name") == F::FirstName);
    CHECK(field_for_header("Votre adresse e-mail (obligatoire)") == F::Email);
    CHECK(field_for_header("Nom :") == F::LastName);
    CHECK_FALSE(field_for_header("Email acheteur"));  // the buyer, not the attendee
    CHECK_FALSE(field_for_header("Buyer Last Name")); // Eventbrite
    CHECK_FALSE(field_for_header("Date d'achat"));
    CHECK_FALSE(field_for_header("Régime alimentaire"));
    CHECK_FALSE(field_for_header(""));
}

TEST_CASE("A header maps columns to fields and lists the ignored ones") {
    const Fields header = {"PRÉNOM", "Nom", "Adresse e-mail", "Type de billet", "Régime",
                           "Jours",  "",    "Secret"};
    const HeaderMap map = map_header(header, {}, "roster.csv:1");
    CHECK(map.column(RosterField::FirstName) == 0u);
    CHECK(map.column(RosterField::LastName) == 1u);
    CHECK(map.column(RosterField::Email) == 2u);
    CHECK(map.column(RosterField::Category) == 3u);
    CHECK(map.column(RosterField::Days) == 5u);
    CHECK(map.column(RosterField::ExternalCode) == 7u);
    CHECK_FALSE(map.has(RosterField::Organisation));
    CHECK_FALSE(map.has(RosterField::FullName));
    CHECK(map.ignored == Fields{"Régime"}); // unnamed columns are not worth a mention
}

TEST_CASE("When two columns claim a field the first wins, but a ticket code beats an order code") {
    const HeaderMap map =
        map_header({"Nom", "E-mail", "Courriel", "Order code", "Ticket secret"}, {}, "r.csv:1");
    CHECK(map.column(RosterField::Email) == 1u);
    CHECK(map.column(RosterField::ExternalCode) == 4u);
    CHECK(map.ignored == Fields{"Courriel", "Order code"});
}

TEST_CASE("Overrides given with --map replace the guess") {
    const Fields header = {"Nom", "Prénom", "Type", "Pass", "Courriel"};
    const HeaderMap map = map_header(header, {"pass=category", "TYPE=ignore", "courriel = email"}, "r.csv:1");
    CHECK(map.column(RosterField::Category) == 3u);
    CHECK(map.column(RosterField::Email) == 4u);
    CHECK(map.ignored == Fields{"Type"});

    // An override takes the field from the column that would have had it.
    const HeaderMap moved = map_header({"Nom", "Nom complet"}, {"Nom complet=last_name"}, "r.csv:1");
    CHECK(moved.column(RosterField::LastName) == 1u);
    CHECK(moved.ignored == Fields{"Nom"});

    const HeaderMap named = map_header({"Qui", "Mél"}, {"Qui=full_name"}, "r.csv:1");
    CHECK(named.column(RosterField::FullName) == 0u);
    CHECK(named.column(RosterField::Email) == 1u);
}

TEST_CASE("Bad --map arguments are refused: unknown field or column, malformed, duplicates") {
    const Fields header = {"Nom", "Prénom", "Type"};
    const std::string unknown_field = input_error([&] { map_header(header, {"Type=catgory"}, "r.csv:1"); });
    CHECK_THAT(unknown_field, Contains("unknown field \"catgory\"") && Contains("category"));
    const std::string unknown_column =
        input_error([&] { map_header(header, {"Tarif=category"}, "r.csv:1"); });
    CHECK_THAT(unknown_column, Contains("no column \"Tarif\"") && Contains("\"Prénom\""));
    CHECK_THAT(input_error([&] { map_header(header, {"category"}, "r.csv:1"); }), Contains("COLUMN=FIELD"));
    CHECK_THAT(input_error([&] {
                   map_header(header, {"Nom=email", "Type=email"}, "r.csv:1");
               }),
               Contains("two columns are mapped to email"));
    CHECK_THAT(input_error([&] {
                   map_header(header, {"Type=days", "type=category"}, "r.csv:1");
               }),
               Contains("mapped twice"));
    CHECK(parse_roster_field("first-name") == RosterField::FirstName);
    CHECK(parse_roster_field("Organization") == RosterField::Organisation);
    CHECK(roster_field_name(RosterField::ExternalCode) == "code");
}

TEST_CASE("A header without a name column is refused at its line") {
    const std::string msg = input_error([] { map_header({"E-mail", "Structure"}, {}, "roster.csv:1"); });
    CHECK(msg.starts_with("roster.csv:1: no name column (expected one of: Nom, Prénom, Last name"));
    CHECK_THAT(input_error([] {
                   map_header({"Prénom", "E-mail"}, {}, "roster.csv:1");
               }),
               Contains("a first name alone is not enough"));
    CHECK_NOTHROW(map_header({"Full name"}, {}, "r.csv:1"));
    CHECK_NOTHROW(map_header({"Nom"}, {}, "r.csv:1"));
}

TEST_CASE("A full name splits into first and last name") {
    CHECK(split_full_name("Léa DUPRÉ") == PersonName{"Léa", "DUPRÉ"});
    CHECK(split_full_name("DUPRÉ Léa") == PersonName{"Léa", "DUPRÉ"});
    CHECK(split_full_name("  Léa   DUPRÉ ") == PersonName{"Léa", "DUPRÉ"});
    CHECK(split_full_name("Jean-Noël de La Fontaine") == PersonName{"Jean-Noël", "de La Fontaine"});
    CHECK(split_full_name("Jean-Noël de LA FONTAINE") == PersonName{"Jean-Noël", "de LA FONTAINE"});
    CHECK(split_full_name("DE LA FONTAINE Jean-Noël") == PersonName{"Jean-Noël", "DE LA FONTAINE"});
    CHECK(split_full_name("Anne Marie da Silva") == PersonName{"Anne Marie", "da Silva"});
    CHECK(split_full_name("Marie-Claire ÉLOI-N'DIAYE") == PersonName{"Marie-Claire", "ÉLOI-N'DIAYE"});
    CHECK(split_full_name("Léa M. DUPRÉ") == PersonName{"Léa M.", "DUPRÉ"});
    CHECK(split_full_name("Jane Doe") == PersonName{"Jane", "Doe"});
    CHECK(split_full_name("LÉA DUPRÉ") == PersonName{"LÉA", "DUPRÉ"});
    CHECK(split_full_name("Léa\xC2\xA0"
                          "Dupré") == PersonName{"Léa", "Dupré"}); // no-break space
    CHECK(split_full_name("Madonna") == PersonName{"", "Madonna"});
    CHECK(split_full_name("   ") == PersonName{});
}

// ---------------------------------------------------------------------------------------------------
// Day cells

TEST_CASE("Day cells in every usual format resolve to event days") {
    const DayMatcher days(kEventDates);
    auto one = [&](std::string_view cell) {
        const DaysResult r = days.parse(cell);
        INFO(cell << " -> " << r.error);
        REQUIRE(r);
        return r.dates;
    };
    const Fields wed = {"2022-09-28"};
    CHECK(one("2022-09-28") == wed);
    CHECK(one("28/09/2022") == wed);
    CHECK(one("28/09/22") == wed);
    CHECK(one("28/09") == wed);
    CHECK(one("28/9") == wed);
    CHECK(one("9/28/2022") == wed); // month first, as only it makes sense
    CHECK(one("28.09.2022") == wed);
    CHECK(one("28-09-2022") == wed);
    CHECK(one("mercredi") == wed);
    CHECK(one("MERCREDI") == wed);
    CHECK(one("Mercredi 28") == wed);
    CHECK(one("mer. 28 sept.") == wed);
    CHECK(one("mercredi 28 septembre 2022") == wed);
    CHECK(one("28 septembre 2022") == wed);
    CHECK(one("le 28 septembre") == wed);
    CHECK(one("Sept 28") == wed);
    CHECK(one("Sept 28, 2022") == wed);
    CHECK(one("September 28th") == wed);
    CHECK(one("Wednesday") == wed);
    CHECK(one("Wednesday, September 28, 2022") == wed);
    CHECK(one("  jeudi 29 septembre ") == Fields{"2022-09-29"});
    CHECK(one("mar") == Fields{"2022-09-27"}); // mardi, not March
}

TEST_CASE("Several days in one cell, in event order") {
    const DayMatcher days(kEventDates);
    const Fields wed_thu = {"2022-09-28", "2022-09-29"};
    for (const char* cell :
         {"mercredi, jeudi", "jeudi; mercredi", "mercredi/jeudi", "mercredi + jeudi", "mercredi et jeudi",
          "Wednesday and Thursday", "mercredi & jeudi", "mercredi\njeudi", "28/09/2022, 29/09/2022",
          "28/09 / 29/09", "Mercredi 28, jeudi 29", "mercredi, mercredi 28, jeudi"}) {
        const DaysResult r = days.parse(cell);
        INFO(cell << " -> " << r.error);
        CHECK(r);
        CHECK(r.dates == wed_thu);
    }
}

TEST_CASE("Empty, 'Tous', 'All days' and 'N jours' mean every day") {
    const DayMatcher days(kEventDates);
    for (const char* cell :
         {"", "  ", "Tous", "tous les jours", "TOUS LES JOURS", "All", "All days", "3 jours", "Les 3 jours",
          "trois jours", "Pass 3 jours", "3 days", "mercredi, tous"}) {
        const DaysResult r = days.parse(cell);
        INFO(cell << " -> " << r.error);
        CHECK(r);
        CHECK(r.dates.empty());
    }
    CHECK_THAT(days.parse("2 jours").error, Contains("\"2 jours\"") && Contains("3"));
}

TEST_CASE("Day labels such as OFF name their day") {
    const DayMatcher days(
        std::vector<EventDay>{{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}});
    CHECK(days.parse("OFF").dates == Fields{"2022-09-27"});
    CHECK(days.parse("off").dates == Fields{"2022-09-27"});
    CHECK(days.parse("Journée OFF").dates == Fields{"2022-09-27"});
    CHECK(days.parse("OFF + mercredi").dates == Fields{"2022-09-27", "2022-09-28"});
    // "2 jours" in an event of two ordinary days and an OFF day: the ordinary ones.
    CHECK(days.parse("2 jours").dates == Fields{"2022-09-28", "2022-09-29"});
    CHECK(days.parse("3 jours").dates.empty());
    CHECK_FALSE(DayMatcher(kEventDates).parse("OFF"));
}

TEST_CASE("A day value that matches no event day is an error naming it") {
    const DayMatcher days(kEventDates);
    const DaysResult fri = days.parse("mercredi, vendredi");
    CHECK_FALSE(fri);
    CHECK(fri.dates.empty());
    CHECK_THAT(fri.error, Contains("\"vendredi\"") && Contains("2022-09-28"));
    CHECK_THAT(days.parse("30/09/2022").error, Contains("\"30/09/2022\""));
    CHECK_THAT(days.parse("28/09/2021").error, Contains("\"28/09/2021\""));
    CHECK_THAT(days.parse("Mercredi 29").error, Contains("\"Mercredi 29\""));
    CHECK_THAT(days.parse("matin").error, Contains("\"matin\""));
    CHECK_THAT(days.parse("jour").error, Contains("\"jour\""));
    CHECK_THAT(days.parse("septembre").error, Contains("several"));
    // A weekday that falls twice in a long event is ambiguous.
    const DayMatcher long_event(std::vector<std::string>{"2022-09-28", "2022-10-05"});
    CHECK_THAT(long_event.parse("mercredi").error, Contains("several"));
    CHECK(long_event.parse("mercredi 5").dates == Fields{"2022-10-05"});
    // A bad event day is the caller's bug, reported as such.
    CHECK_THAT(input_error([] { DayMatcher(std::vector<std::string>{"2022-02-30"}); }),
               Contains("2022-02-30"));
    CHECK(parse_days("jeudi", kEventDates).dates == Fields{"2022-09-29"});
}

// ---------------------------------------------------------------------------------------------------
// Issue 12: form tools' headers and day answers, false friends, every bad row at once, French.

TEST_CASE("Form-tool and spreadsheet wordings of days, category, organisation and e-mail are recognised") {
    using F = RosterField;
    for (const char* days :
         {"Quels jours serez-vous présent·e ?", "Quels jours serez-vous présent(e) ?", "Jours de présence",
          "Jour(s) de présence", "Which days will you attend?", "Date(s)", "Dates", "Quelle(s) journée(s) ?",
          "Days attending", "Dates de présence", "Choix des jours"}) {
        CAPTURE(days);
        CHECK(field_for_header(days) == F::Days);
    }
    for (const char* category : {"Vous êtes", "Vous êtes :", "VOUS ÊTES ?", "You are", "Profil"}) {
        CAPTURE(category);
        CHECK(field_for_header(category) == F::Category);
    }
    for (const char* organisation :
         {"Organisme", "Structure", "Organisme / Structure", "Nom de votre structure", "Votre organisme :"}) {
        CAPTURE(organisation);
        CHECK(field_for_header(organisation) == F::Organisation);
    }
    for (const char* email : {"Mail", "Adresse e-mail", "Courriel", "Adresse mail professionnelle",
                              "Email Address", "Quelle est votre adresse e-mail ?", "Mail / Courriel"}) {
        CAPTURE(email);
        CHECK(field_for_header(email) == F::Email);
    }
    CHECK(field_for_header("Nom / Prénom") == F::FullName);
    CHECK(field_for_header("Avez-vous des besoins d'accessibilité ?") == F::Note);
    CHECK(field_for_header("Quel est votre prénom ?") == F::FirstName);
}

TEST_CASE("Timestamps, registration and order dates are not days columns") {
    for (const char* header : {"Horodateur", "Timestamp", "Date d'inscription", "Date", "Date de naissance",
                               "Order date", "Date de la commande", "Nombre de jours", "Heure d'arrivée",
                               "Jours de repas", "Registration date", "Date/heure de création"}) {
        CAPTURE(header);
        CHECK(field_for_header(header) != RosterField::Days);
    }
    const HeaderMap map = map_header(
        {"Horodateur", "Nom", "Prénom", "Date d'inscription", "Quels jours serez-vous présent·e ?"}, {},
        "f.csv:1");
    CHECK(map.column(RosterField::Days) == 4u);
    CHECK(map.ignored == Fields{"Horodateur", "Date d'inscription"});
}

TEST_CASE("Day answers as form tools write them map to the event's days") {
    const DayMatcher days(
        std::vector<EventDay>{{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}});
    const DayMatcher plain(kEventDates); // the same days without the OFF label
    const Fields all = {"2022-09-27", "2022-09-28", "2022-09-29"};
    const Fields wed_thu = {"2022-09-28", "2022-09-29"};
    for (const DayMatcher* m : {&days, &plain}) {
        // Google Forms joins checkbox answers with ", ", Microsoft Forms with ";" (one at the end too).
        CHECK(m->parse("Mardi 27 septembre (journée OFF), Mercredi 28 septembre, Jeudi 29 septembre").dates ==
              all);
        CHECK(m->parse("Mercredi 28 septembre;Jeudi 29 septembre;").dates == wed_thu);
        CHECK(m->parse("Jeudi 29 septembre (clôture, 9h-13h)").dates == Fields{"2022-09-29"});
        CHECK(m->parse("Mercredi 28 septembre 2022, jeudi 29 septembre 2022").dates == wed_thu);
        CHECK(m->parse("Wednesday, September 28, Thursday, September 29").dates == wed_thu);
    }
    // A parenthesis never closed is no comment: it hides no day, and its words are judged.
    CHECK(plain.parse("Mercredi 28 septembre, Jeudi 29 septembre (clôture").value ==
          "Jeudi 29 septembre (clôture");
    CHECK(plain.parse("Mercredi 28 septembre (plénière, Jeudi 29 septembre").value ==
          "Mercredi 28 septembre (plénière");
    // What failed is named by itself and as the whole answer can be quoted.
    const DaysResult r = plain.parse("Mercredi 28 septembre, Vendredi 30 septembre");
    CHECK_FALSE(r);
    CHECK(r.value == "Vendredi 30 septembre");
    CHECK_THAT(r.reason, Contains("none of the event"));
    CHECK_THAT(r.error, Contains("\"Vendredi 30 septembre\""));
}

TEST_CASE("The CSV reader can report every row with a wrong number of cells instead of the first") {
    std::vector<CsvBadRow> bad;
    const CsvTable t = read_csv("Nom;Prénom;E-mail\nDupré;Léa;lea@example.org\nMartin;Zoé\n"
                                "N'Diaye;Jean;jn@example.org;extra;cells\nRoux;René;rene@example.org\n",
                                "r.csv", 0, {}, &bad);
    REQUIRE(bad.size() == 2);
    CHECK(bad[0].line == 3);
    CHECK(bad[0].fields == 2);
    CHECK(bad[1].line == 4);
    CHECK(bad[1].fields == 5);
    CHECK(t.rows.size() == 2); // the good ones
    // Without the list the first one is still an error at its line.
    CHECK_THAT(input_error([] { read_csv("Nom;Prénom\nDupré\nA;B;C\n", "r.csv"); }), Contains("r.csv:2: "));
}

TEST_CASE("Header errors speak French when the process does") {
    i18n::set_process_lang(i18n::Lang::Fr);
    const std::string none = input_error([] { map_header({"E-mail", "Structure"}, {}, "inscrits.csv:1"); });
    const std::string bad_map = input_error([] { map_header({"Nom", "Type"}, {"Type=catgory"}, "r.csv:1"); });
    const DaysResult day = DayMatcher(kEventDates).parse("vendredi");
    i18n::set_process_lang(i18n::Lang::En);
    CHECK_THAT(none, Contains("inscrits.csv:1: ") && Contains("aucune colonne") && Contains("--map"));
    CHECK_THAT(bad_map, Contains("« catgory »") && Contains("category"));
    CHECK_THAT(day.reason, Contains("aucun des jours"));
}
