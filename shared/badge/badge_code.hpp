#pragma once
// Badge codes (format in shared/badge/FORMAT.md): a compact versioned payload signed
// with the event's Ed25519 key, written in upper-case base32 so the QR symbol uses the alphanumeric
// mode and stays at version 7 or less at error correction level M. Parsing never throws: garbage in
// gives an error value out.
#include "attendee.hpp"
#include "event_calendar.hpp"
#include "event_keys.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

constexpr std::uint8_t kBadgeFormatVersion = 1;
constexpr std::size_t kBadgeCategoryMaxBytes = 12; // longer category keys are cut (at a UTF-8 boundary)
constexpr std::size_t kBadgeMaxDays = 64;          // days a badge's day mask can name
// Shortest and longest text of a format-1 code (83 and 103 bytes before base32).
constexpr std::size_t kBadgeCodeMinChars = 133;
constexpr std::size_t kBadgeCodeMaxChars = 165;

struct BadgePayload {
    std::uint8_t format = kBadgeFormatVersion;
    std::array<std::uint8_t, 4> event_tag{}; // first 4 bytes of the event uid
    std::uint16_t key_id = 0;                // key_id_of(public key) of the signing key
    std::uint64_t attendee = 0;              // the 60-bit attendee id
    std::uint16_t badge_version = 1;
    std::uint8_t day_count = 0; // event days the mask covers; 0 = every day of the event
    std::uint64_t day_mask = 0; // bit i = the event's i-th day (in date order)
    std::string category_key;

    bool operator==(const BadgePayload&) const = default;
};

enum class BadgeError {
    None,
    NotBase32,          // a character outside A-Z 2-7, or non-zero padding bits
    Truncated,          // fewer bytes than the fields announce
    TrailingBytes,      // more bytes than the fields announce
    UnsupportedVersion, // a format byte this build does not know
    Malformed,          // a field out of range (attendee id over 60 bits, day count, category ...)
    UnknownKey,         // no key of the event has the code's key id
    BadSignature,       // the signature does not check out with any candidate key
    OtherEvent,         // signed correctly, but for another event
};
const char* to_string(BadgeError e);
// The same in the process language (i18n::process_lang()), for an organiser reading it.
std::string badge_error_text(BadgeError e);

struct ParsedBadge {
    BadgePayload payload;
    std::vector<std::uint8_t> signed_part; // the payload bytes, as they were signed
    Signature signature{};
};

struct BadgeParse {
    std::optional<ParsedBadge> badge;
    BadgeError error = BadgeError::None;
    explicit operator bool() const { return badge.has_value(); }
};

struct BadgeCheck {
    std::optional<BadgePayload> payload; // set only when the code is authentic and for this event
    BadgeError error = BadgeError::None;
    explicit operator bool() const { return payload.has_value(); }
};

// Cheap shape test before any decoding: the length of a format-1 code and its first character ('A',
// from the format byte). A ticket code from a ticketing export is not shaped like this.
bool looks_like_badge_code(std::string_view text);

// RFC 4648 base32, upper case, no padding. Decoding is strict (canonical): lower case, padding
// characters and non-zero trailing bits are refused, so one code has exactly one spelling.
std::string base32_encode(const std::uint8_t* data, std::size_t size);
std::optional<std::vector<std::uint8_t>> base32_decode(std::string_view text);

// The payload bytes, and a parse of them back (never throws).
std::vector<std::uint8_t> encode_badge_payload(const BadgePayload& p);
BadgeParse parse_badge_code(std::string_view text);

// Signs the payload and writes the code text.
std::string make_badge_code(const BadgePayload& p, const SigningKey& key);

// Parses and verifies against the event (uid) and its public keys. Never throws.
BadgeCheck verify_badge_code(std::string_view text, const std::string& event_uid,
                             const std::vector<EventKey>& keys);

// The payload for an attendee of the event (throws InputError if the attendee id is not a 60-bit id).
BadgePayload badge_payload_for(const Attendee& a, const EventInfo& event, std::uint16_t key_id);
// The code of an attendee's current badge.
std::string badge_code_for(const Attendee& a, const EventInfo& event, const SigningKey& key);

// The attendee id and allowed days a payload names (days: empty = every day).
std::string badge_attendee_id(const BadgePayload& p);
std::vector<std::string> badge_days(const BadgePayload& p, const EventInfo& event);

// Attendee id <-> its 60-bit value (12 Crockford base32 characters).
std::optional<std::uint64_t> attendee_id_value(std::string_view id);
std::string attendee_id_text(std::uint64_t value);

} // namespace accueil
