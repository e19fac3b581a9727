#pragma once
// RFC 4180 CSV as spreadsheets and ticketing sites write it: ',' ';' or TAB between fields, quoted fields
// with doubled quotes and line breaks inside, CRLF, LF or CR line ends. Each record keeps the physical
// line it starts on, so that every later complaint can say "FILE:LINE".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

struct CsvRecord {
    int line = 0; // 1-based physical line where the record starts
    std::vector<std::string> fields;
};

struct CsvTable {
    char delimiter = ',';
    CsvRecord header;
    std::vector<CsvRecord> rows; // data records after the header, blank lines left out
};

// A record whose number of cells is not the header's: a quote missing, or a delimiter inside a cell
// that is not quoted. Reported all at once, so that one run names every such row (issue 12).
struct CsvBadRow {
    int line = 0;
    std::size_t fields = 0;
    std::string message; // why, in the process's language, without the file and line
};

// Bounds no real roster comes near (a few hundred bytes and a few dozen columns per row, a few thousand
// rows) but that stop a wrong file, or a quote opened by mistake that swallows the rest of the file as
// one cell, before it fills the memory or the store.
struct CsvLimits {
    std::size_t max_row_bytes = 64 * 1024; // a record, quoted line breaks included
    std::size_t max_columns = 200;         // fields of the header or of any row
    std::size_t max_rows = 200'000;        // data records
};

// ',' ';' or '\t': the candidate whose count outside quotes on the header line recurs on the following
// lines. ';' when nothing tells (French spreadsheets), ',' for a single-column file.
char sniff_delimiter(std::string_view text);

// Parses UTF-8 text (a leading BOM is skipped). `delimiter` 0 means sniff it; an Excel "sep=X" first
// line also sets it. Blank lines are skipped; every row must have the header's field count (extra
// trailing empty fields are dropped). Throws InputError("FILE:LINE", ...) on an unterminated quote,
// text after a closing quote, a file without a header, or past `limits`; a wrong field count too,
// unless `bad_rows` is given: such rows are then listed there and left out of `rows`.
CsvTable read_csv(std::string_view text, const std::string& file_name, char delimiter = 0,
                  const CsvLimits& limits = {}, std::vector<CsvBadRow>* bad_rows = nullptr);

} // namespace accueil
