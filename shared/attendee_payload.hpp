#pragma once
// Reading an attendee creation's payload (attendee_to_json's fields) without building a JSON tree: a
// rebuild replays one per person, and with a 100,000-person roster the general JSON parse was close to
// half of the replay's time (perf, `accueil-bench rebuild`).
#include "attendee.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace accueil {

// Keeps simdjson's parser and a padded buffer between calls (one per projector).
class AttendeePayloadReader {
public:
    AttendeePayloadReader();
    ~AttendeePayloadReader();
    AttendeePayloadReader(const AttendeePayloadReader&) = delete;
    AttendeePayloadReader& operator=(const AttendeePayloadReader&) = delete;

    // The attendee `attendee_from_json(id, nlohmann::json::parse(json))` gives, for the payloads the
    // programs write: an object of known fields, each once, of the type attendee_to_json gives it.
    // Nothing for anything else (an unknown or repeated field, another type, text after the object,
    // not JSON): the caller then reads it with the general parser, whose answer (a value or an error)
    // stays the only one for such payloads.
    std::optional<Attendee> read(const std::string& id, std::string_view json);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace accueil
