#pragma once
// Reading a check-in event's payload {"day", "at", "kiosk"} without building a JSON tree: the central
// merge applies hundreds of thousands of them in a row, and a general JSON parse cost more than the
// SQLite insert itself (about 3.5 µs against 0.5 µs with simdjson's on-demand parser).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace accueil {

struct CheckinPayload {
    std::string day;     // YYYY-MM-DD; "" when absent
    std::int64_t at = 0; // wall-clock ms of the scan; 0 when absent
    std::string kiosk;   // kiosk name; "" when absent
};

// Keeps simdjson's parser and a padded buffer between calls (one per projector).
class CheckinPayloadReader {
public:
    CheckinPayloadReader();
    ~CheckinPayloadReader();
    CheckinPayloadReader(const CheckinPayloadReader&) = delete;
    CheckinPayloadReader& operator=(const CheckinPayloadReader&) = delete;

    // Nothing when the text is not a JSON object or a known field has the wrong type; unknown fields
    // are ignored (a newer kiosk may add some).
    std::optional<CheckinPayload> read(std::string_view json);
    // At the sync door: also refuses unknown, repeated or missing fields, saying which in `error`.
    std::optional<CheckinPayload> read_strict(std::string_view json, std::string& error);

private:
    std::optional<CheckinPayload> parse(std::string_view json, bool strict, std::string& error);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace accueil
