#include "event_calendar.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <nlohmann/json.hpp>

namespace accueil {

bool EventInfo::has_day(const std::string& date) const {
    for (const auto& d : days)
        if (d.date == date)
            return true;
    return false;
}

std::vector<std::string> EventInfo::dates() const {
    std::vector<std::string> out;
    for (const auto& d : days)
        out.push_back(d.date);
    return out;
}

bool is_valid_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9')
            return false;
    const int y = std::stoi(std::string(s.substr(0, 4)));
    const unsigned m = unsigned(std::stoi(std::string(s.substr(5, 2))));
    const unsigned d = unsigned(std::stoi(std::string(s.substr(8, 2))));
    return date::year_month_day{date::year{y}, date::month{m}, date::day{d}}.ok();
}

bool is_valid_timezone(const std::string& tz) {
    try {
        date::locate_zone(tz);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

std::vector<EventDay> parse_day_list(std::string_view text) {
    std::vector<EventDay> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(',', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view item = text.substr(start, end - start);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (!item.empty()) {
            EventDay day;
            const auto colon = item.find(':');
            day.date = std::string(item.substr(0, colon));
            if (colon != std::string_view::npos)
                day.label = std::string(item.substr(colon + 1));
            if (!is_valid_date(day.date))
                throw InputError("", i18n::tr("cli.calendar.not_a_date", {{"date", day.date}}));
            for (const auto& d : out)
                if (d.date == day.date)
                    throw InputError("", i18n::tr("cli.calendar.twice", {{"date", day.date}}));
            out.push_back(day);
        }
        start = end + 1;
    }
    if (out.empty())
        throw InputError("", i18n::tr("cli.calendar.no_day"));
    return out;
}

namespace {
const date::time_zone* zone(const std::string& tz) {
    // locate_zone is costly the first time and returns stable pointers afterwards.
    thread_local std::string last_name;
    thread_local const date::time_zone* last = nullptr;
    if (!last || last_name != tz) {
        last = date::locate_zone(tz);
        last_name = tz;
    }
    return last;
}

date::local_time<std::chrono::milliseconds> to_local(std::int64_t unix_ms, const std::string& tz) {
    const date::sys_time<std::chrono::milliseconds> sys{std::chrono::milliseconds{unix_ms}};
    return zone(tz)->to_local(sys);
}
} // namespace

std::string local_day(std::int64_t unix_ms, const std::string& tz) {
    return date::format("%F", date::floor<date::days>(to_local(unix_ms, tz)));
}

std::string local_hh_mm(std::int64_t unix_ms, const std::string& tz) {
    return date::format("%H:%M", date::floor<std::chrono::minutes>(to_local(unix_ms, tz)));
}

std::optional<std::int64_t> parse_instant(std::string_view iso, const std::string& tz) {
    // YYYY-MM-DD[T| ]HH:MM[:SS][Z|+HH:MM|+HHMM|-HH:MM]; parsed by hand to give exact errors.
    auto digits = [&](std::size_t pos, std::size_t n, int& out) {
        if (pos + n > iso.size())
            return false;
        out = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (iso[i] < '0' || iso[i] > '9')
                return false;
            out = out * 10 + (iso[i] - '0');
        }
        return true;
    };
    int hh = 0, mi = 0, ss = 0;
    if (iso.size() < 16 || !is_valid_date(iso.substr(0, 10)) || (iso[10] != 'T' && iso[10] != ' ') ||
        !digits(11, 2, hh) || iso[13] != ':' || !digits(14, 2, mi) || hh > 23 || mi > 59)
        return std::nullopt;
    std::size_t pos = 16;
    if (pos < iso.size() && iso[pos] == ':') {
        if (!digits(pos + 1, 2, ss) || ss > 59)
            return std::nullopt;
        pos += 3;
    }
    const date::year_month_day ymd{date::year{std::stoi(std::string(iso.substr(0, 4)))},
                                   date::month{unsigned(std::stoi(std::string(iso.substr(5, 2))))},
                                   date::day{unsigned(std::stoi(std::string(iso.substr(8, 2))))}};
    const auto tod = std::chrono::hours{hh} + std::chrono::minutes{mi} + std::chrono::seconds{ss};
    using ms = std::chrono::milliseconds;
    if (pos == iso.size()) {
        const date::local_time<ms> local{date::local_days{ymd}.time_since_epoch() + tod};
        try {
            // An ambiguous local time (the October change) takes the earlier instant.
            return zone(tz)->to_sys(local, date::choose::earliest).time_since_epoch().count();
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    int offset_min = 0;
    const std::string_view rest = iso.substr(pos);
    if (rest == "Z" || rest == "z") {
        offset_min = 0;
    } else if (rest[0] == '+' || rest[0] == '-') {
        int oh = 0, om = 0;
        const bool colon = rest.size() == 6 && rest[3] == ':';
        if (!(rest.size() == 5 || colon) || !digits(pos + 1, 2, oh) || !digits(pos + (colon ? 4 : 3), 2, om))
            return std::nullopt;
        offset_min = (oh * 60 + om) * (rest[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const date::sys_time<ms> utc{date::sys_days{ymd}.time_since_epoch() + tod -
                                 std::chrono::minutes{offset_min}};
    return utc.time_since_epoch().count();
}

std::optional<EventInfo> load_event_info(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT uid, name, timezone, days FROM event_info WHERE id = 1");
    if (!q.executeStep())
        return std::nullopt;
    EventInfo e;
    e.uid = q.getColumn(0).getString();
    e.name = q.getColumn(1).getString();
    e.timezone = q.getColumn(2).getString();
    e.days = event_days_from_json(q.getColumn(3).getString());
    return e;
}

std::vector<EventDay> event_days_from_json(const std::string& text) {
    // Written only after the sync door checked it (sync/admission.cpp); read defensively all the same,
    // so a store damaged by an older version still opens instead of aborting every program.
    std::vector<EventDay> out;
    const auto days = nlohmann::json::parse(text, nullptr, false);
    if (days.is_array())
        for (const auto& d : days)
            if (d.is_object() && d.contains("date") && d["date"].is_string())
                out.push_back({d["date"].get<std::string>(), d.contains("label") && d["label"].is_string()
                                                                 ? d["label"].get<std::string>()
                                                                 : ""});
    return out;
}

} // namespace accueil
