#pragma once
// Folding text for search and matching: case, accents, ligatures and punctuation do not matter.
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

// "Jean-Noël N'Diaye" -> "jean noel n diaye": Unicode compatibility decomposition, case folding and
// removal of combining marks (utf8proc), ligatures spelled out, anything not a letter or digit a space.
std::string fold_text(std::string_view utf8);

// The folded words of a text.
std::vector<std::string> fold_words(std::string_view utf8);

// A key for labels such as categories: "Orateur·ice " -> "orateur-ice", "Bénévole" -> "benevole".
std::string label_key(std::string_view utf8);

bool is_valid_utf8(std::string_view bytes);

// Characters (code points) of a valid UTF-8 string.
std::size_t utf8_length(std::string_view utf8);

// Whether the text holds a control character (C0, DEL or C1); tabs and line breaks count only when
// `allow_line_breaks` is false. Names and labels never hold one; they would garble badges and screens.
bool has_control_characters(std::string_view utf8, bool allow_line_breaks = false);

} // namespace accueil
