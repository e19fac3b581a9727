#include "search.hpp"

#include "text_fold.hpp"

#include <algorithm>

namespace accueil {

namespace {
struct Candidate {
    Attendee attendee;
    double bm25 = 0;
    int score = 0;
};

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
} // namespace

std::vector<Attendee> search_attendees(SQLite::Database& db, std::string_view text, int limit) {
    const auto words = fold_words(text);
    if (words.empty() || limit <= 0)
        return {};
    // Folded words hold only letters and digits, so quoting them keeps FTS5 syntax out of user input.
    std::string match;
    for (const auto& w : words) {
        if (!match.empty())
            match += ' ';
        match += '"' + w + "\"*";
    }
    // Rank a generous window by bm25 (names weigh most), then order it by how the names match.
    SQLite::Statement q(db, "SELECT a.id, a.first_name, a.last_name, a.email, a.organisation, a.category, "
                            "a.category_key, a.days, a.ext_code, a.badge_version, a.source, "
                            "bm25(attendee_search, 10.0, 2.0, 1.0) AS r "
                            "FROM attendee_search JOIN attendees a ON a.num = attendee_search.rowid "
                            "WHERE attendee_search MATCH ? ORDER BY r LIMIT ?");
    q.bind(1, match);
    q.bind(2, std::max(limit * 5, 50));
    std::vector<Candidate> found;
    while (q.executeStep()) {
        Candidate c;
        Attendee& a = c.attendee;
        a.id = q.getColumn(0).getString();
        a.first_name = q.getColumn(1).getString();
        a.last_name = q.getColumn(2).getString();
        a.email = q.getColumn(3).getString();
        a.organisation = q.getColumn(4).getString();
        a.category = q.getColumn(5).getString();
        a.category_key = q.getColumn(6).getString();
        a.days = split_days(q.getColumn(7).getString());
        a.ext_code = q.getColumn(8).getString();
        a.badge_version = q.getColumn(9).getInt();
        a.source = q.getColumn(10).getString();
        c.bm25 = q.getColumn(11).getDouble();
        c.score = name_score(words, a);
        found.push_back(std::move(c));
    }
    std::stable_sort(found.begin(), found.end(), [](const Candidate& x, const Candidate& y) {
        if (x.score != y.score)
            return x.score > y.score;
        if (x.bm25 != y.bm25)
            return x.bm25 < y.bm25;
        return std::tie(x.attendee.last_name, x.attendee.first_name) <
               std::tie(y.attendee.last_name, y.attendee.first_name);
    });
    std::vector<Attendee> out;
    for (std::size_t i = 0; i < found.size() && int(i) < limit; ++i)
        out.push_back(std::move(found[i].attendee));
    return out;
}

} // namespace accueil
