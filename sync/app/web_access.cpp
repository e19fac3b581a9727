#include "web_access.hpp"

#include "database.hpp"
#include "organiser_password.hpp"
#include "sync/devices.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <iostream>

namespace accueil::sync::web {

namespace {
bool is_token(const std::string& token) {
    return token.size() == 64 && std::all_of(token.begin(), token.end(), [](unsigned char c) {
               return std::isdigit(c) || (c >= 'a' && c <= 'f');
           });
}

} // namespace

std::string open_session(AccessTable& access, std::int64_t now_ms) {
    const std::string token = random_secret_hex();
    access.add("web_sessions", secret_hash(token), now_ms, now_ms + kSessionMs);
    return token;
}

bool session_valid(AccessTable& access, const std::string& token, std::int64_t now_ms) {
    return is_token(token) && access.has_session(secret_hash(token), now_ms);
}

void close_session(AccessTable& access, const std::string& token) {
    if (is_token(token))
        access.remove_session(secret_hash(token));
}

std::string create_link(AccessTable& access, std::int64_t valid_ms, std::int64_t now_ms) {
    const std::string token = random_secret_hex();
    access.add("web_links", secret_hash(token), now_ms, now_ms + valid_ms);
    return token;
}

bool consume_link(AccessTable& access, const std::string& token, std::int64_t now_ms) {
    return is_token(token) && access.use_link(secret_hash(token), now_ms);
}

std::optional<std::string> SqliteAccess::password_hash() {
    return store_.meta(kPasswordHashKey);
}

void SqliteAccess::add(const char* table, const std::string& hash, std::int64_t now_ms,
                       std::int64_t expires_ms) {
    WriteTransaction tx(store_.db());
    for (const char* expired :
         {"DELETE FROM web_sessions WHERE expires_ms <= ?", "DELETE FROM web_links WHERE expires_ms <= ?"}) {
        SQLite::Statement s(store_.db(), expired);
        s.bind(1, now_ms);
        s.exec();
    }
    SQLite::Statement q(store_.db(), std::string("INSERT INTO ") + table +
                                         " (token_hash, created_ms, expires_ms) VALUES (?, ?, ?)");
    q.bind(1, hash);
    q.bind(2, now_ms);
    q.bind(3, expires_ms);
    q.exec();
    tx.commit();
}

bool SqliteAccess::has_session(const std::string& hash, std::int64_t now_ms) {
    SQLite::Statement q(store_.db(), "SELECT 1 FROM web_sessions WHERE token_hash = ? AND expires_ms > ?");
    q.bind(1, hash);
    q.bind(2, now_ms);
    const bool found = q.executeStep();
    q.reset();
    return found;
}

void SqliteAccess::remove_session(const std::string& hash) {
    WriteTransaction tx(store_.db());
    SQLite::Statement q(store_.db(), "DELETE FROM web_sessions WHERE token_hash = ?");
    q.bind(1, hash);
    q.exec();
    tx.commit();
}

bool SqliteAccess::use_link(const std::string& hash, std::int64_t now_ms) {
    // One transaction: two phones scanning the same code at once cannot both get in.
    WriteTransaction tx(store_.db());
    SQLite::Statement q(store_.db(), "UPDATE web_links SET used_ms = ? "
                                     "WHERE token_hash = ? AND used_ms IS NULL AND expires_ms > ?");
    q.bind(1, now_ms);
    q.bind(2, hash);
    q.bind(3, now_ms);
    const bool used = q.exec() == 1;
    tx.commit();
    return used;
}

void SqliteAccess::after_request() {
    check_no_open_reads(store_);
}

std::string SqliteAccess::password_command() {
    return "accueil-sync password --db " + store_.path();
}

std::string session_cookie(const std::string& token) {
    return std::string(kSessionCookie) + "=" + token +
           "; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=" + std::to_string(kSessionMs / 1000);
}

std::string cleared_cookie() {
    return std::string(kSessionCookie) + "=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0";
}

std::string cookie_value(const std::string& header, const std::string& name) {
    std::size_t at = 0;
    while (at < header.size()) {
        const auto end = std::min(header.find(';', at), header.size());
        auto begin = header.find_first_not_of(' ', at);
        if (begin < end) {
            const auto eq = header.find('=', begin);
            if (eq < end && header.compare(begin, eq - begin, name) == 0)
                return header.substr(eq + 1, end - eq - 1);
        }
        at = end + 1;
    }
    return "";
}

void check_no_open_reads(Store& store) {
    const auto busy = busy_statements(store.db());
    const bool open_tx = in_transaction(store.db());
    if (busy.empty() && !open_tx)
        return;
    // Logged loudly and undone, so one leak is seen (the tests read this log) without stopping the
    // kiosks.
    std::cerr << "accueil-sync: BUG: a request left " << (open_tx ? "a transaction and " : "") << busy.size()
              << " statement(s) open:";
    for (const auto& sql : busy)
        std::cerr << " [" << sql.substr(0, 120) << "]";
    std::cerr << "\n";
    for (sqlite3_stmt* st = sqlite3_next_stmt(store.db().getHandle(), nullptr); st;
         st = sqlite3_next_stmt(store.db().getHandle(), st))
        sqlite3_reset(st);
    if (open_tx)
        store.db().exec("ROLLBACK");
}

std::optional<std::int64_t> LoginThrottle::locked(const std::string& peer, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    std::int64_t until = overall_.locked_until_ms;
    if (const auto it = by_peer_.find(peer); it != by_peer_.end())
        until = std::max(until, it->second.locked_until_ms);
    if (now_ms < until)
        return until - now_ms;
    return std::nullopt;
}

bool LoginThrottle::begin_check() {
    std::lock_guard lock(mutex_);
    if (checking_ >= kMaxChecks)
        return false;
    ++checking_;
    return true;
}

void LoginThrottle::end_check() {
    std::lock_guard lock(mutex_);
    --checking_;
}

void LoginThrottle::count_wrong(Count& c, int free_attempts, std::int64_t now_ms) {
    ++c.wrong;
    if (const auto ms = growing_lock_ms(c.wrong, free_attempts, kFirstLockMs, kMaxLockMs); ms > 0)
        c.locked_until_ms = now_ms + ms;
}

void LoginThrottle::wrong(const std::string& peer, std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    count_wrong(overall_, kFreeAttemptsOverall, now_ms);
    if (!by_peer_.contains(peer) && by_peer_.size() >= kMaxAddresses) {
        // Bounded memory: addresses no longer locked are forgotten first (the overall count stays).
        std::erase_if(by_peer_, [now_ms](const auto& e) { return e.second.locked_until_ms <= now_ms; });
        if (by_peer_.size() >= kMaxAddresses)
            return;
    }
    count_wrong(by_peer_[peer], kFreeAttempts, now_ms);
}

void LoginThrottle::right(const std::string& peer) {
    std::lock_guard lock(mutex_);
    by_peer_.erase(peer);
    overall_ = {};
}

} // namespace accueil::sync::web
