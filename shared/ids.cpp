#include "ids.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace accueil {
namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kAttendeeIdChars = 12;
// Each byte's value in kCrockford, or -1: the merge decodes every check-in's id (Projector::day_key),
// and searching the alphabet per character was 2 % of it.
constexpr auto kCrockfordValue = [] {
    std::array<std::int8_t, 256> value{};
    value.fill(-1);
    for (int i = 0; i < 32; ++i)
        value[static_cast<unsigned char>(kCrockford[i])] = std::int8_t(i);
    return value;
}();

void ensure_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok)
        throw std::runtime_error("libsodium could not be initialised");
}
} // namespace

Origin random_origin() {
    ensure_sodium();
    Origin o{};
    randombytes_buf(o.data(), o.size());
    return o;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 0xF]);
    }
    return out;
}

std::optional<Origin> origin_from_hex(std::string_view hex) {
    if (hex.size() != 32)
        return std::nullopt;
    Origin o{};
    for (std::size_t i = 0; i < 16; ++i) {
        unsigned v = 0;
        for (char c : hex.substr(i * 2, 2)) {
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= unsigned(c - 'A' + 10);
            else
                return std::nullopt;
        }
        o[i] = std::uint8_t(v);
    }
    return o;
}

Origin origin_from_blob(const void* data, int size) {
    Origin o{};
    if (size != int(o.size()))
        throw std::runtime_error("stored origin has " + std::to_string(size) + " bytes, expected 16");
    std::memcpy(o.data(), data, o.size());
    return o;
}

std::string random_attendee_id() {
    ensure_sodium();
    std::uint64_t bits = 0;
    randombytes_buf(&bits, sizeof bits);
    std::string id(kAttendeeIdChars, '0');
    for (std::size_t i = 0; i < kAttendeeIdChars; ++i) {
        id[kAttendeeIdChars - 1 - i] = kCrockford[bits & 31];
        bits >>= 5;
    }
    return id;
}

std::string normalise_attendee_id(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
        if (c == 'O')
            c = '0';
        if (c == 'I' || c == 'L')
            c = '1';
        out.push_back(c);
    }
    return out;
}

std::optional<std::uint64_t> attendee_id_bits(std::string_view text) {
    if (text.size() != kAttendeeIdChars)
        return std::nullopt;
    std::uint64_t bits = 0;
    for (const char c : text) {
        const std::int8_t value = kCrockfordValue[static_cast<unsigned char>(c)];
        if (value < 0)
            return std::nullopt;
        bits = bits << 5 | std::uint64_t(value);
    }
    return bits;
}

bool looks_like_attendee_id(std::string_view text) {
    return attendee_id_bits(text).has_value();
}

} // namespace accueil
