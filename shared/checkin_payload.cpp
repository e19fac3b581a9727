#include "checkin_payload.hpp"

#include "on_demand_json.hpp"

namespace accueil {

struct CheckinPayloadReader::Impl {
    OnDemandJson json;
};

CheckinPayloadReader::CheckinPayloadReader() : impl_(std::make_unique<Impl>()) {}
CheckinPayloadReader::~CheckinPayloadReader() = default;

std::optional<CheckinPayload> CheckinPayloadReader::read(std::string_view json) {
    std::string ignored;
    return parse(json, false, ignored);
}

std::optional<CheckinPayload> CheckinPayloadReader::read_strict(std::string_view json, std::string& error) {
    return parse(json, true, error);
}

std::optional<CheckinPayload> CheckinPayloadReader::parse(std::string_view json, bool strict,
                                                          std::string& error) {
    error = "not a check-in payload {\"day\", \"at\", \"kiosk\"}";
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (!impl_->json.open_object(json, doc, object))
        return std::nullopt;
    CheckinPayload p;
    unsigned seen = 0; // one bit per known key: each at most once, all three when strict
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key))
            return std::nullopt;
        const unsigned bit = key == "at" ? 1u : key == "day" ? 2u : key == "kiosk" ? 4u : 0u;
        if (strict && (bit == 0 || (seen & bit))) {
            error = bit == 0
                        ? "a check-in payload has an unknown field \"" + std::string(key.substr(0, 40)) + "\""
                        : "a check-in payload gives \"" + std::string(key) + "\" twice";
            return std::nullopt;
        }
        seen |= bit;
        std::string_view text;
        if (key == "at") {
            if (field.value().get_int64().get(p.at))
                return std::nullopt;
        } else if (key == "day") {
            if (field.value().get_string().get(text))
                return std::nullopt;
            p.day = text;
        } else if (key == "kiosk") {
            if (field.value().get_string().get(text))
                return std::nullopt;
            p.kiosk = text;
        } // other fields are skipped by the iterator itself
    }
    if (!OnDemandJson::nothing_after(doc))
        return std::nullopt;
    if (strict && seen != 7u) {
        error = "a check-in payload needs \"day\", \"at\" and \"kiosk\"";
        return std::nullopt;
    }
    error.clear();
    return p;
}

} // namespace accueil
