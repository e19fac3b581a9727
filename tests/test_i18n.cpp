// The shared message catalogue (shared/i18n/catalogue.hpp): both languages complete, placeholders
// alike, every key the code names present, the language chosen from the environment.
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace accueil;
using i18n::Catalogue;
using i18n::Lang;
namespace fs = std::filesystem;

namespace {

// No <regex> here: g++ 12 warns (maybe-uninitialized) inside std::regex in the sanitizer build.
bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> out;
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const auto close = text.find('}', open);
        if (close == std::string::npos)
            break;
        const std::string name = text.substr(open + 1, close - open - 1);
        if (!name.empty() && std::all_of(name.begin(), name.end(), is_word_char))
            out.insert(name);
    }
    return out;
}

// "desk.verdict.admitted": lower-case words joined by dots, at least two, the first without digits.
bool is_key_shaped(const std::string& s) {
    const auto dot = s.find('.');
    if (dot == std::string::npos || dot == 0 || s.back() == '.' || s.find("..") != std::string::npos)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '.' || is_word_char(s[i])) || (i < dot && s[i] >= '0' && s[i] <= '9'))
            return false;
    return true;
}

std::vector<std::string> string_literals(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t open = text.find('"'); open != std::string::npos;) {
        const auto close = text.find('"', open + 1);
        if (close == std::string::npos)
            break;
        out.push_back(text.substr(open + 1, close - open - 1));
        open = text.find('"', close + 1);
    }
    return out;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool has_file_extension(const std::string& literal) {
    static const std::set<std::string> kExtensions{
        "hpp", "h",  "cpp", "json", "db",  "png", "pdf", "csv", "html", "js",      "css",   "svg",
        "txt", "po", "mo",  "sock", "wav", "pem", "key", "crt", "conf", "service", "cmake", "md"};
    return kExtensions.count(literal.substr(literal.rfind('.') + 1)) > 0;
}

} // namespace

TEST_CASE("both languages hold the same keys, and each key the same placeholders", "[i18n]") {
    const Catalogue& c = Catalogue::builtin();
    const auto& fr = c.table(Lang::Fr);
    const auto& en = c.table(Lang::En);
    REQUIRE(fr.size() > 200);
    for (const auto& [key, text] : fr) {
        INFO("key " << key);
        REQUIRE(en.count(key) == 1);
        CHECK_FALSE(text.empty());
        CHECK(placeholders(text) == placeholders(en.at(key)));
    }
    for (const auto& [key, text] : en) {
        INFO("key " << key);
        CHECK(fr.count(key) == 1);
        CHECK_FALSE(text.empty());
    }
}

TEST_CASE("every catalogue key the code names exists in French and English", "[i18n]") {
    const Catalogue& c = Catalogue::builtin();
    std::set<std::string> prefixes;
    for (const auto& [key, text] : c.table(Lang::Fr))
        prefixes.insert(key.substr(0, key.find('.')));
    // A literal shaped like a key whose first word is a catalogue area must be in the catalogue.
    // Settings kept in the store's meta table, named like keys but not words.
    static const std::set<std::string> kStoreMetaKeys{
        "desk.pin_hash", "desk.pin_failures", "desk.pin_locked_until", "desk.printer", "desk.print_layout"};
    // A key, or a stem the code completes ("verdict.admitted" + ".title").
    const auto known = [](const std::map<std::string, std::string>& t, const std::string& key) {
        const auto it = t.lower_bound(key);
        return it != t.end() && (it->first == key || it->first.rfind(key + ".", 0) == 0);
    };
    std::size_t seen = 0;
    std::vector<std::string> missing;
    for (const char* dir : {"kiosk", "sync", "shared"}) {
        const fs::path root = fs::path(ACCUEIL_SOURCE_DIR) / dir;
        REQUIRE(fs::is_directory(root));
        for (const auto& e : fs::recursive_directory_iterator(root)) {
            const auto ext = e.path().extension();
            if (ext != ".cpp" && ext != ".hpp")
                continue;
            const std::string text = read_file(e.path());
            for (const std::string& key : string_literals(text)) {
                if (!is_key_shaped(key) || has_file_extension(key) ||
                    !prefixes.count(key.substr(0, key.find('.'))))
                    continue;
                if (kStoreMetaKeys.count(key))
                    continue;
                ++seen;
                if (!known(c.table(Lang::Fr), key) || !known(c.table(Lang::En), key))
                    missing.push_back(fs::relative(e.path(), ACCUEIL_SOURCE_DIR).string() + ": " + key);
            }
        }
    }
    INFO("keys named in the code but absent from assets/lang/fr or en:\n"
         << [&] {
                std::string s;
                for (const auto& m : missing)
                    s += "  " + m + "\n";
                return s;
            }());
    CHECK(missing.empty());
    CHECK(seen > 150);
}

TEST_CASE("the language follows LANGUAGE, then LC_ALL, LC_MESSAGES and LANG", "[i18n]") {
    CHECK(i18n::lang_from_values(nullptr, nullptr, nullptr, nullptr) == Lang::En);
    CHECK(i18n::lang_from_values(nullptr, nullptr, nullptr, "fr_FR.UTF-8") == Lang::Fr);
    CHECK(i18n::lang_from_values(nullptr, nullptr, nullptr, "C.UTF-8") == Lang::En);
    CHECK(i18n::lang_from_values(nullptr, "en_GB.UTF-8", nullptr, "fr_FR.UTF-8") == Lang::En);
    CHECK(i18n::lang_from_values(nullptr, "", "fr_BE.UTF-8", "en_US.UTF-8") == Lang::Fr);
    CHECK(i18n::lang_from_values("fr:en", "C", nullptr, nullptr) == Lang::Fr);
    CHECK(i18n::lang_from_values("en", "fr_FR.UTF-8", nullptr, nullptr) == Lang::En);
}

TEST_CASE("a translator's files load from a folder, and a broken one is named", "[i18n]") {
    test::TempDir dir;
    fs::create_directories(dir.path() / "lang" / "fr");
    fs::create_directories(dir.path() / "lang" / "en");
    std::ofstream(dir.path() / "lang" / "fr" / "a.json") << R"({"x.hello": "Bonjour {name}"})";
    std::ofstream(dir.path() / "lang" / "en" / "a.json") << R"({"x.hello": "Hello {name}"})";
    const Catalogue c = Catalogue::load(dir.path().string());
    CHECK(c.format(Lang::Fr, "x.hello", {{"name", "Zoé"}}) == "Bonjour Zoé");
    CHECK(c.format(Lang::En, "x.hello", {{"name", "Zoé"}}) == "Hello Zoé");
    CHECK(c.get(Lang::Fr, "x.absent") == "x.absent");

    std::ofstream(dir.path() / "lang" / "en" / "b.json") << R"({"x.hello": "Again"})";
    try {
        (void)Catalogue::load(dir.path().string());
        FAIL("a key defined twice was accepted");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("b.json") && Catch::Contains("x.hello"));
    }
    std::ofstream(dir.path() / "lang" / "en" / "b.json") << R"({"x.other": 3})";
    CHECK_THROWS_AS(Catalogue::load(dir.path().string()), InputError);
}
