#include "database.hpp"
#include "sync/device_table.hpp"
#include "sync/devices.hpp"

namespace accueil::sync {

namespace {

Device row_device(SQLite::Statement& q) {
    Device d;
    d.name = q.getColumn(0).getString();
    if (!q.getColumn(1).isNull()) {
        const auto b = q.getColumn(1);
        d.origin = origin_from_blob(b.getBlob(), b.getBytes());
    }
    d.enrolled_ms = q.getColumn(2).getInt64();
    if (!q.getColumn(3).isNull())
        d.joined_ms = q.getColumn(3).getInt64();
    if (!q.getColumn(4).isNull())
        d.revoked_ms = q.getColumn(4).getInt64();
    if (!q.getColumn(5).isNull())
        d.last_contact_ms = q.getColumn(5).getInt64();
    d.pending = q.getColumn(6).getInt64();
    d.role = role_from_string(q.getColumn(7).getString()).value_or(Role::Kiosk);
    if (!q.getColumn(8).isNull())
        d.enrol_expires_ms = q.getColumn(8).getInt64();
    return d;
}

constexpr const char* kDeviceColumns =
    "SELECT name, origin, enrolled_ms, joined_ms, revoked_ms, last_contact_ms, "
    "pending, role, enrol_expires_ms FROM sync_devices ";

std::optional<Device> one_device(Store& store, const std::string& where, const std::string& value) {
    SQLite::Statement q(store.db(), std::string(kDeviceColumns) + where);
    q.bind(1, value);
    if (!q.executeStep())
        return std::nullopt;
    return row_device(q);
}

} // namespace

void SqliteDeviceTable::write(const std::function<bool()>& work) {
    WriteTransaction tx(store_.db());
    if (work())
        tx.commit();
}

std::optional<Device> SqliteDeviceTable::find(const std::string& name) {
    return one_device(store_, "WHERE name = ?", name);
}

std::optional<Device> SqliteDeviceTable::by_token_hash(const std::string& hash) {
    return one_device(store_, "WHERE token_hash = ?", hash);
}

std::optional<DeviceTable::Code> SqliteDeviceTable::by_enrol_hash(const std::string& hash) {
    // SQLite's write transaction already keeps every other writer out.
    SQLite::Statement q(store_.db(), "SELECT name, role, enrol_expires_ms FROM sync_devices "
                                     "WHERE enrol_hash = ? AND revoked_ms IS NULL");
    q.bind(1, hash);
    if (!q.executeStep())
        return std::nullopt;
    Code c{q.getColumn(0).getString(), role_from_string(q.getColumn(1).getString()).value_or(Role::Kiosk),
           std::nullopt};
    if (!q.getColumn(2).isNull())
        c.expires_ms = q.getColumn(2).getInt64();
    return c;
}

std::optional<std::string> SqliteDeviceTable::holder_of(const Origin& origin, const std::string& except) {
    SQLite::Statement q(store_.db(), "SELECT name FROM sync_devices WHERE origin = ? AND name <> ?");
    q.bind(1, origin.data(), int(origin.size()));
    q.bind(2, except);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getString();
}

std::vector<Device> SqliteDeviceTable::all() {
    std::vector<Device> out;
    SQLite::Statement q(store_.db(), std::string(kDeviceColumns) + "ORDER BY name");
    while (q.executeStep())
        out.push_back(row_device(q));
    return out;
}

void SqliteDeviceTable::retire(const std::string& name, const std::string& as) {
    SQLite::Statement q(store_.db(),
                        "UPDATE sync_devices SET name = ?1, revoked_ms = coalesce(revoked_ms, ?2), "
                        "enrol_hash = NULL, enrol_expires_ms = NULL WHERE name = ?3");
    q.bind(1, as);
    q.bind(2, now());
    q.bind(3, name);
    q.exec();
}

void SqliteDeviceTable::remove(const std::string& name) {
    SQLite::Statement q(store_.db(), "DELETE FROM sync_devices WHERE name = ?");
    q.bind(1, name);
    q.exec();
}

void SqliteDeviceTable::add_code(const std::string& name, const std::string& hash, Role role,
                                 std::int64_t expires_ms) {
    SQLite::Statement q(store_.db(),
                        "INSERT INTO sync_devices (name, enrol_hash, enrolled_ms, role, enrol_expires_ms) "
                        "VALUES (?, ?, ?, ?, ?)");
    q.bind(1, name);
    q.bind(2, hash);
    q.bind(3, now());
    q.bind(4, to_string(role));
    q.bind(5, expires_ms);
    q.exec();
}

void SqliteDeviceTable::revoke_replaced(const std::string& name, const Origin& moving) {
    SQLite::Statement q(store_.db(),
                        "UPDATE sync_devices SET revoked_ms = coalesce(revoked_ms, ?1), "
                        "enrol_hash = NULL, enrol_expires_ms = NULL, "
                        "origin = CASE WHEN origin = ?2 THEN NULL ELSE origin END WHERE name = ?3");
    q.bind(1, now());
    q.bind(2, moving.data(), int(moving.size()));
    q.bind(3, name);
    q.exec();
}

void SqliteDeviceTable::bind(const std::string& name, const std::string& token_hash, const Origin& origin) {
    SQLite::Statement q(store_.db(),
                        "UPDATE sync_devices SET enrol_hash = NULL, enrol_expires_ms = NULL, token_hash = ?, "
                        "joined_ms = ?, last_contact_ms = ?, origin = ? WHERE name = ?");
    q.bind(1, token_hash);
    q.bind(2, now());
    q.bind(3, now());
    q.bind(4, origin.data(), int(origin.size()));
    q.bind(5, name);
    q.exec();
}

bool SqliteDeviceTable::revoke(const std::string& name) {
    SQLite::Statement q(store_.db(), "UPDATE sync_devices SET revoked_ms = ?, enrol_hash = NULL "
                                     "WHERE name = ? AND revoked_ms IS NULL");
    q.bind(1, now());
    q.bind(2, name);
    return q.exec() == 1;
}

void SqliteDeviceTable::touch(const std::string& name, std::int64_t pending) {
    SQLite::Statement q(store_.db(),
                        "UPDATE sync_devices SET last_contact_ms = ?, pending = ? WHERE name = ?");
    q.bind(1, now());
    q.bind(2, pending);
    q.bind(3, name);
    q.exec();
}

void SqliteDeviceTable::record_peer(const Origin& origin, const Peer& peer) {
    sync::record_peer(store_.db(), origin, peer);
}

void SqliteDeviceTable::add_badge_key(const PublicKey& key, const std::string& label) {
    add_event_key(store_, key, label);
}

} // namespace accueil::sync
