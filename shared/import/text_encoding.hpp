#pragma once
// Roster files come as the tool that wrote them pleases: UTF-8 (with or without a BOM) from ticketing
// sites and LibreOffice, Windows-1252 from French Excel, UTF-16 from Excel's "Unicode text". All of them
// become UTF-8 here, so the rest of the import only ever sees one encoding.
#include <string>
#include <string_view>

namespace accueil {

struct DecodedText {
    std::string text;     // UTF-8, without a BOM; empty when `error` is set
    std::string encoding; // "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE" or "Windows-1252"
    std::string error;    // why the bytes could not be read; empty on success
    int error_line = 0;   // 1-based line of the first offending byte, when `error` is set

    explicit operator bool() const { return error.empty(); }
};

// Valid UTF-8 wins; otherwise Windows-1252 unless a byte undefined there (0x81 0x8D 0x8F 0x90 0x9D)
// appears; a UTF-16 byte order mark is honoured.
DecodedText decode_text(std::string_view bytes);

// The same, throwing InputError("FILE:LINE", ...) on failure; `file_name` names the file in messages.
DecodedText decode_text_or_throw(std::string_view bytes, const std::string& file_name);

// Offset of the first byte that does not belong to a valid UTF-8 sequence, or npos when all do.
std::size_t first_invalid_utf8(std::string_view bytes);

// Windows-1252 to UTF-8; bytes undefined in Windows-1252 become U+FFFD.
std::string windows1252_to_utf8(std::string_view bytes);

} // namespace accueil
