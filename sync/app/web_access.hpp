#pragma once
// Who may see the organisers' web page (issue 11): sessions opened by the password or by a one-time
// link, and the throttle in front of the password. Only hashes of session and link tokens are stored
// (web_sessions, web_links), so a copied database opens nothing and a restart keeps sessions valid
// until they expire.
#include "store.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace accueil::sync::web {

inline constexpr const char* kSessionCookie = "accueil_session";
inline constexpr std::int64_t kSessionMs = 12LL * 3600 * 1000; // the cookie's Max-Age=43200
inline constexpr std::int64_t kDefaultLinkMs = 10LL * 60 * 1000;

// Where sessions, one-time links and the password's hash are kept: in the central store itself (the
// SQLite file's web_sessions and web_links; the same tables in PostgreSQL, schema 2, shared by every
// server in front of it, so a session opened at one is good at the others behind one address). The
// token logic above it (below) is one code for both.
class AccessTable {
public:
    virtual ~AccessTable() = default;
    virtual std::optional<std::string> password_hash() = 0;
    // In one transaction: expired sessions and links purged, then `hash` added to `table`
    // ("web_sessions" or "web_links").
    virtual void add(const char* table, const std::string& hash, std::int64_t now_ms,
                     std::int64_t expires_ms) = 0;
    virtual bool has_session(const std::string& hash, std::int64_t now_ms) = 0;
    virtual void remove_session(const std::string& hash) = 0;
    // Marks an unused, unexpired link used: true for the one call that did.
    virtual bool use_link(const std::string& hash, std::int64_t now_ms) = 0;
    // Around each request: PostgreSQL connects again after a restart; SQLite checks no read outlived it.
    virtual void before_request() {}
    virtual void after_request() {}
    // The command that sets the password, for the page's "no password yet".
    virtual std::string password_command() = 0;
};

// The SQLite central store's tables, on `store` (its own connection or the caller's).
class SqliteAccess final : public AccessTable {
public:
    explicit SqliteAccess(Store& store) : store_(store) {}
    explicit SqliteAccess(Store&& owned) : owned_(std::move(owned)), store_(*owned_) {}
    std::optional<std::string> password_hash() override;
    void add(const char* table, const std::string& hash, std::int64_t now_ms,
             std::int64_t expires_ms) override;
    bool has_session(const std::string& hash, std::int64_t now_ms) override;
    void remove_session(const std::string& hash) override;
    bool use_link(const std::string& hash, std::int64_t now_ms) override;
    void after_request() override;
    std::string password_command() override;

private:
    std::optional<Store> owned_;
    Store& store_;
};

// The PostgreSQL store's tables at `url` (sync/app/web_access_pg.cpp), on a connection of its own.
std::unique_ptr<AccessTable> postgres_access(const std::string& url);

// A new session: its token (64 hex digits, for the cookie); purges expired sessions and links.
std::string open_session(AccessTable& access, std::int64_t now_ms);
bool session_valid(AccessTable& access, const std::string& token, std::int64_t now_ms);
void close_session(AccessTable& access, const std::string& token);

// A one-time login link valid for `valid_ms`: its token, for the URL.
std::string create_link(AccessTable& access, std::int64_t valid_ms, std::int64_t now_ms);
// True once for a link made here, unused and not expired; it cannot be used again afterwards.
bool consume_link(AccessTable& access, const std::string& token, std::int64_t now_ms);

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
