#include "strings.hpp"

#include "errors.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

namespace accueil::kiosk {

const char* lang_code(Lang l) {
    return l == Lang::Fr ? "fr" : "en";
}

namespace {
std::map<std::string, std::string> load_table(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw InputError(path, "cannot read the translation file");
    nlohmann::json j;
    try {
        in >> j;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, std::string("malformed JSON: ") + e.what());
    }
    if (!j.is_object())
        throw InputError(path, "expected an object of key -> text");
    std::map<std::string, std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it.value().is_string())
            throw InputError(path, "the value of \"" + it.key() + "\" is not a string");
        out[it.key()] = it.value().get<std::string>();
    }
    return out;
}
} // namespace

Strings Strings::load(const std::string& assets_dir) {
    Strings s;
    s.fr_ = load_table(assets_dir + "/lang/fr.json");
    s.en_ = load_table(assets_dir + "/lang/en.json");
    return s;
}

std::string Strings::default_assets_dir() {
    if (const char* env = std::getenv("ACCUEIL_ASSETS"); env && *env)
        return env;
    return ACCUEIL_ASSETS_DIR;
}

const std::string& Strings::get(Lang lang, const std::string& key) const {
    const auto& t = table(lang);
    const auto it = t.find(key);
    if (it != t.end())
        return it->second;
    // The other language is better than nothing; the key itself makes the gap visible.
    const auto& other = table(lang == Lang::Fr ? Lang::En : Lang::Fr);
    const auto jt = other.find(key);
    return jt != other.end() ? jt->second : key;
}

std::string Strings::format(Lang lang, const std::string& key,
                            const std::vector<std::pair<std::string, std::string>>& args) const {
    std::string text = get(lang, key);
    for (const auto& [name, value] : args) {
        const std::string marker = "{" + name + "}";
        for (std::size_t pos = text.find(marker); pos != std::string::npos;
             pos = text.find(marker, pos + value.size()))
            text.replace(pos, marker.size(), value);
    }
    return text;
}

} // namespace accueil::kiosk
