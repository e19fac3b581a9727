#pragma once
// The attendance list (`accueil export`): who arrived when and where — one row per person and day
// they arrived (their first check-in not undone that day), sorted by day then time.
#include "report/csv_writer.hpp"
#include "report/report_tables.hpp"
#include "store.hpp"

#include <cstdint>
#include <functional>
#include <string>

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

// Calls `each` for every arrival, or those of `day` only ("" = every day), in order. Throws InputError
// naming the event's days when `day` is not one of them. Rows are not kept: 300,000 arrivals are a
// 15 MB file, not ten times that in memory.
void for_each_arrival(Store& store, const std::string& day,
                      const std::function<void(const AttendanceRow&)>& each);

struct AttendanceCsv {
    std::string text;
    std::size_t rows = 0;
};
AttendanceCsv attendance_csv(Store& store, const std::string& day, CsvStyle style, Lang lang);

} // namespace accueil::report
