// CPPHTTPLIB_OPENSSL_SUPPORT comes from sync/CMakeLists.txt (it must precede httplib.h).
#include "client.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
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
        throw InputError("", i18n::tr("agent.error.bad_address", {{"address", url}}));
    impl_->fingerprint = std::move(fingerprint);
    impl_->token = std::move(token);
    if (u->scheme == "https") {
        if (impl_->fingerprint.size() != 64)
            throw InputError("", i18n::tr("agent.error.no_pinned_certificate", {{"server", url}}));
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

void Client::set_timeouts(int connect_s, int read_s) {
    impl_->http->set_connection_timeout(connect_s, 0);
    impl_->http->set_read_timeout(read_s, 0);
    impl_->http->set_write_timeout(read_s, 0);
}

namespace {

Reply to_reply(const httplib::Result& res) {
    Reply r;
    if (!res) {
        const auto err = res.error();
        r.detail = httplib::to_string(err);
        r.certificate = err == httplib::Error::SSLServerVerification || err == httplib::Error::SSLConnection;
        r.error = i18n::tr(r.certificate ? "agent.error.certificate" : "agent.error.unreachable",
                           {{"detail", r.detail}});
        return r;
    }
    r.status = res->status;
    r.body = nlohmann::json::parse(res->body, nullptr, false);
    if (!r.body.is_object())
        r.body = nlohmann::json::object();
    if (!r.ok()) {
        const auto text = [&](const char* key) {
            return r.body.contains(key) && r.body[key].is_string() ? r.body[key].get<std::string>()
                                                                   : std::string();
        };
        r.reason = text("reason");
        r.detail = text("error");
        const std::string status = std::to_string(r.status);
        const std::string detail = r.detail.empty() ? status : status + ": " + r.detail;
        if (r.reason == "revoked")
            r.error = i18n::tr("agent.error.revoked", {{"detail", detail}});
        else if (r.reason == "unknown_token")
            r.error = i18n::tr("agent.error.unknown_token", {{"detail", detail}});
        else if (r.retry_later())
            r.error = i18n::tr("agent.error.server_busy", {{"detail", detail}});
        else
            r.error = i18n::tr("agent.error.refused", {{"detail", detail}});
    }
    return r;
}

} // namespace

Reply Client::post(const std::string& path, const nlohmann::json& body) {
    httplib::Headers headers = {{kProtocolHeader, std::to_string(kProtocolVersion)}};
    if (!impl_->token.empty())
        headers.emplace("Authorization", "Bearer " + impl_->token);
    return to_reply(impl_->http->Post(path.c_str(), headers, body.dump(), "application/json"));
}

Reply Client::hello() {
    return to_reply(impl_->http->Get("/v1/hello", {{kProtocolHeader, std::to_string(kProtocolVersion)}}));
}

} // namespace accueil::sync
