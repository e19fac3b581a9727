#pragma once
// Identifiers: the 16-byte database origin, random attendee ids and their text forms.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accueil {

using Origin = std::array<std::uint8_t, 16>;

Origin random_origin();
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Origin& o) {
    return to_hex(o.data(), o.size());
}
std::optional<Origin> origin_from_hex(std::string_view hex);
Origin origin_from_blob(const void* data, int size);

// Attendee ids are 60 random bits written as 12 Crockford base32 characters: unique across kiosks
// without coordination (walk-ins), short, and inside the QR alphanumeric alphabet.
std::string random_attendee_id();
bool looks_like_attendee_id(std::string_view text);
// The 60 bits a well-formed id writes (the inverse of random_attendee_id); std::nullopt otherwise.
std::optional<std::uint64_t> attendee_id_bits(std::string_view text);
// Upper-cases and maps the Crockford look-alikes (O→0, I/L→1) so a hand-typed id still matches.
std::string normalise_attendee_id(std::string_view text);

} // namespace accueil
