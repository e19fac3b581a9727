#pragma once
// A roster's "days" cell as organisers write it ("Mercredi 28", "28/09", "jeudi et vendredi", "Tous")
// matched against the event's days.
#include "event_calendar.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace accueil {

struct DaysResult {
    std::vector<std::string> dates; // YYYY-MM-DD in event order; empty means every day of the event
    // On failure (all three in the process's language, empty on success): the whole sentence, naming the
    // value and the event's days; the part of the cell that failed ("Vendredi 30 septembre" out of
    // "Mercredi 28 septembre, Vendredi 30 septembre"); why it failed, as a predicate of that value
    // ("matches none of the event days"), for messages that quote the value and the event's days their way.
    std::string error;
    std::string value;
    std::string reason;

    explicit operator bool() const { return error.empty(); }
};

// Built once per import: the event's days with their weekday, so that each cell costs little.
class DayMatcher {
public:
    // Days as YYYY-MM-DD, with optional labels such as "OFF" (which a cell may name).
    // Throws InputError when an event day is not a valid date.
    explicit DayMatcher(const std::vector<EventDay>& days);
    explicit DayMatcher(const std::vector<std::string>& dates);

    // Dates as "2022-09-28", "28/09/2022", "28/9", "28.09.2022"; weekdays and months in French or
    // English ("mercredi", "Mercredi 28", "jeudi 29 septembre", "Sept 29", "Wednesday"); a day label
    // ("OFF"); several of them separated by , ; / + & "et" "and" or line breaks, as form tools join
    // checkbox answers ("Mercredi 28 septembre, Jeudi 29 septembre"); words in parentheses are a
    // comment ("Mardi 27 septembre (journée OFF)"). Empty, "Tous", "Tous les jours", "All", "All days"
    // and "N jours" (N = the number of event days) mean every day.
    DaysResult parse(std::string_view cell) const;

private:
    struct Day {
        std::string date;
        int year, month, day;
        unsigned weekday; // ISO: Monday 1 ... Sunday 7
        std::string label_key;
        std::string label; // as the event writes it, for messages
    };
    std::vector<Day> days_;
};

// One-off convenience; prefer a DayMatcher for a whole file.
DaysResult parse_days(std::string_view cell, const std::vector<std::string>& event_dates);

} // namespace accueil
