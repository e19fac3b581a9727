#pragma once
// The sync protocol's data: journal events as JSON, batches, version vectors and the
// enrolment code. Shared by the server, the agent and bundles; no transport code here.
#include "journal.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace accueil::sync {

// Bumped whenever a message changes shape; checked on every request and in every bundle.
constexpr int kProtocolVersion = 1;
constexpr const char* kProtocolHeader = "X-Accueil-Protocol";

// Largest batch a sender puts in one request, and the request size the server accepts.
constexpr std::size_t kMaxBatchEvents = 2000;
constexpr std::size_t kMaxRequestBytes = 16u << 20;

// origin -> contiguous high-water mark (every seq up to it is held).
using VersionVector = std::map<Origin, std::int64_t>;

nlohmann::json event_to_json(const JournalEvent& e);
// Strict: throws InputError naming the problem (missing field, bad origin, unknown kind...).
JournalEvent event_from_json(const nlohmann::json& j);

nlohmann::json events_to_json(const std::vector<JournalEvent>& events);
std::vector<JournalEvent> events_from_json(const nlohmann::json& j);

nlohmann::json vector_to_json(const VersionVector& v);
VersionVector vector_from_json(const nlohmann::json& j);

// `j[key]` when it is a whole number that fits, else `fallback`: never a conversion of 1e300 (UB) or a
// type error on a peer's malformed message.
std::int64_t integer_field(const nlohmann::json& j, const char* key, std::int64_t fallback);
std::string text_field(const nlohmann::json& j, const char* key, const std::string& fallback = "");

// Throws InputError with a clear sentence when `j` is not an object of our protocol version.
void check_protocol(const nlohmann::json& j);

// A refused event and why ("conflict: ...", "clock: ...", "malformed: ...").
struct Rejection {
    Origin origin{};
    std::int64_t seq = 0;
    std::string reason;
};
nlohmann::json rejections_to_json(const std::vector<Rejection>& r);
std::vector<Rejection> rejections_from_json(const nlohmann::json& j);

// What `accueil-sync enroll` hands a kiosk: accueil1:<scheme>:<host>:<port>:<token>:<fingerprint>.
// The fingerprint (SHA-256 of the server certificate, hex) is empty for plain HTTP.
struct EnrolmentCode {
    std::string scheme; // "https" or "http"
    std::string host;
    int port = 0;
    std::string token;       // one-time secret, hex
    std::string fingerprint; // hex, lower case
    std::string url() const { return scheme + "://" + host + ":" + std::to_string(port); }
};
std::string format_enrolment_code(const EnrolmentCode& c);
std::optional<EnrolmentCode> parse_enrolment_code(const std::string& text);

// Splits "http://host:port" (or https); nullopt when it is not one.
std::optional<EnrolmentCode> parse_server_url(const std::string& url);

} // namespace accueil::sync
