#pragma once
// Name search as people type: prefix match on first/last name, organisation and e-mail, insensitive to
// case, accents, hyphens, apostrophes and ligatures (FTS5 over text folded by text_fold.hpp).
#include "attendee.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string_view>
#include <vector>

namespace accueil {

// Best matches first: whole-word name matches, then name prefixes, then organisation or e-mail.
std::vector<Attendee> search_attendees(SQLite::Database& db, std::string_view text, int limit = 20);

// The search with its two statements prepared once: preparing them costs about 45 µs, a tenth of a
// typical search, paid on every key a person types otherwise. Borrows `db`, which must outlive it; the
// statements are reset after each search, so no read snapshot outlives one.
class AttendeeSearch {
public:
    explicit AttendeeSearch(SQLite::Database& db);
    std::vector<Attendee> find(std::string_view text, int limit = 20);

private:
    friend std::vector<Attendee> search_attendees_tier_by_tier(SQLite::Database&, std::string_view, int);
    SQLite::Statement in_names_, in_all_;
};

// The same search running one FTS query per tier, never reading a tier from the people's names: the
// reference tests/test_search.cpp compares search_attendees with.
std::vector<Attendee> search_attendees_tier_by_tier(SQLite::Database& db, std::string_view text,
                                                    int limit = 20);

} // namespace accueil
