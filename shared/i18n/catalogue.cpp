#include "i18n/catalogue.hpp"

#include "errors.hpp"
#include "i18n/embedded_catalogue.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace accueil::i18n {

const char* lang_code(Lang l) {
    return l == Lang::Fr ? "fr" : "en";
}

void Catalogue::add_file(Lang lang, const std::string& name, std::string_view json_text) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(name, std::string("malformed JSON: ") + e.what());
    }
    if (!j.is_object())
        throw InputError(name, "expected an object of key -> text");
    auto& out = lang == Lang::Fr ? fr_ : en_;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it.value().is_string())
            throw InputError(name, "the value of \"" + it.key() + "\" is not a string");
        // Two areas claiming one key would make one of them silently wrong.
        if (!out.emplace(it.key(), it.value().get<std::string>()).second)
            throw InputError(name, "the key \"" + it.key() + "\" is already defined in another file");
    }
}

namespace {

std::string read_whole(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw InputError(p.string(), "cannot read the translation file");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Catalogue make_builtin() {
    Catalogue c;
    for (const auto& f : embedded_catalogue_files()) {
        const std::string path(f.path);
        const bool fr = path.rfind("fr/", 0) == 0;
        if (fr || path.rfind("en/", 0) == 0)
            c.add_file(fr ? Lang::Fr : Lang::En, "assets/lang/" + path, f.data);
    }
    return c;
}

} // namespace

const Catalogue& Catalogue::builtin() {
    static const Catalogue c = make_builtin();
    return c;
}

Catalogue Catalogue::load(const std::string& assets_dir) {
    Catalogue c;
    for (const Lang lang : {Lang::Fr, Lang::En}) {
        const std::filesystem::path dir = std::filesystem::path(assets_dir) / "lang" / lang_code(lang);
        std::error_code ec;
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir, ec))
            if (e.path().extension() == ".json")
                files.push_back(e.path());
        if (ec || files.empty())
            throw InputError(dir.string(), "no translation files (*.json) here");
        std::sort(files.begin(), files.end());
        for (const auto& p : files)
            c.add_file(lang, p.string(), read_whole(p));
    }
    return c;
}

const std::string& Catalogue::get(Lang lang, const std::string& key) const {
    const auto& t = table(lang);
    if (const auto it = t.find(key); it != t.end())
        return it->second;
    // The other language is better than nothing; the key itself makes the gap visible.
    const auto& other = table(lang == Lang::Fr ? Lang::En : Lang::Fr);
    const auto jt = other.find(key);
    return jt != other.end() ? jt->second : key;
}

std::string Catalogue::format(Lang lang, const std::string& key, const Args& args) const {
    std::string text = get(lang, key);
    for (const auto& [name, value] : args) {
        const std::string marker = "{" + name + "}";
        for (std::size_t pos = text.find(marker); pos != std::string::npos;
             pos = text.find(marker, pos + value.size()))
            text.replace(pos, marker.size(), value);
    }
    return text;
}

Lang lang_from_values(const char* language, const char* lc_all, const char* lc_messages, const char* lang) {
    const auto french = [](std::string_view v) { return v.substr(0, 2) == "fr"; };
    // LANGUAGE is a priority list ("fr:en"); GNU programs honour it unless the locale is C, so do we.
    if (language && *language)
        return french(language) ? Lang::Fr : Lang::En;
    for (const char* v : {lc_all, lc_messages, lang})
        if (v && *v)
            return french(v) ? Lang::Fr : Lang::En;
    return Lang::En;
}

Lang lang_from_environment() {
    return lang_from_values(std::getenv("LANGUAGE"), std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"),
                            std::getenv("LANG"));
}

namespace {
std::atomic<int>& process_lang_slot() {
    static std::atomic<int> slot{static_cast<int>(lang_from_environment())};
    return slot;
}
} // namespace

Lang process_lang() {
    return static_cast<Lang>(process_lang_slot().load(std::memory_order_relaxed));
}

void set_process_lang(Lang l) {
    process_lang_slot().store(static_cast<int>(l), std::memory_order_relaxed);
}

std::string tr(const std::string& key) {
    return Catalogue::builtin().get(process_lang(), key);
}

std::string tr(const std::string& key, const Args& args) {
    return Catalogue::builtin().format(process_lang(), key, args);
}

} // namespace accueil::i18n
