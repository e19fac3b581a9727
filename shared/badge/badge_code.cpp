#include "badge_code.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "ids.hpp"
#include "text_fold.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <iterator>

namespace accueil {

namespace {
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
// Prefixed to the payload before signing, so a badge signature can never be mistaken for (or
// replayed as) a signature of anything else made with the same key.
constexpr char kSignDomain[] = "accueil-badge";
constexpr std::size_t kSignDomainSize = sizeof kSignDomain - 1;
constexpr std::size_t kFixedBytes = 1 + 4 + 2 + 8 + 2 + 1; // up to and including the day count
constexpr std::size_t kMaxPayloadBytes = kFixedBytes + kBadgeMaxDays / 8 + 1 + kBadgeCategoryMaxBytes;

void ensure_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok)
        throw std::runtime_error("libsodium could not be initialised");
}

std::array<std::uint8_t, 4> event_tag_of(const std::string& uid) {
    std::array<std::uint8_t, 4> tag{};
    crypto_generichash(tag.data(), tag.size(), reinterpret_cast<const unsigned char*>(uid.data()), uid.size(),
                       nullptr, 0);
    return tag;
}

std::size_t mask_bytes(std::size_t day_count) {
    return (day_count + 7) / 8;
}

// Cuts a UTF-8 string to at most `max` bytes without splitting a character.
std::string cut_utf8(const std::string& s, std::size_t max) {
    if (s.size() <= max)
        return s;
    std::size_t n = max;
    while (n > 0 && (std::uint8_t(s[n]) & 0xC0) == 0x80)
        --n;
    return s.substr(0, n);
}

bool verify_signature(const ParsedBadge& b, const PublicKey& key) {
    std::uint8_t message[kSignDomainSize + kMaxPayloadBytes];
    std::memcpy(message, kSignDomain, kSignDomainSize);
    std::memcpy(message + kSignDomainSize, b.signed_part.data(), b.signed_part.size());
    return crypto_sign_verify_detached(b.signature.data(), message, kSignDomainSize + b.signed_part.size(),
                                       key.data()) == 0;
}
} // namespace

const char* to_string(BadgeError e) {
    switch (e) {
    case BadgeError::None:
        return "ok";
    case BadgeError::NotBase32:
        return "not a base32 code";
    case BadgeError::Truncated:
        return "truncated code";
    case BadgeError::TrailingBytes:
        return "code longer than its fields";
    case BadgeError::UnsupportedVersion:
        return "unsupported badge format";
    case BadgeError::Malformed:
        return "malformed badge fields";
    case BadgeError::UnknownKey:
        return "signed with a key this event does not list";
    case BadgeError::BadSignature:
        return "bad signature";
    case BadgeError::OtherEvent:
        return "badge of another event";
    }
    return "invalid badge";
}

std::string badge_error_text(BadgeError e) {
    // The catalogue key of each BadgeError, in the enum's order (badge_code.hpp).
    static constexpr const char* kKeys[] = {"cli.badge_error.none",
                                            "cli.badge_error.not_base32",
                                            "cli.badge_error.truncated",
                                            "cli.badge_error.trailing_bytes",
                                            "cli.badge_error.unsupported_version",
                                            "cli.badge_error.malformed",
                                            "cli.badge_error.unknown_key",
                                            "cli.badge_error.bad_signature",
                                            "cli.badge_error.other_event"};
    static_assert(std::size(kKeys) == std::size_t(BadgeError::OtherEvent) + 1);
    const auto i = std::size_t(e);
    return i18n::tr(i < std::size(kKeys) ? kKeys[i] : "cli.badge_error.malformed");
}

bool looks_like_badge_code(std::string_view text) {
    return text.size() >= kBadgeCodeMinChars && text.size() <= kBadgeCodeMaxChars && text.front() == 'A';
}

std::string base32_encode(const std::uint8_t* data, std::size_t size) {
    std::string out;
    out.reserve((size * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < size; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            out.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out.push_back(kBase32[(buffer << (5 - bits)) & 31]);
    return out;
}

std::optional<std::vector<std::uint8_t>> base32_decode(std::string_view text) {
    // A length whose last character would carry no whole byte (1, 3 or 6 mod 8) is never produced.
    const std::size_t rem = text.size() % 8;
    if (rem == 1 || rem == 3 || rem == 6)
        return std::nullopt;
    std::vector<std::uint8_t> out;
    out.reserve(text.size() * 5 / 8);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        unsigned v;
        if (c >= 'A' && c <= 'Z')
            v = unsigned(c - 'A');
        else if (c >= '2' && c <= '7')
            v = unsigned(c - '2' + 26);
        else
            return std::nullopt;
        buffer = (buffer << 5) | v;
        bits += 5;
        if (bits >= 8) {
            out.push_back(std::uint8_t(buffer >> (bits - 8)));
            bits -= 8;
        }
        buffer &= (1u << bits) - 1;
    }
    if (buffer != 0) // non-zero padding bits: another spelling of the same bytes
        return std::nullopt;
    return out;
}

std::vector<std::uint8_t> encode_badge_payload(const BadgePayload& p) {
    std::vector<std::uint8_t> out;
    out.reserve(kMaxPayloadBytes);
    out.push_back(p.format);
    out.insert(out.end(), p.event_tag.begin(), p.event_tag.end());
    out.push_back(std::uint8_t(p.key_id >> 8));
    out.push_back(std::uint8_t(p.key_id));
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(std::uint8_t(p.attendee >> shift));
    out.push_back(std::uint8_t(p.badge_version >> 8));
    out.push_back(std::uint8_t(p.badge_version));
    out.push_back(p.day_count);
    for (std::size_t i = 0; i < mask_bytes(p.day_count); ++i)
        out.push_back(std::uint8_t(p.day_mask >> (8 * i)));
    const std::string cat = cut_utf8(p.category_key, kBadgeCategoryMaxBytes);
    out.push_back(std::uint8_t(cat.size()));
    out.insert(out.end(), cat.begin(), cat.end());
    return out;
}

BadgeParse parse_badge_code(std::string_view text) {
    BadgeParse r;
    if (text.size() > kBadgeCodeMaxChars + 8) { // never decode megabytes of garbage
        r.error = BadgeError::TrailingBytes;
        return r;
    }
    const auto bytes = base32_decode(text);
    if (!bytes) {
        r.error = BadgeError::NotBase32;
        return r;
    }
    const auto& b = *bytes;
    if (b.empty()) {
        r.error = BadgeError::Truncated;
        return r;
    }
    if (b[0] != kBadgeFormatVersion) {
        r.error = BadgeError::UnsupportedVersion;
        return r;
    }
    if (b.size() < kFixedBytes) {
        r.error = BadgeError::Truncated;
        return r;
    }
    ParsedBadge pb;
    BadgePayload& p = pb.payload;
    std::size_t at = 0;
    p.format = b[at++];
    for (auto& t : p.event_tag)
        t = b[at++];
    p.key_id = std::uint16_t(b[at] << 8 | b[at + 1]);
    at += 2;
    for (int i = 0; i < 8; ++i)
        p.attendee = (p.attendee << 8) | b[at++];
    p.badge_version = std::uint16_t(b[at] << 8 | b[at + 1]);
    at += 2;
    p.day_count = b[at++];
    if (p.attendee >> 60 != 0 || p.badge_version == 0 || p.day_count > kBadgeMaxDays) {
        r.error = BadgeError::Malformed;
        return r;
    }
    const std::size_t nmask = mask_bytes(p.day_count);
    if (b.size() < at + nmask + 1) {
        r.error = BadgeError::Truncated;
        return r;
    }
    for (std::size_t i = 0; i < nmask; ++i)
        p.day_mask |= std::uint64_t(b[at++]) << (8 * i);
    if (p.day_count < 64 && (p.day_mask >> p.day_count) != 0) { // bits past the last day: not canonical
        r.error = BadgeError::Malformed;
        return r;
    }
    const std::size_t cat_len = b[at++];
    if (cat_len > kBadgeCategoryMaxBytes) {
        r.error = BadgeError::Malformed;
        return r;
    }
    if (b.size() < at + cat_len + pb.signature.size()) {
        r.error = BadgeError::Truncated;
        return r;
    }
    p.category_key.assign(reinterpret_cast<const char*>(b.data() + at), cat_len);
    at += cat_len;
    if (!is_valid_utf8(p.category_key)) {
        r.error = BadgeError::Malformed;
        return r;
    }
    if (b.size() > at + pb.signature.size()) {
        r.error = BadgeError::TrailingBytes;
        return r;
    }
    pb.signed_part.assign(b.begin(), b.begin() + std::ptrdiff_t(at));
    std::memcpy(pb.signature.data(), b.data() + at, pb.signature.size());
    r.badge = std::move(pb);
    return r;
}

std::string make_badge_code(const BadgePayload& p, const SigningKey& key) {
    std::vector<std::uint8_t> bytes(kSignDomain, kSignDomain + kSignDomainSize);
    const auto payload = encode_badge_payload(p);
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    const Signature sig = key.sign(bytes.data(), bytes.size());
    std::vector<std::uint8_t> out = payload;
    out.insert(out.end(), sig.begin(), sig.end());
    return base32_encode(out.data(), out.size());
}

BadgeCheck verify_badge_code(std::string_view text, const std::string& event_uid,
                             const std::vector<EventKey>& keys) {
    BadgeCheck r;
    const auto parsed = parse_badge_code(text);
    if (!parsed) {
        r.error = parsed.error;
        return r;
    }
    ensure_sodium();
    bool candidate = false, verified = false;
    for (const auto& k : keys) {
        if (k.key_id != parsed.badge->payload.key_id)
            continue;
        candidate = true;
        if (verify_signature(*parsed.badge, k.public_key)) {
            verified = true;
            break;
        }
    }
    if (!verified) {
        r.error = candidate ? BadgeError::BadSignature : BadgeError::UnknownKey;
        return r;
    }
    if (parsed.badge->payload.event_tag != event_tag_of(event_uid)) {
        r.error = BadgeError::OtherEvent;
        return r;
    }
    r.payload = parsed.badge->payload;
    return r;
}

std::optional<std::uint64_t> attendee_id_value(std::string_view id) {
    if (id.size() != 12)
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : id) {
        const char* pos = std::strchr(kCrockford, c);
        if (c == '\0' || pos == nullptr)
            return std::nullopt;
        v = (v << 5) | std::uint64_t(pos - kCrockford);
    }
    return v;
}

std::string attendee_id_text(std::uint64_t value) {
    std::string id(12, '0');
    for (int i = 11; i >= 0; --i) {
        id[std::size_t(i)] = kCrockford[value & 31];
        value >>= 5;
    }
    return id;
}

BadgePayload badge_payload_for(const Attendee& a, const EventInfo& event, std::uint16_t key_id) {
    BadgePayload p;
    p.event_tag = event_tag_of(event.uid);
    p.key_id = key_id;
    const auto id = attendee_id_value(a.id);
    if (!id)
        throw InputError("", i18n::tr("cli.badge.bad_id", {{"name", a.full_name()}, {"id", a.id}}));
    p.attendee = *id;
    if (a.badge_version < 1 || a.badge_version > 0xFFFF)
        throw InputError(
            "",
            i18n::tr("cli.badge.bad_version",
                     {{"name", a.full_name()}, {"id", a.id}, {"version", std::to_string(a.badge_version)}}));
    p.badge_version = std::uint16_t(a.badge_version);
    if (!a.days.empty()) {
        const auto dates = event.dates();
        if (dates.size() > kBadgeMaxDays)
            throw InputError("",
                             i18n::tr("cli.badge.too_many_days", {{"days", std::to_string(dates.size())}}));
        p.day_count = std::uint8_t(dates.size());
        for (std::size_t i = 0; i < dates.size(); ++i)
            if (a.may_enter(dates[i]))
                p.day_mask |= std::uint64_t(1) << i;
    }
    p.category_key =
        cut_utf8(a.category_key.empty() ? label_key(a.category) : a.category_key, kBadgeCategoryMaxBytes);
    return p;
}

std::string badge_code_for(const Attendee& a, const EventInfo& event, const SigningKey& key) {
    return make_badge_code(badge_payload_for(a, event, key.key_id()), key);
}

std::string badge_attendee_id(const BadgePayload& p) {
    return attendee_id_text(p.attendee);
}

std::vector<std::string> badge_days(const BadgePayload& p, const EventInfo& event) {
    std::vector<std::string> out;
    if (p.day_count == 0)
        return out;
    const auto dates = event.dates();
    for (std::size_t i = 0; i < dates.size() && i < p.day_count; ++i)
        if (p.day_mask >> i & 1)
            out.push_back(dates[i]);
    return out;
}

} // namespace accueil
