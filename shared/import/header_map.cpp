#include "import/header_map.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "import/import_words.hpp"
#include "text_fold.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <unordered_map>

namespace accueil {
namespace {

constexpr std::array<std::string_view, kRosterFieldCount> kFieldNames = {
    "first_name", "last_name", "full_name", "email", "organisation", "category", "days", "code", "note"};

using import_words::in_quotes;

// Words that qualify a header without changing what it holds: "E-mail du participant", "Votre nom",
// the question words of forms ("Quelle est votre structure ?"), "Adresse mail professionnelle".
bool is_filler_word(std::string_view w) {
    static constexpr std::string_view kFillers[] = {"du",
                                                    "de",
                                                    "des",
                                                    "d",
                                                    "la",
                                                    "le",
                                                    "l",
                                                    "les",
                                                    "of",
                                                    "the",
                                                    "your",
                                                    "my",
                                                    "s",
                                                    "votre",
                                                    "vos",
                                                    "participant",
                                                    "participante",
                                                    "e",
                                                    "participants",
                                                    "attendee",
                                                    "attendees",
                                                    "quel",
                                                    "quelle",
                                                    "quels",
                                                    "quelles",
                                                    "est",
                                                    "what",
                                                    "is",
                                                    "professionnel",
                                                    "professionnelle",
                                                    "pro",
                                                    "personnel",
                                                    "personnelle",
                                                    "perso"};
    return std::find(std::begin(kFillers), std::end(kFillers), w) != std::end(kFillers);
}

// The buyer of an order is often not the person who comes (HelloAsso, Eventbrite, pretix).
bool is_buyer_word(std::string_view w) {
    static constexpr std::string_view kBuyer[] = {"acheteur", "acheteuse", "payeur",      "payeuse",
                                                  "buyer",    "purchaser", "facturation", "billing",
                                                  "invoice",  "acquereur"};
    return std::find(std::begin(kBuyer), std::end(kBuyer), w) != std::end(kBuyer);
}

// fold_text, then filler words dropped (unless nothing else is left): the key synonyms are compared on.
std::string header_key(std::string_view text, bool* buyer = nullptr) {
    const std::vector<std::string> words = fold_words(text);
    std::string key, all;
    for (const auto& w : words) {
        if (buyer && is_buyer_word(w))
            *buyer = true;
        (all.empty() ? all : all += ' ') += w;
        if (!is_filler_word(w))
            (key.empty() ? key : key += ' ') += w;
    }
    return key.empty() ? all : key;
}

struct Synonym {
    RosterField field;
    bool weak;            // an order number, a guess: used only when no better column exists
    bool guessed = false; // from the words of a question (guess_from_words)
};

const std::unordered_map<std::string, Synonym>& synonyms() {
    static const auto table = [] {
        struct Entry {
            RosterField field;
            bool weak;
            std::vector<const char*> names;
        };
        using F = RosterField;
        const Entry entries[] = {
            {F::LastName,
             false,
             {"Nom", "Nom de famille", "Nom d'usage", "Last name", "Lastname", "Surname", "Family name"}},
            {F::FirstName,
             false,
             {"Prénom", "Prénoms", "Prénom usuel", "First name", "Firstname", "Given name", "Forename"}},
            {F::FullName,
             false,
             {"Nom complet", "Nom et prénom", "Nom prénom", "Prénom nom", "Prénom et nom", "Noms et prénoms",
              "Identité", "Full name", "Fullname", "Name", "Participant", "Attendee name"}},
            {F::Email,
             false,
             {"E-mail", "Email", "Courriel", "Mail", "Mél", "Adresse e-mail", "Adresse email", "Adresse mail",
              "Adresse courriel", "Adresse électronique", "Adresse de messagerie", "Email address",
              "E-mail address", "Mail address"}},
            {F::Organisation,
             false,
             {"Structure",
              "Organisation",
              "Organization",
              "Organisme",
              "Company",
              "Entreprise",
              "Société",
              "Employeur",
              "Employer",
              "Affiliation",
              "Institution",
              "Établissement",
              "Association",
              "Collectivité",
              "Raison sociale",
              "Structure employeuse",
              "Nom de la structure",
              "Nom de l'organisation",
              "Nom de l'organisme",
              "Nom de l'entreprise",
              "Company name",
              "Organization name",
              "Organisation name",
              "Structure d'appartenance",
              "Organisme d'appartenance",
              "Organisme employeur"}},
            {F::Category,
             false,
             {"Catégorie",
              "Category",
              "Profil",
              "Type de billet",
              "Catégorie de billet",
              "Ticket type",
              "Ticket category",
              "Ticket",
              "Billet",
              "Product",
              "Produit",
              "Tarif",
              "Type",
              "Formule",
              "Type d'inscription",
              "Registration type",
              "Vous êtes",
              "Tu es",
              "Je suis",
              "You are",
              "I am",
              "Rôle",
              "Role",
              "Statut du participant"}},
            {F::Days,
             false,
             {"Jours", "Days", "Dates", "Journées", "Jour", "Day", "Journée", "Jour de présence",
              "Jours de présence", "Jours de participation", "Présence", "Attendance days",
              "Dates de présence", "Jours choisis", "Choix des jours", "Days attending", "Attendance"}},
            {F::ExternalCode,
             false,
             {"Code", "Secret", "Ticket secret", "Ticket code", "Code billet", "Code du billet", "Barcode",
              "Code-barre", "Code-barres", "Code barre", "Numéro de billet", "N° de billet", "N° billet",
              "No billet", "Ticket number", "Ticket ID", "QR code", "Code QR"}},
            {F::Note,
             false,
             {"Remarques", "Remarque", "Besoin d'accessibilité", "Besoins d'accessibilité", "Note accueil",
              "Notes accueil", "Notes", "Note", "Accessibility needs", "Accessibility need", "Remarks",
              "Remark", "Besoins spécifiques", "Besoins particuliers"}},
            {F::ExternalCode,
             true,
             {"Order code", "Order ID", "Order number", "Order #", "Code de commande", "Numéro de commande",
              "Référence", "Référence commande", "Référence de commande", "Reference"}},
        };
        std::unordered_map<std::string, Synonym> map;
        for (const auto& e : entries)
            for (const char* name : e.names)
                map.emplace(header_key(name), Synonym{e.field, e.weak, false});
        return map;
    }();
    return table;
}

std::optional<Synonym> lookup(std::string_view text) {
    bool buyer = false;
    const std::string key = header_key(text, &buyer);
    if (buyer || key.empty())
        return std::nullopt;
    const auto& table = synonyms();
    if (const auto it = table.find(key); it != table.end())
        return it->second;
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool contains_any(const std::vector<std::string>& words, std::initializer_list<std::string_view> set) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
        return std::find(set.begin(), set.end(), w) != set.end();
    });
}

// Form questions no list of names can foresee ("Quels jours serez-vous présent·e ?", "Which days will
// you attend?", "Date(s)"): a word for days and none of the dates that are not attendance (a form
// tool's timestamp, a registration, order or birth date, how many days, meals, times). An accessibility
// question is a note for the welcome desk. Weak: a column named exactly wins over them.
std::optional<Synonym> guess_from_words(std::string_view header) {
    const std::vector<std::string> words = fold_words(header);
    if (contains_any(words, {"inscription",  "inscrit",    "inscrits",     "commande", "achat",    "paiement",
                             "naissance",    "creation",   "modification", "order",    "purchase", "payment",
                             "registration", "registered", "birth",        "created",  "updated",  "modified",
                             "timestamp",    "horodateur", "horodatage",   "nombre",   "number",   "combien",
                             "many",         "repas",      "dejeuner",     "diner",    "meal",     "meals",
                             "lunch",        "dinner",     "heure",        "heures",   "time",     "hour",
                             "hours"}))
        return std::nullopt;
    bool plural_date = false; // "Date(s)" folds to "date s"; a lone "Date" may be any date
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
        plural_date = plural_date || (words[i] == "date" && words[i + 1] == "s");
    if (plural_date || contains_any(words, {"jour", "jours", "journee", "journees", "day", "days", "dates"}))
        return Synonym{RosterField::Days, true, true};
    if (contains_any(words, {"accessibilite", "accessibility"}))
        return Synonym{RosterField::Note, true, true};
    return std::nullopt;
}

std::optional<Synonym> classify_exact(std::string_view header) {
    if (auto s = lookup(header))
        return s;
    const std::string without_parens = import_words::without_parentheses(header);
    if (without_parens.size() != header.size())
        if (auto s = lookup(without_parens))
            return s;
    if (const auto colon = without_parens.rfind(':'); colon != std::string::npos) {
        const std::string_view view(without_parens);
        if (auto s = lookup(view.substr(colon + 1)))
            return s;
        if (auto s = lookup(view.substr(0, view.find(':'))))
            return s;
    }
    return std::nullopt;
}

// "Organisme / Structure", "Mail / Courriel": every part names the same field; "Nom / Prénom" is a
// full name.
std::optional<Synonym> classify_alternatives(std::string_view header) {
    if (header.find('/') == std::string_view::npos)
        return std::nullopt;
    std::optional<Synonym> found;
    bool first = false, last = false;
    std::size_t start = 0;
    while (start <= header.size()) {
        const std::size_t slash = std::min(header.find('/', start), header.size());
        const std::string_view part = trim(header.substr(start, slash - start));
        start = slash + 1;
        if (part.empty())
            continue;
        const auto s = classify_exact(part);
        if (!s)
            return std::nullopt;
        first = first || s->field == RosterField::FirstName;
        last = last || s->field == RosterField::LastName;
        if (first && last)
            found = Synonym{RosterField::FullName, false, false};
        else if (!found)
            found = s;
        else if (found->field != s->field && found->field != RosterField::FullName)
            return std::nullopt;
    }
    return found;
}

// The header as written, then without "(...)", then the part after the last ':' (pretix writes
// "Attendee name: Family name"), then the part before the first ':' (forms write "Nom :"), then parts
// around '/', then the words of a form question.
std::optional<Synonym> classify(std::string_view header) {
    if (auto s = classify_exact(header))
        return s;
    if (auto s = classify_alternatives(header))
        return s;
    return guess_from_words(header);
}

// The header's named columns, quoted: what a message shows of the file.
std::string list_columns(const std::vector<std::string>& header) {
    std::vector<std::string> names;
    for (const auto& h : header)
        if (!trim(h).empty())
            names.emplace_back(trim(h));
    return import_words::in_quotes_list(names);
}

// Letters counted by case, through utf8proc so that "DUPRÉ" and "ÉLODIE" count as capitals.
struct CaseCount {
    int upper = 0, lower = 0;
};
CaseCount count_case(std::string_view word) {
    CaseCount n;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(word.data());
    utf8proc_ssize_t left = utf8proc_ssize_t(word.size());
    while (left > 0) {
        utf8proc_int32_t cp;
        const utf8proc_ssize_t len = utf8proc_iterate(p, left, &cp);
        if (len <= 0)
            break;
        const auto cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_LU)
            ++n.upper;
        else if (cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT)
            ++n.lower;
        p += len;
        left -= len;
    }
    return n;
}

// A word in capitals, at least two letters long ("DUPRÉ", "N'DIAYE"); an initial "M." is not one.
bool is_capitals(std::string_view word) {
    const CaseCount n = count_case(word);
    return n.upper >= 2 && n.lower == 0;
}

// The small words that start many family names: "de La Fontaine", "van Dam", "d'Alembert".
bool is_particle(std::string_view word) {
    std::string w(word);
    for (char& c : w)
        c = char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (w.starts_with("d'") || w.starts_with("d\u2019"))
        return w.size() > 2;
    static constexpr std::string_view kParticles[] = {"de",  "du",  "des", "le",   "la", "les",
                                                      "van", "von", "der", "den",  "di", "da",
                                                      "dos", "das", "del", "della"};
    return std::find(std::begin(kParticles), std::end(kParticles), w) != std::end(kParticles);
}

std::string join(const std::vector<std::string_view>& words, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i)
        (out.empty() ? out : out += ' ') += words[i];
    return out;
}

} // namespace

std::string_view roster_field_name(RosterField field) {
    return kFieldNames[std::size_t(field)];
}

std::string roster_field_list() {
    std::string out;
    for (const auto name : kFieldNames)
        (out += name) += ", ";
    return out + "ignore";
}

std::string roster_field_label(RosterField field) {
    return i18n::tr("import.field." + std::string(roster_field_name(field)));
}

std::optional<RosterField> parse_roster_field(std::string_view name) {
    std::string key = fold_text(name);
    std::replace(key.begin(), key.end(), ' ', '_');
    if (key == "organization")
        key = "organisation";
    else if (key == "external_code" || key == "ticket_code")
        key = "code";
    else if (key == "firstname")
        key = "first_name";
    else if (key == "lastname")
        key = "last_name";
    else if (key == "fullname" || key == "name")
        key = "full_name";
    for (std::size_t i = 0; i < kFieldNames.size(); ++i)
        if (key == kFieldNames[i])
            return RosterField(i);
    return std::nullopt;
}

std::optional<RosterField> field_for_header(std::string_view header) {
    const auto s = classify(header);
    return s ? std::optional(s->field) : std::nullopt;
}

HeaderMap map_header(const std::vector<std::string>& header, const std::vector<std::string>& overrides,
                     const std::string& where) {
    HeaderMap map;
    std::vector<bool> decided(header.size(), false); // by an override: mapped or explicitly ignored

    for (const auto& arg : overrides) {
        const std::string here = "--map \"" + arg + "\""; // as typed on the command line
        const auto eq = arg.rfind('=');
        if (eq == std::string::npos)
            throw InputError(here, i18n::tr("import.map.no_equals"));
        const std::string_view column_name = trim(std::string_view(arg).substr(0, eq));
        const std::string_view field_name = trim(std::string_view(arg).substr(eq + 1));
        const std::string wanted = fold_text(column_name);
        std::size_t column = header.size();
        for (std::size_t i = 0; i < header.size() && column == header.size(); ++i)
            if (!wanted.empty() && fold_text(header[i]) == wanted)
                column = i;
        if (column == header.size())
            throw InputError(here, i18n::tr("import.map.no_column", {{"column", in_quotes(column_name)},
                                                                     {"columns", list_columns(header)}}));
        if (decided[column])
            throw InputError(here, i18n::tr("import.map.twice", {{"column", in_quotes(column_name)}}));
        decided[column] = true;
        const std::string folded_field = fold_text(field_name);
        if (folded_field == "ignore" || folded_field == "ignorer" || folded_field == "none")
            continue;
        const auto field = parse_roster_field(field_name);
        if (!field)
            throw InputError(here, i18n::tr("import.map.unknown_field", {{"field", in_quotes(field_name)},
                                                                         {"fields", roster_field_list()}}));
        auto& slot = map.columns[std::size_t(*field)];
        if (slot)
            throw InputError(here, i18n::tr("import.map.two_columns",
                                            {{"field", std::string(roster_field_name(*field))}}));
        slot = column;
    }

    std::array<bool, kRosterFieldCount> weak{}; // the column holding a field was only a weak match
    std::array<bool, kRosterFieldCount> by_override{};
    for (std::size_t f = 0; f < kRosterFieldCount; ++f)
        by_override[f] = map.columns[f].has_value();
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (decided[i])
            continue;
        const auto syn = classify(header[i]);
        if (!syn)
            continue;
        const auto f = std::size_t(syn->field);
        if (!map.columns[f] || (!by_override[f] && weak[f] && !syn->weak)) {
            map.columns[f] = i;
            weak[f] = syn->weak;
            map.guessed[f] = syn->guessed;
        }
    }

    std::vector<bool> used(header.size(), false);
    for (const auto& c : map.columns)
        if (c)
            used[*c] = true;
    for (std::size_t i = 0; i < header.size(); ++i)
        if (!used[i] && !trim(header[i]).empty())
            map.ignored.emplace_back(trim(header[i]));

    if (!map.has(RosterField::LastName) && !map.has(RosterField::FullName))
        throw InputError(where, i18n::tr("import.header.no_name",
                                         {{"first_alone", map.has(RosterField::FirstName)
                                                              ? i18n::tr("import.header.first_name_alone")
                                                              : std::string()},
                                          {"columns", list_columns(header)}}));
    return map;
}

PersonName split_full_name(std::string_view full_name) {
    // Words split on spaces, tabs and no-break spaces (U+00A0, common in spreadsheet exports).
    std::vector<std::string_view> words;
    std::size_t i = 0;
    auto space_at = [&](std::size_t k) -> std::size_t {
        if (full_name[k] == ' ' || full_name[k] == '\t' || full_name[k] == '\r' || full_name[k] == '\n')
            return 1;
        if (full_name.substr(k, 2) == "\xC2\xA0")
            return 2;
        return 0;
    };
    while (i < full_name.size()) {
        if (const std::size_t n = space_at(i)) {
            i += n;
            continue;
        }
        const std::size_t start = i;
        while (i < full_name.size() && space_at(i) == 0)
            ++i;
        words.push_back(full_name.substr(start, i - start));
    }
    const std::size_t n = words.size();
    if (n == 0)
        return {};
    if (n == 1)
        return {"", std::string(words[0])};

    std::vector<bool> caps(n);
    std::size_t caps_count = 0;
    for (std::size_t k = 0; k < n; ++k)
        caps_count += (caps[k] = is_capitals(words[k]));

    if (caps_count > 0 && caps_count < n) {
        // "Léa DUPRÉ", "Jean de LA FONTAINE": capitals at the end, with the particles before them.
        if (caps[n - 1]) {
            std::size_t start = n - 1;
            while (start > 0 && caps[start - 1])
                --start;
            if (start == n - caps_count) {
                while (start > 1 && is_particle(words[start - 1]))
                    --start;
                return {join(words, 0, start), join(words, start, n)};
            }
        }
        // "DUPRÉ Léa", or capitals scattered: the capitals are the last name, the rest the first name.
        std::vector<std::string_view> first, last;
        for (std::size_t k = 0; k < n; ++k)
            (caps[k] ? last : first).push_back(words[k]);
        return {join(first, 0, first.size()), join(last, 0, last.size())};
    }
    // No capitals to go by: the family name starts at the first particle after the first word, or
    // else right after the first word.
    for (std::size_t k = 1; k + 1 < n; ++k)
        if (is_particle(words[k]))
            return {join(words, 0, k), join(words, k, n)};
    return {std::string(words[0]), join(words, 1, n)};
}

} // namespace accueil
