#pragma once
// Every user-facing sentence of accueil in French and English: one catalogue shared by the kiosk, the
// desk and both command lines. Translators edit assets/lang/<fr|en>/<area>.json (flat key -> text,
// placeholders written {name}); the files are compiled into the programs (shared/embed_files.cmake)
// so an installed program never runs without its words. A missing key shows the key itself, so a gap is
// visible, not fatal; tests/test_i18n.cpp checks that every key the code uses exists in both languages.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace accueil::i18n {

enum class Lang { Fr, En };
const char* lang_code(Lang l); // "fr", "en"

using Args = std::vector<std::pair<std::string, std::string>>;

class Catalogue {
public:
    // The catalogue compiled into the program from assets/lang/.
    static const Catalogue& builtin();
    // assets_dir/lang/fr/*.json and assets_dir/lang/en/*.json (a translator trying new words without a
    // rebuild); throws InputError naming the file when one is unreadable, malformed or repeats a key.
    static Catalogue load(const std::string& assets_dir);
    // One language's files given as (file name, JSON text); throws InputError as load() does.
    void add_file(Lang lang, const std::string& name, std::string_view json_text);

    const std::string& get(Lang lang, const std::string& key) const;
    std::string format(Lang lang, const std::string& key, const Args& args) const;
    const std::map<std::string, std::string>& table(Lang lang) const { return lang == Lang::Fr ? fr_ : en_; }
    void set(Lang lang, const std::string& key, const std::string& text) {
        (lang == Lang::Fr ? fr_ : en_)[key] = text;
    }

private:
    std::map<std::string, std::string> fr_, en_;
};

// The language of the person at a terminal: LANGUAGE (its first entry), else LC_ALL, LC_MESSAGES, LANG;
// French when that names fr (fr, fr_FR.UTF-8, fr_BE...), English otherwise. `env` is for tests.
Lang lang_from_environment();
Lang lang_from_values(const char* language, const char* lc_all, const char* lc_messages, const char* lang);

// The language of this process's messages (command-line output, errors, logs). Read from the
// environment the first time it is asked for; a program's --lang option may set it before any output.
Lang process_lang();
void set_process_lang(Lang l);

// Text from the built-in catalogue in the process's language.
std::string tr(const std::string& key);
std::string tr(const std::string& key, const Args& args);

} // namespace accueil::i18n
