#include "import/day_values.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "import/import_words.hpp"
#include "text_fold.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <unordered_map>

namespace accueil {
namespace {

// What one word of a cell says about a day. Several facets set means "any of them" ("mar" is mardi in
// French and March in English); a word with no facet set is filler ("le", "jour").
struct WordMeaning {
    unsigned weekday = 0;
    int month = 0;
    int day = 0;
    int year = 0;
    std::string_view label; // a day label such as "off", folded
    bool filler() const { return weekday == 0 && month == 0 && day == 0 && year == 0 && label.empty(); }
};

const std::unordered_map<std::string_view, WordMeaning>& vocabulary() {
    static const auto table = [] {
        std::unordered_map<std::string_view, WordMeaning> t;
        const std::pair<std::string_view, unsigned> weekdays[] = {
            {"lundi", 1},    {"mardi", 2},  {"mercredi", 3}, {"jeudi", 4},     {"vendredi", 5}, {"samedi", 6},
            {"dimanche", 7}, {"lun", 1},    {"mer", 3},      {"jeu", 4},       {"ven", 5},      {"sam", 6},
            {"dim", 7},      {"monday", 1}, {"tuesday", 2},  {"wednesday", 3}, {"thursday", 4}, {"friday", 5},
            {"saturday", 6}, {"sunday", 7}, {"mon", 1},      {"tue", 2},       {"tues", 2},     {"wed", 3},
            {"thu", 4},      {"thur", 4},   {"thurs", 4},    {"fri", 5},       {"sat", 6},      {"sun", 7}};
        for (const auto& [w, n] : weekdays)
            t[w].weekday = n;
        const std::pair<std::string_view, int> months[] = {
            {"janvier", 1},   {"fevrier", 2},   {"mars", 3},      {"avril", 4},     {"mai", 5},
            {"juin", 6},      {"juillet", 7},   {"aout", 8},      {"septembre", 9}, {"octobre", 10},
            {"novembre", 11}, {"decembre", 12}, {"january", 1},   {"february", 2},  {"march", 3},
            {"april", 4},     {"may", 5},       {"june", 6},      {"july", 7},      {"august", 8},
            {"september", 9}, {"october", 10},  {"november", 11}, {"december", 12}, {"jan", 1},
            {"janv", 1},      {"feb", 2},       {"fev", 2},       {"fevr", 2},      {"mar", 3},
            {"apr", 4},       {"avr", 4},       {"jun", 6},       {"jul", 7},       {"juil", 7},
            {"aug", 8},       {"sep", 9},       {"sept", 9},      {"oct", 10},      {"nov", 11},
            {"dec", 12}};
        for (const auto& [w, n] : months)
            t[w].month = n; // "mar" keeps its weekday too
        t["mar"].weekday = 2;
        for (const std::string_view w :
             {"le", "la", "l", "the", "of", "on", "de", "du", "jour", "journee", "day", "pass", "billet"})
            t[w];
        return t;
    }();
    return table;
}

// "28", "1er", "1st", "29th", "29e": the number, or 0.
int parse_number_word(std::string_view w) {
    int value = 0;
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), value);
    if (ec != std::errc() || end == w.data())
        return 0;
    const std::string_view suffix(end, std::size_t(w.data() + w.size() - end));
    static constexpr std::string_view kSuffixes[] = {"", "er", "re", "e", "eme", "st", "nd", "rd", "th"};
    if (std::find(std::begin(kSuffixes), std::end(kSuffixes), suffix) == std::end(kSuffixes))
        return 0;
    return value;
}

// "deux", "three": the small numbers people spell out in "les trois jours".
int parse_count_word(std::string_view w) {
    static constexpr std::pair<std::string_view, int> kCounts[] = {
        {"un", 1},    {"une", 1},   {"one", 1},    {"deux", 2}, {"two", 2},  {"both", 2},
        {"trois", 3}, {"three", 3}, {"quatre", 4}, {"four", 4}, {"cinq", 5}, {"five", 5}};
    for (const auto& [word, n] : kCounts)
        if (w == word)
            return n;
    return parse_number_word(w);
}

bool is_every_day_phrase(std::string_view folded) {
    static constexpr std::string_view kPhrases[] = {"tous",
                                                    "toutes",
                                                    "tout",
                                                    "tous les jours",
                                                    "toutes les journees",
                                                    "tous jours",
                                                    "toute la duree",
                                                    "integral",
                                                    "pass integral",
                                                    "complet",
                                                    "pass complet",
                                                    "all",
                                                    "all days",
                                                    "every day",
                                                    "everyday",
                                                    "all the days",
                                                    "full",
                                                    "full pass",
                                                    "whole event",
                                                    "both days"};
    return std::find(std::begin(kPhrases), std::end(kPhrases), folded) != std::end(kPhrases);
}

// "3 jours", "les 3 jours", "pass 2 jours", "trois jours", "3 days": the number, or 0.
int day_count_phrase(const std::vector<std::string_view>& words) {
    std::size_t i = 0;
    while (i < words.size() && (words[i] == "les" || words[i] == "pass" || words[i] == "billet" ||
                                words[i] == "the" || words[i] == "all"))
        ++i;
    if (i + 2 != words.size())
        return 0;
    const std::string_view unit = words[i + 1];
    if (unit != "jours" && unit != "journees" && unit != "days" && unit != "jour" && unit != "day")
        return 0;
    return parse_count_word(words[i]);
}

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool ascii_iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = char(a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i]);
        if (x != b[i])
            return false;
    }
    return true;
}

// Every '(' or '[' closed, in order: only then is a parenthesis a comment.
bool parentheses_balanced(std::string_view text) {
    int depth = 0;
    for (const char c : text) {
        depth += (c == '(' || c == '[') - (c == ')' || c == ']');
        if (depth < 0)
            return false;
    }
    return depth == 0;
}

// Splits on , ; + & line breaks, " et ", " and ", and '/' unless it sits between digits (28/09/2022),
// never inside parentheses ("Jeudi 29 (clôture, 9h-13h)"). Values come trimmed; a lone year joins the
// value before it ("Sept 29, 2022").
std::vector<std::string_view> split_values(std::string_view cell) {
    std::vector<std::string_view> values;
    auto add = [&](std::string_view part) {
        part = trim(part);
        if (part.empty())
            return;
        if (!values.empty() && part.size() == 4 && std::all_of(part.begin(), part.end(), is_digit)) {
            const char* from = values.back().data();
            values.back() = std::string_view(from, std::size_t(part.data() + part.size() - from));
        } else {
            values.push_back(part);
        }
    };
    std::size_t start = 0;
    // A parenthesis never closed would hide the rest of the cell: then parentheses do not count.
    const bool balanced = parentheses_balanced(cell);
    int depth = 0;
    for (std::size_t i = 0; i < cell.size(); ++i) {
        const char c = cell[i];
        if (c == '(' || c == '[')
            ++depth;
        else if ((c == ')' || c == ']') && depth > 0)
            --depth;
        if (depth > 0 && balanced)
            continue;
        std::size_t sep = 0;
        if (c == ',' || c == ';' || c == '+' || c == '&' || c == '\n' || c == '\r')
            sep = 1;
        else if (c == '/' &&
                 !(i > 0 && i + 1 < cell.size() && is_digit(cell[i - 1]) && is_digit(cell[i + 1])))
            sep = 1;
        else if (c == ' ' && ascii_iequal(cell.substr(i, 4), " et "))
            sep = 4;
        else if (c == ' ' && ascii_iequal(cell.substr(i, 5), " and "))
            sep = 5;
        if (sep == 0)
            continue;
        add(cell.substr(start, i - start));
        start = i + sep;
        i = start - 1;
    }
    add(cell.substr(start));
    return values;
}

// The value without its comments in parentheses ("Mardi 27 septembre (journée OFF)" -> "Mardi 27
// septembre"), or as it is when nothing else is left.
std::string_view without_comments(std::string_view value, std::string& buffer) {
    if (!parentheses_balanced(value))
        return value;
    buffer = import_words::without_parentheses(value);
    const std::string_view rest = trim(buffer);
    return rest.empty() || buffer.size() == value.size() ? value : rest;
}

// The words of folded text (single spaces, no leading or trailing one), as views into it.
void split_words(std::string_view folded, std::vector<std::string_view>& words) {
    words.clear();
    std::size_t start = 0;
    while (start < folded.size()) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string_view::npos)
            end = folded.size();
        if (end > start)
            words.push_back(folded.substr(start, end - start));
        start = end + 1;
    }
}

struct NumericDate {
    int year = 0, month = 0, day = 0;
};

// "2022-09-28", "28/09/2022", "28.09.22", "28/9": numbers and / . - only. Day first, as in French.
std::optional<NumericDate> parse_numeric_date(std::string_view s) {
    if (s.empty() || s.find_first_not_of("0123456789/.-") != std::string_view::npos)
        return std::nullopt;
    int n[3] = {};
    std::size_t digits[3] = {};
    std::size_t count = 0, start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i < s.size() && is_digit(s[i]))
            continue;
        const std::string_view part = s.substr(start, i - start);
        if (count == 3 || part.empty() || part.size() > 4)
            return std::nullopt;
        std::from_chars(part.data(), part.data() + part.size(), n[count]);
        digits[count++] = part.size();
        start = i + 1;
    }
    if (count < 2)
        return std::nullopt;
    if (count == 3 && digits[0] == 4)
        return NumericDate{n[0], n[1], n[2]};
    NumericDate d{0, n[1], n[0]};
    if (count == 3)
        d.year = digits[2] == 2 ? 2000 + n[2] : n[2];
    return d;
}

} // namespace

DayMatcher::DayMatcher(const std::vector<EventDay>& days) {
    using namespace std::chrono;
    for (const auto& d : days) {
        const auto parsed = d.date.size() == 10 && d.date[4] == '-' && d.date[7] == '-'
                                ? parse_numeric_date(d.date)
                                : std::nullopt;
        const year_month_day ymd = parsed ? year{parsed->year} / month{unsigned(parsed->month)} /
                                                std::chrono::day{unsigned(parsed->day)}
                                          : year_month_day{};
        if (!parsed || !ymd.ok())
            throw InputError("", i18n::tr("import.days.bad_event_day", {{"date", d.date}}));
        days_.push_back({d.date, parsed->year, parsed->month, parsed->day,
                         weekday{sys_days{ymd}}.iso_encoding(), fold_text(d.label), d.label});
    }
}

DayMatcher::DayMatcher(const std::vector<std::string>& dates)
    : DayMatcher([&] {
          std::vector<EventDay> days;
          for (const auto& d : dates)
              days.push_back({d, ""});
          return days;
      }()) {}

DaysResult DayMatcher::parse(std::string_view cell) const {
    DaysResult result;
    cell = trim(cell);
    if (cell.empty())
        return result;

    auto fail = [&](std::string_view value, const std::string& why) {
        std::string days;
        for (const auto& d : days_)
            ((days.empty() ? days : days += ", ") += d.date) += d.label.empty() ? "" : " " + d.label;
        result.dates.clear();
        result.value = std::string(value);
        result.reason = why;
        result.error = i18n::tr("import.days.error",
                                {{"value", import_words::in_quotes(value)}, {"reason", why}, {"days", days}});
        return result;
    };

    std::vector<char> chosen(days_.size(), 0), match(days_.size(), 0);
    std::vector<std::string_view> words;
    std::string comment_buffer;
    for (const std::string_view whole_value : split_values(cell)) {
        const std::string_view value = without_comments(whole_value, comment_buffer);
        std::fill(match.begin(), match.end(), 0);
        std::size_t matches = 0;
        auto take = [&](std::size_t i) {
            matches += !match[i];
            match[i] = 1;
        };
        bool label_only = false;
        if (const auto numeric = parse_numeric_date(value)) {
            // Day first; month first only when day first is impossible or names no event day ("9/28").
            for (const bool swap : {false, true}) {
                const int day = swap ? numeric->month : numeric->day;
                const int month = swap ? numeric->day : numeric->month;
                for (std::size_t i = 0; i < days_.size(); ++i)
                    if (days_[i].day == day && days_[i].month == month &&
                        (numeric->year == 0 || days_[i].year == numeric->year))
                        take(i);
                if (matches > 0)
                    break;
            }
        } else {
            const std::string folded = fold_text(value);
            if (is_every_day_phrase(folded))
                return DaysResult{};
            split_words(folded, words);
            if (const int count = day_count_phrase(words)) {
                if (count == int(days_.size()))
                    return DaysResult{};
                // "2 jours" in an event of two days plus an OFF day: the two ordinary days.
                for (std::size_t i = 0; i < days_.size(); ++i)
                    if (days_[i].label_key.empty())
                        take(i);
                if (int(matches) != count)
                    return fail(whole_value, i18n::tr("import.days.count_mismatch",
                                                      {{"count", std::to_string(count)},
                                                       {"days", std::to_string(days_.size())}}));
                label_only = true; // several days are what was asked for
            }
            // A whole label ("Journée OFF" when that is the label), else word by word.
            for (std::size_t i = 0; i < days_.size() && matches == 0; ++i)
                if (!days_[i].label_key.empty() && days_[i].label_key == folded) {
                    for (std::size_t k = i; k < days_.size(); ++k)
                        if (days_[k].label_key == folded)
                            take(k);
                    label_only = true;
                }
            if (matches == 0) {
                std::vector<WordMeaning> meanings;
                bool has_constraint = false;
                for (const auto w : words) {
                    WordMeaning m;
                    if (const auto it = vocabulary().find(w); it != vocabulary().end())
                        m = it->second;
                    else if (const int n = parse_number_word(w); n >= 1 && n <= 31)
                        m.day = n;
                    else if (n >= 1900 && n <= 2200 && w.size() == 4)
                        m.year = n;
                    else if (std::any_of(days_.begin(), days_.end(),
                                         [&](const Day& d) { return d.label_key == w; }))
                        m.label = w;
                    else
                        return fail(whole_value, i18n::tr("import.days.not_a_day"));
                    has_constraint = has_constraint || !m.filler();
                    meanings.push_back(m);
                }
                if (!has_constraint)
                    return fail(whole_value, i18n::tr("import.days.which_day"));
                label_only = std::all_of(meanings.begin(), meanings.end(),
                                         [](const WordMeaning& m) { return m.filler() || !m.label.empty(); });
                for (std::size_t i = 0; i < days_.size(); ++i) {
                    const Day& d = days_[i];
                    const bool all = std::all_of(meanings.begin(), meanings.end(), [&](const WordMeaning& m) {
                        return m.filler() || (m.weekday && m.weekday == d.weekday) ||
                               (m.month && m.month == d.month) || (m.day && m.day == d.day) ||
                               (m.year && m.year == d.year) || (!m.label.empty() && m.label == d.label_key);
                    });
                    if (all)
                        take(i);
                }
            }
        }
        if (matches == 0)
            return fail(whole_value, i18n::tr("import.days.none"));
        // A label may cover several days; a weekday falling twice in a long event is ambiguous.
        if (matches > 1 && !label_only)
            return fail(whole_value, i18n::tr("import.days.several"));
        for (std::size_t i = 0; i < days_.size(); ++i)
            chosen[i] = char(chosen[i] | match[i]);
    }
    for (std::size_t i = 0; i < days_.size(); ++i)
        if (chosen[i])
            result.dates.push_back(days_[i].date);
    return result;
}

DaysResult parse_days(std::string_view cell, const std::vector<std::string>& event_dates) {
    return DayMatcher(event_dates).parse(cell);
}

} // namespace accueil
