#include "demo_roster.hpp"
#include "import/csv_reader.hpp"
#include "import/header_map.hpp"
#include "text_fold.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <unordered_set>

using namespace accueil;

namespace {

const std::vector<std::string> kDays = {"2022-09-27", "2022-09-28", "2022-09-29"};
const std::string kHeader = "Prénom;Nom;E-mail;Structure;Catégorie;Jours;Code";
enum Col { First, Last, Email, Org, Category, Days, Code };

std::string generate(std::size_t count, std::uint64_t seed = 2022, std::vector<std::string> days = kDays) {
    std::ostringstream out;
    write_demo_roster_csv(out, DemoRosterOptions{count, seed, std::move(days)});
    return out.str();
}

// A quote-aware splitter written independently of the importer: ';' between fields, "" inside quotes,
// CRLF or LF between records.
std::vector<std::vector<std::string>> parse(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ';') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            fields.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(fields));
            fields.clear();
        } else {
            field.push_back(c);
        }
    }
    REQUIRE_FALSE(quoted);
    if (!field.empty() || !fields.empty()) {
        fields.push_back(std::move(field));
        records.push_back(std::move(fields));
    }
    return records;
}

bool contains(const std::string& s, std::string_view part) {
    return s.find(part) != std::string::npos;
}

bool plausible_email(const std::string& e) {
    const auto at = e.find('@');
    if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos)
        return false;
    if (e.find('.', at) == std::string::npos)
        return false;
    for (unsigned char c : e)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
              c == '@'))
            return false;
    return true;
}

} // namespace

TEST_CASE("Demo roster: the same seed gives the same bytes, another seed another roster") {
    const std::string a = generate(2000, 7);
    CHECK(a == generate(2000, 7));
    CHECK(a != generate(2000, 8));
    // A longer roster starts with the same people: rows do not depend on the count.
    CHECK(generate(3000, 7).starts_with(a));
}

TEST_CASE("Demo roster: header, field count on every line, UTF-8, RFC 4180 quoting") {
    const std::string text = generate(1700);
    CHECK(is_valid_utf8(text));
    CHECK(text.starts_with(kHeader + "\r\n"));
    const auto records = parse(text);
    REQUIRE(records.size() == 1701);
    for (const auto& r : records)
        REQUIRE(r.size() == 7);
    // Days of several dates hold ',' and are quoted; an organisation with quotes in its name survives.
    CHECK(contains(text, ";\"2022-09-28,2022-09-29\";"));
    bool quoted_org = false;
    for (const auto& r : records)
        quoted_org = quoted_org || r[Org] == "Espace public numérique \"Le Cyber\"";
    CHECK(quoted_org);
    CHECK(contains(text, "\"Espace public numérique \"\"Le Cyber\"\"\""));
}

TEST_CASE("Demo roster: the importer's own reader maps every column and reads every row") {
    const std::string text = generate(1700);
    const CsvTable table = read_csv(text, "demo.csv");
    CHECK(table.delimiter == ';');
    CHECK(table.rows.size() == 1700);
    const HeaderMap map = map_header(table.header.fields, {}, "demo.csv:1");
    CHECK(map.column(RosterField::FirstName) == 0u);
    CHECK(map.column(RosterField::LastName) == 1u);
    CHECK(map.column(RosterField::Email) == 2u);
    CHECK(map.column(RosterField::Organisation) == 3u);
    CHECK(map.column(RosterField::Category) == 4u);
    CHECK(map.column(RosterField::Days) == 5u);
    CHECK(map.column(RosterField::ExternalCode) == 6u);
    CHECK(map.ignored.empty());
}

TEST_CASE("Demo roster: category proportions of a 1,700-person conference") {
    for (std::uint64_t seed : {2022u, 1u, 42u}) {
        CAPTURE(seed);
        const auto records = parse(generate(1700, seed));
        std::map<std::string, int> by_category;
        for (std::size_t i = 1; i < records.size(); ++i)
            ++by_category[records[i][Category]];
        const auto share = [&](const char* label) { return by_category[label] / 1700.0; };
        CHECK(by_category.size() == 6);
        CHECK(share("Participant") >= 0.74);
        CHECK(share("Participant") <= 0.85);
        CHECK(share("Intervenant") >= 0.08);
        CHECK(share("Intervenant") <= 0.14);
        CHECK(share("Organisateur") >= 0.02);
        CHECK(share("Organisateur") <= 0.055);
        CHECK(share("Bénévole") >= 0.02);
        CHECK(share("Bénévole") <= 0.055);
        CHECK(share("Presse") >= 0.003);
        CHECK(share("Presse") <= 0.02);
        CHECK(share("Partenaire") >= 0.005);
        CHECK(share("Partenaire") <= 0.04);
    }
}

TEST_CASE("Demo roster: organisations, days and codes look like a real event's") {
    const auto records = parse(generate(1700));
    int no_org = 0, participants = 0, off_only = 0, all_days = 0, main_days = 0, staff_without_code = 0;
    int organisers = 0, organisers_every_day = 0;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const auto& r = records[i];
        no_org += r[Org].empty();
        if (r[Category] == "Participant") {
            ++participants;
            CHECK(r[Code].size() == 10);
            off_only += r[Days] == "2022-09-27";
            all_days += r[Days] == "2022-09-27,2022-09-28,2022-09-29";
            main_days += r[Days] == "2022-09-28,2022-09-29";
        } else {
            staff_without_code += r[Code].empty();
        }
        if (r[Category] == "Organisateur") {
            ++organisers;
            organisers_every_day += r[Days].empty();
        } else {
            CHECK_FALSE(r[Days].empty());
        }
        for (char c : r[Code])
            CHECK(((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')));
    }
    CHECK(no_org >= 1700 * 0.06);
    CHECK(no_org <= 1700 * 0.14);
    CHECK(off_only >= participants * 0.15);
    CHECK(off_only <= participants * 0.25);
    CHECK(main_days > participants / 4);
    CHECK(all_days > 0);
    CHECK(staff_without_code > 0);
    CHECK(organisers_every_day > organisers / 2);
}

TEST_CASE("Demo roster: names with accents, hyphens, apostrophes, particles and ligatures") {
    const auto records = parse(generate(1700));
    std::unordered_set<std::string> first_names, last_names;
    for (std::size_t i = 1; i < records.size(); ++i) {
        first_names.insert(records[i][First]);
        last_names.insert(records[i][Last]);
    }
    const auto any = [](const auto& names, auto pred) {
        return std::any_of(names.begin(), names.end(), pred);
    };
    const auto has = [&](const auto& names, std::string_view part) {
        return any(names, [&](const std::string& n) { return contains(n, part); });
    };
    CHECK(first_names.size() > 120);
    CHECK(last_names.size() > 200);
    CHECK(has(first_names, "é"));
    CHECK(has(first_names, "Églantine"));
    CHECK(has(first_names, "Jean-Noël"));
    CHECK(has(first_names, "æ")); // Lætitia
    CHECK(has(last_names, "'"));  // N'Diaye, O'Brien, d'Arbois
    CHECK(has(last_names, "N'Diaye"));
    CHECK(has(last_names, "Œ"));
    CHECK(has(last_names, "de La Fontaine"));
    CHECK(has(last_names, "Le Goff"));
    CHECK(has(last_names, "Çelik"));
    CHECK(has(last_names, "-"));
}

TEST_CASE("Demo roster: 100,000 rows with unique ASCII e-mails and unique ticket codes") {
    const std::string text = generate(100'000);
    CHECK(is_valid_utf8(text));
    const auto records = parse(text);
    REQUIRE(records.size() == 100'001);
    std::unordered_set<std::string> emails, codes, full_names;
    std::size_t with_code = 0;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const auto& r = records[i];
        REQUIRE(r.size() == 7);
        INFO(r[Email]);
        REQUIRE(plausible_email(r[Email]));
        REQUIRE(emails.insert(r[Email]).second);
        if (!r[Code].empty()) {
            ++with_code;
            REQUIRE(codes.insert(r[Code]).second);
        }
        full_names.insert(r[First] + " " + r[Last]);
    }
    CHECK(with_code > 85'000); // participants, press and partners, half the speakers, some staff
    // Plenty of distinct people, and namesakes as in real life.
    CHECK(full_names.size() > 20'000);
    CHECK(full_names.size() < 100'000);
    CHECK(contains(text, "@orange.fr"));
    CHECK(contains(text, "@gmail.com"));
    CHECK(contains(text, "@ville-lyon.fr"));
}

TEST_CASE("Demo roster: edge cases of the options") {
    CHECK(generate(0) == kHeader + "\r\n");
    // Without event days every "Jours" cell is empty; with one day, that day.
    for (const auto& r : parse(generate(300, 2022, {})))
        CHECK(r[Days] == (r[First] == "Prénom" ? "Jours" : ""));
    for (const auto& r : parse(generate(300, 2022, {"2023-05-12"})))
        CHECK((r[Days] == "Jours" || r[Days] == "2023-05-12" || r[Days].empty()));
}
