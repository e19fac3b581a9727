#include "identity_question.hpp"

#include "text_fold.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <random>

namespace accueil::kiosk {

const std::vector<std::string_view>& common_surnames() {
    // Frequent surnames in France, by initial; more than a roster can use up, so that a few are left for
    // every common initial once the roster's own names are taken out.
    // clang-format off
    static const std::vector<std::string_view> names = {
        "Adam", "Albert", "Alexandre", "Allain", "Allard", "Andrieu", "Antoine", "Arnould", "Astier",
        "Aubin", "Auclair", "Audibert", "Auger", "Aumont", "Auvray", "Avril", "Aymard", "André", "Arnaud",
        "Aubert", "Aubry",
        "Bailly", "Barbe", "Barbier", "Baron", "Barre", "Barthe", "Bazin", "Beaumont", "Bellec", "Bernier",
        "Berthelot", "Besnard", "Bigot", "Billard", "Blondel", "Bodin", "Boisson", "Bonneau", "Bouchet",
        "Boulay", "Bourdon", "Bousquet", "Bouvet", "Brault", "Briand", "Bruneau", "Buisson", "Blanc",
        "Boyer", "Brun", "Brunet",
        "Cadiou", "Camus", "Carle", "Chabert", "Chambon", "Charles", "Charrier", "Chartier", "Chauvet",
        "Chevallier", "Claude", "Clerc", "Collin", "Combes", "Cornu", "Courtois", "Coste", "Couturier",
        "Cros", "Cuvelier", "Caron", "Colin", "Cousin",
        "Daniel", "Delmas", "Delattre", "Delorme", "Descamps", "Devaux", "Didier", "Drouet", "Dubreuil",
        "Duchêne", "Duclos", "Dufresne", "Dumoulin", "Dupré", "Duret", "Durieux", "Delahaye", "Delage",
        "Durand", "Dubois", "Dupont", "Dumas", "Duval",
        "Eckert", "Élie", "Émery", "Enault", "Engel", "Escudier", "Esnault", "Estève", "Eudes", "Évrard",
        "Ehrhart", "Eymard", "Étienne",
        "Fauvel", "Favre", "Ferrand", "Ferry", "Féron", "Forestier", "Fouquet", "Fournel", "Foucher",
        "Fortin", "Foulon", "Frémont", "Fradin", "Ferré", "Faivre", "Fayolle", "Fabre", "Fleury", "Faure",
        "Fournier",
        "Gallet", "Garcin", "Gaudin", "Gautier", "Geoffroy", "Gervais", "Gilbert", "Gilles", "Girault",
        "Gomez", "Godard", "Gosselin", "Goujon", "Grégoire", "Grenier", "Gros", "Guillon", "Guillou",
        "Guibert", "Garnier", "Girard", "Guérin",
        "Hamel", "Hardy", "Hébert", "Hémery", "Huguet", "Husson", "Haas", "Hamelin", "Hennequin", "Hérault",
        "Hoffmann", "Houdin", "Huard", "Hulin", "Hautier", "Hubert", "Huet",
        "Imbert", "Isnard", "Ibanez", "Icard", "Isaac", "Izard", "Issartel", "Ibert", "Iglesias",
        "Jacob", "Jacques", "Jamet", "Janvier", "Joubert", "Jourdan", "Jouan", "Julien", "Jouve", "Josse",
        "Jaouen", "Jégou", "Jolivet", "Joly", "Jacquet",
        "Keller", "Kieffer", "Kahn", "Kerbrat", "Kermarrec", "Koch", "Krebs", "Kuntz", "Kessler", "Kervella",
        "Kauffmann", "Klein",
        "Labbé", "Lacombe", "Laine", "Lamy", "Langlais", "Laurens", "Lebon", "Lecoq", "Ledoux", "Lefort",
        "Legros", "Lelièvre", "Lemonnier", "Lenoir", "Lesage", "Lopez", "Leconte", "Leroy", "Lemaire",
        "Leclerc",
        "Maillet", "Mallet", "Marion", "Martel", "Masse", "Maurin", "Maury", "Mignot", "Millot", "Monier",
        "Mouton", "Mulot", "Marais", "Mahé", "Marin", "Marques", "Michon", "Moine", "Mercier", "Morel",
        "Morin",
        "Naudin", "Navarro", "Neveu", "Nicolle", "Normand", "Nogues", "Nédélec", "Nicol", "Nollet", "Niel",
        "Nadaud", "Nouvel",
        "Ollivier", "Oger", "Ollier", "Orsini", "Ortega", "Ory", "Oudin", "Oudot", "Ouvrard", "Obert",
        "Pagès", "Parent", "Pascal", "Péron", "Perret", "Picot", "Pinto", "Poulain", "Poulet", "Prat",
        "Prévot", "Provost", "Poncet", "Pons", "Pottier", "Pruvost", "Perrin", "Picard", "Petit",
        "Quéré", "Quéméner", "Quentin", "Quillet", "Quintin", "Quesnel", "Quiniou", "Quinton", "Quéval",
        "Quillien",
        "Raymond", "Rault", "Raynaud", "Régnier", "Renault", "Ribeiro", "Richer", "Rigaud", "Ruiz", "Raynal",
        "Reynier", "Rousset", "Rouxel", "Riou", "Ricard", "Renard", "Robin", "Rousseau",
        "Sabatier", "Salaün", "Salmon", "Samson", "Sauvage", "Sellier", "Serre", "Simonet", "Sorel",
        "Souchet", "Stéphan", "Seguin", "Sergent", "Simonin", "Soulier", "Sicard",
        "Tanguy", "Tardy", "Texier", "Thébault", "Thierry", "Tissot", "Tixier", "Toussaint", "Turpin",
        "Tournier", "Terrier", "Teixeira", "Thibault", "Trouvé", "Tellier", "Tessier",
        "Urbain", "Urvoy", "Uzan", "Ulrich", "Unger",
        "Vaillant", "Valentin", "Vallée", "Vallet", "Verdier", "Vernet", "Vial", "Vigneron", "Villard",
        "Voisin", "Vivier", "Véron", "Vignal", "Vannier",
        "Walter", "Weiss", "Wolff", "Willaume", "Wirth", "Wendling", "Wurtz", "Wilhelm",
        "Xavier",
        "Yvon", "Yvonnet", "Yon", "Yildiz", "Yung", "Ybert",
        "Zimmermann", "Zeller", "Zanetti", "Zerbib", "Zamora", "Ziegler",
        // Names with a particle or an apostrophe: a last name of that shape is asked among its own kind,
        // so that it is not the odd one out.
        "Le Gall", "Le Goff", "Le Roux", "Le Bihan", "Le Floch", "Le Guen", "Le Berre", "Le Corre", "Le Meur",
        "Le Bris", "Le Moal", "Le Borgne", "Le Gac", "Le Bras", "Le Coz", "Le Lay",
        "de la Croix", "de La Fontaine", "de la Tour", "de la Roche", "de la Motte", "de la Haye", "de la Rue",
        "de la Salle", "de la Porte", "de la Cour",
        "de Kerguelen", "de Souza", "de Sousa", "de Almeida", "de Jesus", "de Lima", "de Castro", "de Freitas",
        "de Carvalho", "de Lattre", "de Montfort",
        "du Pont", "du Bois", "du Val", "du Moulin", "du Parc", "du Mesnil", "du Plessis", "du Breuil",
        "des Roches", "des Champs", "des Forges", "des Jardins", "des Moulins", "des Granges",
        "Van den Broeck", "Van den Berg", "Van den Bosch", "Van den Heuvel", "Van den Bossche",
        "Van Damme", "Van Hove", "Van Acker", "Van Dyck", "Van Houtte",
        "Di Stefano", "Di Marco", "Di Maria", "Di Giacomo", "Di Rosa", "Di Meo", "Di Lorenzo",
        "Da Silva", "Da Costa", "Da Cunha", "Da Rocha", "Da Fonseca", "Da Cruz",
        "Dos Santos", "Dos Reis", "Dos Anjos", "Dos Ramos",
        "El Amrani", "El Idrissi", "El Alaoui", "El Mansouri", "El Khoury", "El Fassi", "El Ouardi",
        "Ben Youssef", "Ben Ali", "Ben Salah", "Ben Amor", "Ben Hamida", "Ben Saïd", "Ben Ammar",
        "d'Arbois", "d'Aubigné", "d'Almeida", "d'Amico", "d'Angelo", "d'Hondt", "d'Orazio", "d'Amato",
        "d'Andrea",
        "Dell'Acqua", "Dell'Orto", "Dell'Anna", "Dell'Aquila", "Dell'Olio",
        "N'Diaye", "N'Guessan", "N'Dour", "N'Goma", "N'Dongo", "N'Zola", "N'Doye",
        "O'Brien", "O'Neill", "O'Connor", "O'Sullivan", "O'Reilly", "O'Hara", "O'Donnell",
        "Saint-Martin", "Saint-Germain", "Saint-Jean", "Saint-Pierre", "Saint-Laurent", "Saint-Cyr",
        "Saint-André", "Saint-Louis"};
    // clang-format on
    return names;
}

namespace {

struct Candidate {
    std::string_view name;
    std::string folded;
    std::string shape;
};

const std::string_view kCurlyApostrophe = "\u2019";

std::size_t find_apostrophe(std::string_view name) {
    return std::min(name.find('\''), name.find(kCurlyApostrophe));
}

// What a name looks like beyond its letters: "" for a single word, "'d" for d'Arbois, "w:de la" for
// de la Croix, "saint-" for Saint-Martin, "-" for other double names (Martin-Lavigne).
std::string shape_of(std::string_view name) {
    const auto words = fold_words(name);
    if (words.size() < 2)
        return "";
    if (const auto apos = find_apostrophe(name); apos != std::string_view::npos)
        return "'" + fold_text(name.substr(0, apos));
    if (name.find('-') != std::string_view::npos)
        return words[0] == "saint" || words[0] == "sainte" ? words[0] + "-" : "-";
    std::string prefix = "w:";
    for (std::size_t i = 0; i + 1 < words.size(); ++i)
        prefix += (i ? " " : "") + words[i];
    return prefix;
}

// The list folded once, without two entries that fold alike.
const std::vector<Candidate>& candidates() {
    static const std::vector<Candidate> list = [] {
        std::vector<Candidate> out;
        std::unordered_set<std::string> seen;
        for (auto name : common_surnames()) {
            std::string f = fold_text(name);
            if (!f.empty() && seen.insert(f).second)
                out.push_back({name, std::move(f), shape_of(name)});
        }
        return out;
    }();
    return list;
}

} // namespace

void RosterWords::add(std::string_view text) {
    std::string whole = fold_text(text);
    if (whole.empty())
        return;
    for (auto& w : fold_words(text))
        folded_.insert(std::move(w));
    folded_.insert(std::move(whole));
}

bool RosterWords::contains(std::string_view text) const {
    return folded_.count(fold_text(text)) != 0;
}

std::string to_upper_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t left = utf8proc_ssize_t(text.size());
    while (left > 0) {
        utf8proc_int32_t c = 0;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
        if (n <= 0) { // not UTF-8: keep the byte as it is
            out.push_back(char(*p));
            ++p;
            --left;
            continue;
        }
        utf8proc_uint8_t buf[4];
        const utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_toupper(c), buf);
        out.append(reinterpret_cast<const char*>(buf), std::size_t(m));
        p += n;
        left -= n;
    }
    return out;
}

std::uint64_t identity_seed(std::string_view event_uid, std::string_view attendee_id) {
    std::uint64_t h = 1469598103934665603ull; // FNV-1a
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
    };
    mix(event_uid);
    mix(std::string_view("\0", 1));
    mix(attendee_id);
    return h;
}

IdentityQuestion make_identity_question(const std::string& last_name, const RosterWords& roster,
                                        std::uint64_t seed) {
    IdentityQuestion q;
    const std::string right = fold_text(last_name);
    if (right.empty())
        return q;
    // Decoys of the same shape (a particle, an apostrophe, a double name) and the same first letter.
    const std::string shape = shape_of(last_name);
    const bool double_name = shape == "-";
    std::vector<const Candidate*> pool, second;
    for (const auto& c : candidates()) {
        if (roster.contains(c.name) || c.folded == right)
            continue;
        if (c.shape == (double_name ? "" : shape) && c.folded[0] == right[0])
            pool.push_back(&c);
        if (double_name && c.shape.empty())
            second.push_back(&c);
    }
    std::mt19937_64 rng(seed);
    std::shuffle(pool.begin(), pool.end(), rng);
    std::shuffle(second.begin(), second.end(), rng);
    std::vector<std::string> decoys;
    for (std::size_t i = 0; i < pool.size() && decoys.size() < 3; ++i) {
        std::string name(pool[i]->name);
        if (double_name) { // invented double names: two surnames of the list
            if (i >= second.size() || second[i] == pool[i])
                continue;
            name += "-" + std::string(second[i]->name);
            if (roster.contains(name) || fold_text(name) == right)
                continue;
        }
        decoys.push_back(std::move(name));
    }
    if (decoys.size() < 3)
        return q; // not enough invented names like this one: the desk checks instead
    const bool curly = last_name.find(kCurlyApostrophe) != std::string::npos;
    q.options = {to_upper_utf8(last_name)};
    for (auto& d : decoys) {
        if (curly) // the same apostrophe as the right answer, or it would stand out
            if (const auto apos = d.find('\''); apos != std::string::npos)
                d.replace(apos, 1, kCurlyApostrophe);
        q.options.push_back(to_upper_utf8(d));
    }
    std::shuffle(q.options.begin(), q.options.end(), rng);
    q.correct =
        int(std::find(q.options.begin(), q.options.end(), to_upper_utf8(last_name)) - q.options.begin());
    return q;
}

} // namespace accueil::kiosk
