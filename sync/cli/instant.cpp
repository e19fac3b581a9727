#include "commands.hpp"
#include "errors.hpp"
#include "event_calendar.hpp"
#include "hlc.hpp"

namespace accueil::cli {

std::int64_t resolve_instant(const std::string& at, const std::string& timezone) {
    if (at.empty())
        return system_wall_ms();
    const auto t = parse_instant(at, timezone);
    if (!t)
        throw InputError(
            "--at",
            "\"" + at + "\" is not a time (expected e.g. 2022-09-28T09:12 or 2022-09-28T09:12:00+02:00)");
    return *t;
}

} // namespace accueil::cli
