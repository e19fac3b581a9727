#pragma once
// A self-service kiosk's opening hours (--open-hours HH:MM-HH:MM, the device setting): whether it is
// open at an instant and when that next changes, in the time zone of the clock on its screen (the
// event's: the venue's local time). Pure calendar arithmetic, so that the days the clocks change and
// hours across midnight are tested without a window.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accueil::kiosk {

struct OpeningHours {
    int open_minute = 0;  // minutes after local midnight, 0..1439
    int close_minute = 0; // 0..1440 (24:00); before open_minute: the hours run past midnight
    bool operator==(const OpeningHours&) const = default;
};

// "07:30-19:00", "7:30 - 19:00", "22:00-06:00" (across midnight), "06:00-24:00". Throws InputError, in
// the process's language, naming --open-hours and the value, for anything else (a missing or extra
// part, 25:00, 07:60, 24:00 as an opening time, the same time twice).
OpeningHours parse_opening_hours(std::string_view text);

// "07:30", as the setting says it.
std::string hh_mm(int minute_of_day);

// Open at that instant: from the opening minute included to the closing minute excluded, local time.
bool is_open(const OpeningHours& hours, std::int64_t unix_ms, const std::string& tz);

// The first instant after `unix_ms` at which is_open changes. On the day the clocks go forward an
// opening inside the missing hour happens when the clocks jump; on the day they go back, at the first
// of the two instants with that local time; hours that span the hour the clocks go back close when
// they go back and open again when that local time comes round a second time.
std::int64_t next_change(const OpeningHours& hours, std::int64_t unix_ms, const std::string& tz);

} // namespace accueil::kiosk
