#pragma once
// Roster files come as the tool that wrote them pleases: UTF-8 (with or without a BOM) from ticketing
// sites and LibreOffice, Windows-1252 from French Excel, UTF-16 from Excel's "Unicode text". All of them
// become UTF-8 here, so the rest of the import only ever sees one encoding.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

// What `accueil import --encoding` says the file is: `Auto` guesses (see decode_text).
enum class TextEncoding { Auto, Utf8, Windows1252 };

// "auto", "utf-8" (or "utf8"), "cp1252" (or "windows-1252"), whatever their case.
std::optional<TextEncoding> parse_text_encoding(std::string_view name);

struct DecodedText {
    std::string text;               // UTF-8, without a BOM; empty when `error` is set
    std::string encoding;           // "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE" or "Windows-1252"
    std::string error;              // why the bytes could not be read; empty on success
    int error_line = 0;             // 1-based line of the first offending byte, when `error` is set
    std::vector<int> invalid_lines; // when UTF-8 was refused: the first lines (at most 10) not valid UTF-8

    explicit operator bool() const { return error.empty(); }
};

// `Auto`: a UTF-16 byte order mark is honoured; valid UTF-8 wins; a file with invalid bytes is
// Windows-1252 only when nothing in it is valid multi-byte UTF-8 (old Excel exports), and when no byte
// undefined there (0x81 0x8D 0x8F 0x90 0x9D) appears. Valid multi-byte UTF-8 *and* invalid bytes (a
// UTF-8 file with a few lines pasted from elsewhere), or invalid bytes after a UTF-8 BOM, are refused
// naming the lines: read as Windows-1252, every accented letter of the UTF-8 part would be garbled.
// `Utf8`: any invalid byte is refused, naming the lines. `Windows1252`: the whole file is converted
// (only bytes undefined in Windows-1252 are refused).
DecodedText decode_text(std::string_view bytes, TextEncoding encoding = TextEncoding::Auto);

// The same, throwing InputError("FILE:LINE", ...) on failure; `file_name` names the file in messages.
DecodedText decode_text_or_throw(std::string_view bytes, const std::string& file_name,
                                 TextEncoding encoding = TextEncoding::Auto);

// Offset of the first byte that does not belong to a valid UTF-8 sequence, or npos when all do.
std::size_t first_invalid_utf8(std::string_view bytes);

// Windows-1252 to UTF-8; bytes undefined in Windows-1252 become U+FFFD.
std::string windows1252_to_utf8(std::string_view bytes);

} // namespace accueil
