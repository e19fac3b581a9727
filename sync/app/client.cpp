// CPPHTTPLIB_OPENSSL_SUPPORT comes from sync/CMakeLists.txt (it must precede httplib.h).
#include "client.hpp"

#include "errors.hpp"
#include "tls.hpp"

#include <httplib.h>

namespace accueil::sync {

struct Client::Impl {
    std::string fingerprint;
    std::string token;
    std::unique_ptr<httplib::ClientImpl> http;
};

Client::Client(const std::string& url, std::string fingerprint, std::string token)
    : impl_(std::make_unique<Impl>()) {
    const auto u = parse_server_url(url);
    if (!u)
        throw InputError("", "\"" + url + "\" is not a server address (http(s)://host:port)");
    impl_->fingerprint = std::move(fingerprint);
    impl_->token = std::move(token);
    if (u->scheme == "https") {
        if (impl_->fingerprint.size() != 64)
            throw InputError("", "no pinned certificate for " + url + "; join the server again");
        auto ssl = std::make_unique<httplib::SSLClient>(u->host, u->port);
        // httplib's CA check is replaced by the pin: the only certificate accepted is the enrolled one.
        ssl->enable_server_certificate_verification(false);
        pin_certificate(ssl->ssl_context(), &impl_->fingerprint);
        impl_->http = std::move(ssl);
    } else {
        impl_->http = std::make_unique<httplib::ClientImpl>(u->host, u->port);
    }
    impl_->http->set_connection_timeout(3, 0);
    impl_->http->set_read_timeout(60, 0);
    impl_->http->set_write_timeout(60, 0);
    impl_->http->set_keep_alive(true);
}

Client::~Client() = default;

Reply Client::post(const std::string& path, const nlohmann::json& body) {
    httplib::Headers headers = {{kProtocolHeader, std::to_string(kProtocolVersion)}};
    if (!impl_->token.empty())
        headers.emplace("Authorization", "Bearer " + impl_->token);
    Reply r;
    auto res = impl_->http->Post(path.c_str(), headers, body.dump(), "application/json");
    if (!res) {
        const auto err = res.error();
        r.error = err == httplib::Error::SSLServerVerification || err == httplib::Error::SSLConnection
                      ? "the server's certificate is not the enrolled one (or TLS failed): " +
                            httplib::to_string(err)
                      : "server unreachable: " + httplib::to_string(err);
        return r;
    }
    r.status = res->status;
    r.body = nlohmann::json::parse(res->body, nullptr, false);
    if (r.body.is_discarded())
        r.body = nlohmann::json::object();
    if (!r.ok())
        r.error = "server answered " + std::to_string(r.status) +
                  (r.body.is_object() && r.body.contains("error") && r.body["error"].is_string()
                       ? ": " + r.body["error"].get<std::string>()
                       : std::string());
    return r;
}

} // namespace accueil::sync
