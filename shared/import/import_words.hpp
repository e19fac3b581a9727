#pragma once
// Pieces of the import's messages written as the process's language writes them (shared/i18n/
// catalogue.hpp): quotes, lists, numbers and dates. The sentences themselves are in
// assets/lang/<fr|en>/import.json.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::import_words {

// The text without what is in parentheses or brackets: "Jour(s) de présence" -> "Jour de présence",
// "Mardi 27 septembre (journée OFF)" -> "Mardi 27 septembre " (not trimmed).
std::string without_parentheses(std::string_view text);

// "Nom" in English, « Nom » in French.
std::string in_quotes(std::string_view text);
// Each item quoted, separated by commas: "Nom", "Prénom" / « Nom », « Prénom ».
std::string in_quotes_list(const std::vector<std::string>& items);
// "2, 3 and 4" / "2, 3 et 4"; with `more` > 0, "2, 3 and 4 more lines" style endings are the caller's.
std::string and_list(const std::vector<std::string>& items);
// 65536 -> "65,536" / "65 536".
std::string count(std::int64_t n);
// "2022-09-28" -> "Wednesday 28 September 2022" / "mercredi 28 septembre 2022", the text itself when not
// a date; a day label follows in parentheses ("... (OFF)").
std::string event_day(const std::string& date, const std::string& label);

} // namespace accueil::import_words
