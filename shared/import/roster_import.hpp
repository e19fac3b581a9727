#pragma once
// `accueil import`: a roster file (CSV/TSV from ticketing, form tools or spreadsheets) into the store,
// as one transaction: all rows or nothing. Re-importing is idempotent (match by ticket code, then e-mail).
#include "store.hpp"

#include <string>
#include <vector>

namespace accueil {

struct ImportOptions {
    std::vector<std::string> mappings; // "column=field" overrides, as given to --map
    bool dry_run = false;              // report what would happen, change nothing
    std::string source = "import";     // recorded on created attendees
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
