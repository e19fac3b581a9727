#include "search.hpp"

#include "database.hpp"
#include "text_fold.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

namespace accueil {

namespace {
// A match with the person's folded first-name and last-name words, read once for ranking and tiers.
struct Found {
    Attendee attendee;
    std::vector<std::string> first, last;
    std::optional<std::vector<std::string>> other; // organisation and e-mail words, when needed
};

Found found(Attendee a) {
    Found f{.attendee = std::move(a), .first = {}, .last = {}, .other = {}};
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

// Whether FTS5 matches every query word in the person's indexed names (attendee_names, written from
// search_names in shared/projection.cpp: each name's folded words, and every run of consecutive
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

// Whether FTS5 matches every query word as the start of a token of the person's names or, unless
// `names_only`, of their organisation or e-mail (indexed as fold_text of each); as names_match.
std::optional<bool> matches(const std::vector<std::string>& query, Found& f, bool names_only) {
    if (names_only)
        return names_match(query, f, true);
    if (!f.other) {
        f.other.emplace(fold_words(f.attendee.organisation));
        for (auto& w : fold_words(f.attendee.email))
            f.other->push_back(std::move(w));
    }
    if (!std::all_of(f.other->begin(), f.other->end(), [](const auto& w) { return is_ascii(w); }))
        return std::nullopt;
    for (const auto& q : query) {
        const auto in_names = names_match({q}, f, true);
        if (!in_names)
            return std::nullopt;
        if (!*in_names && std::none_of(f.other->begin(), f.other->end(),
                                       [&](const std::string& w) { return w.starts_with(q); }))
            return false;
    }
    return true;
}

// Folded words hold only letters and digits, so quoting them keeps FTS5 syntax out of user input.
std::string fts_query(const std::vector<std::string>& words, bool prefix) {
    std::string match;
    for (const auto& w : words) {
        if (!match.empty())
            match += ' ';
        match += '"' + w + (prefix ? "\"*" : "\"");
    }
    return match;
}

// A window of the matches of an FTS5 query in `table`, after a row number, with their attendee rows.
SQLite::Statement window_query(SQLite::Database& db, const std::string& table) {
    const std::string matches =
        "SELECT rowid FROM " + table + " WHERE " + table + " MATCH ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3";
    return SQLite::Statement(db, "SELECT " ACCUEIL_ATTENDEE_COLUMNS ", num FROM attendees WHERE num IN (" +
                                     matches + ") ORDER BY num");
}

std::vector<Attendee> search(SQLite::Statement& in_names, SQLite::Statement& in_all, std::string_view text,
                             int limit, bool infer_tiers) {
    // Lent for this search: reset however it ends (a window full mid-step, an exception).
    const BorrowedStatement names_loan(in_names), all_loan(in_all);
    const auto words = fold_words(text);
    if (words.empty() || limit <= 0)
        return {};
    // Best first, in tiers: every word a whole name word, every word the start of a name word, every
    // word the start of any word (organisation, e-mail). Ranking every match (bm25) costs tens of
    // milliseconds for a short prefix over 100,000 people; a bounded window per tier, taken in index
    // order, stays well under a millisecond and narrows as the person types on.
    const int window = std::max(limit * 4, 40);
    constexpr std::pair<bool, bool> tiers[] = {{false, true}, {true, true}, {true, false}}; // prefix, names
    const bool ascii = std::all_of(words.begin(), words.end(), [](const auto& w) { return is_ascii(w); });
    auto fetch = [&](std::size_t tier, bool narrow) {
        const auto [prefix, names_only] = tiers[tier];
        // A prefix longer than the longest indexed one (schema.cpp: prefix = '1 2 3') makes FTS5 merge
        // the doclists of every term it starts in memory, all of them, whatever the LIMIT ("jean":
        // jean, jeanne, jeanpierre...; "vill": ville in thousands of organisations). Its first three
        // letters read one doclist of the prefix index instead, lazily; the people that match only
        // those three letters are set aside here, read until the window is full or the index has no
        // more. The longest word, when of kWhole letters or more, is asked whole: such words start few
        // terms, and two three-letter starts ("mar" "fra" for "margaux fran") make FTS5 intersect two
        // long doclists. Windows of three-letter matches are read while at least half of their rows
        // match the words, kWindows of them at most; past that ("laurent d a" starts "laura",
        // "laure"...), the rest is asked word for word from the last row read.
        constexpr std::size_t kWhole = 5;
        constexpr int kWindows = 4;
        std::vector<std::string> asked = words;
        bool narrowed = false;
        if (narrow && prefix && ascii) {
            const auto longest = std::max_element(
                asked.begin(), asked.end(), [](const auto& x, const auto& y) { return x.size() < y.size(); });
            for (auto it = asked.begin(); it != asked.end(); ++it)
                if (it->size() > 3 && !(it == longest && it->size() >= kWhole)) {
                    it->resize(3);
                    narrowed = true;
                }
        }
        std::string match = fts_query(asked, prefix);
        SQLite::Statement& q = names_only ? in_names : in_all;
        std::vector<Found> rows;
        std::int64_t after = std::numeric_limits<std::int64_t>::min();
        int total = 0;
        for (;;) {
            q.reset();
            q.bind(1, match);
            q.bind(2, after);
            q.bind(3, window);
            int read = 0;
            while (q.executeStep()) {
                ++read;
                after = q.getColumn(12).getInt64();
                Found f = found(attendee_from_row(q));
                if (narrowed) {
                    const auto m = matches(words, f, names_only);
                    if (!m)
                        return std::optional<std::vector<Found>>(); // outside ASCII: word for word
                    if (!*m)
                        continue;
                }
                rows.push_back(std::move(f));
                if (int(rows.size()) == window)
                    return std::optional(std::move(rows));
            }
            if (read < window)
                return std::optional(std::move(rows));
            total += read;
            if (narrowed && (int(rows.size()) * 2 < total || total >= kWindows * window)) {
                // the rest, past the rows read, asked word for word
                match = fts_query(words, prefix);
                narrowed = false;
            }
        }
    };
    auto fetch_exact = [&](std::size_t tier) {
        if (auto rows = fetch(tier, infer_tiers))
            return std::move(*rows);
        return std::move(*fetch(tier, false));
    };
    // Each tier's window of matches in index order, fetched when first needed.
    std::array<std::optional<std::vector<Found>>, 3> windows;
    // Several words cost a hundred microseconds or more per FTS query (prefix doclists merged in memory,
    // one-letter starts' long doclists walked), and rarely match more than a window of
    // name prefixes: that window then holds every whole-name match too, and which of its people are
    // whole-name matches is read from their names, sparing the first query. A full window (many
    // matches) needs the first query as before; the list is the same either way.
    if (infer_tiers && words.size() > 1 && ascii) {
        windows[1] = fetch_exact(1);
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
            windows[tier] = fetch_exact(tier);
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

// The name tiers ask the names' own index (shared/schema.cpp, version 10), the last one all columns.
AttendeeSearch::AttendeeSearch(SQLite::Database& db)
    : in_names_(window_query(db, "attendee_names")), in_all_(window_query(db, "attendee_search")) {}

std::vector<Attendee> AttendeeSearch::find(std::string_view text, int limit) {
    return search(in_names_, in_all_, text, limit, true);
}

std::vector<Attendee> search_attendees(SQLite::Database& db, std::string_view text, int limit) {
    return AttendeeSearch(db).find(text, limit);
}

std::vector<Attendee> search_attendees_tier_by_tier(SQLite::Database& db, std::string_view text, int limit) {
    AttendeeSearch s(db);
    return search(s.in_names_, s.in_all_, text, limit, false);
}

} // namespace accueil
