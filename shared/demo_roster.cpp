#include "demo_roster.hpp"

#include "text_fold.hpp"

#include <algorithm>
#include <limits>
#include <random>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace accueil {
namespace {

// Common French given names, with the spellings that break naive code (accents, diaeresis, ligatures,
// hyphens) and those of families from the Maghreb, West Africa, Vietnam, Portugal, Poland, Turkey...
constexpr std::string_view kFirstNames[] = {
    // Women
    "Léa", "Chloé", "Zoé", "Anaïs", "Églantine", "Hélène", "Lætitia", "Clémence", "Amélie", "Agnès",
    "Béatrice", "Cécile", "Élodie", "Émilie", "Éloïse", "Héloïse", "Inès", "Joséphine", "Léna", "Louise",
    "Manon", "Mathilde", "Maëlys", "Mélanie", "Noémie", "Océane", "Pénélope", "Séverine", "Thérèse",
    "Valérie", "Zélie", "Aurélie", "Gaëlle", "Anne", "Camille", "Claire", "Emma", "Jade", "Julie", "Juliette",
    "Lucie", "Margaux", "Nathalie", "Sarah", "Sophie", "Sandrine", "Isabelle", "Catherine", "Christine",
    "Sylvie", "Véronique", "Marion", "Pauline", "Alice", "Lina", "Rose", "Ambre", "Nour", "Yasmine", "Fatou",
    "Aïcha", "Fatima", "Myriam", "Leïla", "Nadia", "Samira", "Linh", "Mai", "Agnieszka", "Ana", "Maria",
    "Ayşe", "Dominique", "Françoise", "Brigitte", "Maëlle", "Solène", "Estelle",
    // Men
    "Jérôme", "François", "Noël", "Maël", "Loïc", "Gaël", "Raphaël", "Joël", "Mickaël", "Benoît", "Théo",
    "Hugo", "Lucas", "Louis", "Nathan", "Gabriel", "Arthur", "Jules", "Léo", "Mathéo", "Timothée", "Clément",
    "Cédric", "Frédéric", "Stéphane", "Sébastien", "Thierry", "Éric", "Étienne", "Émile", "Hervé", "André",
    "René", "Rémi", "Aurélien", "Jérémy", "Grégoire", "Olivier", "Pierre", "Paul", "Nicolas", "Julien",
    "Thomas", "Antoine", "Alexandre", "Guillaume", "Vincent", "Laurent", "Philippe", "Patrick", "Christophe",
    "David", "Karim", "Mohamed", "Mehdi", "Rachid", "Yassine", "Bilal", "Moussa", "Mamadou", "Ibrahima",
    "Amadou", "Kévin", "Enzo", "Tiago", "João", "Minh", "Duc", "Piotr", "Łukasz", "Mehmet", "Seán",
    // Hyphenated
    "Jean-Noël", "Marie-Hélène", "Jean-Baptiste", "Anne-Sophie", "Pierre-Yves", "Marie-Claire",
    "Jean-François", "Marie-Ève", "Jean-Pierre", "Anne-Laure", "Jean-Luc", "Marie-Noëlle", "Paul-Émile",
    "Louis-Marie"};

// Family names: the most frequent ones in France first (drawn more often, see pick_last_name), then the
// rest, including particles, apostrophes, ligatures, compound names and names of many origins.
constexpr std::size_t kCommonLastNames = 24;
constexpr std::string_view kLastNames[] = {
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine",
    // (end of the common ones)
    "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer",
    "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Masson", "Marchand", "Duval", "Denis", "Dumont",
    "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière",
    "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Gérard", "Roche", "Renard", "Schmitt", "Roy",
    "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
    "Lacroix", "Olivier", "Bourgeois", "Benoît", "Rey", "Leclerc", "Rolland", "Leclercq", "Guillaume",
    "Lecomte", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Dupuis", "Moulin", "Deschamps", "Huet",
    "Vasseur", "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam", "Poirier", "Marty", "Aubry", "Guyot",
    "Carré", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Collet",
    "Léger", "Bouvier", "Prévost", "Millet", "Perrot", "Cousin", "Germain", "Breton", "Besson", "Langlois",
    "Rémy", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Hamon",
    "Boulanger", "Monnier", "Michaud", "Guichard", "Gillet", "Étienne", "Tessier", "Chauvin", "Lemaître",
    "Bénard", "Maréchal", "Humbert", "Reynaud", "Barthélemy", "Cordier", "Pichon", "Lejeune", "Delaunay",
    "Pasquier", "Carlier", "Laporte",
    // Bretagne, particles, apostrophes, ligatures, compound names
    "Le Goff", "Le Gall", "Le Roux", "Le Bihan", "Le Floch", "Kerhervé", "de La Fontaine", "d'Arbois",
    "du Pont", "de Kerguelen", "de la Croix", "d'Aubigné", "des Roches", "Van den Broeck", "Di Stefano",
    "Dell'Acqua", "N'Diaye", "N'Guessan", "O'Brien", "O'Neill", "Œuvray", "Lecœur", "Jean-Baptiste",
    "Saint-Martin", "Martin-Lavigne", "Roux-Combaluzier",
    // La Réunion, the Antilles
    "Payet", "Hoarau", "Grondin", "Fontenelle", "Ursulet",
    // Maghreb
    "Benali", "Benaïssa", "Belkacem", "Bouzid", "Haddad", "Mansouri", "Cherif", "Khelifi", "El Amrani",
    "Ben Youssef", "Boudjemaa", "Zerrouki",
    // West Africa
    "Diallo", "Traoré", "Coulibaly", "Keïta", "Diop", "Sow", "Camara", "Konaté", "Touré", "Bamba", "Sylla",
    // Vietnam, China, Korea
    "Nguyen", "Tran", "Pham", "Hoang", "Lê", "Zhang", "Wang", "Chen", "Liu", "Kim",
    // Turkey, Poland, Portugal, Spain, Italy, Germany, elsewhere in Europe
    "Çelik", "Öztürk", "Şahin", "Demir", "Kaya", "Kowalski", "Nowak", "Wiśniewski", "Lewandowski", "Da Silva",
    "Dos Santos", "Ferreira", "Pereira", "Rodrigues", "Gonçalves", "Fernandes", "Oliveira", "Costa", "Muñoz",
    "Jiménez", "Sánchez", "Rossi", "Russo", "Esposito", "Bianchi", "Müller", "Schmidt", "Wagner", "Popescu",
    "Ionescu", "Papadopoulos", "Ivanov", "Cohen", "Lévy", "Azoulay"};

struct Organisation {
    std::string name;
    std::string domain; // e-mail domain of its staff
};

// Cities of every size, in mainland France and overseas.
constexpr std::string_view kCities[] = {
    // clang-format off
    "Lyon", "Bordeaux", "Marseille", "Lille", "Nantes", "Toulouse", "Rennes", "Strasbourg", "Grenoble",
    "Montpellier", "Saint-Étienne", "Clermont-Ferrand", "Besançon", "Angers", "Brest", "Le Mans", "Limoges",
    "Poitiers", "Pau", "Nîmes", "Aix-en-Provence", "Villeurbanne", "Roubaix", "Saint-Denis", "Aubervilliers",
    "Évry-Courcouronnes", "Châlons-en-Champagne", "Cayenne", "Fort-de-France", "Ajaccio", "Quimper",
    "Périgueux", "Mont-de-Marsan", "Bayonne", "Agen", "Tulle", "Guéret", "Le Havre", "Orléans", "Amiens"};
// clang-format on

// Cities with a university of that name (students volunteer at the welcome desk).
constexpr std::string_view kUniversityCities[] = {
    "Lyon",     "Bordeaux",    "Lille",   "Nantes", "Toulouse", "Rennes",   "Strasbourg",
    "Grenoble", "Montpellier", "Angers",  "Brest",  "Limoges",  "Poitiers", "Pau",
    "Nîmes",    "Le Havre",    "Orléans", "Amiens", "Le Mans"};

constexpr std::pair<std::string_view, std::string_view> kNamedOrganisations[] = {
    {"Département de la Gironde", "gironde.fr"},
    {"Département du Nord", "lenord.fr"},
    {"Département des Landes", "landes.fr"},
    {"Département de l'Hérault", "herault.fr"},
    {"Département de la Seine-Saint-Denis", "seinesaintdenis.fr"},
    {"Département du Finistère", "finistere.fr"},
    {"Département de la Creuse", "creuse.fr"},
    {"Région Occitanie", "laregion.fr"},
    {"Région Nouvelle-Aquitaine", "nouvelle-aquitaine.fr"},
    {"Région Bretagne", "bretagne.bzh"},
    {"Région Grand Est", "grandest.fr"},
    {"Région Hauts-de-France", "hautsdefrance.fr"},
    {"Région Île-de-France", "iledefrance.fr"},
    {"Région Auvergne-Rhône-Alpes", "auvergnerhonealpes.fr"},
    {"Emmaüs Connect", "emmaus-connect.org"},
    {"La MedNum", "lamednum.coop"},
    {"WeTechCare", "wetechcare.org"},
    {"Simplon.co", "simplon.co"},
    {"Les Petits Débrouillards", "lespetitsdebrouillards.org"},
    {"Framasoft", "framasoft.org"},
    {"Ligue de l'enseignement", "laligue.org"},
    {"Croix-Rouge française", "croix-rouge.fr"},
    {"Secours populaire français", "secourspopulaire.fr"},
    {"Fondation Abbé Pierre", "fondation-abbe-pierre.fr"},
    {"Pôle emploi", "pole-emploi.fr"},
    {"Caisse d'allocations familiales", "caf.fr"},
    {"Banque des Territoires", "caissedesdepots.fr"},
    {"PIX", "pix.fr"},
    {"Aidants Connect", "beta.gouv.fr"},
    {"Hub Hinaura", "hinaura.fr"},
    {"Hub du Sud", "hubdusud.fr"},
    {"Les Assembleurs", "assembleurs.co"},
    {"Tiers-lieu La Quincaillerie", "quincaillerie.org"},
    {"Tiers-lieu Les Usines, Ligugé", "lesusines.fr"},
    {"Coop des Communs", "coopdescommuns.org"},
    {"Solidatech", "solidatech.fr"},
    {"Ordi 3.0", "ordi3-0.fr"},
    {"Numérik'Ensemble SCIC", "numerik-ensemble.coop"},
    {"DataCités SAS", "datacites.io"},
    {"Clic & Lien", "clic-et-lien.fr"},
    {"Espace public numérique \"Le Cyber\"", "lecyber-epn.fr"},
    {"Centre social des Quatre-Chemins", "csquatrechemins.fr"},
    {"Association Génération Seniors", "generation-seniors.org"},
    {"MJC de Villeurbanne", "mjc-villeurbanne.org"},
    {"Fréquence Écoles", "frequence-ecoles.org"},
    {"Bibliothèque nationale de France", "bnf.fr"},
};

// The event's own people and its guests: organisers, the press and sponsors have organisations of their own.
constexpr std::pair<std::string_view, std::string_view> kOrganisers[] = {
    {"ANCT — Société Numérique", "anct.gouv.fr"},
    {"La MedNum", "lamednum.coop"},
    {"Numérique en Commun[s]", "numerique-en-communs.fr"}};
constexpr std::pair<std::string_view, std::string_view> kPress[] = {
    {"Ouest-France", "ouest-france.fr"},
    {"Sud Ouest", "sudouest.fr"},
    {"La Gazette des communes", "lagazettedescommunes.com"},
    {"Acteurs publics", "acteurspublics.fr"},
    {"France 3 Nouvelle-Aquitaine", "francetv.fr"},
    {"Next INpact", "nextinpact.com"},
    {"Radio France", "radiofrance.com"},
    {"Libération", "liberation.fr"}};
constexpr std::pair<std::string_view, std::string_view> kPartners[] = {
    {"Banque des Territoires", "caissedesdepots.fr"},
    {"Groupe La Poste", "laposte.fr"},
    {"Fondation Orange", "orange.com"},
    {"Région Nouvelle-Aquitaine", "nouvelle-aquitaine.fr"},
    {"Ordi 3.0", "ordi3-0.fr"},
    {"Solidatech", "solidatech.fr"}};

// Personal mailboxes, weighted roughly by how often French people use them.
constexpr std::pair<std::string_view, unsigned> kPersonalDomains[] = {
    {"gmail.com", 35}, {"orange.fr", 20}, {"free.fr", 10}, {"laposte.net", 8}, {"hotmail.fr", 8},
    {"yahoo.fr", 6},   {"outlook.fr", 5}, {"sfr.fr", 4},   {"wanadoo.fr", 4}};

enum class Category { Participant, Speaker, Organiser, Volunteer, Press, Partner };
constexpr std::string_view kCategoryLabels[] = {"Participant", "Intervenant", "Organisateur",
                                                "Bénévole",    "Presse",      "Partenaire"};
// Per mille. Close to the reference event: 1,700 people, 228 speakers, 60 organisers, 60 volunteers.
constexpr unsigned kCategoryWeights[] = {790, 110, 35, 35, 10, 20};

// "Lyon" -> "de Lyon", "Angers" -> "d'Angers", "Le Mans" -> "du Mans", as French writes it.
std::string of_city(std::string_view city) {
    if (city.starts_with("Le "))
        return "du " + std::string(city.substr(3));
    static constexpr std::string_view kVowelStarts[] = {"A", "E", "I", "O", "U", "É", "È", "Î"};
    for (auto v : kVowelStarts)
        if (city.starts_with(v))
            return "d'" + std::string(city);
    return "de " + std::string(city);
}

// Folded words joined by `sep`: "Jean-Noël" -> "jean-noel", "de La Fontaine" -> "delafontaine".
std::string ascii_slug(std::string_view utf8, char sep) {
    std::string out;
    for (char c : fold_text(utf8)) {
        if (c == ' ') {
            if (sep)
                out.push_back(sep);
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out.push_back(c); // letters fold_text keeps as they are (no ASCII form) cannot go in an address
        }
    }
    return out;
}

std::vector<Organisation> build_organisations() {
    std::vector<Organisation> orgs;
    for (auto city : kCities) {
        const std::string of = of_city(city);
        const std::string slug = ascii_slug(city, '-');
        orgs.push_back({"Mairie " + of, "ville-" + slug + ".fr"});
        orgs.push_back({"Médiathèque " + of, "mediatheque-" + slug + ".fr"});
        orgs.push_back({"France Services " + std::string(city), "ville-" + slug + ".fr"});
        orgs.push_back({"CCAS " + of, "ccas-" + slug + ".fr"});
    }
    for (auto city : kUniversityCities)
        orgs.push_back({"Université " + of_city(city), "univ-" + ascii_slug(city, '-') + ".fr"});
    for (auto [name, domain] : kNamedOrganisations)
        orgs.push_back({std::string(name), std::string(domain)});
    return orgs;
}

// RFC 4180: quote a field holding the delimiter, a quote, a comma or a line break; double inner quotes.
void write_field(std::string& line, std::string_view field) {
    if (field.find_first_of(";\",\r\n") == std::string_view::npos) {
        line += field;
        return;
    }
    line.push_back('"');
    for (char c : field) {
        if (c == '"')
            line.push_back('"');
        line.push_back(c);
    }
    line.push_back('"');
}

class Generator {
public:
    explicit Generator(const DemoRosterOptions& opt)
        : opt_(opt), rng_(opt.seed), orgs_(build_organisations()) {
        for (auto name : kFirstNames)
            first_slugs_.push_back(ascii_slug(name, '-'));
        for (auto name : kLastNames)
            last_slugs_.push_back(ascii_slug(name, 0));
        // Rehashing dominates the run time otherwise; the cap keeps an absurd --count from failing here.
        const std::size_t expected = std::min<std::size_t>(opt.count, std::size_t(1) << 22);
        used_emails_.reserve(expected);
        used_codes_.reserve(expected);
    }

    void write(std::ostream& out) {
        out << "Prénom;Nom;E-mail;Structure;Catégorie;Jours;Code\r\n";
        std::string line;
        for (std::size_t i = 0; i < opt_.count; ++i) {
            line.clear();
            row(line);
            line += "\r\n";
            out.write(line.data(), std::streamsize(line.size()));
        }
    }

private:
    // Uniform in [0, n) without modulo bias; std distributions differ between standard libraries, while
    // mt19937_64's output is fixed by the standard, so the same seed gives the same roster everywhere.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit =
            std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
        std::uint64_t x;
        do
            x = rng_();
        while (x >= limit);
        return x % n;
    }
    bool percent(unsigned p) { return below(100) < p; }
    template <typename T, std::size_t N> std::size_t pick_index(const T (&)[N]) {
        return std::size_t(below(N));
    }

    std::size_t pick_last_name() {
        // Some families are much more common than others: a third of the draws go to the top names.
        return percent(33) ? std::size_t(below(kCommonLastNames)) : pick_index(kLastNames);
    }

    Category pick_category() {
        unsigned r = unsigned(below(1000));
        for (std::size_t c = 0; c < std::size(kCategoryWeights); ++c) {
            if (r < kCategoryWeights[c])
                return Category(c);
            r -= kCategoryWeights[c];
        }
        return Category::Participant;
    }

    // Organisation and its e-mail domain ("" when the person has none).
    Organisation pick_organisation(Category cat) {
        auto from = [&](const auto& list) {
            const auto& [name, domain] = list[pick_index(list)];
            return Organisation{std::string(name), std::string(domain)};
        };
        switch (cat) {
        case Category::Organiser:
            return from(kOrganisers);
        case Category::Press:
            return percent(85) ? from(kPress) : Organisation{}; // freelance journalists
        case Category::Partner:
            return from(kPartners);
        case Category::Volunteer: { // students of the universities around
            if (percent(15))
                return {};
            const auto city = kUniversityCities[pick_index(kUniversityCities)];
            return {"Université " + of_city(city), "etu.univ-" + ascii_slug(city, '-') + ".fr"};
        }
        case Category::Speaker:
            return percent(5) ? Organisation{} : orgs_[below(orgs_.size())];
        case Category::Participant:
            break;
        }
        return percent(11) ? Organisation{} : orgs_[below(orgs_.size())];
    }

    std::string_view personal_domain() {
        unsigned r = unsigned(below(100));
        for (auto [domain, weight] : kPersonalDomains) {
            if (r < weight)
                return domain;
            r -= weight;
        }
        return kPersonalDomains[0].first;
    }

    std::string email(std::size_t first, std::size_t last, const Organisation& org, Category cat) {
        const std::string& f = first_slugs_[first];
        const std::string& l = last_slugs_[last];
        std::string local;
        const unsigned style = unsigned(below(100));
        if (style < 55)
            local = f + "." + l;
        else if (style < 70)
            local = f.substr(0, 1) + "." + l;
        else if (style < 80)
            local = f + l;
        else if (style < 90)
            local = l + "." + f;
        else
            local = f + "_" + l;
        const bool work = !org.domain.empty() && (cat == Category::Organiser || percent(40));
        const std::string domain = work ? org.domain : std::string(personal_domain());

        // Namesakes get a number, as mail providers hand out; the per-address counter keeps 100,000 rows
        // with many "lea.martin" linear.
        std::string address = local + "@" + domain;
        if (used_emails_.insert(address).second)
            return address;
        unsigned& n = next_suffix_[address];
        if (n < 2)
            n = 2;
        for (;; ++n) {
            std::string numbered = local + std::to_string(n) + "@" + domain;
            if (used_emails_.insert(numbered).second) {
                ++n;
                return numbered;
            }
        }
    }

    // Ticket secrets as exported by ticketing sites: random, upper-case, unique.
    std::string ticket_code() {
        static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (;;) {
            std::string code(10, ' ');
            for (char& c : code)
                c = kAlphabet[below(kAlphabet.size())];
            if (used_codes_.insert(code).second)
                return code;
        }
    }

    bool has_code(Category cat) {
        switch (cat) {
        case Category::Speaker:
            return percent(50);
        case Category::Organiser:
            return percent(20);
        case Category::Volunteer:
            return percent(30);
        default:
            return true;
        }
    }

    // Attendance: days[0] is the OFF day, the others the main days.
    std::string days_cell(Category cat) {
        const auto& d = opt_.days;
        if (d.empty())
            return {};
        enum Pattern { OffOnly, OneMain, AllMain, AllDays };
        Pattern p = AllMain;
        const unsigned r = unsigned(below(100));
        switch (cat) {
        case Category::Participant: // the OFF day has an audience of its own
            p = r < 20 ? OffOnly : r < 52 ? OneMain : r < 90 ? AllMain : AllDays;
            break;
        case Category::Speaker:
            p = r < 15 ? OneMain : r < 45 ? AllMain : AllDays;
            break;
        case Category::Organiser: // an empty cell means every day
            return r < 70 ? std::string() : join(0, d.size());
        case Category::Volunteer:
            p = r < 10 ? OneMain : r < 40 ? AllMain : AllDays;
            break;
        case Category::Press:
            p = r < 60 ? OneMain : AllMain;
            break;
        case Category::Partner:
            p = r < 30 ? OneMain : AllMain;
            break;
        }
        if (d.size() == 1)
            return d[0];
        switch (p) {
        case OffOnly:
            return d[0];
        case OneMain: {
            const std::size_t k = 1 + std::size_t(below(d.size() - 1));
            return join(k, k + 1);
        }
        case AllMain:
            return join(1, d.size());
        case AllDays:
            break;
        }
        return join(0, d.size());
    }

    std::string join(std::size_t from, std::size_t to) const {
        std::string out;
        for (std::size_t i = from; i < to; ++i) {
            if (!out.empty())
                out.push_back(',');
            out += opt_.days[i];
        }
        return out;
    }

    void row(std::string& line) {
        const std::size_t first = pick_index(kFirstNames);
        const std::size_t last = pick_last_name();
        const Category cat = pick_category();
        const Organisation org = pick_organisation(cat);
        const std::string mail = email(first, last, org, cat);
        const std::string days = days_cell(cat);
        const std::string code = has_code(cat) ? ticket_code() : std::string();
        for (std::string_view field :
             {kFirstNames[first], kLastNames[last], std::string_view(mail), std::string_view(org.name),
              kCategoryLabels[std::size_t(cat)], std::string_view(days), std::string_view(code)}) {
            write_field(line, field);
            line.push_back(';');
        }
        line.pop_back(); // the last ';'
    }

    const DemoRosterOptions& opt_;
    std::mt19937_64 rng_;
    std::vector<Organisation> orgs_;
    std::vector<std::string> first_slugs_, last_slugs_;
    std::unordered_set<std::string> used_emails_, used_codes_;
    std::unordered_map<std::string, unsigned> next_suffix_;
};

} // namespace

void write_demo_roster_csv(std::ostream& out, const DemoRosterOptions& opt) {
    Generator(opt).write(out);
}

} // namespace accueil
