#include "pg_devices.hpp"

#include <nlohmann/json.hpp>

namespace accueil::pg {

namespace {
std::string now_text(PgCentral& c) {
    return std::to_string(c.wall_ms());
}
} // namespace

void PgDeviceTable::write(const std::function<bool()>& work) {
    Transaction tx(conn_);
    if (work())
        tx.commit();
}

std::vector<sync::Device> PgDeviceTable::select(const std::string& where, const std::vector<Param>& params) {
    const auto r =
        conn_.exec("SELECT name, coalesce(encode(origin, 'hex'), ''), enrolled_ms, joined_ms, revoked_ms, "
                   "last_contact_ms, pending, role, enrol_expires_ms FROM sync_devices " +
                       where,
                   params);
    const auto maybe = [&r](int row, int col) {
        return r.null(row, col) ? std::nullopt : std::optional<std::int64_t>(r.int64(row, col));
    };
    std::vector<sync::Device> out;
    for (int i = 0; i < r.rows(); ++i) {
        sync::Device d;
        d.name = r.text(i, 0);
        d.origin = origin_from_hex(r.text(i, 1));
        d.enrolled_ms = r.int64(i, 2);
        d.joined_ms = maybe(i, 3);
        d.revoked_ms = maybe(i, 4);
        d.last_contact_ms = maybe(i, 5);
        d.pending = r.int64(i, 6);
        d.role = sync::role_from_string(r.text(i, 7)).value_or(sync::Role::Kiosk);
        d.enrol_expires_ms = maybe(i, 8);
        out.push_back(std::move(d));
    }
    return out;
}

std::optional<sync::Device> PgDeviceTable::find(const std::string& name) {
    auto found = select("WHERE name = $1", {name});
    return found.empty() ? std::nullopt : std::optional(std::move(found.front()));
}

std::optional<sync::Device> PgDeviceTable::by_token_hash(const std::string& hash) {
    auto found = select("WHERE token_hash = $1", {hash});
    return found.empty() ? std::nullopt : std::optional(std::move(found.front()));
}

std::optional<sync::DeviceTable::Code> PgDeviceTable::by_enrol_hash(const std::string& hash) {
    // FOR UPDATE: a second server trading the same code waits, then finds it used.
    const auto r = conn_.exec("SELECT name, role, enrol_expires_ms FROM sync_devices WHERE enrol_hash = $1 "
                              "AND revoked_ms IS NULL FOR UPDATE",
                              {hash});
    if (!r.rows())
        return std::nullopt;
    Code c{r.text(0, 0), sync::role_from_string(r.text(0, 1)).value_or(sync::Role::Kiosk), std::nullopt};
    if (!r.null(0, 2))
        c.expires_ms = r.int64(0, 2);
    return c;
}

std::optional<std::string> PgDeviceTable::holder_of(const Origin& origin, const std::string& except) {
    const auto r =
        conn_.exec("SELECT name FROM sync_devices WHERE origin = decode($1, 'hex') AND name <> $2 LIMIT 1",
                   {to_hex(origin), except});
    return r.rows() ? std::optional(r.text(0, 0)) : std::nullopt;
}

std::vector<sync::Device> PgDeviceTable::all() {
    return select("ORDER BY name", {});
}

void PgDeviceTable::retire(const std::string& name, const std::string& as) {
    conn_.exec("UPDATE sync_devices SET name = $1, revoked_ms = coalesce(revoked_ms, $2), enrol_hash = NULL, "
               "enrol_expires_ms = NULL WHERE name = $3",
               {as, now_text(central_), name});
}

void PgDeviceTable::remove(const std::string& name) {
    conn_.exec("DELETE FROM sync_devices WHERE name = $1", {name});
}

void PgDeviceTable::add_code(const std::string& name, const std::string& hash, sync::Role role,
                             std::int64_t expires_ms) {
    conn_.exec("INSERT INTO sync_devices (name, enrol_hash, enrolled_ms, role, enrol_expires_ms) "
               "VALUES ($1, $2, $3, $4, $5)",
               {name, hash, now_text(central_), sync::to_string(role), std::to_string(expires_ms)});
}

void PgDeviceTable::revoke_replaced(const std::string& name, const Origin& moving) {
    conn_.exec("UPDATE sync_devices SET revoked_ms = coalesce(revoked_ms, $1), enrol_hash = NULL, "
               "enrol_expires_ms = NULL, origin = CASE WHEN origin = decode($2, 'hex') THEN NULL ELSE "
               "origin END WHERE name = $3",
               {now_text(central_), to_hex(moving), name});
}

void PgDeviceTable::bind(const std::string& name, const std::string& token_hash, const Origin& origin) {
    const auto now = now_text(central_);
    conn_.exec("UPDATE sync_devices SET enrol_hash = NULL, enrol_expires_ms = NULL, token_hash = $1, "
               "joined_ms = $2, last_contact_ms = $2, origin = decode($3, 'hex') WHERE name = $4",
               {token_hash, now, to_hex(origin), name});
}

bool PgDeviceTable::revoke(const std::string& name) {
    return central_.revoke(name);
}

void PgDeviceTable::touch(const std::string& name, std::int64_t pending) {
    conn_.exec("UPDATE sync_devices SET last_contact_ms = $1, pending = $2 WHERE name = $3",
               {now_text(central_), std::to_string(pending), name});
}

void PgDeviceTable::record_peer(const Origin& origin, const sync::Peer& peer) {
    conn_.exec("INSERT INTO sync_peers (origin, role, name, device_key) VALUES (decode($1, 'hex'), $2, $3, "
               "decode($4, 'hex')) ON CONFLICT (origin) DO UPDATE SET role = excluded.role, name = "
               "excluded.name, device_key = coalesce(excluded.device_key, sync_peers.device_key)",
               {to_hex(origin), sync::to_string(peer.role), peer.name,
                peer.key ? Param(to_hex(*peer.key)) : std::nullopt});
}

void PgDeviceTable::add_badge_key(const PublicKey& key, const std::string& label) {
    // As add_event_key on SQLite (shared/badge/event_keys.cpp): once per key, journalled.
    if (conn_.exec("SELECT 1 FROM event_keys WHERE public_key = decode($1, 'hex')", {to_hex(key)}).rows())
        return;
    const auto at = central_.wall_ms();
    central_.append_own(EventKind::KeyAdded, "key",
                        nlohmann::json{{"public_key", to_hex(key)}, {"label", label}, {"at", at}}.dump());
    conn_.exec("INSERT INTO event_keys (public_key, label, added_ms) VALUES (decode($1, 'hex'), $2, $3) "
               "ON CONFLICT DO NOTHING",
               {to_hex(key), label, std::to_string(at)});
}

} // namespace accueil::pg
