#pragma once
// The attendance list (`accueil export`): who arrived when and where — one row per person and day
// they arrived (their first check-in not undone that day), sorted by day then time.
#include "report/csv_writer.hpp"
#include "report/report_tables.hpp"
#include "store.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace accueil::report {

struct AttendanceRow {
    std::string last_name;
    std::string first_name;
    std::string email;
    std::string organisation;
    std::string category;
    std::string day;  // YYYY-MM-DD
    std::string time; // local time of arrival, HH:MM
    std::string device;
};

// Every arrival, or those of `day` only ("" = every day). Throws InputError naming the event's days
// when `day` is not one of them.
std::vector<AttendanceRow> attendance_list(Store& store, const std::string& day);

std::string attendance_csv(const std::vector<AttendanceRow>& rows, CsvStyle style, Lang lang);

} // namespace accueil::report
