#pragma once
// Attendee changes through the journal. Call inside a WriteTransaction.
#include "attendee.hpp"
#include "store.hpp"

namespace accueil {

// Creates the attendee (a fresh id unless `a.id` is set) and returns the stored record.
Attendee create_attendee(Store& store, Attendee a);
// Journals only the fields that differ; returns false when nothing changed.
bool update_attendee(Store& store, const Attendee& before, const Attendee& after);

} // namespace accueil
