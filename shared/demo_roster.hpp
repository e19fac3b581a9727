#pragma once
// A realistic synthetic roster for demos and benchmarks: French names with accents, hyphens, particles,
// apostrophes and ligatures, names of the many origins found in France, public-interest organisations,
// category proportions and attendance patterns of a 1,700-person conference. Same seed, same bytes.
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace accueil {

struct DemoRosterOptions {
    std::size_t count = 1700;
    std::uint64_t seed = 2022;
    std::vector<std::string> days{}; // YYYY-MM-DD event days; the first one is the OFF day
};

// Writes the roster as French Excel does: UTF-8, ';' between fields, CRLF line ends, RFC 4180 quoting,
// header "Prénom;Nom;E-mail;Structure;Catégorie;Jours;Code". E-mails and ticket codes are unique; "Jours"
// lists ISO dates joined by ',' (empty for most organisers: every day); "Code" is a 10-character
// external ticket code, empty for some staff.
void write_demo_roster_csv(std::ostream& out, const DemoRosterOptions& opt);

} // namespace accueil
