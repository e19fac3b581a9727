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

// The same search running one FTS query per tier, never reading a tier from the people's names: the
// reference tests/test_search.cpp compares search_attendees with.
std::vector<Attendee> search_attendees_tier_by_tier(SQLite::Database& db, std::string_view text,
                                                    int limit = 20);

} // namespace accueil
