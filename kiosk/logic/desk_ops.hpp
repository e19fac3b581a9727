#pragma once
// What the desk worker does with each of the desk machine's requests, on the store, without a thread:
// the tests and the keystroke benchmark call these directly. Each returns the machine's next input.
#include "desk_machine.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace accueil {
class Store;
}

namespace accueil::kiosk {

DeskSetup desk_setup(Store& store, std::int64_t now_ms, bool has_printer);

// Search as you type over the whole roster (shared/search.hpp), with today's arrival status per row.
std::vector<PersonSummary> desk_search(Store& store, const std::string& query, std::size_t limit,
                                       std::int64_t now_ms);

// Everything the person's page shows (history, the attention note) or nullopt for an unknown id.
std::optional<PersonDetail> person_detail(Store& store, const std::string& attendee_id, std::int64_t now_ms);

// A badge or ticket scanned at the desk checks the person in (they are standing at the desk) and
// opens them: DeskCheckedIn, or DeskCodeVerdict for a code that opens nobody or a replaced badge.
DeskInput desk_scan(Store& store, const std::string& code, std::int64_t now_ms);
DeskInput desk_check_in(Store& store, const std::string& attendee_id, std::int64_t now_ms);
// Undoes today's check-ins of the person (journaled: the undo is in their history).
DeskInput desk_undo(Store& store, const std::string& attendee_id, std::int64_t now_ms);
// Saves the edit form, or creates the walk-in (refused with field errors, or stopped by likely
// duplicates unless `force`). A walk-in is checked in and given a badge on creation.
DeskInput desk_save(Store& store, const DeskDoSave& request, std::int64_t now_ms);
// A new badge version; the old badge is refused from then on.
DeskInput desk_reprint(Store& store, const std::string& attendee_id, std::int64_t now_ms);
DeskAlerts desk_alerts(Store& store, std::int64_t now_ms);

// The badge code of a person: signed with this device's badge key when it has one, else the attendee
// id, which every kiosk looks up once the person has reached it by sync.
std::string badge_code_of(Store& store, const Attendee& a, bool* is_signed);

} // namespace accueil::kiosk
