#pragma once
// What the post-event report shows: the organisers' figures (shared/figures.hpp) of the whole event,
// with every day's quarter-hours and each device's arrivals per day (the figures give those for one
// chosen day at a time, so the report asks once per event day).
#include "figures.hpp"
#include "store.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace accueil::report {

struct ReportData {
    Figures figures; // days[i].quarter_hours and busiest filled for every day
    // device name -> event day -> first check-ins it recorded that day
    std::map<std::string, std::map<std::string, std::int64_t>> device_day_arrivals;
};

// Reads the store as it is at `now_ms` (which decides the days that have begun), never writing.
ReportData gather_report_data(Store& store, std::int64_t now_ms);

} // namespace accueil::report
