#pragma once
// An attendee as the projections hold it, and its journal representation (one JSON field per column).
#include "journal.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace accueil {

struct Attendee {
    std::string id{};
    std::string first_name{};
    std::string last_name{};
    std::string email{};
    std::string organisation{};
    std::string category{};          // as the organisers write it: "Orateur", "Bénévole"
    std::string category_key{};      // label_key(category): what counts and colours use
    std::vector<std::string> days{}; // YYYY-MM-DD; empty means every day of the event
    std::string ext_code{};          // ticket code from an external ticketing export
    int badge_version = 1;
    std::string source{}; // "import", "walk-in", "badge" ...
    // Whether an attention note exists (its text is in `attendee_notes`, on desks and the central store
    // only: shared/attendee_notes.hpp). Travels everywhere, so a kiosk can send the person to the desk.
    bool has_note = false;

    bool may_enter(const std::string& day) const;
    std::string full_name() const;
    bool operator==(const Attendee&) const = default;
};

// The editable fields, in a fixed order: the journal payload keys and the `attendees` columns.
const std::vector<std::string>& attendee_fields();

// The longest value, in UTF-8 bytes, each text field may hold (the sync door refuses longer ones, and
// the desk's form checks the same: shared/desk.hpp); far above any real roster (names of 200 bytes).
std::size_t attendee_field_limit(const std::string& field);

nlohmann::json attendee_to_json(const Attendee& a); // every field but id
Attendee attendee_from_json(const std::string& id, const nlohmann::json& fields);
nlohmann::json changed_fields(const Attendee& before, const Attendee& after);

std::string join_days(const std::vector<std::string>& days);
std::vector<std::string> split_days(const std::string& joined);

// The columns attendee_from_row() reads, in its order: "SELECT " kAttendeeColumns " FROM attendees ...".
#define ACCUEIL_ATTENDEE_COLUMNS                                                                             \
    "id, first_name, last_name, email, organisation, category, category_key, days, ext_code, "               \
    "badge_version, source, has_note"
Attendee attendee_from_row(SQLite::Statement& q);

std::optional<Attendee> load_attendee(SQLite::Database& db, const std::string& id);
std::optional<Attendee> find_by_ext_code(SQLite::Database& db, const std::string& code);
std::optional<Attendee> find_by_email(SQLite::Database& db, const std::string& email);

} // namespace accueil
