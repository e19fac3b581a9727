#include "report/report_data.hpp"

#include <algorithm>

namespace accueil::report {

ReportData gather_report_data(Store& store, std::int64_t now_ms) {
    ReportData data;
    FiguresOptions options;
    options.now_ms = now_ms;
    data.figures = compute_figures(store, options);
    for (auto& day : data.figures.days) {
        options.day = day.date;
        const Figures one = compute_figures(store, options);
        const auto it = std::find_if(one.days.begin(), one.days.end(),
                                     [&](const DayFigures& d) { return d.date == day.date; });
        if (it != one.days.end()) {
            day.quarter_hours = it->quarter_hours;
            day.busiest = it->busiest;
        }
        for (const auto& device : one.devices)
            if (device.arrivals_on_day > 0)
                data.device_day_arrivals[device.name][day.date] = device.arrivals_on_day;
    }
    return data;
}

} // namespace accueil::report
