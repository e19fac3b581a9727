#pragma once
// The post-event report (`accueil report`): one self-contained HTML page a funder can read the day
// after — inline CSS and inline SVG charts, no script, nothing fetched from the network, A4 when
// printed. Every text from the roster (event, day names, categories, devices) is escaped.
#include "report/report_data.hpp"
#include "report/report_tables.hpp"

#include <string>
#include <string_view>

namespace accueil::report {

std::string render_report_html(const ReportData& data, Lang lang);

// Text made safe inside HTML elements and attribute values: & < > " ' as character references.
std::string escape_html(std::string_view text);

} // namespace accueil::report
