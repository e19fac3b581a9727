#pragma once
// Arrival counts for organisers, computed from the projections.
#include "store.hpp"

#include <nlohmann/json.hpp>

namespace accueil {

// {"event", "today", "attendees", "checked_in_today", "by_day": {day: checked-in people},
//  "registered_by_day": {day: people allowed that day}, "by_category": {category: attendees},
//  "checked_in_by_category_today": {category: people}}
nlohmann::json compute_stats(Store& store, const std::string& today);

} // namespace accueil
