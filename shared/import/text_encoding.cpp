#include "import/text_encoding.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "import/import_words.hpp"

#include <utf8proc.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

namespace accueil {
namespace {

// Windows-1252 0x80-0x9F; 0 marks the five bytes the code page leaves undefined. 0xA0-0xFF are Latin-1.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

bool undefined_in_cp1252(unsigned char c) {
    return c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] == 0;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

// CRLF, LF and a lone CR each end a line, as in the CSV reader.
bool is_line_end(std::string_view text, std::size_t i) {
    return text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'));
}

// 1-based line of a byte offset.
int line_at(std::string_view text, std::size_t offset) {
    int line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
        line += is_line_end(text, i);
    return line;
}

std::string hex_byte(unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", unsigned(c));
    return buf;
}

DecodedText failure(int line, std::string why) {
    DecodedText r;
    r.error = std::move(why);
    r.error_line = line;
    return r;
}

// Where a file is and is not valid UTF-8, in one pass.
constexpr std::size_t kListedLines = 10;
struct Utf8Scan {
    bool has_multibyte = false;             // a valid sequence of 2 to 4 bytes somewhere
    std::size_t invalid_line_count = 0;     // lines holding at least one byte that is not valid UTF-8
    std::vector<int> invalid_lines;         // the first kListedLines of them
    std::vector<std::size_t> first_invalid; // the offset of the first invalid byte on each of those
};

Utf8Scan scan_utf8(std::string_view bytes) {
    Utf8Scan scan;
    const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    int line = 1, last_invalid_line = 0;
    std::size_t i = 0;
    while (i < bytes.size()) {
        if (data[i] < 0x80) { // ASCII: the bulk of any roster
            line += is_line_end(bytes, i);
            ++i;
            continue;
        }
        utf8proc_int32_t cp;
        const utf8proc_ssize_t n = utf8proc_iterate(data + i, utf8proc_ssize_t(bytes.size() - i), &cp);
        if (n > 0 && cp >= 0) {
            scan.has_multibyte = true;
            i += std::size_t(n);
            continue;
        }
        if (line != last_invalid_line) {
            last_invalid_line = line;
            ++scan.invalid_line_count;
            if (scan.invalid_lines.size() < kListedLines) {
                scan.invalid_lines.push_back(line);
                scan.first_invalid.push_back(i);
            }
        }
        ++i;
    }
    return scan;
}

// Up to 30 bytes either side of an invalid byte, within its line, as a person can find them in a
// spreadsheet: valid text as is, invalid bytes as <E9>.
std::string excerpt(std::string_view bytes, std::size_t bad) {
    constexpr std::size_t kSide = 30;
    std::size_t begin = bad, end = bad;
    while (begin > 0 && bad - begin < kSide && bytes[begin - 1] != '\n' && bytes[begin - 1] != '\r')
        --begin;
    while (begin < bad && (static_cast<unsigned char>(bytes[begin]) & 0xC0) == 0x80)
        ++begin; // not in the middle of a character
    while (end < bytes.size() && end - bad < kSide && bytes[end] != '\n' && bytes[end] != '\r')
        ++end;
    const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    std::string out = begin > 0 && bytes[begin - 1] != '\n' && bytes[begin - 1] != '\r' ? "..." : "";
    for (std::size_t i = begin; i < end;) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c < 0x80) {
            out.push_back(c < 0x20 ? ' ' : char(c));
            ++i;
            continue;
        }
        utf8proc_int32_t cp;
        const utf8proc_ssize_t n = utf8proc_iterate(data + i, utf8proc_ssize_t(bytes.size() - i), &cp);
        if (n > 0 && cp >= 0) {
            out.append(bytes.substr(i, std::size_t(n)));
            i += std::size_t(n);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "<%02X>", unsigned(c));
            out += hex;
            ++i;
        }
    }
    if (end < bytes.size() && bytes[end] != '\n' && bytes[end] != '\r')
        out += "...";
    return out;
}

// "not valid UTF-8 on lines 14 and 230 (line 14: "Dupr<E9>", ...)" followed by `advice` (a key of
// assets/lang/<fr|en>/import.json).
DecodedText utf8_refusal(std::string_view bytes, const Utf8Scan& scan, const char* advice) {
    const auto& lines = scan.invalid_lines;
    const std::size_t more = scan.invalid_line_count - lines.size();
    std::vector<std::string> numbers;
    for (const int line : lines)
        numbers.push_back(std::to_string(line));
    if (more > 0)
        numbers.push_back(i18n::tr(more == 1 ? "import.encoding.one_more_line" : "import.encoding.more_lines",
                                   {{"count", std::to_string(more)}}));
    std::string excerpts;
    constexpr std::size_t kExcerpts = 3;
    for (std::size_t k = 0; k < lines.size() && k < kExcerpts; ++k)
        (excerpts.empty() ? excerpts : excerpts += ", ") +=
            i18n::tr("import.encoding.excerpt",
                     {{"line", std::to_string(lines[k])},
                      {"text", import_words::in_quotes(excerpt(bytes, scan.first_invalid[k]))}});
    DecodedText r =
        failure(lines.front(),
                i18n::tr(lines.size() == 1 ? "import.encoding.invalid_line" : "import.encoding.invalid_lines",
                         {{"lines", import_words::and_list(numbers)}, {"excerpts", excerpts}}) +
                    i18n::tr(advice));
    r.invalid_lines = lines;
    return r;
}

// Excel's "Unicode text" export is UTF-16LE with a BOM; the BOM is the only reliable sign of UTF-16.
DecodedText decode_utf16(std::string_view bytes, bool little_endian) {
    DecodedText r;
    r.encoding = little_endian ? "UTF-16LE" : "UTF-16BE";
    r.text.reserve(bytes.size() / 2 + bytes.size() / 8);
    auto unit = [&](std::size_t i) -> char32_t {
        const auto a = static_cast<unsigned char>(bytes[i]), b = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? char32_t(a | (b << 8)) : char32_t((a << 8) | b);
    };
    std::size_t i = 2; // after the BOM
    for (; i + 1 < bytes.size(); i += 2) {
        char32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
            const char32_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return failure(line_at(r.text, r.text.size()), i18n::tr("import.encoding.utf16_surrogate"));
        append_utf8(r.text, cp);
    }
    if (i < bytes.size())
        return failure(line_at(r.text, r.text.size()), i18n::tr("import.encoding.utf16_odd"));
    return r;
}

} // namespace

std::size_t first_invalid_utf8(std::string_view bytes) {
    const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    std::size_t i = 0;
    while (i < bytes.size()) {
        if (data[i] < 0x80) { // ASCII: the bulk of any roster
            ++i;
            continue;
        }
        utf8proc_int32_t cp;
        const utf8proc_ssize_t n = utf8proc_iterate(data + i, utf8proc_ssize_t(bytes.size() - i), &cp);
        if (n <= 0 || cp < 0)
            return i;
        i += std::size_t(n);
    }
    return std::string_view::npos;
}

std::string windows1252_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80)
            out.push_back(ch);
        else if (c < 0xA0)
            append_utf8(out, kCp1252High[c - 0x80] ? kCp1252High[c - 0x80] : char32_t(0xFFFD));
        else
            append_utf8(out, char32_t(c));
    }
    return out;
}

std::optional<TextEncoding> parse_text_encoding(std::string_view name) {
    std::string key;
    for (const char c : name)
        key.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    if (key == "auto")
        return TextEncoding::Auto;
    if (key == "utf-8" || key == "utf8")
        return TextEncoding::Utf8;
    if (key == "cp1252" || key == "windows-1252")
        return TextEncoding::Windows1252;
    return std::nullopt;
}

DecodedText decode_text(std::string_view bytes, TextEncoding encoding) {
    // Spreadsheet files given instead of their CSV export: say so rather than "not UTF-8".
    if (bytes.starts_with("PK\x03\x04") || bytes.starts_with("\xD0\xCF\x11\xE0"))
        return failure(1, i18n::tr("import.encoding.spreadsheet"));
    if (encoding == TextEncoding::Auto && bytes.starts_with("\xFF\xFE"))
        return decode_utf16(bytes, true);
    if (encoding == TextEncoding::Auto && bytes.starts_with("\xFE\xFF"))
        return decode_utf16(bytes, false);

    DecodedText r;
    const bool bom = bytes.starts_with("\xEF\xBB\xBF");
    const Utf8Scan scan = encoding == TextEncoding::Windows1252 ? Utf8Scan{} : scan_utf8(bytes);
    if (encoding != TextEncoding::Windows1252 && scan.invalid_line_count == 0) {
        r.encoding = bom ? "UTF-8 (BOM)" : "UTF-8";
        r.text.assign(bom ? bytes.substr(3) : bytes);
    } else if (encoding == TextEncoding::Utf8) {
        return utf8_refusal(bytes, scan, "import.encoding.advice_said_utf8");
    } else if (encoding == TextEncoding::Auto && bom) {
        // A UTF-8 BOM says what the file means to be: reading it as Windows-1252 would only hide damage.
        return utf8_refusal(bytes, scan, "import.encoding.advice_bom");
    } else if (encoding == TextEncoding::Auto && scan.has_multibyte) {
        return utf8_refusal(bytes, scan, "import.encoding.advice_mixed");
    } else {
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            const auto c = static_cast<unsigned char>(bytes[i]);
            if (!undefined_in_cp1252(c))
                continue;
            if (encoding == TextEncoding::Windows1252)
                return failure(line_at(bytes, i), i18n::tr("import.encoding.not_cp1252",
                                                           {{"byte", hex_byte(c)},
                                                            {"line", std::to_string(line_at(bytes, i))}}));
            const std::size_t bad_utf8 = scan.first_invalid[0];
            return failure(line_at(bytes, bad_utf8),
                           i18n::tr("import.encoding.neither",
                                    {{"utf8_byte", hex_byte(static_cast<unsigned char>(bytes[bad_utf8]))},
                                     {"utf8_line", std::to_string(line_at(bytes, bad_utf8))},
                                     {"cp1252_byte", hex_byte(c)},
                                     {"cp1252_line", std::to_string(line_at(bytes, i))}}));
        }
        r.encoding = "Windows-1252";
        r.text = windows1252_to_utf8(bytes);
    }
    // UTF-16 without a BOM decodes as ASCII interleaved with NULs; no roster holds NUL otherwise.
    if (const std::size_t nul = r.text.find('\0'); nul != std::string::npos)
        return failure(line_at(r.text, nul), i18n::tr("import.encoding.nul"));
    return r;
}

DecodedText decode_text_or_throw(std::string_view bytes, const std::string& file_name,
                                 TextEncoding encoding) {
    DecodedText r = decode_text(bytes, encoding);
    if (!r)
        throw InputError(file_name + ":" + std::to_string(r.error_line), r.error);
    return r;
}

} // namespace accueil
