#include "report/report_html.hpp"

#include "event_calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace accueil::report {
namespace {

const char* say(Lang lang, const char* fr, const char* en) {
    return lang == Lang::Fr ? fr : en;
}

std::string num(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
    return buffer;
}

// At most `max_chars` UTF-8 characters, with an ellipsis when cut (chart labels have a fixed room; the
// full text is in the table and in the bar's tooltip).
std::string clip(const std::string& s, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80)
            continue;
        if (chars == max_chars)
            return s.substr(0, i) + "…";
        ++chars;
    }
    return s;
}

// A round axis: the step is 1, 2 or 5 times a power of ten, about five steps up to the largest value.
struct Axis {
    std::int64_t step = 1;
    std::int64_t max = 1;
};
Axis nice_axis(std::int64_t largest) {
    Axis a;
    if (largest <= 0)
        return a;
    const double raw = double(largest) / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(std::max(raw, 1.0))));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (magnitude * m >= raw) {
            step = magnitude * m;
            break;
        }
    a.step = std::max<std::int64_t>(1, std::int64_t(step));
    a.max = ((largest + a.step - 1) / a.step) * a.step;
    return a;
}

struct Series {
    std::string name;
    std::string css; // bar colour class
};

struct Group {
    std::string label;   // under the bars (escaped when drawn)
    std::string tooltip; // the full name, for the bars' <title>
    std::vector<std::int64_t> values;
    bool highlight = false;
};

struct ChartText {
    std::string title; // the chart's accessible name
    std::string x_axis;
    std::string y_axis;
};

void legend(std::string& out, const std::vector<Series>& series, double x, double y) {
    if (series.size() < 2)
        return;
    for (const auto& s : series) {
        out += "<rect class=\"" + s.css + "\" x=\"" + num(x) + "\" y=\"" + num(y - 10) +
               "\" width=\"12\" height=\"12\"/>";
        out += "<text class=\"legend\" x=\"" + num(x + 17) + "\" y=\"" + num(y) + "\">" +
               escape_html(s.name) + "</text>";
        x += 28 + 7.5 * double(s.name.size());
    }
}

std::string svg_open(double width, double height, const ChartText& text) {
    return "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(width) + " " +
           num(height) + "\" role=\"img\" aria-label=\"" + escape_html(text.title) + "\"><title>" +
           escape_html(text.title) + "</title>";
}

// Vertical bars, grouped: one group per x label (an empty label is not drawn: a day of quarter-hours
// labels only its full hours), one bar per series; values are written above the bars when there is room.
std::string vertical_chart(const ChartText& text, const std::vector<Series>& series,
                           const std::vector<Group>& groups, Lang lang) {
    const double width = 720, height = 300, left = 64, right = 16, top = 34, bottom = 62;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    std::int64_t largest = 0;
    for (const auto& g : groups)
        for (const auto v : g.values)
            largest = std::max(largest, v);
    const Axis axis = nice_axis(largest);
    const auto y_of = [&](std::int64_t v) { return top + plot_h - plot_h * double(v) / double(axis.max); };

    std::string out = svg_open(width, height, text);
    legend(out, series, left, 18);
    for (std::int64_t v = 0; v <= axis.max; v += axis.step) {
        const double y = y_of(v);
        out += "<line class=\"grid\" x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" +
               num(y) + "\" y2=\"" + num(y) + "\"/>";
        out += "<text class=\"tick\" x=\"" + num(left - 6) + "\" y=\"" + num(y + 4) +
               "\" text-anchor=\"end\">" + format_count(v, lang) + "</text>";
    }
    const double group_w = plot_w / double(std::max<std::size_t>(groups.size(), 1));
    // Bars no wider than 56: a day with a single quarter-hour is one slim bar, not a block.
    const double bar_w = std::min(group_w * 0.8 / double(std::max<std::size_t>(series.size(), 1)), 56.0);
    const bool values_fit = bar_w >= 22;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const auto& g = groups[i];
        const double x0 = left + group_w * (double(i) + 0.5) - bar_w * double(series.size()) / 2;
        for (std::size_t s = 0; s < g.values.size() && s < series.size(); ++s) {
            const double y = y_of(g.values[s]);
            const double x = x0 + bar_w * double(s);
            const std::string css = g.highlight ? "bar busiest" : "bar " + series[s].css;
            out += "<rect class=\"" + css + "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
                   num(std::max(bar_w - 1, 1.0)) + "\" height=\"" + num(top + plot_h - y) + "\"><title>" +
                   escape_html(g.tooltip) + (series.size() > 1 ? " — " + escape_html(series[s].name) : "") +
                   " : " + format_count(g.values[s], lang) + "</title></rect>";
            if (values_fit || g.highlight)
                out += "<text class=\"value\" x=\"" + num(x + bar_w / 2) + "\" y=\"" + num(y - 4) +
                       "\" text-anchor=\"middle\">" + format_count(g.values[s], lang) + "</text>";
        }
        if (!g.label.empty())
            out += "<text class=\"tick\" x=\"" + num(left + group_w * (double(i) + 0.5)) + "\" y=\"" +
                   num(top + plot_h + 16) + "\" text-anchor=\"middle\">" + escape_html(clip(g.label, 16)) +
                   "</text>";
    }
    out += "<line class=\"axis\" x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" +
           num(top + plot_h) + "\" y2=\"" + num(top + plot_h) + "\"/>";
    out += "<text class=\"axis-title\" x=\"" + num(left + plot_w / 2) + "\" y=\"" + num(height - 12) +
           "\" text-anchor=\"middle\">" + escape_html(text.x_axis) + "</text>";
    out += "<text class=\"axis-title\" transform=\"translate(16 " + num(top + plot_h / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">" + escape_html(text.y_axis) + "</text>";
    return out + "</svg>";
}

// Horizontal bars, grouped: one row per label (categories, devices: long names read better across).
std::string horizontal_chart(const ChartText& text, const std::vector<Series>& series,
                             const std::vector<Group>& groups, Lang lang) {
    const double width = 720, left = 210, right = 56, top = 34, bottom = 44;
    const double bar_h = 14, gap = 10;
    const double row_h = bar_h * double(series.size()) + gap;
    const double plot_w = width - left - right, plot_h = row_h * double(groups.size());
    const double height = top + plot_h + bottom;
    std::int64_t largest = 0;
    for (const auto& g : groups)
        for (const auto v : g.values)
            largest = std::max(largest, v);
    const Axis axis = nice_axis(largest);
    const auto x_of = [&](std::int64_t v) { return left + plot_w * double(v) / double(axis.max); };

    std::string out = svg_open(width, height, text);
    legend(out, series, left, 18);
    for (std::int64_t v = 0; v <= axis.max; v += axis.step) {
        const double x = x_of(v);
        out += "<line class=\"grid\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" + num(top) +
               "\" y2=\"" + num(top + plot_h) + "\"/>";
        out += "<text class=\"tick\" x=\"" + num(x) + "\" y=\"" + num(top + plot_h + 16) +
               "\" text-anchor=\"middle\">" + format_count(v, lang) + "</text>";
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const auto& g = groups[i];
        const double y0 = top + row_h * double(i) + gap / 2;
        out += "<text class=\"label\" x=\"" + num(left - 8) + "\" y=\"" +
               num(y0 + bar_h * double(series.size()) / 2 + 4) + "\" text-anchor=\"end\">" +
               escape_html(clip(g.label, 28)) + "</text>";
        for (std::size_t s = 0; s < g.values.size() && s < series.size(); ++s) {
            const double y = y0 + bar_h * double(s);
            const double w = x_of(g.values[s]) - left;
            out += "<rect class=\"bar " + series[s].css + "\" x=\"" + num(left) + "\" y=\"" + num(y) +
                   "\" width=\"" + num(w) + "\" height=\"" + num(bar_h - 1) + "\"><title>" +
                   escape_html(g.tooltip) + (series.size() > 1 ? " — " + escape_html(series[s].name) : "") +
                   " : " + format_count(g.values[s], lang) + "</title></rect>";
            out += "<text class=\"value\" x=\"" + num(left + w + 4) + "\" y=\"" + num(y + bar_h - 3) + "\">" +
                   format_count(g.values[s], lang) + "</text>";
        }
    }
    out += "<line class=\"axis\" x1=\"" + num(left) + "\" x2=\"" + num(left) + "\" y1=\"" + num(top) +
           "\" y2=\"" + num(top + plot_h) + "\"/>";
    out += "<text class=\"axis-title\" x=\"" + num(left + plot_w / 2) + "\" y=\"" + num(height - 8) +
           "\" text-anchor=\"middle\">" + escape_html(text.x_axis) + "</text>";
    return out + "</svg>";
}

std::string cell_html(const Cell& cell, Lang lang) {
    switch (cell.kind) {
    case Cell::Kind::Roster:
        return "<td>" + escape_html(cell.text) + "</td>";
    case Cell::Kind::Plain: // dates and times: never broken across lines
        return "<td class=\"nowrap\">" + escape_html(cell.text) + "</td>";
    case Cell::Kind::Integer:
        return "<td class=\"num\">" + format_count(cell.integer, lang) + "</td>";
    case Cell::Kind::Percent:
        return "<td class=\"num\">" + format_percent(cell.number, lang) + "</td>";
    case Cell::Kind::Empty:
        break;
    }
    return "<td class=\"num\">—</td>";
}

std::string table_html(const Table& table, Lang lang) {
    // Many columns: a smaller type, so that they fit the width of an A4 page.
    std::string out = std::string("<div class=\"table\"><table") +
                      (table.columns.size() > 8 ? " class=\"wide\"" : "") + "><caption>" +
                      escape_html(table.title) + "</caption><thead><tr>";
    for (const auto& column : table.columns) {
        // "2022-09-28 inscrits": the date is kept on one line, the words may wrap.
        if (column.size() > 10 && is_valid_date(column.substr(0, 10)))
            out += "<th scope=\"col\"><span class=\"nowrap\">" + escape_html(column.substr(0, 10)) +
                   "</span>" + escape_html(column.substr(10)) + "</th>";
        else
            out += "<th scope=\"col\">" + escape_html(column) + "</th>";
    }
    out += "</tr></thead><tbody>";
    for (const auto& row : table.rows) {
        out += "<tr>";
        for (const auto& cell : row)
            out += cell_html(cell, lang);
        out += "</tr>";
    }
    if (table.rows.empty())
        out += "<tr><td colspan=\"" + std::to_string(table.columns.size()) + "\">" +
               say(lang, "Aucune donnée.", "No data.") + "</td></tr>";
    return out + "</tbody></table></div>";
}

// "09:15" -> "09:30": the end of a quarter-hour, for "09:15–09:30".
std::string quarter_end(const std::string& label) {
    int h = 0, m = 0;
    if (std::sscanf(label.c_str(), "%d:%d", &h, &m) != 2)
        return label;
    m += 15;
    h = (h + m / 60) % 24;
    m %= 60;
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", h, m);
    return buffer;
}

std::string day_title(const DayFigures& day, Lang lang) {
    std::string s = format_long_date(day.date, lang);
    if (!day.label.empty())
        s += " (" + day.label + ")";
    return s;
}

constexpr const char* kStyle = R"css(
@page { size: A4; margin: 14mm 12mm; }
:root { --registered: #9fb9dc; --arrived: #1d4f91; --busiest: #b34700; --ink: #1a1a1a; --muted: #555; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto;
  max-width: 190mm; padding: 12px; line-height: 1.4; font-size: 11pt; background: #fff; }
header { border-bottom: 3px solid var(--arrived); margin-bottom: 12px; padding-bottom: 6px; }
h1 { font-size: 20pt; margin: 0 0 4px; }
.event { font-size: 15pt; font-weight: bold; margin: 0; }
.meta { color: var(--muted); margin: 2px 0; font-size: 10pt; }
h2 { font-size: 14pt; color: var(--arrived); margin: 20px 0 6px; break-after: avoid; }
h3 { font-size: 12pt; margin: 14px 0 4px; break-after: avoid; }
.key { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 0; }
.key div { border: 1px solid #ccd; border-radius: 6px; padding: 6px 10px; }
.key dt { font-size: 9.5pt; color: var(--muted); }
.key dd { margin: 0; font-size: 18pt; font-weight: bold; }
@media (max-width: 560px) { .key { grid-template-columns: repeat(2, 1fr); } }
figure { margin: 6px 0 10px; break-inside: avoid; }
figcaption { font-size: 10pt; color: var(--muted); }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg .bar.registered { fill: var(--registered); }
svg .bar.arrived, svg .bar.single { fill: var(--arrived); }
svg .bar.busiest { fill: var(--busiest); }
svg .legend rect.registered, svg rect.registered { fill: var(--registered); }
svg rect.arrived { fill: var(--arrived); }
svg .grid { stroke: #ddd; stroke-width: 1; }
svg .axis { stroke: #333; stroke-width: 1.2; }
svg text { font-size: 11px; fill: var(--ink); }
svg .tick { fill: #444; }
svg .value { font-size: 10px; fill: #222; }
svg .axis-title { font-size: 11px; fill: var(--muted); }
.busiest-note { font-weight: bold; color: var(--busiest); margin: 2px 0 6px; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4px 0 10px; break-inside: auto; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #bbb; padding: 3px 4px; text-align: left; vertical-align: top; }
th { background: #eef2f8; font-size: 8.5pt; hyphens: auto; }
td.nowrap, th .nowrap { white-space: nowrap; }
table.wide { font-size: 8pt; }
table.wide th { font-size: 7.5pt; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
.notes { font-size: 9pt; color: var(--muted); border-top: 1px solid #ccc; margin-top: 18px; padding-top: 6px; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { break-before: auto; }
  .table { overflow: visible; }
}
)css";

} // namespace

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

std::string render_report_html(const ReportData& data, Lang lang) {
    const Figures& f = data.figures;
    const Series registered{say(lang, "Inscrits", "Registered"), "registered"};
    const Series arrived{say(lang, "Présents", "Arrived"), "arrived"};
    std::string out;
    out.reserve(64 * 1024);
    out += "<!DOCTYPE html>\n<html lang=\"";
    out += say(lang, "fr", "en");
    out += "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\"><title>";
    out += say(lang, "Bilan des présences — ", "Attendance report — ") + escape_html(f.event_name);
    out += "</title><style>";
    out += kStyle;
    out += "</style></head><body>\n<header><h1>";
    out += say(lang, "Bilan des présences", "Attendance report");
    out += "</h1><p class=\"event\">" + escape_html(f.event_name) + "</p><p class=\"meta\">";
    if (!f.days.empty()) {
        if (f.days.size() == 1)
            out += say(lang, "Le ", "On ") + escape_html(format_long_date(f.days.front().date, lang));
        else
            out += say(lang, "Du ", "From ") + escape_html(format_long_date(f.days.front().date, lang)) +
                   say(lang, " au ", " to ") + escape_html(format_long_date(f.days.back().date, lang));
        out += " · ";
    }
    out += say(lang, "heures locales, fuseau ", "local times, time zone ") + escape_html(f.timezone);
    out += "</p><p class=\"meta\">";
    out += say(lang, "Rapport établi le ", "Report made on ") +
           escape_html(format_long_date(local_day(f.generated_ms, f.timezone), lang)) +
           say(lang, " à ", " at ") + local_hh_mm(f.generated_ms, f.timezone) + "</p></header>\n";

    // The key figures first: what a funder reads if they read nothing else.
    std::int64_t person_days_registered = 0, person_days_arrived = 0, begun_registered = 0, begun_arrived = 0;
    for (const auto& day : f.days) {
        person_days_registered += day.registered;
        person_days_arrived += day.arrived;
        if (day.no_show_rate) { // days that have begun: their absents are known
            begun_registered += day.registered;
            begun_arrived += day.arrived;
        }
    }
    const auto key = [&](const char* fr, const char* en, const std::string& value) {
        out += "<div><dt>" + std::string(say(lang, fr, en)) + "</dt><dd>" + value + "</dd></div>";
    };
    out += "<section><h2>";
    out += say(lang, "En bref", "At a glance");
    out += "</h2><dl class=\"key\">";
    key("Personnes inscrites", "People registered", format_count(f.attendees, lang));
    key("Journées inscrites", "Registered person-days", format_count(person_days_registered, lang));
    key("Présences", "Attended person-days", format_count(person_days_arrived, lang));
    key("Taux d'absence", "No-show rate",
        begun_registered > 0
            ? format_percent(100.0 * double(begun_registered - std::min(begun_arrived, begun_registered)) /
                                 double(begun_registered),
                             lang)
            : "—");
    key("Inscrits sur place", "Walk-ins", format_count(f.walk_ins, lang));
    key("Badges réimprimés", "Badges reprinted", format_count(f.reprints, lang));
    key("Entrées annulées", "Check-ins undone", format_count(f.undos, lang));
    key("Doublons (badge scanné deux fois)", "Duplicates (badge scanned twice)",
        format_count(f.duplicates, lang));
    out += "</dl></section>\n";

    // Per day.
    out += "<section><h2>" + std::string(say(lang, "Par jour", "Per day")) + "</h2>";
    {
        std::vector<Group> groups;
        for (const auto& day : f.days)
            groups.push_back({format_short_date(day.date, lang) + (day.label.empty() ? "" : " " + day.label),
                              day_title(day, lang),
                              {day.registered, day.arrived},
                              false});
        out += "<figure>" +
               vertical_chart({say(lang, "Inscrits et présents par jour", "Registered and arrived per day"),
                               say(lang, "Jour", "Day"), say(lang, "Personnes", "People")},
                              {registered, arrived}, groups, lang) +
               "</figure>";
    }
    out += table_html(days_table(data, lang), lang) + "</section>\n";

    // Per category: the chart shows person-days (registered and arrived summed over the days).
    out += "<section><h2>" + std::string(say(lang, "Par catégorie", "Per category")) + "</h2>";
    {
        constexpr std::size_t kMaxBars = 20;
        std::vector<Group> groups;
        for (const auto& c : f.categories) {
            if (groups.size() == kMaxBars)
                break;
            std::int64_t reg = 0, arr = 0;
            for (const auto& per : c.days) {
                reg += per.registered;
                arr += per.arrived;
            }
            const std::string name = category_name(c.category, lang);
            groups.push_back({name, name, {reg, arr}, false});
        }
        if (!groups.empty()) {
            out += "<figure>" + horizontal_chart({say(lang, "Journées inscrites et présences par catégorie",
                                                      "Registered and attended person-days per category"),
                                                  say(lang, "Personnes × jours", "Person-days"), ""},
                                                 {registered, arrived}, groups, lang);
            out += "<figcaption>";
            out += say(lang, "Personnes × jours : une personne inscrite trois jours compte trois fois.",
                       "Person-days: someone registered for three days counts three times.");
            if (f.categories.size() > kMaxBars)
                out += say(lang, " Les 20 plus grandes catégories ; toutes sont dans le tableau.",
                           " The 20 largest categories; the table has them all.");
            out += "</figcaption></figure>";
        }
    }
    out += table_html(categories_table(data, lang), lang) + "</section>\n";

    // Arrivals per quarter-hour, one chart per day that had arrivals.
    out += "<section><h2>" +
           std::string(say(lang, "Arrivées par quart d'heure", "Arrivals per quarter-hour")) + "</h2>";
    for (const auto& day : f.days) {
        out += "<h3>" + escape_html(day_title(day, lang)) + "</h3>";
        if (day.quarter_hours.empty() || !day.busiest) {
            out += "<p>" + std::string(say(lang, "Aucune arrivée ce jour-là.", "No arrivals that day.")) +
                   "</p>";
            continue;
        }
        // Many bars: only full hours are labelled under the axis (every bar keeps its tooltip).
        const bool hours_only = day.quarter_hours.size() > 16;
        std::vector<Group> groups;
        for (const auto& q : day.quarter_hours) {
            const bool labelled = !hours_only || q.label.ends_with(":00");
            groups.push_back({labelled ? q.label : std::string(),
                              q.label + "–" + quarter_end(q.label),
                              {q.arrivals},
                              q.start_ms == day.busiest->start_ms});
        }
        out +=
            "<figure>" +
            vertical_chart(
                {std::string(say(lang, "Arrivées par quart d'heure, ", "Arrivals per quarter-hour, ")) +
                     day_title(day, lang),
                 say(lang, "Heure locale (début du quart d'heure)", "Local time (start of the quarter-hour)"),
                 say(lang, "Arrivées", "Arrivals")},
                {{say(lang, "Arrivées", "Arrivals"), "single"}}, groups, lang) +
            "</figure>";
        out += "<p class=\"busiest-note\">" +
               std::string(say(lang, "Quart d'heure le plus chargé : ", "Busiest quarter-hour: ")) +
               day.busiest->label + "–" + quarter_end(day.busiest->label) + ", " +
               format_count(day.busiest->arrivals, lang) + " " +
               (day.busiest->arrivals == 1 ? say(lang, "arrivée", "arrival")
                                           : say(lang, "arrivées", "arrivals")) +
               ".</p>";
    }
    out += table_html(quarter_hours_table(data, lang), lang) + "</section>\n";

    // Per device.
    out += "<section><h2>" + std::string(say(lang, "Par appareil", "Per device")) + "</h2>";
    {
        std::vector<Group> groups;
        for (const auto& d : f.devices)
            if (d.arrivals_total > 0)
                groups.push_back({d.name, d.name, {d.arrivals_total}, false});
        if (!groups.empty())
            out += "<figure>" +
                   horizontal_chart(
                       {say(lang, "Arrivées enregistrées par appareil", "Arrivals recorded per device"),
                        say(lang, "Arrivées (tous jours)", "Arrivals (all days)"), ""},
                       {{say(lang, "Arrivées", "Arrivals"), "single"}}, groups, lang) +
                   "</figure>";
    }
    out += table_html(devices_table(data, lang), lang) + "</section>\n";

    out += "<footer class=\"notes\"><p>";
    out +=
        say(lang,
            "Présent : au moins une entrée non annulée ce jour-là (la première compte). Absents : inscrits "
            "du jour non venus, pour les jours commencés. Doublons : entrées supplémentaires de la même "
            "personne le même jour (badge scanné deux fois). Annulations : entrées annulées à l'accueil. "
            "Inscrits sur place : personnes enregistrées à l'accueil le jour même.",
            "Arrived: at least one check-in not undone that day (the first one counts). No-shows: people "
            "registered for the day who did not come, for days that have begun. Duplicates: further "
            "check-ins of the same person on the same day (a badge scanned twice). Undos: check-ins "
            "cancelled at the desk. Walk-ins: people registered at the desk on the day.");
    out += "</p></footer>\n</body></html>\n";
    return out;
}

} // namespace accueil::report
