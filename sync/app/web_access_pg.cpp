// Sessions, one-time links and the password's hash of the organisers' page on a PostgreSQL store
// (sync/app/web_access.hpp): the tables every server in front of the database shares.
#include "organiser_password.hpp"
#include "pg_central.hpp"
#include "server.hpp"
#include "web_access.hpp"

namespace accueil::sync::web {

namespace {

class PostgresAccess final : public AccessTable {
public:
    explicit PostgresAccess(pg::PgCentral central) : central_(std::move(central)) {}

    std::optional<std::string> password_hash() override { return central_.meta(kPasswordHashKey); }

    void add(const char* table, const std::string& hash, std::int64_t now_ms,
             std::int64_t expires_ms) override {
        auto& c = central_.connection();
        pg::Transaction tx(c);
        const std::string now = std::to_string(now_ms);
        c.exec("DELETE FROM web_sessions WHERE expires_ms <= $1", {now});
        c.exec("DELETE FROM web_links WHERE expires_ms <= $1", {now});
        c.exec(std::string("INSERT INTO ") + table +
                   " (token_hash, created_ms, expires_ms) VALUES ($1, $2, $3)",
               {hash, now, std::to_string(expires_ms)});
        tx.commit();
    }

    bool has_session(const std::string& hash, std::int64_t now_ms) override {
        return central_.connection()
                   .exec("SELECT 1 FROM web_sessions WHERE token_hash = $1 AND expires_ms > $2",
                         {hash, std::to_string(now_ms)})
                   .rows() == 1;
    }

    void remove_session(const std::string& hash) override {
        central_.connection().exec("DELETE FROM web_sessions WHERE token_hash = $1", {hash});
    }

    bool use_link(const std::string& hash, std::int64_t now_ms) override {
        // One statement: of two servers taking the same link at once, one updates the row, the other
        // waits for its row lock and then finds it used.
        const std::string now = std::to_string(now_ms);
        return central_.connection()
                   .exec("UPDATE web_links SET used_ms = $1 "
                         "WHERE token_hash = $2 AND used_ms IS NULL AND expires_ms > $1",
                         {now, hash})
                   .affected() == 1;
    }

    void before_request() override { central_.reconnect_if_lost(); }

    std::string password_command() override {
        return "accueil-sync password --store " + central_.connection().url();
    }

private:
    pg::PgCentral central_;
};

} // namespace

std::unique_ptr<AccessTable> postgres_access(const std::string& url) {
    return std::make_unique<PostgresAccess>(pg::PgCentral::open(url, sync_wall_ms));
}

} // namespace accueil::sync::web
