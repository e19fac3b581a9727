#pragma once
// Who may see the organisers' web page (issue 11): sessions opened by the password or by a one-time
// link, and the throttle in front of the password. Only hashes of session and link tokens are stored
// (schema 7: web_sessions, web_links), so a copied database opens nothing and a restart keeps
// sessions valid until they expire.
#include "store.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace accueil::sync::web {

inline constexpr const char* kSessionCookie = "accueil_session";
inline constexpr std::int64_t kSessionMs = 12LL * 3600 * 1000; // the cookie's Max-Age=43200
inline constexpr std::int64_t kDefaultLinkMs = 10LL * 60 * 1000;

// A new session: its token (64 hex digits, for the cookie); purges expired sessions and links.
std::string open_session(Store& store, std::int64_t now_ms);
bool session_valid(Store& store, const std::string& token, std::int64_t now_ms);
void close_session(Store& store, const std::string& token);

// A one-time login link valid for `valid_ms`: its token, for the URL.
std::string create_link(Store& store, std::int64_t valid_ms, std::int64_t now_ms);
// True once for a link made here, unused and not expired; it cannot be used again afterwards.
bool consume_link(Store& store, const std::string& token, std::int64_t now_ms);

// Set-Cookie values: a session, and the one that clears it.
std::string session_cookie(const std::string& token);
std::string cleared_cookie();
// The value of cookie `name` in a Cookie header ("" when absent).
std::string cookie_value(const std::string& header, const std::string& name);

// Run after every request on each of the server's connections (kiosk and web routes alike): no
// statement may hold a read snapshot past its request, or the connection's next write fails with
// "database is locked" as soon as another process (enroll, merge) wrote.
void check_no_open_reads(Store& store);

// Wrong passwords, per client address and overall, kept in memory: from the 5th wrong attempt in a
// row an address is locked out for 30 s, doubling up to 10 min (as the organiser PIN,
// shared/organiser_pin.hpp); all addresses together get 50 free attempts. At most kMaxChecks
// Argon2id checks run at once: more get "retry in a second" at once instead of queueing.
class LoginThrottle {
public:
    static constexpr int kFreeAttempts = 5;
    static constexpr int kFreeAttemptsOverall = 50;
    static constexpr std::int64_t kFirstLockMs = 30'000;
    static constexpr std::int64_t kMaxLockMs = 600'000;
    static constexpr int kMaxChecks = 2;
    static constexpr std::size_t kMaxAddresses = 4096;

    // Nothing when `peer` may try now; else how long it must wait (ms).
    std::optional<std::int64_t> locked(const std::string& peer, std::int64_t now_ms);
    // A slot for one slow check (false: all busy); end_check() gives it back.
    bool begin_check();
    void end_check();
    void wrong(const std::string& peer, std::int64_t now_ms);
    void right(const std::string& peer);

private:
    struct Count {
        int wrong = 0;
        std::int64_t locked_until_ms = 0;
    };
    void count_wrong(Count& c, int free_attempts, std::int64_t now_ms);

    std::mutex mutex_;
    std::map<std::string, Count> by_peer_;
    Count overall_;
    int checking_ = 0;
};

} // namespace accueil::sync::web
