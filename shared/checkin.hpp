#pragma once
// The check-in core the kiosk and `accueil checkin` call: a code in, a verdict out, the arrival
// recorded durably (committed, fsynced) before the verdict is returned.
#include "attendee.hpp"
#include "store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace accueil {

enum class Verdict {
    Admitted,         // first check-in of this attendee today
    AlreadyCheckedIn, // with the time and the kiosk of the first one
    NotToday,         // registered, but not for today (or the event is not on today)
    UnknownCode,      // no attendee has this code
    ReplacedBadge,    // a signed badge older than the attendee's current badge version (reprinted)
    InvalidBadge,     // a signed badge whose signature, format or event does not check out
};
// "admitted", "already-checked-in", "not-today", "unknown-code", "replaced-badge", "invalid-badge"
const char* verdict_key(Verdict v);

struct CheckinResult {
    Verdict verdict = Verdict::UnknownCode;
    std::optional<Attendee> attendee;
    std::string day;              // the event-local day of the scan
    std::int64_t first_at_ms = 0; // AlreadyCheckedIn: when the first check-in happened
    std::string first_kiosk;      // AlreadyCheckedIn: where
    std::int64_t checkin_seq = 0; // Admitted: the journal seq of the new check-in
    std::string badge_problem;    // InvalidBadge: why, for people, e.g. "bad signature"
    // NotToday because the day is not one of the event's at all: the event's days ("2022-09-27 (OFF)",
    // "2022-09-28"...), so the message can say which they are. Empty otherwise.
    std::vector<std::string> event_days;
    bool created_from_badge = false; // the attendee was unknown here and was created from the badge
};

// A signed badge code (see badge/badge_code.hpp) is verified against the event's public keys: a valid
// one for an attendee unknown here creates that attendee from the badge; an older badge version than
// the attendee's is a ReplacedBadge (journalled as a ReplacedBadgeScanned event on an event day, for the
// desks' alerts); a forged, altered or foreign one an InvalidBadge (no store change).
// Any other code is looked up (external ticket code, then attendee id). The check-in is recorded if
// admitted.
CheckinResult check_in(Store& store, std::string_view code, std::int64_t at_ms);
CheckinResult check_in_attendee(Store& store, const Attendee& a, std::int64_t at_ms);

std::optional<Attendee> find_by_code(Store& store, std::string_view code);

// Cancels the attendee's active check-ins of that day through the journal; returns how many.
int undo_checkins(Store& store, const std::string& attendee_id, const std::string& day);

// One line for people in the process language (i18n::process_lang()): "admitted: Léa Dupré
// (Participant), 2022-09-28".
std::string describe(const CheckinResult& r, const std::string& timezone);

// "2022-09-27 (OFF), 2022-09-28, 2022-09-29": the event's days as people read them.
std::vector<std::string> event_day_texts(const EventInfo& event);

} // namespace accueil
