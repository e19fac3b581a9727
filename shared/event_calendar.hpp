#pragma once
// The event (name, time zone, days) and the calendar arithmetic around it, in the event's time zone.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

struct EventDay {
    std::string date;  // YYYY-MM-DD
    std::string label; // e.g. "OFF"; empty for an ordinary day
    bool operator==(const EventDay&) const = default;
};

struct EventInfo {
    std::string uid;
    std::string name;
    std::string timezone = "Europe/Paris";
    std::vector<EventDay> days;

    bool has_day(const std::string& date) const;
    std::vector<std::string> dates() const;
};

// "2022-09-27:OFF,2022-09-28" -> days; throws InputError on a malformed or impossible date.
std::vector<EventDay> parse_day_list(std::string_view text);
bool is_valid_date(std::string_view yyyy_mm_dd);
bool is_valid_timezone(const std::string& tz);

// Local calendar day and clock time of an instant in the given zone.
std::string local_day(std::int64_t unix_ms, const std::string& tz);
std::string local_hh_mm(std::int64_t unix_ms, const std::string& tz);
// ISO 8601: "2022-09-28T09:12", "2022-09-28 09:12:30", with "Z" or "+02:00", or local to `tz`.
std::optional<std::int64_t> parse_instant(std::string_view iso, const std::string& tz);

std::optional<EventInfo> load_event_info(SQLite::Database& db);
// The stored days column ([{date, label}] as JSON text); entries that are not days are left out.
std::vector<EventDay> event_days_from_json(const std::string& text);

} // namespace accueil
