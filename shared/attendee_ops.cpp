#include "attendee_ops.hpp"

#include "ids.hpp"
#include "text_fold.hpp"

namespace accueil {

Attendee create_attendee(Store& store, Attendee a) {
    if (a.id.empty())
        a.id = random_attendee_id();
    a.category_key = label_key(a.category);
    store.append(EventKind::AttendeeCreated, a.id, attendee_to_json(a));
    return a;
}

bool update_attendee(Store& store, const Attendee& before, const Attendee& after) {
    Attendee target = after;
    target.category_key = label_key(target.category);
    const auto diff = changed_fields(before, target);
    if (diff.empty())
        return false;
    store.append(EventKind::AttendeeUpdated, before.id, diff);
    return true;
}

} // namespace accueil
