#include "text_fold.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <iterator>
#include <memory>

namespace accueil {
namespace {

// Unicode gives these letters no decomposition (they are letters of their own, not accented ones), so
// no normalisation form splits them; people type them as plain letters. Each maps to a private-use
// marker during utf8proc's pass and is spelled out afterwards.
struct SpelledLetter {
    utf8proc_int32_t upper, lower;
    const char* ascii;
};
constexpr SpelledLetter kSpelledLetters[] = {
    {0x0152, 0x0153, "oe"}, // Œ œ
    {0x00C6, 0x00E6, "ae"}, // Æ æ
    {0x00D8, 0x00F8, "o"},  // Ø ø
    {0x0141, 0x0142, "l"},  // Ł ł
    {0x0110, 0x0111, "d"},  // Đ đ
};
constexpr utf8proc_int32_t kMarkerBase = 0xE000;

utf8proc_int32_t mark_spelled_letters(utf8proc_int32_t c, void*) {
    for (std::size_t i = 0; i < std::size(kSpelledLetters); ++i)
        if (c == kSpelledLetters[i].upper || c == kSpelledLetters[i].lower)
            return kMarkerBase + utf8proc_int32_t(i);
    return c;
}

bool is_ascii_simple(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80)
            return false;
    return true;
}

void append_ascii_folded(std::string& out, std::string_view s) {
    for (unsigned char c : s) {
        if (c >= 'A' && c <= 'Z')
            out.push_back(char(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out.push_back(char(c));
        else if (!out.empty() && out.back() != ' ')
            out.push_back(' ');
    }
}

void trim_trailing_space(std::string& s) {
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
}

} // namespace

bool is_valid_utf8(std::string_view bytes) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    utf8proc_ssize_t left = utf8proc_ssize_t(bytes.size());
    while (left > 0) {
        utf8proc_int32_t cp;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp < 0)
            return false;
        p += n;
        left -= n;
    }
    return true;
}

std::string fold_text(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    if (is_ascii_simple(utf8)) { // the common case, and the hot one during imports
        append_ascii_folded(out, utf8);
        trim_trailing_space(out);
        return out;
    }
    // Letters without decomposition to markers, then NFKD + case fold + strip combining marks.
    utf8proc_uint8_t* mapped = nullptr;
    const auto options = utf8proc_option_t(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
                                           UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    const utf8proc_ssize_t n =
        utf8proc_map_custom(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                            utf8proc_ssize_t(utf8.size()), &mapped, options, mark_spelled_letters, nullptr);
    if (n < 0) { // invalid UTF-8: fold what is ASCII, drop the rest
        append_ascii_folded(out, utf8);
        trim_trailing_space(out);
        return out;
    }
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    const auto* p = mapped;
    utf8proc_ssize_t left = n;
    while (left > 0) {
        utf8proc_int32_t cp;
        const utf8proc_ssize_t len = utf8proc_iterate(p, left, &cp);
        if (len <= 0)
            break;
        if (cp >= kMarkerBase && cp < kMarkerBase + utf8proc_int32_t(std::size(kSpelledLetters))) {
            out += kSpelledLetters[cp - kMarkerBase].ascii;
        } else if (cp < 0x80) {
            append_ascii_folded(out, std::string_view(reinterpret_cast<const char*>(p), std::size_t(len)));
        } else {
            const auto cat = utf8proc_category(cp);
            const bool letter_or_digit = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                                         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
            if (letter_or_digit)
                out.append(reinterpret_cast<const char*>(p), std::size_t(len));
            else if (!out.empty() && out.back() != ' ')
                out.push_back(' ');
        }
        p += len;
        left -= len;
    }
    trim_trailing_space(out);
    return out;
}

std::vector<std::string> fold_words(std::string_view utf8) {
    std::vector<std::string> words;
    const std::string folded = fold_text(utf8);
    std::size_t start = 0;
    while (start < folded.size()) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string::npos)
            end = folded.size();
        if (end > start)
            words.emplace_back(folded.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

std::string label_key(std::string_view utf8) {
    std::string key = fold_text(utf8);
    for (char& c : key)
        if (c == ' ')
            c = '-';
    return key;
}

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool has_control_characters(std::string_view s, bool allow_line_breaks) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '\t' || c == '\n' || c == '\r') {
            if (!allow_line_breaks)
                return true;
        } else if (c < 0x20 || c == 0x7F) {
            return true;
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            return true; // U+0080 to U+009F
        }
    }
    return false;
}

} // namespace accueil
