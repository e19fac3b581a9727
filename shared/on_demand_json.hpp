#pragma once
// simdjson's on-demand parser over a copy of the text with the zero padding it reads past the end: the
// start and end of every payload reader (shared/checkin_payload.cpp, shared/attendee_payload.cpp).
// Included by their .cpp files only, so that simdjson stays out of the other headers.
#include <simdjson.h>

#include <string>
#include <string_view>

namespace accueil {

class OnDemandJson {
public:
    // Starts reading `json` as one object; false when it is not JSON or not an object.
    bool open_object(std::string_view json, simdjson::ondemand::document& doc,
                     simdjson::ondemand::object& object) {
        buffer_.assign(json);
        buffer_.resize(json.size() + simdjson::SIMDJSON_PADDING, '\0');
        return !parser_.iterate(buffer_.data(), json.size(), buffer_.size()).get(doc) &&
               !doc.get_object().get(object);
    }
    // Whether the object was the whole text, once read: on-demand parsing only validates what it
    // visits, and current_location() fails only once the whole document has been consumed.
    static bool nothing_after(simdjson::ondemand::document& doc) {
        return doc.current_location().error() != simdjson::SUCCESS;
    }

private:
    simdjson::ondemand::parser parser_;
    std::string buffer_;
};

} // namespace accueil
