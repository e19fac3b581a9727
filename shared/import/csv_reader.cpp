#include "import/csv_reader.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "import/import_words.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace accueil {
namespace {

constexpr std::array<char, 3> kCandidates = {';', ',', '\t'}; // ties go to the first: French files

bool is_line_break(char c) {
    return c == '\n' || c == '\r';
}

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t") == std::string_view::npos;
}

using i18n::tr;
using import_words::count;

std::string describe(char delimiter) {
    return delimiter == '\t' ? tr("import.csv.tab") : import_words::in_quotes(std::string(1, delimiter));
}

// One pass over the text; records are produced one at a time so blank lines and line numbers are
// handled in a single place.
class Parser {
public:
    Parser(std::string_view text, const std::string& file_name, char delimiter, int first_line,
           const CsvLimits& limits)
        : s_(text), file_(file_name), delim_(delimiter), line_(first_line), limits_(limits) {
        stops_['\n'] = stops_['\r'] = stops_[static_cast<unsigned char>(delimiter)] = true;
    }

    void set_width_hint(std::size_t width) { width_hint_ = width; }

    // The next non-blank record, or false at the end of the text.
    bool next(CsvRecord& rec) {
        while (pos_ < s_.size() && is_line_break(s_[pos_]))
            consume_line_break();
        if (pos_ >= s_.size())
            return false;
        rec.line = line_;
        rec.fields.clear();
        rec.fields.reserve(width_hint_); // one allocation per record instead of a growing vector
        const std::size_t start = pos_;
        for (;;) {
            if (rec.fields.size() == limits_.max_columns)
                throw InputError(where(rec.line), tr("import.csv.too_many_columns",
                                                     {{"max", count(std::int64_t(limits_.max_columns))}}));
            rec.fields.emplace_back();
            if (s_[pos_] == '"')
                read_quoted(rec.fields.back());
            else
                read_plain(rec.fields.back());
            if (pos_ - start > limits_.max_row_bytes)
                throw InputError(where(rec.line), tr("import.csv.row_too_long",
                                                     {{"max", count(std::int64_t(limits_.max_row_bytes))}}));
            if (pos_ >= s_.size())
                return true;
            if (s_[pos_] == delim_) {
                ++pos_;
                if (pos_ >= s_.size()) { // a delimiter right before the end: one last empty field
                    rec.fields.emplace_back();
                    return true;
                }
                continue;
            }
            consume_line_break();
            return true;
        }
    }

private:
    void consume_line_break() {
        if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n')
            ++pos_;
        ++pos_;
        ++line_;
    }

    // Stops at the delimiter, a line break or the end. A quote inside an unquoted field is kept as is,
    // as spreadsheets do.
    void read_plain(std::string& out) {
        const std::size_t start = pos_;
        const char* p = s_.data() + pos_;
        const char* end = s_.data() + s_.size();
        while (p != end && !stops_[static_cast<unsigned char>(*p)])
            ++p;
        pos_ = std::size_t(p - s_.data());
        out.assign(s_.data() + start, pos_ - start);
    }

    void read_quoted(std::string& out) {
        const int opened_at = line_;
        ++pos_; // the opening quote
        for (;;) {
            const std::size_t quote = s_.find('"', pos_);
            if (quote == std::string_view::npos)
                throw InputError(where(opened_at), tr("import.csv.unclosed_quote"));
            count_line_breaks(pos_, quote);
            out.append(s_.data() + pos_, quote - pos_);
            pos_ = quote + 1;
            if (pos_ < s_.size() && s_[pos_] == '"') { // "" stands for one quote
                out.push_back('"');
                ++pos_;
                continue;
            }
            break;
        }
        // Spaces after the closing quote are harmless; anything else means a quote went wrong.
        while (pos_ < s_.size() && (s_[pos_] == ' ' || (s_[pos_] == '\t' && delim_ != '\t')))
            ++pos_;
        if (pos_ < s_.size() && s_[pos_] != delim_ && !is_line_break(s_[pos_]))
            throw InputError(where(line_), tr("import.csv.text_after_quote"));
    }

    void count_line_breaks(std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            if (s_[i] == '\n')
                ++line_;
            else if (s_[i] == '\r' && (i + 1 >= s_.size() || s_[i + 1] != '\n'))
                ++line_;
        }
    }

    std::string where(int line) const { return file_ + ":" + std::to_string(line); }

    std::string_view s_;
    const std::string& file_;
    char delim_;
    int line_;
    std::size_t pos_ = 0;
    const CsvLimits& limits_;
    std::size_t width_hint_ = 8;
    std::array<bool, 256> stops_{}; // the bytes that end an unquoted field: one load per byte
};

} // namespace

char sniff_delimiter(std::string_view text) {
    constexpr std::size_t kMaxLines = 20;
    constexpr std::size_t kMaxBytes = 64 * 1024;
    std::vector<std::array<int, kCandidates.size()>> counts; // per non-blank line, outside quotes
    std::array<int, kCandidates.size()> current{};
    bool in_quotes = false, line_has_text = false;
    const std::size_t limit = std::min(text.size(), kMaxBytes);
    for (std::size_t i = 0; i <= limit && counts.size() < kMaxLines; ++i) {
        const bool at_end = i == limit;
        const char c = at_end ? '\n' : text[i];
        if (c == '"') {
            in_quotes = !in_quotes; // a doubled quote toggles twice: no harm
        } else if (!in_quotes && is_line_break(c)) {
            if (line_has_text)
                counts.push_back(current);
            current = {};
            line_has_text = false;
            continue;
        } else if (!in_quotes) {
            for (std::size_t k = 0; k < kCandidates.size(); ++k)
                current[k] += c == kCandidates[k];
        }
        line_has_text = true;
    }
    // A line cut by the byte limit would not count fairly.
    if (limit < text.size() && counts.size() > 1)
        counts.pop_back();
    if (counts.empty())
        return ',';

    int best = -1, best_consistent = -1, best_header = 0;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) {
        const int header = counts[0][k];
        if (header == 0)
            continue;
        int consistent = 0;
        for (std::size_t l = 1; l < counts.size(); ++l)
            consistent += counts[l][k] == header;
        if (consistent > best_consistent || (consistent == best_consistent && header > best_header)) {
            best = int(k);
            best_consistent = consistent;
            best_header = header;
        }
    }
    return best < 0 ? ',' : kCandidates[std::size_t(best)];
}

CsvTable read_csv(std::string_view text, const std::string& file_name, char delimiter,
                  const CsvLimits& limits, std::vector<CsvBadRow>* bad_rows) {
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    int first_line = 1;
    // Excel writes and honours a first line "sep=;" naming the delimiter.
    if (text.size() >= 5 && text.starts_with("sep=") && (text.size() == 5 || is_line_break(text[5]))) {
        if (delimiter == 0)
            delimiter = text[4];
        std::size_t skip = 5;
        if (skip < text.size())
            skip += text[skip] == '\r' && skip + 1 < text.size() && text[skip + 1] == '\n' ? 2 : 1;
        text.remove_prefix(skip);
        first_line = 2;
    }
    if (delimiter == '"' || is_line_break(delimiter))
        throw InputError(file_name, tr("import.csv.bad_delimiter"));
    CsvTable table;
    table.delimiter = delimiter ? delimiter : sniff_delimiter(text);
    Parser parser(text, file_name, table.delimiter, first_line, limits);
    if (!parser.next(table.header))
        throw InputError(file_name, tr("import.csv.empty"));

    const std::size_t width = table.header.fields.size();
    parser.set_width_hint(width + 1);
    // Columns without a name at the right end of the header carry nothing; rows may leave them out.
    std::size_t needed = width;
    while (needed > 0 && is_blank(table.header.fields[needed - 1]))
        --needed;

    table.rows.reserve(std::min(text.size() / 64, limits.max_rows));
    CsvRecord rec;
    while (parser.next(rec)) {
        auto& f = rec.fields;
        if (f.size() == 1 && width > 1 && is_blank(f[0]))
            continue; // a line of spaces: as blank as an empty one
        // Extra trailing empty fields (stray delimiters at the end of a line) carry no data.
        while (f.size() > width && is_blank(f.back()))
            f.pop_back();
        if (f.size() < width && f.size() >= needed)
            f.resize(width);
        // Bad rows count too: a file of garbage lines must stop at the limit, not fill the memory.
        if (table.rows.size() + (bad_rows ? bad_rows->size() : 0) == limits.max_rows)
            throw InputError(file_name + ":" + std::to_string(rec.line),
                             tr("import.csv.too_many_rows", {{"max", count(std::int64_t(limits.max_rows))}}));
        if (f.size() != width) {
            std::string why = tr("import.csv.cell_count", {{"count", std::to_string(f.size())},
                                                           {"header_line", std::to_string(table.header.line)},
                                                           {"width", std::to_string(width)},
                                                           {"delimiter", describe(table.delimiter)}});
            if (!bad_rows)
                throw InputError(file_name + ":" + std::to_string(rec.line), why);
            bad_rows->push_back({rec.line, f.size(), std::move(why)});
            continue;
        }
        table.rows.push_back(std::move(rec));
        rec = CsvRecord{};
    }
    return table;
}

} // namespace accueil
