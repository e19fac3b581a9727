#pragma once
// `accueil import`: a roster file (CSV/TSV from ticketing, form tools or spreadsheets) into the store,
// as one transaction: all rows or nothing. Re-importing is idempotent (match by ticket code, then e-mail).
#include "errors.hpp"
#include "import/header_map.hpp"
#include "import/text_encoding.hpp"
#include "store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace accueil {

// Besides the CSV limits (csv_reader.hpp: 64 KB a row, 200 columns, 200,000 rows): no roster file is
// near 100 MB (1,700 people take about 200 KB), and no name, e-mail, organisation, category, day list
// or code needs more than 500 characters. Columns nothing reads (free-text answers) are only bounded by
// the row size. Files past a limit are refused before anything is written.
inline constexpr std::size_t kMaxRosterFileBytes = 100 * 1024 * 1024;
inline constexpr std::size_t kMaxRosterFieldChars = 500;

struct ImportOptions {
    std::vector<std::string> mappings;          // "column=field" overrides, as given to --map
    bool dry_run = false;                       // report what would happen, change nothing
    std::string source = "import";              // recorded on created attendees
    TextEncoding encoding = TextEncoding::Auto; // --encoding: guessed, or as the user says
    // --all-days: a file without a days column registers everyone for every day. Without it such a
    // file is refused when the event has several days (issue 12: it used to happen silently).
    bool all_days = false;
};

// One column of the file and the field it feeds (none: the column is not used).
struct ColumnUse {
    std::string header;
    std::optional<RosterField> field;
};

struct ImportSummary {
    std::string file; // the name the file was given as
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int skipped = 0; // rows without any name (blank lines of a spreadsheet)
    std::string encoding;
    char delimiter = ',';
    std::vector<std::string> ignored_columns;
    std::vector<ColumnUse> columns;    // every named column, in the file's order
    bool all_days = false;             // no days column: everyone was registered for every day
    std::vector<std::string> warnings; // "file:line: why" for skipped rows, in the process's language
};

// A row the import cannot take, with why (in the process's language, naming the column and quoting
// the value).
struct RowProblem {
    int line = 0;
    std::string message;
};

// Every bad row of a file at once (issue 12: fixing a roster used to take one run per bad row). The
// message names the first kMaxReportedRows with their lines, then how many more; nothing was written.
struct RosterRowsRefused : InputError {
    RosterRowsRefused(const std::string& message, std::vector<RowProblem> problems)
        : InputError("", message), rows(std::move(problems)) {}
    std::vector<RowProblem> rows; // all of them, by line
};
inline constexpr std::size_t kMaxReportedRows = 50;

// Throws InputError ("file:line: reason") on a malformed file, RosterRowsRefused when rows are bad;
// the store is then unchanged. The messages are in the process's language (shared/i18n/catalogue.hpp).
ImportSummary import_roster_file(Store& store, const std::string& path, const ImportOptions& options);
ImportSummary import_roster_bytes(Store& store, std::string_view bytes, const std::string& name,
                                  const ImportOptions& options);

// What `accueil import` prints after an import (or a dry run), in the process's language: each column
// and the field it feeds, the ignored ones, how the file was read, the counts and the warnings.
std::string describe_import(const ImportSummary& summary, bool dry_run);

} // namespace accueil
