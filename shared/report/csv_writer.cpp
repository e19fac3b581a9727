#include "report/csv_writer.hpp"

#include <cstdio>

namespace accueil::report {

std::string neutralise_formula(std::string_view value) {
    if (!value.empty()) {
        switch (value.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return "'" + std::string(value);
        default:
            break;
        }
    }
    return std::string(value);
}

CsvWriter::CsvWriter(CsvStyle style) : style_(style) {
    if (style_.bom)
        out_ = "\xEF\xBB\xBF";
}

void CsvWriter::field(std::string_view value) {
    if (row_started_)
        out_.push_back(style_.delimiter);
    row_started_ = true;
    const bool quote = value.find_first_of(std::string{style_.delimiter, '"', '\r', '\n'}) != value.npos;
    if (!quote) {
        out_.append(value);
        return;
    }
    out_.push_back('"');
    for (const char c : value) {
        if (c == '"')
            out_.push_back('"');
        out_.push_back(c);
    }
    out_.push_back('"');
}

CsvWriter& CsvWriter::text(std::string_view value) {
    field(neutralise_formula(value));
    return *this;
}

CsvWriter& CsvWriter::plain(std::string_view value) {
    field(value);
    return *this;
}

CsvWriter& CsvWriter::integer(std::int64_t value) {
    field(std::to_string(value));
    return *this;
}

CsvWriter& CsvWriter::decimal(double value, int places) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", places, value);
    std::string s(buffer);
    if (style_.decimal_comma)
        for (char& c : s)
            if (c == '.')
                c = ',';
    field(s);
    return *this;
}

CsvWriter& CsvWriter::empty() {
    field("");
    return *this;
}

void CsvWriter::end_row() {
    out_ += "\r\n";
    row_started_ = false;
}

} // namespace accueil::report
