#pragma once
// `accueil import`: a roster file (CSV/TSV from ticketing, form tools or spreadsheets) into the store,
// as one transaction: all rows or nothing. Re-importing is idempotent (match by ticket code, then e-mail).
#include "import/text_encoding.hpp"
#include "store.hpp"

#include <cstddef>
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
};

struct ImportSummary {
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int skipped = 0; // rows without any name (blank lines of a spreadsheet)
    std::string encoding;
    char delimiter = ',';
    std::vector<std::string> ignored_columns;
    std::vector<std::string> warnings; // "file:line: why" for skipped rows
};

// Throws InputError ("file:line: reason") on a malformed file; the store is then unchanged.
ImportSummary import_roster_file(Store& store, const std::string& path, const ImportOptions& options);
ImportSummary import_roster_bytes(Store& store, std::string_view bytes, const std::string& name,
                                  const ImportOptions& options);

} // namespace accueil
