#pragma once
// The organisers' figures (issue 11): one function every view uses, the live web page
// (`accueil-sync serve`, /api/figures), the report (`accueil report`), the CLI (`accueil stats`).
// Read from the store as it is: the central store gives the whole picture, a kiosk its own.
//
// Definitions (the same everywhere):
//  - registered on a day: attendees whose `days` list names it (an empty list means every day);
//  - arrived on a day: attendees with a check-in that day not undone (one per person and day, the
//    first: checkin_days);
//  - duplicates: check-ins not undone beyond the first for the same person and day (a second scan);
//  - undos: check-ins cancelled (CheckInUndone events);
//  - walk-ins: attendees registered at a desk (source "walk-in"); reprints: badges replaced (the sum
//    of badge_version - 1);
//  - no-show rate of a day: 1 - arrived / registered, only for days that have begun (else absent);
//  - quarter-hours: arrivals (first check-ins) by the local quarter-hour of their time, in the event's
//    time zone; the busiest one is the one with most arrivals (the earliest on a tie);
//  - per device: arrivals recorded by each kiosk name, and each enrolled device's sync state; a device
//    is offline when its last contact is older than FiguresOptions::offline_after_ms.
#include "store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace accueil {

struct FiguresOptions {
    std::int64_t now_ms = 0;                    // "now": decides today and which devices are offline
    std::string day;                            // the day the per-day views show; "" = today (local)
    std::int64_t offline_after_ms = 5 * 60'000; // no contact for longer: offline
};

struct QuarterHour {
    std::int64_t start_ms = 0; // the quarter-hour's first instant (UTC ms)
    std::string label;         // its local start, "09:15"
    std::int64_t arrivals = 0;
};

struct DayFigures {
    std::string date;  // YYYY-MM-DD
    std::string label; // the event's name of the day ("Jour 1"), may be empty
    std::int64_t registered = 0;
    std::int64_t arrived = 0;
    std::int64_t walk_ins = 0; // walk-ins registered for that day who arrived that day
    std::int64_t duplicates = 0;
    std::int64_t undos = 0;
    std::optional<double> no_show_rate; // absent for days not begun yet, or nobody registered
    // Only quarter-hours with arrivals, in time order, plus every empty one between the first and
    // the last (a chart shows gaps as gaps); only those within the day's local midnight to midnight (an
    // arrival stamped far from its day, a clock gone wrong, counts in `arrived` but not here).
    std::vector<QuarterHour> quarter_hours;
    std::optional<QuarterHour> busiest; // absent when nobody arrived
};

struct CategoryFigures {
    std::string category;        // as written in the roster; "" for none
    std::int64_t registered = 0; // attendees of this category (any day)
    struct PerDay {
        std::string date;
        std::int64_t registered = 0;
        std::int64_t arrived = 0;
    };
    std::vector<PerDay> days; // one per event day, in order
};

struct DeviceFigures {
    std::string name; // kiosk name as written in check-ins and enrolment
    std::string role; // "kiosk", "desk", "central" (check-ins made on the organisers' machine),
                      // "" for a name seen in check-ins but not enrolled here (unless the origin of
                      // its check-ins is a known peer: then that peer's role)
    std::int64_t arrivals_on_day = 0;             // first check-ins recorded by it on FiguresOptions::day
    std::int64_t arrivals_total = 0;              // over the whole event
    std::optional<std::int64_t> last_contact_ms;  // enrolled devices that have synced
    std::int64_t pending = 0;                     // events it last said it still had to send
    bool offline = false;                         // enrolled, not revoked, no contact for too long
    std::optional<std::int64_t> offline_since_ms; // = its last contact (or enrolment) when offline
    bool revoked = false;
};

struct Figures {
    std::string event_name;
    std::string timezone;
    std::string today; // local date of now_ms
    std::string day;   // the day the per-day views show (FiguresOptions::day or today)
    std::int64_t generated_ms = 0;

    std::int64_t attendees = 0; // everyone in the roster
    std::int64_t walk_ins = 0;
    std::int64_t reprints = 0;
    std::int64_t undos = 0;
    std::int64_t duplicates = 0;

    std::vector<DayFigures> days; // every event day, in order; `day` among them when it is an event day
    std::vector<CategoryFigures> categories; // by registered count, largest first
    std::vector<DeviceFigures> devices;      // by name

    // The DayFigures of `day` (nullptr when `day` is not an event day).
    const DayFigures* selected_day() const;
};

// Everything above in one read transaction (a consistent snapshot), never writing.
Figures compute_figures(Store& store, const FiguresOptions& options);

// People registered for `day` and not arrived that day: the page's "still expected" list. `query`
// filters by name, organisation or e-mail like the desk search ("" = everyone), at most `limit`
// people by last then first name; `total` counts them all.
struct ExpectedPerson {
    std::string id;
    std::string first_name;
    std::string last_name;
    std::string organisation;
    std::string category;
};
struct ExpectedList {
    std::int64_t total = 0;
    std::vector<ExpectedPerson> people;
};
ExpectedList expected_not_arrived(Store& store, const std::string& day, const std::string& query,
                                  std::size_t limit);

// JSON as served at /api/figures (field names as in the structs above; absent optionals are null).
nlohmann::json to_json(const Figures& figures);
nlohmann::json to_json(const ExpectedList& list);

} // namespace accueil
