#include "import/import_words.hpp"

#include "i18n/catalogue.hpp"
#include "report/report_tables.hpp"

namespace accueil::import_words {
namespace {

report::Lang report_lang() {
    return i18n::process_lang() == i18n::Lang::Fr ? report::Lang::Fr : report::Lang::En;
}

} // namespace

std::string without_parentheses(std::string_view text) {
    std::string out;
    int depth = 0;
    for (const char c : text) {
        if (c == '(' || c == '[')
            ++depth;
        else if ((c == ')' || c == ']') && depth > 0)
            --depth;
        else if (depth == 0)
            out.push_back(c);
    }
    return out;
}

std::string in_quotes(std::string_view text) {
    return i18n::tr("import.words.quoted", {{"text", std::string(text)}});
}

std::string in_quotes_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        (out.empty() ? out : out += ", ") += in_quotes(item);
    return out;
}

std::string and_list(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t k = 0; k < items.size(); ++k) {
        if (k > 0)
            out += k + 1 == items.size() ? i18n::tr("import.words.and") : ", ";
        out += items[k];
    }
    return out;
}

std::string count(std::int64_t n) {
    return report::format_count(n, report_lang());
}

std::string event_day(const std::string& date, const std::string& label) {
    std::string out = report::format_long_date(date, report_lang());
    return label.empty() ? out : out + " (" + label + ")";
}

} // namespace accueil::import_words
