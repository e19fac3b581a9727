#pragma once
// The kiosk's side of the wire: JSON over HTTPS with the server certificate pinned (plain HTTP only
// for `http://` servers, which enrolment hands out only when the server runs with --insecure).
#include "sync/protocol.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace accueil::sync {

struct Reply {
    int status = 0;           // 0: no answer (unreachable, timeout, handshake refused)
    bool certificate = false; // no answer because the TLS handshake failed: not the pinned certificate
    nlohmann::json body;
    std::string reason; // the server's word for a refusal ("revoked", "unknown_code"...), when it gives one
    std::string detail; // the server's own text, or the transport's error
    std::string error;  // one line for people, in the process language
    bool ok() const { return status == 200; }
    bool retry_later() const { return status == 0 || status >= 500 || status == 429; }
    // No answer at all and not a certificate problem: the network or the server is away.
    bool away() const { return status == 0 && !certificate; }
};

class Client {
public:
    // `url`: http(s)://host:port; `fingerprint`: pinned SHA-256 (https); `token`: device token or empty.
    Client(const std::string& url, std::string fingerprint, std::string token);
    ~Client();
    Reply post(const std::string& path, const nlohmann::json& body);
    // GET /v1/hello: one small request that says whether the server answers at all (any status does).
    Reply hello();
    // Shorter than the defaults (3 s to connect, 60 s to read a large batch): for the probe.
    void set_timeouts(int connect_s, int read_s);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace accueil::sync
