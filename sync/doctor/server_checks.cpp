// CPPHTTPLIB_OPENSSL_SUPPORT comes from sync/CMakeLists.txt (it must precede httplib.h).
#include "server_checks.hpp"

#include "i18n/catalogue.hpp"
#include "sync/protocol.hpp"
#include "tls.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <ctime>
#include <memory>

namespace accueil::doctor {

using i18n::tr;

namespace {

struct Answer {
    httplib::Result result;
    std::int64_t local_ms = 0; // our clock halfway through the request
};

// One GET /v1/hello; `fingerprint` empty: no certificate check at all (only to tell an impostor from
// a server that does not answer).
Answer hello(const sync::EnrolmentCode& u, const std::string* fingerprint, std::chrono::milliseconds limit) {
    std::unique_ptr<httplib::ClientImpl> http;
    if (u.scheme == "https") {
        auto ssl = std::make_unique<httplib::SSLClient>(u.host, u.port);
        ssl->enable_server_certificate_verification(false);
        if (fingerprint)
            sync::pin_certificate(ssl->ssl_context(), fingerprint); // exactly as the agent's client
        http = std::move(ssl);
    } else {
        http = std::make_unique<httplib::ClientImpl>(u.host, u.port);
    }
    const auto seconds = limit.count() / 1000, micros = (limit.count() % 1000) * 1000;
    http->set_connection_timeout(seconds, micros);
    http->set_read_timeout(seconds, micros);
    http->set_write_timeout(seconds, micros);
    const std::int64_t before = local_wall_ms();
    Answer a{http->Get("/v1/hello"), 0};
    a.local_ms = (before + local_wall_ms()) / 2;
    return a;
}

bool is_accueil_hello(const httplib::Result& r) {
    if (!r || r->status != 200)
        return false;
    const auto j = nlohmann::json::parse(r->body, nullptr, false);
    return j.is_object() && j.value("service", "") == "accueil-sync";
}

std::string failure_detail(const httplib::Result& r) {
    if (!r)
        return httplib::to_string(r.error());
    return "HTTP " + std::to_string(r->status);
}

} // namespace

std::int64_t local_wall_ms() {
    const char* v = std::getenv("ACCUEIL_FAKE_CLOCK_OFFSET_MS");
    const std::int64_t offset = v ? std::strtoll(v, nullptr, 10) : 0;
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count() +
           offset;
}

std::optional<std::int64_t> parse_http_date(const std::string& text) {
    std::tm tm{};
    const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0')
        return std::nullopt;
    const std::time_t t = ::timegm(&tm);
    if (t == std::time_t(-1))
        return std::nullopt;
    return std::int64_t(t) * 1000;
}

Check clock_check(std::int64_t server_minus_local_ms) {
    const std::int64_t apart = server_minus_local_ms < 0 ? -server_minus_local_ms : server_minus_local_ms;
    // The Date header has whole seconds: within a second is as close as it can tell.
    if (apart <= std::chrono::duration_cast<std::chrono::milliseconds>(kClockTolerance).count())
        return {Outcome::Ok, tr("doctor.clock.ok", {{"seconds", std::to_string((apart + 999) / 1000)}})};
    const std::int64_t minutes = (apart + 30'000) / 60'000;
    const i18n::Args args{{"minutes", std::to_string(minutes)},
                          {"tolerance", std::to_string(kClockTolerance.count())}};
    // Server ahead of us: this device is behind.
    return {Outcome::Problem,
            tr(server_minus_local_ms > 0 ? "doctor.clock.behind" : "doctor.clock.ahead", args)};
}

ServerChecks server_not_joined() {
    return {{Outcome::NotChecked, tr("doctor.server.not_joined")},
            {Outcome::NotChecked, tr("doctor.cert.not_joined")},
            {Outcome::NotChecked, tr("doctor.clock.not_joined")}};
}

ServerChecks check_server(const std::string& url, const std::string& fingerprint, const std::string& db_path,
                          std::chrono::milliseconds limit) {
    ServerChecks out;
    const i18n::Args where{{"server", url}, {"path", db_path}};
    const auto u = sync::parse_server_url(url);
    if (!u) {
        out.server = {Outcome::Problem, tr("doctor.server.bad_address", where)};
        out.certificate = {Outcome::NotChecked, tr("doctor.cert.not_checked_server")};
        out.clock = {Outcome::NotChecked, tr("doctor.clock.not_checked_server")};
        return out;
    }
    const bool tls = u->scheme == "https";
    if (tls && fingerprint.size() != 64) {
        out.server = {Outcome::NotChecked, tr("doctor.server.not_checked_pin")};
        out.certificate = {Outcome::Problem, tr("doctor.cert.no_pin", where)};
        out.clock = {Outcome::NotChecked, tr("doctor.clock.not_checked_server")};
        return out;
    }
    const Answer pinned = hello(*u, &fingerprint, limit);
    if (!pinned.result && tls) {
        // The pinned handshake failed: an accueil server that answers without the pin is another one.
        const Answer open = hello(*u, nullptr, limit);
        if (is_accueil_hello(open.result)) {
            out.server = {Outcome::Ok, tr("doctor.server.ok", where)};
            out.certificate = {Outcome::Problem, tr("doctor.cert.mismatch", where)};
            out.clock = {Outcome::NotChecked, tr("doctor.clock.not_checked_certificate")};
            return out;
        }
    }
    if (!is_accueil_hello(pinned.result)) {
        const i18n::Args args{{"server", url}, {"detail", failure_detail(pinned.result)}};
        out.server = {Outcome::Problem,
                      tr(pinned.result ? "doctor.server.not_accueil" : "doctor.server.unreachable", args)};
        out.certificate = {Outcome::NotChecked, tr("doctor.cert.not_checked_server")};
        out.clock = {Outcome::NotChecked, tr("doctor.clock.not_checked_server")};
        return out;
    }
    out.server = {Outcome::Ok, tr("doctor.server.ok", where)};
    out.certificate = tls ? Check{Outcome::Ok, tr("doctor.cert.ok")}
                          : Check{Outcome::Warning, tr("doctor.cert.plain_http", where)};
    const auto date = parse_http_date(pinned.result->get_header_value("Date"));
    out.clock =
        date ? clock_check(*date - pinned.local_ms) : Check{Outcome::Warning, tr("doctor.clock.no_date")};
    return out;
}

} // namespace accueil::doctor
