#include "commands.hpp"
#include "errors.hpp"
#include "event_calendar.hpp"
#include "hlc.hpp"
#include "i18n/catalogue.hpp"

namespace accueil::cli {

std::int64_t resolve_instant(const std::string& at, const std::string& timezone) {
    if (at.empty())
        return system_wall_ms();
    const auto t = parse_instant(at, timezone);
    if (!t)
        throw InputError("--at", i18n::tr("cli.at.not_a_time", {{"value", at}}));
    return *t;
}

} // namespace accueil::cli
