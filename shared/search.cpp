#include "search.hpp"

#include "text_fold.hpp"

#include <algorithm>
#include <array>
#include <optional>
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

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Whether FTS5 would match every query word against the indexed `names` text (whole tokens, or token
// starts when `prefix`). Exact only for ASCII text: folded ASCII is lower-case letters and digits
// between single spaces, which the unicode61 tokenizer splits at the spaces and nowhere else.
bool names_match(const std::vector<std::string>& query, std::string_view names, bool prefix) {
    std::vector<std::string_view> tokens;
    for (std::size_t start = 0; start < names.size();) {
        const auto end = std::min(names.find(' ', start), names.size());
        if (end > start)
            tokens.push_back(names.substr(start, end - start));
        start = end + 1;
    }
    return std::all_of(query.begin(), query.end(), [&](const std::string& q) {
        return std::any_of(tokens.begin(), tokens.end(),
                           [&](std::string_view t) { return prefix ? t.starts_with(q) : t == q; });
    });
}

struct Found {
    Attendee attendee;
    std::string names; // the text indexed in attendee_search.names
};
} // namespace

namespace {
std::vector<Attendee> search(SQLite::Database& db, std::string_view text, int limit, bool read_tiers) {
    const auto words = fold_words(text);
    if (words.empty() || limit <= 0)
        return {};
    // Best first, in tiers: every word a whole name word, every word the start of a name word, every
    // word the start of any word (organisation, e-mail). Ranking every match (bm25) costs tens of
    // milliseconds for a short prefix over 100,000 people; a bounded window per tier, taken in index
    // order, stays well under a millisecond and narrows as the person types on.
    const int window = std::max(limit * 4, 40);
    const std::pair<bool, bool> tiers[] = {{false, true}, {true, true}, {true, false}};
    // `with_names` also reads the indexed names (one more lookup per row), for inferring tiers below.
    std::optional<SQLite::Statement> statements[2]; // prepared once per search, without and with names
    auto fetch = [&](std::size_t tier, bool with_names) {
        auto& q = statements[with_names];
        if (!q)
            q.emplace(db, std::string("SELECT " ACCUEIL_ATTENDEE_COLUMNS) +
                              (with_names ? ", (SELECT names FROM attendee_search WHERE rowid = num)" : "") +
                              " FROM attendees WHERE num IN (SELECT rowid FROM attendee_search WHERE "
                              "attendee_search MATCH ? ORDER BY rowid LIMIT ?)");
        q->reset();
        q->bind(1, fts_query(words, tiers[tier].first, tiers[tier].second));
        q->bind(2, window);
        std::vector<Found> rows;
        while (q->executeStep()) {
            Attendee a = attendee_from_row(*q);
            rows.push_back({std::move(a), with_names ? q->getColumn(12).getString() : std::string()});
        }
        return rows;
    };
    // Each tier's window of matches, in index order, fetched when needed.
    std::array<std::optional<std::vector<Found>>, 3> windows;
    // Each FTS query of several words costs a few hundred microseconds (prefix doclists merged in
    // memory). Several words usually narrow the matches to fewer than a window: the broadest tier's
    // window then holds every match of the narrower tiers too, and which tier a person belongs to is
    // read from their indexed names, so one query replaces three and the list is the same.
    if (read_tiers && words.size() > 1 &&
        std::all_of(words.begin(), words.end(), [](const auto& w) { return is_ascii(w); })) {
        windows[2] = fetch(2, true);
        if (int(windows[2]->size()) < window &&
            std::all_of(windows[2]->begin(), windows[2]->end(),
                        [](const Found& f) { return is_ascii(f.names); })) {
            for (std::size_t tier = 0; tier < 2; ++tier) {
                windows[tier].emplace();
                for (const auto& f : *windows[2])
                    if (names_match(words, f.names, tiers[tier].first))
                        windows[tier]->push_back(f);
            }
        }
    }
    std::vector<Attendee> out;
    std::set<std::string> seen;
    for (std::size_t tier = 0; tier < 3; ++tier) {
        if (int(out.size()) == limit)
            return out; // a full list from the better tiers: the next one cannot change it
        if (!windows[tier])
            windows[tier] = fetch(tier, false);
        std::vector<std::pair<int, Attendee>> ranked;
        for (auto& f : *windows[tier])
            if (seen.insert(f.attendee.id).second)
                ranked.emplace_back(name_score(words, f.attendee), std::move(f.attendee));
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
