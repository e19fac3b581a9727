#pragma once
// The event most tests use: three days in September 2022, the first one the OFF day.
#include "attendee_ops.hpp"
#include "database.hpp"
#include "event_calendar.hpp"
#include "store.hpp"

#include <string>
#include <vector>

namespace accueil::test {

inline EventSpec demo_spec() {
    return EventSpec{"Numérique en Commun[s]",
                     "Europe/Paris",
                     {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}}};
}

// 28 September 2022, 09:12 in Paris (UTC+2).
constexpr std::int64_t kSept28At0912 = 1664349120000;
constexpr std::int64_t kOneDayMs = 24LL * 3600 * 1000;

// A central store of the demo event at `path` with `people` participants ("Prénom<i> Nom<i>"); their ids.
inline std::vector<std::string> create_central_with_roster(const std::string& path, int people) {
    Store c = Store::create(path, demo_spec());
    std::vector<std::string> ids;
    WriteTransaction tx(c.db());
    for (int i = 0; i < people; ++i)
        ids.push_back(create_attendee(c, Attendee{.first_name = "Prénom" + std::to_string(i),
                                                  .last_name = "Nom" + std::to_string(i),
                                                  .category = "Participant"})
                          .id);
    tx.commit();
    return ids;
}

} // namespace accueil::test
