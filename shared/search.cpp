#include "search.hpp"

#include "text_fold.hpp"

#include <algorithm>
#include <set>

namespace accueil {

namespace {
// How well the query words match the person's own names: 3 per whole word, 2 per prefix.
int name_score(const std::vector<std::string>& query, const Attendee& a) {
    const auto words = fold_words(a.first_name + " " + a.last_name);
    int score = 0;
    for (const auto& q : query) {
        int best = 0;
        for (const auto& w : words) {
            if (w == q)
                best = 3;
            else if (best < 2 && w.starts_with(q))
                best = 2;
        }
        score += best;
    }
    return score;
}

// Folded words hold only letters and digits, so quoting them keeps FTS5 syntax out of user input.
std::string fts_query(const std::vector<std::string>& words, bool prefix, bool names_only) {
    std::string match;
    for (const auto& w : words) {
        if (!match.empty())
            match += ' ';
        match += '"' + w + (prefix ? "\"*" : "\"");
    }
    return names_only ? "names : (" + match + ")" : match;
}
} // namespace

std::vector<Attendee> search_attendees(SQLite::Database& db, std::string_view text, int limit) {
    const auto words = fold_words(text);
    if (words.empty() || limit <= 0)
        return {};
    // Best first, in tiers: every word a whole name word, every word the start of a name word, every
    // word the start of any word (organisation, e-mail). Ranking every match (bm25) costs tens of
    // milliseconds for a short prefix over 100,000 people; a bounded window per tier, taken in index
    // order, stays well under a millisecond and narrows as the person types on.
    const int window = std::max(limit * 4, 40);
    SQLite::Statement q(db, "SELECT " ACCUEIL_ATTENDEE_COLUMNS " FROM attendees WHERE num IN (SELECT rowid "
                            "FROM attendee_search WHERE attendee_search MATCH ? ORDER BY rowid LIMIT ?)");
    std::vector<Attendee> out;
    std::set<std::string> seen;
    const std::pair<bool, bool> tiers[] = {{false, true}, {true, true}, {true, false}};
    for (const auto& [prefix, names_only] : tiers) {
        if (int(out.size()) == limit)
            return out; // a full list from the better tiers: the next one cannot change it
        q.reset();
        q.bind(1, fts_query(words, prefix, names_only));
        q.bind(2, window);
        std::vector<std::pair<int, Attendee>> tier;
        while (q.executeStep()) {
            Attendee a = attendee_from_row(q);
            if (seen.insert(a.id).second)
                tier.emplace_back(name_score(words, a), std::move(a));
        }
        std::stable_sort(tier.begin(), tier.end(), [](const auto& x, const auto& y) {
            if (x.first != y.first)
                return x.first > y.first;
            return std::tie(x.second.last_name, x.second.first_name) <
                   std::tie(y.second.last_name, y.second.first_name);
        });
        for (auto& [score, a] : tier) {
            if (int(out.size()) == limit)
                return out;
            out.push_back(std::move(a));
        }
    }
    return out;
}

} // namespace accueil
