#include "sync/protocol.hpp"

#include "errors.hpp"

#include <charconv>

namespace accueil::sync {

using json = nlohmann::json;

namespace {
// Every kind this build knows (to_string names them all); an unknown one is another version's.
bool valid_kind(std::int64_t k) {
    return k > 0 && k < 1000 && std::string_view(to_string(EventKind(int(k)))) != "unknown";
}

bool is_hex(const std::string& s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto end = s.find(sep, start);
        out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            return out;
        start = end + 1;
    }
}

std::optional<int> parse_port(const std::string& s) {
    int port = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
    if (ec != std::errc() || p != s.data() + s.size() || port <= 0 || port > 65535)
        return std::nullopt;
    return port;
}
} // namespace

json event_to_json(const JournalEvent& e) {
    // The payload travels as its exact text, so a conflict check compares the very bytes stored.
    return {{"o", to_hex(e.origin)}, {"s", e.seq},    {"h", e.hlc},
            {"k", int(e.kind)},      {"e", e.entity}, {"p", e.payload}};
}

JournalEvent event_from_json(const json& j) {
    if (!j.is_object())
        throw InputError("", "an event is not a JSON object");
    auto field = [&](const char* name) -> const json& {
        const auto it = j.find(name);
        if (it == j.end())
            throw InputError("", std::string("an event has no \"") + name + "\" field");
        return *it;
    };
    JournalEvent e;
    const json& o = field("o");
    const auto origin = o.is_string() ? origin_from_hex(o.get<std::string>()) : std::nullopt;
    if (!origin)
        throw InputError("", "an event has an invalid origin (32 hex digits expected)");
    e.origin = *origin;
    const json& s = field("s");
    if (!s.is_number_integer() || s.get<std::int64_t>() < 1)
        throw InputError("",
                         "event " + to_hex(e.origin) + " has an invalid seq (a positive integer expected)");
    e.seq = s.get<std::int64_t>();
    const std::string key = to_hex(e.origin) + "/" + std::to_string(e.seq);
    const json& h = field("h");
    if (!h.is_number_unsigned() && !(h.is_number_integer() && h.get<std::int64_t>() >= 0))
        throw InputError("", "event " + key + " has an invalid hlc");
    e.hlc = h.get<std::uint64_t>();
    if (e.hlc > std::uint64_t(INT64_MAX))
        throw InputError("", "event " + key + " has an hlc out of range");
    const json& k = field("k");
    if (!k.is_number_integer() || !valid_kind(k.get<std::int64_t>()))
        throw InputError("", "event " + key + " has an unknown kind");
    e.kind = EventKind(k.get<int>());
    const json& ent = field("e");
    if (!ent.is_string() || ent.get_ref<const std::string&>().empty())
        throw InputError("", "event " + key + " has no entity");
    e.entity = ent.get<std::string>();
    const json& p = field("p");
    if (!p.is_string())
        throw InputError("", "event " + key + " has no payload text");
    e.payload = p.get<std::string>();
    // The projection needs an object; refuse here so a bad event never reaches a transaction.
    if (!json::accept(e.payload) || e.payload.empty() || e.payload.front() != '{')
        throw InputError("", "event " + key + " has a payload that is not a JSON object");
    return e;
}

json events_to_json(const std::vector<JournalEvent>& events) {
    json a = json::array();
    for (const auto& e : events)
        a.push_back(event_to_json(e));
    return a;
}

std::vector<JournalEvent> events_from_json(const json& j) {
    if (!j.is_array())
        throw InputError("", "\"events\" must be an array");
    std::vector<JournalEvent> out;
    out.reserve(j.size());
    for (const auto& e : j)
        out.push_back(event_from_json(e));
    return out;
}

json vector_to_json(const VersionVector& v) {
    json o = json::object();
    for (const auto& [origin, hw] : v)
        o[to_hex(origin)] = hw;
    return o;
}

VersionVector vector_from_json(const json& j) {
    if (!j.is_object())
        throw InputError("", "a version vector must be an object {origin: high-water mark}");
    VersionVector v;
    for (const auto& [key, value] : j.items()) {
        const auto origin = origin_from_hex(key);
        if (!origin)
            throw InputError("", "version vector: \"" + key + "\" is not an origin");
        if (!value.is_number_integer() || value.get<std::int64_t>() < 0)
            throw InputError("", "version vector: the mark of " + key + " is not a non-negative integer");
        v[*origin] = value.get<std::int64_t>();
    }
    return v;
}

std::int64_t integer_field(const json& j, const char* key, std::int64_t fallback) {
    if (!j.is_object())
        return fallback;
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer())
        return fallback;
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(INT64_MAX))
        return fallback;
    return it->get<std::int64_t>();
}

std::string text_field(const json& j, const char* key, const std::string& fallback) {
    if (!j.is_object())
        return fallback;
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

void check_protocol(const json& j) {
    if (!j.is_object())
        throw InputError("", "the body is not a JSON object");
    const auto it = j.find("protocol");
    if (it == j.end() || !it->is_number_integer())
        throw InputError("", "the body does not say its protocol version");
    if (it->get<int>() != kProtocolVersion)
        throw InputError("", "protocol version " + std::to_string(it->get<int>()) +
                                 " is not supported (this " + "side speaks version " +
                                 std::to_string(kProtocolVersion) +
                                 "); install the same accueil version on the server and the kiosks");
}

json rejections_to_json(const std::vector<Rejection>& r) {
    json a = json::array();
    for (const auto& x : r)
        a.push_back({{"o", to_hex(x.origin)}, {"s", x.seq}, {"reason", x.reason}});
    return a;
}

std::vector<Rejection> rejections_from_json(const json& j) {
    std::vector<Rejection> out;
    if (!j.is_array())
        return out;
    for (const auto& x : j) {
        if (!x.is_object())
            continue;
        const auto o = origin_from_hex(text_field(x, "o"));
        const std::int64_t seq = integer_field(x, "s", 0);
        if (!o || seq < 1)
            continue;
        out.push_back({*o, seq, text_field(x, "reason", "refused").substr(0, 400)});
    }
    return out;
}

std::string format_enrolment_code(const EnrolmentCode& c) {
    return "accueil1:" + c.scheme + ":" + c.host + ":" + std::to_string(c.port) + ":" + c.token + ":" +
           c.fingerprint;
}

std::optional<EnrolmentCode> parse_enrolment_code(const std::string& raw) {
    std::string text = raw;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    while (!text.empty() && text.front() == ' ')
        text.erase(text.begin());
    const auto parts = split(text, ':');
    if (parts.size() != 6 || parts[0] != "accueil1")
        return std::nullopt;
    EnrolmentCode c;
    c.scheme = parts[1];
    c.host = parts[2];
    const auto port = parse_port(parts[3]);
    c.token = parts[4];
    c.fingerprint = parts[5];
    if ((c.scheme != "http" && c.scheme != "https") || c.host.empty() || !port || c.token.size() != 64 ||
        !is_hex(c.token) || !is_hex(c.fingerprint))
        return std::nullopt;
    if (c.scheme == "https" && c.fingerprint.size() != 64)
        return std::nullopt;
    c.port = *port;
    for (auto& ch : c.fingerprint)
        ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return c;
}

std::optional<EnrolmentCode> parse_server_url(const std::string& url) {
    const auto sep = url.find("://");
    if (sep == std::string::npos)
        return std::nullopt;
    EnrolmentCode c;
    c.scheme = url.substr(0, sep);
    std::string rest = url.substr(sep + 3);
    while (!rest.empty() && rest.back() == '/')
        rest.pop_back();
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || (c.scheme != "http" && c.scheme != "https"))
        return std::nullopt;
    c.host = rest.substr(0, colon);
    const auto port = parse_port(rest.substr(colon + 1));
    if (!port || c.host.empty())
        return std::nullopt;
    c.port = *port;
    return c;
}

} // namespace accueil::sync
