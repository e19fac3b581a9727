#include "report/report_tables.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <map>

namespace accueil::report {
namespace {

const char* say(Lang lang, const char* fr, const char* en) {
    return lang == Lang::Fr ? fr : en;
}

// U+202F NARROW NO-BREAK SPACE: the French thousands separator and the space before '%'.
constexpr const char* kNarrowNbsp = "\xE2\x80\xAF";

std::optional<std::chrono::year_month_day> parse_date(const std::string& s) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok())
        return std::nullopt;
    return ymd;
}

// The day's no-shows: only for days that have begun (the figures give their rate then).
std::optional<std::int64_t> no_shows(const DayFigures& day) {
    if (!day.no_show_rate)
        return std::nullopt;
    return day.registered > day.arrived ? day.registered - day.arrived : 0;
}

} // namespace

std::optional<Lang> parse_lang(std::string_view code) {
    if (code == "fr")
        return Lang::Fr;
    if (code == "en")
        return Lang::En;
    return std::nullopt;
}

std::string format_count(std::int64_t n, Lang lang) {
    const bool negative = n < 0;
    const std::string digits = std::to_string(negative ? -n : n);
    std::string out = negative ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += lang == Lang::Fr ? kNarrowNbsp : ",";
        out.push_back(digits[i]);
    }
    return out;
}

std::string format_percent(double percent, Lang lang) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", percent);
    std::string s(buffer);
    if (lang == Lang::En)
        return s + "%";
    for (char& c : s)
        if (c == '.')
            c = ',';
    return s + kNarrowNbsp + "%";
}

std::string format_long_date(const std::string& yyyy_mm_dd, Lang lang) {
    const auto ymd = parse_date(yyyy_mm_dd);
    if (!ymd)
        return yyyy_mm_dd;
    static constexpr std::array<const char*, 7> kDaysFr = {"dimanche", "lundi",    "mardi", "mercredi",
                                                           "jeudi",    "vendredi", "samedi"};
    static constexpr std::array<const char*, 7> kDaysEn = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                           "Thursday", "Friday", "Saturday"};
    static constexpr std::array<const char*, 12> kMonthsFr = {"janvier",   "février", "mars",     "avril",
                                                              "mai",       "juin",    "juillet",  "août",
                                                              "septembre", "octobre", "novembre", "décembre"};
    static constexpr std::array<const char*, 12> kMonthsEn = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    const unsigned wd = std::chrono::weekday{std::chrono::sys_days{*ymd}}.c_encoding();
    const unsigned m = unsigned(ymd->month()) - 1;
    const std::string day_of_month = std::to_string(unsigned(ymd->day()));
    const std::string year = std::to_string(int(ymd->year()));
    if (lang == Lang::Fr)
        return std::string(kDaysFr[wd]) + " " + (day_of_month == "1" ? "1er" : day_of_month) + " " +
               kMonthsFr[m] + " " + year;
    return std::string(kDaysEn[wd]) + " " + day_of_month + " " + kMonthsEn[m] + " " + year;
}

std::string format_short_date(const std::string& yyyy_mm_dd, Lang lang) {
    const auto ymd = parse_date(yyyy_mm_dd);
    if (!ymd)
        return yyyy_mm_dd;
    static constexpr std::array<const char*, 12> kMonthsEn = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buffer[16];
    if (lang == Lang::Fr)
        std::snprintf(buffer, sizeof buffer, "%02u/%02u", unsigned(ymd->day()), unsigned(ymd->month()));
    else
        std::snprintf(buffer, sizeof buffer, "%u %s", unsigned(ymd->day()),
                      kMonthsEn[unsigned(ymd->month()) - 1]);
    return buffer;
}

std::string category_name(const std::string& category, Lang lang) {
    return category.empty() ? say(lang, "(sans catégorie)", "(no category)") : category;
}

Table days_table(const ReportData& data, Lang lang) {
    Table t;
    t.file = "days.csv";
    t.title = say(lang, "Inscrits et présents par jour", "Registered and arrived per day");
    // Short headers: eleven columns fit the width of an A4 page.
    t.columns = {say(lang, "Jour", "Day"),
                 say(lang, "Nom", "Name"),
                 say(lang, "Inscrits", "Registered"),
                 say(lang, "Présents", "Arrived"),
                 say(lang, "Absents", "No-shows"),
                 say(lang, "Taux d'absence (%)", "No-show rate (%)"),
                 say(lang, "Inscrits sur place", "Walk-ins"),
                 say(lang, "Doublons", "Duplicates"),
                 say(lang, "Annulations", "Undos"),
                 say(lang, "Pic (quart d'heure)", "Busiest quarter-hour"),
                 say(lang, "Arrivées au pic", "Arrivals then")};
    for (const auto& day : data.figures.days) {
        const auto absent = no_shows(day);
        t.rows.push_back({Cell::plain(day.date), Cell::roster(day.label), Cell::count(day.registered),
                          Cell::count(day.arrived), absent ? Cell::count(*absent) : Cell::none(),
                          day.no_show_rate ? Cell::percent(*day.no_show_rate * 100.0) : Cell::none(),
                          Cell::count(day.walk_ins), Cell::count(day.duplicates), Cell::count(day.undos),
                          day.busiest ? Cell::plain(day.busiest->label) : Cell::none(),
                          day.busiest ? Cell::count(day.busiest->arrivals) : Cell::none()});
    }
    return t;
}

Table categories_table(const ReportData& data, Lang lang) {
    Table t;
    t.file = "categories.csv";
    t.title = say(lang, "Inscrits et présents par catégorie", "Registered and arrived per category");
    t.columns = {say(lang, "Catégorie", "Category"),
                 say(lang, "Inscrits (tous jours)", "Registered (any day)")};
    for (const auto& day : data.figures.days) {
        t.columns.push_back(day.date + " " + say(lang, "inscrits", "registered"));
        t.columns.push_back(day.date + " " + say(lang, "présents", "arrived"));
    }
    for (const auto& category : data.figures.categories) {
        std::vector<Cell> row{category.category.empty() ? Cell::plain(category_name("", lang))
                                                        : Cell::roster(category.category),
                              Cell::count(category.registered)};
        // Matched by date, not position: a category's list could miss a day.
        for (const auto& day : data.figures.days) {
            const CategoryFigures::PerDay* found = nullptr;
            for (const auto& per : category.days)
                if (per.date == day.date)
                    found = &per;
            row.push_back(Cell::count(found ? found->registered : 0));
            row.push_back(Cell::count(found ? found->arrived : 0));
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

Table quarter_hours_table(const ReportData& data, Lang lang) {
    Table t;
    t.file = "quarter_hours.csv";
    t.title = say(lang, "Arrivées par quart d'heure", "Arrivals per quarter-hour");
    // One row per local quarter-hour, one column per day: the days' mornings side by side, and a table
    // a quarter of the length of one row per day and quarter-hour.
    t.columns = {say(lang, "Quart d'heure (heure locale)", "Quarter-hour (local time)")};
    std::map<std::string, std::map<std::string, std::int64_t>> by_label; // "09:15" -> day -> arrivals
    for (const auto& day : data.figures.days) {
        t.columns.push_back(day.date);
        for (const auto& q : day.quarter_hours)
            by_label[q.label][day.date] += q.arrivals;
    }
    for (const auto& [label, per_day] : by_label) {
        std::vector<Cell> row{Cell::plain(label)};
        for (const auto& day : data.figures.days) {
            const auto it = per_day.find(day.date);
            row.push_back(Cell::count(it == per_day.end() ? 0 : it->second));
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

Table devices_table(const ReportData& data, Lang lang) {
    Table t;
    t.file = "devices.csv";
    t.title = say(lang, "Arrivées par appareil", "Arrivals per device");
    t.columns = {say(lang, "Appareil", "Device"), say(lang, "Rôle", "Role")};
    for (const auto& day : data.figures.days)
        t.columns.push_back(day.date);
    t.columns.push_back(say(lang, "Total", "Total"));
    for (const auto& device : data.figures.devices) {
        std::string role = device.role;
        if (role == "kiosk")
            role = say(lang, "borne", "kiosk");
        else if (role == "desk")
            role = say(lang, "accueil", "desk");
        else if (role == "central")
            role = say(lang, "poste des organisateurs", "organisers' machine");
        else
            role = say(lang, "non enrôlé ici", "not enrolled here");
        std::vector<Cell> row{Cell::roster(device.name), Cell::plain(role)};
        const auto per_day = data.device_day_arrivals.find(device.name);
        for (const auto& day : data.figures.days) {
            std::int64_t n = 0;
            if (per_day != data.device_day_arrivals.end()) {
                const auto it = per_day->second.find(day.date);
                n = it == per_day->second.end() ? 0 : it->second;
            }
            row.push_back(Cell::count(n));
        }
        row.push_back(Cell::count(device.arrivals_total));
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::string table_csv(const Table& table, CsvStyle style) {
    CsvWriter csv(style);
    for (const auto& column : table.columns)
        csv.plain(column);
    csv.end_row();
    for (const auto& row : table.rows) {
        for (const auto& cell : row) {
            switch (cell.kind) {
            case Cell::Kind::Roster:
                csv.text(cell.text);
                break;
            case Cell::Kind::Plain:
                csv.plain(cell.text);
                break;
            case Cell::Kind::Integer:
                csv.integer(cell.integer);
                break;
            case Cell::Kind::Percent:
                csv.decimal(cell.number, 1);
                break;
            case Cell::Kind::Empty:
                csv.empty();
                break;
            }
        }
        csv.end_row();
    }
    return csv.str();
}

} // namespace accueil::report
