#include "web_routes.hpp"

#include "errors.hpp"
#include "event_calendar.hpp"
#include "figures.hpp"
#include "i18n/catalogue.hpp"
#include "organiser_password.hpp"
#include "sync/strict_json.hpp"
#include "web_assets.hpp"

#include <SQLiteCpp/Exception.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <string_view>

namespace accueil::sync::web {

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxLoginBody = 4096;
constexpr std::size_t kMaxQueryBytes = 200;
constexpr std::size_t kMaxExpected = 200;

// Every answer of the page's routes: no inline script, nothing from elsewhere, never framed.
void secure(http::Response& res, const char* cache = "no-cache") {
    res.headers.emplace_back("Cache-Control", cache);
    res.headers.emplace_back("Content-Security-Policy",
                             "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                             "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                             "frame-ancestors 'none'");
    res.headers.emplace_back("X-Content-Type-Options", "nosniff");
    res.headers.emplace_back("Referrer-Policy", "no-referrer");
    res.headers.emplace_back("X-Frame-Options", "DENY");
}

http::Response answer(int status, const json& body) {
    http::Response res;
    res.status = status;
    res.body = body.dump();
    secure(res, "no-store");
    return res;
}

http::Response error(int status, const std::string& message) {
    return answer(status, {{"error", message}});
}

std::string content_type(std::string_view path) {
    const auto dot = path.rfind('.');
    const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    if (ext == "html")
        return "text/html; charset=utf-8";
    if (ext == "js" || ext == "mjs")
        return "text/javascript; charset=utf-8";
    if (ext == "css")
        return "text/css; charset=utf-8";
    if (ext == "json")
        return "application/json";
    if (ext == "webmanifest")
        return "application/manifest+json";
    if (ext == "svg")
        return "image/svg+xml";
    if (ext == "png")
        return "image/png";
    if (ext == "ico")
        return "image/x-icon";
    if (ext == "woff2")
        return "font/woff2";
    if (ext == "txt")
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

// The page a used, expired or unknown login link leads to, in the language the browser asks for first
// (a phone set to French sends "fr-FR,fr;q=0.9,..."), English otherwise.
http::Response link_refused(const http::Request& req) {
    const i18n::Lang lang =
        req.get_header_value("Accept-Language").starts_with("fr") ? i18n::Lang::Fr : i18n::Lang::En;
    const auto& words = i18n::Catalogue::builtin();
    http::Response res;
    res.status = 401;
    res.content_type = "text/html; charset=utf-8";
    res.body = std::string("<!doctype html><html lang=\"") + i18n::lang_code(lang) +
               "\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
               words.get(lang, "central.link.expired_title") + "</title></head><body><h1>" +
               words.get(lang, "central.link.expired_title") + "</h1><p>" +
               words.get(lang, "central.link.expired_ask") + " <a href=\"/\">" +
               words.get(lang, "central.link.expired_login") + "</a>.</p></body></html>";
    secure(res, "no-store");
    return res;
}

// The store failing (SQLite: disk, I/O; PostgreSQL: down, restarting): nothing changed, retry.
http::Response unavailable(const std::exception& e) {
    if (dynamic_cast<const SQLite::Exception*>(&e) || dynamic_cast<const StoreError*>(&e))
        return error(503, std::string("central database unavailable (") + e.what() + "); retry later");
    return error(500, std::string("internal error: ") + e.what());
}

std::string session_of(const http::Request& req) {
    return cookie_value(req.get_header_value("Cookie"), kSessionCookie);
}

// The ?day= argument: a date, or "" (today). Nothing when malformed.
std::optional<std::string> day_argument(const http::Request& req) {
    const std::string day = req.query_value("day");
    if (!day.empty() && !is_valid_date(day))
        return std::nullopt;
    return day;
}

} // namespace

WebService::WebService(const std::string& page_db, std::unique_ptr<AccessTable> access,
                       std::function<std::int64_t()> now, FiguresHub& hub)
    : now_(std::move(now)), hub_(hub), store_(Store::open(page_db, now_)), access_(std::move(access)) {}

template <class Work> auto WebService::with_access(Work work) {
    std::lock_guard lock(mutex_);
    struct After {
        AccessTable& access;
        ~After() {
            try {
                access.after_request();
            } catch (const std::exception& e) {
                std::cerr << "accueil-sync: " << e.what() << "\n";
            }
        }
    } after{*access_};
    access_->before_request();
    return work(*access_);
}

void WebService::install(http::Server& server) {
    for (const auto& asset : web_assets()) {
        const auto handler = [&asset](const http::Request&) {
            http::Response res;
            res.content_type = content_type(asset.path);
            res.body = std::string(asset.data);
            secure(res);
            return res;
        };
        server.route("GET", "/" + std::string(asset.path), handler);
        if (asset.path == "index.html")
            server.route("GET", "/", handler);
    }
    server.route("POST", "/api/login", [this](const http::Request& r) { return login(r); });
    server.route("POST", "/api/logout", [this](const http::Request& r) { return logout(r); });
    server.route("GET", "/login/link", [this](const http::Request& r) { return link(r); });
    server.route("GET", "/api/figures", [this](const http::Request& r) { return figures(r); });
    server.route("GET", "/api/expected", [this](const http::Request& r) { return expected(r); });
    server.route("GET", "/api/stream", [this](const http::Request& r) { return stream(r); });
}

http::Response WebService::login(const http::Request& req) {
    // The body is checked first: a malformed one is refused whatever the throttle says, and costs nothing.
    if (req.body.size() > kMaxLoginBody)
        return error(400, "the login request is too large / requête de connexion trop grande");
    std::string why;
    const auto body = parse_strict_json(req.body, {kMaxLoginBody, 2}, why);
    if (!body || !body->is_object() || body->size() != 1 || !body->contains("password") ||
        !(*body)["password"].is_string())
        return error(400, "expected {\"password\": \"...\"} / attendu {\"password\": \"...\"}");
    const std::string password = (*body)["password"].get<std::string>();

    const std::int64_t now = now_();
    const auto locked_ms = throttle_.locked(req.peer, now);
    const auto too_many = [](std::int64_t wait_ms) {
        const std::int64_t seconds = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
        auto res = answer(
            429, {{"error", "too many attempts, retry in " + std::to_string(seconds) +
                                " s / trop d'essais, réessayez dans " + std::to_string(seconds) + " s"},
                  {"retry_after_s", seconds}});
        res.headers.emplace_back("Retry-After", std::to_string(seconds));
        return res;
    };
    if (locked_ms)
        return too_many(*locked_ms);

    std::optional<std::string> hash;
    std::string command;
    try {
        hash = with_access([&](AccessTable& a) {
            command = a.password_command();
            return a.password_hash();
        });
    } catch (const std::exception& e) {
        return unavailable(e);
    }
    if (!hash)
        return error(503, "no organiser password yet: run `" + command +
                              "` / pas encore de mot de passe : lancez `accueil-sync password`");
    if (!throttle_.begin_check())
        return too_many(1000); // a flood: answered at once, the slow checks stay bounded
    bool right = false;
    try {
        right = password.size() <= kPasswordMaxBytes && argon2id_verify(*hash, password);
    } catch (...) {
        throttle_.end_check();
        throw;
    }
    throttle_.end_check();
    if (!right) {
        throttle_.wrong(req.peer, now);
        return error(401, "wrong password / mot de passe incorrect");
    }
    throttle_.right(req.peer);
    std::string token;
    try {
        token = with_access([&](AccessTable& a) { return open_session(a, now); });
    } catch (const std::exception& e) {
        return unavailable(e);
    }
    auto res = answer(200, {{"ok", true}});
    res.headers.emplace_back("Set-Cookie", session_cookie(token));
    return res;
}

http::Response WebService::logout(const http::Request& req) {
    try {
        with_access([&](AccessTable& a) { close_session(a, session_of(req)); });
    } catch (const std::exception& e) {
        return unavailable(e);
    }
    auto res = answer(200, {{"ok", true}});
    res.headers.emplace_back("Set-Cookie", cleared_cookie());
    return res;
}

http::Response WebService::link(const http::Request& req) {
    const std::int64_t now = now_();
    std::string token;
    try {
        token = with_access([&](AccessTable& a) {
            return consume_link(a, req.query_value("t"), now) ? open_session(a, now) : std::string();
        });
    } catch (const std::exception& e) {
        return unavailable(e);
    }
    if (token.empty())
        return link_refused(req);
    http::Response res;
    res.status = 303;
    res.content_type = "text/plain; charset=utf-8";
    res.body = "/";
    res.headers.emplace_back("Location", "/");
    res.headers.emplace_back("Set-Cookie", session_cookie(token));
    secure(res, "no-store");
    return res;
}

http::Response WebService::with_session(const http::Request& req,
                                        const std::function<http::Response()>& work) {
    http::Response res;
    try {
        res = with_access([&](AccessTable& a) {
            // The page's reads too: none may outlive its request.
            struct Check {
                Store& page;
                ~Check() {
                    try {
                        check_no_open_reads(page);
                    } catch (const std::exception& e) {
                        std::cerr << "accueil-sync: " << e.what() << "\n";
                    }
                }
            } check{store_};
            return session_valid(a, session_of(req), now_())
                       ? work()
                       : error(401, "not logged in / non connecté: POST /api/login or `accueil-sync link`");
        });
    } catch (const std::exception& e) {
        res = unavailable(e);
    }
    return res;
}

http::Response WebService::figures(const http::Request& req) {
    const auto day = day_argument(req);
    if (!day)
        return error(400, "day must be YYYY-MM-DD / day doit être AAAA-MM-JJ");
    return with_session(req, [&] {
        FiguresOptions options;
        options.now_ms = now_();
        options.day = *day;
        return answer(200, to_json(compute_figures(store_, options)));
    });
}

http::Response WebService::expected(const http::Request& req) {
    const auto day = day_argument(req);
    if (!day)
        return error(400, "day must be YYYY-MM-DD / day doit être AAAA-MM-JJ");
    const std::string query = req.query_value("q");
    if (query.size() > kMaxQueryBytes)
        return error(400, "the search text is too long / texte de recherche trop long");
    std::size_t limit = 50;
    if (const auto text = req.query_value("limit"); !text.empty()) {
        if (text.size() > 3 ||
            !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            std::stoul(text) < 1 || std::stoul(text) > kMaxExpected)
            return error(400, "limit must be 1 to 200 / limit doit être entre 1 et 200");
        limit = std::stoul(text);
    }
    return with_session(req, [&] {
        const std::string which = day->empty() ? local_day(now_(), store_.event().timezone) : *day;
        return answer(200, to_json(expected_not_arrived(store_, which, query, limit)));
    });
}

http::Response WebService::stream(const http::Request& req) {
    auto res = with_session(req, [&] {
        FiguresOptions options;
        options.now_ms = now_();
        http::Response r;
        r.content_type = "text/event-stream; charset=utf-8";
        // The figures at once, then whatever the hub pushes; the browser's EventSource reconnects.
        r.body = "retry: 2000\n\n" + figures_event(to_json(compute_figures(store_, options)).dump());
        secure(r, "no-store");
        r.stream = std::make_shared<http::Stream>();
        return r;
    });
    if (res.stream)
        hub_.add(res.stream);
    return res;
}

} // namespace accueil::sync::web
