#pragma once
// CSV as the organisers' spreadsheets read it (RFC 4180: fields quoted when they hold the delimiter, a
// quote or a line break, quotes doubled, CRLF line ends). Plain: UTF-8 and ','. Excel in French
// (--excel-fr): a BOM so it reads UTF-8, ';' because ',' is its decimal separator, and decimal commas.
// Text that came from the roster is neutralised against formula injection: a cell starting with
// = + - @ TAB or CR would be run as a formula by a spreadsheet, so it gets a leading apostrophe.
#include <cstdint>
#include <string>
#include <string_view>

namespace accueil::report {

struct CsvStyle {
    char delimiter = ',';
    bool bom = false;
    bool decimal_comma = false;
};

inline CsvStyle csv_style(bool excel_fr) {
    return excel_fr ? CsvStyle{';', true, true} : CsvStyle{};
}

class CsvWriter {
public:
    explicit CsvWriter(CsvStyle style);

    // Text from people (names, categories, devices, the event): neutralised, then quoted as needed.
    CsvWriter& text(std::string_view value);
    // Text this program wrote (headers, dates, times): quoted as needed, never altered.
    CsvWriter& plain(std::string_view value);
    CsvWriter& integer(std::int64_t value);
    // A number with `places` decimals, with the style's decimal separator.
    CsvWriter& decimal(double value, int places);
    CsvWriter& empty();
    void end_row();

    const std::string& str() const { return out_; }

private:
    void field(std::string_view value);

    CsvStyle style_;
    std::string out_;
    bool row_started_ = false;
};

// The cell as written for a value from the roster: "'=1+1" for "=1+1"; anything else unchanged.
std::string neutralise_formula(std::string_view value);

} // namespace accueil::report
