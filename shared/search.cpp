#include "search.hpp"

#include "text_fold.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

namespace accueil {

namespace {
// A match with the person's folded first-name and last-name words, read once for ranking and tiers.
struct Found {
    Attendee attendee;
    std::vector<std::string> first, last;
};

Found found(Attendee a) {
    Found f{.attendee = std::move(a), .first = {}, .last = {}};
    f.first = fold_words(f.attendee.first_name);
    f.last = fold_words(f.attendee.last_name);
    return f;
}

// How well the query words match the person's own names: 3 per whole word, 2 per prefix.
int name_score(const std::vector<std::string>& query, const Found& f) {
    int score = 0;
    for (const auto& q : query) {
        int best = 0;
        for (const auto* words : {&f.first, &f.last})
            for (const auto& w : *words) {
                if (w == q)
                    best = 3;
                else if (best < 2 && w.starts_with(q))
                    best = 2;
            }
        score += best;
    }
    return score;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Whether FTS5 matches every query word in the person's indexed names (attendee_search.names, written
// by search_names in shared/projection.cpp: each name's folded words, and every run of consecutive
// words of one name written as one), as whole tokens or, when `prefix`, as token starts. Exact only
// for ASCII, where folded text is letters and digits between spaces, which unicode61 splits at the
// spaces and nowhere else; `std::nullopt` otherwise, and the tier is asked of FTS5 instead.
std::optional<bool> names_match(const std::vector<std::string>& query, const Found& f, bool prefix) {
    for (const auto* words : {&f.first, &f.last})
        for (const auto& w : *words)
            if (!is_ascii(w))
                return std::nullopt;
    return std::all_of(query.begin(), query.end(), [&](const std::string& q) {
        for (const auto* words : {&f.first, &f.last})
            for (std::size_t i = 0; i < words->size(); ++i) {
                std::string run;
                for (std::size_t j = i; j < words->size(); ++j) {
                    run += (*words)[j];
                    if (prefix ? run.starts_with(q) : run == q)
                        return true;
                    if (run.size() >= q.size())
                        break; // longer runs only extend this one
                }
            }
        return false;
    });
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

std::vector<Attendee> search(SQLite::Database& db, std::string_view text, int limit, bool infer_tiers) {
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
    constexpr std::pair<bool, bool> tiers[] = {{false, true}, {true, true}, {true, false}}; // prefix, names
    auto fetch = [&](std::size_t tier) {
        q.reset();
        q.bind(1, fts_query(words, tiers[tier].first, tiers[tier].second));
        q.bind(2, window);
        std::vector<Found> rows;
        while (q.executeStep())
            rows.push_back(found(attendee_from_row(q)));
        return rows;
    };
    // Each tier's window of matches in index order, fetched when first needed.
    std::array<std::optional<std::vector<Found>>, 3> windows;
    // Several words cost a few hundred microseconds per FTS query (prefix doclists merged in memory, the
    // names filter walking doclists that the e-mails fill), and rarely match more than a window of
    // name prefixes: that window then holds every whole-name match too, and which of its people are
    // whole-name matches is read from their names, sparing the first query. A full window (many
    // matches) needs the first query as before; the list is the same either way.
    if (infer_tiers && words.size() > 1 &&
        std::all_of(words.begin(), words.end(), [](const auto& w) { return is_ascii(w); })) {
        windows[1] = fetch(1);
        if (int(windows[1]->size()) < window) {
            std::vector<Found> whole;
            bool exact = true;
            for (const auto& f : *windows[1]) {
                const auto m = names_match(words, f, false);
                if (!m) {
                    exact = false;
                    break;
                }
                if (*m)
                    whole.push_back(f);
            }
            if (exact)
                windows[0] = std::move(whole);
        }
    }
    std::vector<Attendee> out;
    std::set<std::string> seen;
    for (std::size_t tier = 0; tier < 3; ++tier) {
        if (int(out.size()) == limit)
            return out; // a full list from the better tiers: the next one cannot change it
        if (!windows[tier])
            windows[tier] = fetch(tier);
        std::vector<std::pair<int, Attendee>> ranked;
        for (auto& f : *windows[tier])
            if (seen.insert(f.attendee.id).second)
                ranked.emplace_back(name_score(words, f), std::move(f.attendee));
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
            if (x.first != y.first)
                return x.first > y.first;
            return std::tie(x.second.last_name, x.second.first_name) <
                   std::tie(y.second.last_name, y.second.first_name);
        });
        for (auto& [score, a] : ranked) {
            if (int(out.size()) == limit)
                return out;
            out.push_back(std::move(a));
        }
    }
    return out;
}

} // namespace

std::vector<Attendee> search_attendees(SQLite::Database& db, std::string_view text, int limit) {
    return search(db, text, limit, true);
}

std::vector<Attendee> search_attendees_tier_by_tier(SQLite::Database& db, std::string_view text, int limit) {
    return search(db, text, limit, false);
}

} // namespace accueil
