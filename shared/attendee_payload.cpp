#include "attendee_payload.hpp"

#include "text_fold.hpp"

#include "on_demand_json.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace accueil {

namespace {
enum class Field {
    FirstName,
    LastName,
    Email,
    Organisation,
    Category,
    CategoryKey,
    Days,
    ExtCode,
    BadgeVersion,
    Source,
    HasNote
};
constexpr std::array<std::pair<std::string_view, Field>, 11> kFields{{{"first_name", Field::FirstName},
                                                                      {"last_name", Field::LastName},
                                                                      {"email", Field::Email},
                                                                      {"organisation", Field::Organisation},
                                                                      {"category", Field::Category},
                                                                      {"category_key", Field::CategoryKey},
                                                                      {"days", Field::Days},
                                                                      {"ext_code", Field::ExtCode},
                                                                      {"badge_version", Field::BadgeVersion},
                                                                      {"source", Field::Source},
                                                                      {"has_note", Field::HasNote}}};

std::string* text_of(Attendee& a, Field f, std::string& days) {
    switch (f) {
    case Field::FirstName:
        return &a.first_name;
    case Field::LastName:
        return &a.last_name;
    case Field::Email:
        return &a.email;
    case Field::Organisation:
        return &a.organisation;
    case Field::Category:
        return &a.category;
    case Field::CategoryKey:
        return &a.category_key;
    case Field::Days:
        return &days;
    case Field::ExtCode:
        return &a.ext_code;
    case Field::Source:
        return &a.source;
    case Field::BadgeVersion:
    case Field::HasNote:
        break;
    }
    return nullptr;
}
} // namespace

struct AttendeePayloadReader::Impl {
    OnDemandJson json;
};

AttendeePayloadReader::AttendeePayloadReader() : impl_(std::make_unique<Impl>()) {}
AttendeePayloadReader::~AttendeePayloadReader() = default;

std::optional<Attendee> AttendeePayloadReader::read(const std::string& id, std::string_view json) {
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (!impl_->json.open_object(json, doc, object))
        return std::nullopt;
    Attendee a;
    a.id = id;
    std::string days;
    unsigned seen = 0; // one bit per field: nlohmann keeps the last of a repeated key, this reader none
    for (auto member : object) {
        std::string_view key;
        if (member.unescaped_key().get(key))
            return std::nullopt;
        const auto known =
            std::find_if(kFields.begin(), kFields.end(), [&](const auto& k) { return k.first == key; });
        if (known == kFields.end()) // unknown: its value would go unread, so unvalidated
            return std::nullopt;
        const unsigned bit = 1u << unsigned(known->second);
        if (seen & bit)
            return std::nullopt;
        seen |= bit;
        if (known->second == Field::BadgeVersion) {
            std::int64_t v = 0;
            if (member.value().get_int64().get(v) || v < std::numeric_limits<int>::min() ||
                v > std::numeric_limits<int>::max())
                return std::nullopt;
            a.badge_version = int(v);
        } else if (known->second == Field::HasNote) {
            if (member.value().get_bool().get(a.has_note))
                return std::nullopt;
        } else {
            std::string_view text;
            if (member.value().get_string().get(text))
                return std::nullopt;
            *text_of(a, known->second, days) = text;
        }
    }
    if (!OnDemandJson::nothing_after(doc))
        return std::nullopt;
    if (!(seen & (1u << unsigned(Field::CategoryKey))))
        a.category_key = label_key(a.category); // as attendee_from_json: the key of the category read
    a.days = split_days(days);
    return a;
}

} // namespace accueil
