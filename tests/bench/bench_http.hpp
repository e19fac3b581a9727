#pragma once
// A kiosk's push as the benches send it to a real `accueil-sync serve`: one POST on a kept-alive
// connection (tests/support/sockets.hpp), read to the end of its answer.
#include "support/sockets.hpp"
#include "sync/protocol.hpp"

#include <string>

#include <sys/socket.h>

namespace accueil::bench {

// The status of the answer (0 when none came).
inline int post(const test::Socket& s, const std::string& path, const std::string& body,
                const std::string& token) {
    const std::string req =
        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + sync::kProtocolHeader + ": " +
        std::to_string(sync::kProtocolVersion) + "\r\nAuthorization: Bearer " + token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
        body;
    if (!s.send_all(req))
        return 0;
    std::string in;
    char buf[16384];
    std::size_t header_end = std::string::npos, length = 0;
    for (;;) {
        if (header_end == std::string::npos && (header_end = in.find("\r\n\r\n")) != std::string::npos) {
            const auto at = in.find("Content-Length: ");
            length = at == std::string::npos ? 0 : std::stoul(in.substr(at + 16));
        }
        if (header_end != std::string::npos && in.size() >= header_end + 4 + length)
            break;
        const auto n = ::recv(s.fd(), buf, sizeof buf, 0);
        if (n <= 0)
            return 0;
        in.append(buf, std::size_t(n));
    }
    return in.size() >= 12 ? std::stoi(in.substr(9, 3)) : 0;
}

} // namespace accueil::bench
