#pragma once
// The kiosk's words in French and English, from assets/lang/fr.json and en.json (flat key -> text).
// Placeholders are written {name}; a missing key shows the key itself, so a gap is visible, not fatal.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace accueil::kiosk {

enum class Lang { Fr, En };
const char* lang_code(Lang l); // "fr", "en"

class Strings {
public:
    // Loads <assets_dir>/lang/fr.json and en.json; throws InputError when a file is missing or malformed.
    static Strings load(const std::string& assets_dir);
    static std::string default_assets_dir(); // ACCUEIL_ASSETS_DIR, or ACCUEIL_ASSETS in the environment

    const std::string& get(Lang lang, const std::string& key) const;
    std::string format(Lang lang, const std::string& key,
                       const std::vector<std::pair<std::string, std::string>>& args) const;
    const std::map<std::string, std::string>& table(Lang lang) const { return lang == Lang::Fr ? fr_ : en_; }

    void set(Lang lang, const std::string& key, const std::string& text) {
        (lang == Lang::Fr ? fr_ : en_)[key] = text;
    }

private:
    std::map<std::string, std::string> fr_, en_;
};

} // namespace accueil::kiosk
