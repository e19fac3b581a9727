#include "opening_hours.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace accueil::kiosk {

namespace {

// "7:30" or "07:30" -> minutes after midnight; -1 when it is not a time (24:00 is 1440).
int parse_time(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    const auto colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3)
        return -1;
    int h = 0, m = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == colon)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return -1;
        (i < colon ? h : m) = (i < colon ? h : m) * 10 + (s[i] - '0');
    }
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

const date::time_zone* zone(const std::string& tz) {
    return date::locate_zone(tz);
}

int minute_of_day(std::int64_t unix_ms, const date::time_zone* z) {
    const auto local =
        z->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{unix_ms}});
    const auto since_midnight = local - date::floor<date::days>(local);
    return int(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

bool open_at_minute(const OpeningHours& h, int m) {
    if (h.open_minute < h.close_minute)
        return m >= h.open_minute && m < h.close_minute;
    return m >= h.open_minute || m < h.close_minute; // across midnight
}

} // namespace

OpeningHours parse_opening_hours(std::string_view text) {
    const std::string shown(text);
    const auto dash = text.find('-');
    const int open = dash == std::string_view::npos ? -1 : parse_time(text.substr(0, dash));
    const int close = dash == std::string_view::npos ? -1 : parse_time(text.substr(dash + 1));
    if (open < 0 || close < 0 || open == 1440)
        throw InputError("", i18n::tr("kiosk.hours.invalid", {{"value", shown}}));
    if (open == close % 1440)
        throw InputError("", i18n::tr("kiosk.hours.same", {{"value", shown}}));
    return {open, close};
}

std::string hh_mm(int minute_of_day) {
    char out[8];
    std::snprintf(out, sizeof out, "%02d:%02d", (minute_of_day / 60) % 100, minute_of_day % 60);
    return out;
}

bool is_open(const OpeningHours& hours, std::int64_t unix_ms, const std::string& tz) {
    return open_at_minute(hours, minute_of_day(unix_ms, zone(tz)));
}

std::int64_t next_change(const OpeningHours& hours, std::int64_t unix_ms, const std::string& tz) {
    // The boundaries of the days around now, as instants; the first one after now whose state differs.
    const date::time_zone* z = zone(tz);
    const bool now_open = open_at_minute(hours, minute_of_day(unix_ms, z));
    const auto local =
        z->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{unix_ms}});
    const auto today = date::floor<date::days>(local);
    std::optional<std::int64_t> best;
    for (int d = -1; d <= 2; ++d)
        for (int minute : {hours.open_minute, hours.close_minute}) {
            const auto at = today + date::days{d} + std::chrono::minutes{minute};
            // A local time the clocks skip is the instant they jump; one they repeat, either time.
            for (const auto choice : {date::choose::earliest, date::choose::latest}) {
                const auto sys = z->to_sys(at, choice);
                const std::int64_t ms =
                    std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
                if (ms > unix_ms && open_at_minute(hours, minute_of_day(ms, z)) != now_open &&
                    (!best || ms < *best))
                    best = ms;
            }
        }
    // The clocks changing may open or close it too (hours that span the repeated or missing hour).
    auto transition =
        z->get_info(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{unix_ms}}).end;
    for (int i = 0; i < 2; ++i) {
        const std::int64_t ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(transition.time_since_epoch()).count();
        if (ms > unix_ms && open_at_minute(hours, minute_of_day(ms, z)) != now_open && (!best || ms < *best))
            best = ms;
        transition = z->get_info(transition).end;
    }
    // Some boundary within two days always changes the state (open and close differ): the fallback is
    // never taken, but keeps the caller's wait finite.
    return best.value_or(unix_ms + 24 * 3600 * 1000LL);
}

} // namespace accueil::kiosk
