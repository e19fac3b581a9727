#include "attendee_payload.hpp"

#include "on_demand_json.hpp"
#include "text_fold.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace accueil {

namespace {
// The text fields, by their names in attendee_fields(); days, badge_version and has_note are read apart.
constexpr std::array<std::pair<std::string_view, std::string Attendee::*>, 8> kTexts{{
    {"first_name", &Attendee::first_name},
    {"last_name", &Attendee::last_name},
    {"email", &Attendee::email},
    {"organisation", &Attendee::organisation},
    {"category", &Attendee::category},
    {"category_key", &Attendee::category_key},
    {"ext_code", &Attendee::ext_code},
    {"source", &Attendee::source},
}};
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
    const auto& fields = attendee_fields();
    const auto bit_of = [&](auto field) { return 1u << unsigned(field - fields.begin()); };
    for (auto member : object) {
        std::string_view key;
        if (member.unescaped_key().get(key))
            return std::nullopt;
        const auto known = std::find(fields.begin(), fields.end(), key);
        if (known == fields.end()) // unknown: its value would go unread, so unvalidated
            return std::nullopt;
        const unsigned bit = bit_of(known);
        if (seen & bit)
            return std::nullopt;
        seen |= bit;
        if (key == "badge_version") {
            std::int64_t v = 0;
            if (member.value().get_int64().get(v) || v < std::numeric_limits<int>::min() ||
                v > std::numeric_limits<int>::max())
                return std::nullopt;
            a.badge_version = int(v);
        } else if (key == "has_note") {
            if (member.value().get_bool().get(a.has_note))
                return std::nullopt;
        } else {
            std::string_view text;
            if (member.value().get_string().get(text))
                return std::nullopt;
            const auto t = std::find_if(kTexts.begin(), kTexts.end(),
                                        [&](const auto& entry) { return entry.first == key; });
            if (key == "days")
                days = text;
            else if (t != kTexts.end())
                a.*(t->second) = text;
            else // a field attendee_fields() gained and this reader does not know
                return std::nullopt;
        }
    }
    if (!OnDemandJson::nothing_after(doc))
        return std::nullopt;
    if (!(seen & bit_of(std::find(fields.begin(), fields.end(), "category_key"))))
        a.category_key = label_key(a.category); // as attendee_from_json: the key of the category read
    a.days = split_days(days);
    return a;
}

} // namespace accueil
