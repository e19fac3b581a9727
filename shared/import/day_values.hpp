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
    std::string error;              // names the value that matched no event day; empty on success

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
    // ("OFF"); several of them separated by , ; / + & "et" "and" or line breaks. Empty, "Tous",
    // "Tous les jours", "All", "All days" and "N jours" (N = the number of event days) mean every day.
    DaysResult parse(std::string_view cell) const;

private:
    struct Day {
        std::string date;
        int year, month, day;
        unsigned weekday; // ISO: Monday 1 ... Sunday 7
        std::string label_key;
    };
    std::vector<Day> days_;
};

// One-off convenience; prefer a DayMatcher for a whole file.
DaysResult parse_days(std::string_view cell, const std::vector<std::string>& event_dates);

} // namespace accueil
