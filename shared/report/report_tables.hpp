#pragma once
// The report's tables, built once from the figures and written two ways: as HTML in the report page
// (report_html.hpp) and as CSV files (`accueil report --csv DIR`), so both always say the same.
#include "report/csv_writer.hpp"
#include "report/report_data.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::report {

enum class Lang { Fr, En };

// "fr" or "en"; nullopt for anything else.
std::optional<Lang> parse_lang(std::string_view code);

struct Cell {
    enum class Kind {
        Roster,  // text from people (category, device, day label): escaped in HTML, neutralised in CSV
        Plain,   // text this program wrote (dates, times, words)
        Integer, // a count
        Percent, // a percentage, one decimal
        Empty,   // nothing to say (a rate of a day not begun)
    };
    Kind kind = Kind::Empty;
    std::string text;
    std::int64_t integer = 0;
    double number = 0;

    static Cell roster(std::string s) { return {Kind::Roster, std::move(s), 0, 0}; }
    static Cell plain(std::string s) { return {Kind::Plain, std::move(s), 0, 0}; }
    static Cell count(std::int64_t n) { return {Kind::Integer, {}, n, 0}; }
    static Cell percent(double p) { return {Kind::Percent, {}, 0, p}; }
    static Cell none() { return {}; }
};

struct Table {
    std::string file;                 // "days.csv"
    std::string title;                // in the report's language
    std::vector<std::string> columns; // headers, in the report's language
    std::vector<std::vector<Cell>> rows;
};

Table days_table(const ReportData& data, Lang lang);
Table categories_table(const ReportData& data, Lang lang);
Table quarter_hours_table(const ReportData& data, Lang lang);
Table devices_table(const ReportData& data, Lang lang);

// The table as a CSV file: the headers, then one line per row.
std::string table_csv(const Table& table, CsvStyle style);

// Numbers as people of the language write them: "1 234" and "12,5 %" in French, "1,234" and "12.5%".
std::string format_count(std::int64_t n, Lang lang);
std::string format_percent(double percent, Lang lang);
// "mercredi 28 septembre 2022" / "Wednesday 28 September 2022"; the text itself when not a date.
std::string format_long_date(const std::string& yyyy_mm_dd, Lang lang);
// "28/09" / "28 Sep".
std::string format_short_date(const std::string& yyyy_mm_dd, Lang lang);
// The name a table gives the roster's empty category.
std::string category_name(const std::string& category, Lang lang);

} // namespace accueil::report
