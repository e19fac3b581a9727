#include "sync/devices.hpp"

#include "database.hpp"
#include "errors.hpp"

#include <sodium.h>

#include <filesystem>

namespace accueil::sync {

namespace {
void ensure_sodium() {
    if (sodium_init() < 0)
        throw StoreError("libsodium could not start");
}

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
} // namespace

std::string random_secret_hex() {
    ensure_sodium();
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    return to_hex(b, sizeof b);
}

std::string secret_hash(const std::string& secret) {
    ensure_sodium();
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       nullptr, 0);
    return to_hex(out, sizeof out);
}

std::string enrol_device(Store& store, const std::string& name, Role role, std::int64_t valid_ms) {
    if (name.empty() || name.size() > 100)
        throw InputError("", "a device needs a name of 1 to 100 characters");
    if (role == Role::Central)
        throw InputError("--role",
                         "a device is a kiosk or a desk; the central role is the organisers' store");
    if (valid_ms <= 0)
        throw InputError("--valid", "the code must be valid for some time (e.g. 2h, 24h)");
    const std::string secret = random_secret_hex();
    WriteTransaction tx(store.db());
    SQLite::Statement q(
        store.db(), "INSERT INTO sync_devices (name, enrol_hash, enrolled_ms, role, enrol_expires_ms) "
                    "VALUES (?1, ?2, ?3, ?4, ?3 + ?5) "
                    "ON CONFLICT (name) DO UPDATE SET enrol_hash = excluded.enrol_hash, "
                    "enrolled_ms = excluded.enrolled_ms, token_hash = NULL, joined_ms = NULL, "
                    "revoked_ms = NULL, role = excluded.role, enrol_expires_ms = excluded.enrol_expires_ms");
    q.bind(1, name);
    q.bind(2, secret_hash(secret));
    q.bind(3, store.wall_ms());
    q.bind(4, to_string(role));
    q.bind(5, valid_ms);
    q.exec();
    tx.commit();
    return secret;
}

std::optional<Joined> join_device(Store& store, const std::string& enrol_secret, const Origin& origin,
                                  const PublicKey& device_key, std::string& why) {
    WriteTransaction tx(store.db());
    SQLite::Statement q(store.db(),
                        "SELECT name, role, enrol_expires_ms FROM sync_devices WHERE enrol_hash = ? "
                        "AND revoked_ms IS NULL");
    q.bind(1, secret_hash(enrol_secret));
    if (!q.executeStep()) {
        why = "unknown or already used enrolment code; ask for a new one (accueil-sync enroll)";
        return std::nullopt;
    }
    Joined j{q.getColumn(0).getString(), random_secret_hex(),
             role_from_string(q.getColumn(1).getString()).value_or(Role::Kiosk)};
    const bool expired = !q.getColumn(2).isNull() && q.getColumn(2).getInt64() < store.wall_ms();
    q.reset();
    if (expired) {
        why = "this enrolment code has expired; ask for a new one (accueil-sync enroll)";
        return std::nullopt;
    }
    if (origin == store.origin()) {
        why = "this is the central database itself, not a kiosk";
        return std::nullopt;
    }
    // One origin, one device: a copied kiosk disk cannot join as a second device and speak for the first.
    SQLite::Statement other(store.db(), "SELECT name FROM sync_devices WHERE origin = ? AND name <> ?");
    other.bind(1, origin.data(), int(origin.size()));
    other.bind(2, j.name);
    if (other.executeStep()) {
        why = "this kiosk database already joined as \"" + other.getColumn(0).getString() +
              "\"; a copy of it cannot join again (give the new device a new database)";
        return std::nullopt;
    }
    other.reset();
    SQLite::Statement u(store.db(),
                        "UPDATE sync_devices SET enrol_hash = NULL, enrol_expires_ms = NULL, token_hash = ?, "
                        "joined_ms = ?, last_contact_ms = ?, origin = ? WHERE name = ?");
    u.bind(1, secret_hash(j.token));
    u.bind(2, store.wall_ms());
    u.bind(3, store.wall_ms());
    u.bind(4, origin.data(), int(origin.size()));
    u.bind(5, j.name);
    u.exec();
    record_peer(store.db(), origin, Peer{j.role, j.name, device_key});
    if (j.role == Role::Desk) {
        // A desk reprints badges and prints walk-ins' badges offline, never holding the event's main
        // private key: its device key becomes a badge key, journalled here so every kiosk accepts what
        // it signs (shared/desk.hpp desk_signing_key). Badge and bundle signatures cannot be confused:
        // a badge signs "accueil-badge" || payload, a bundle its text starting "accueil-bundle"
        // (shared/badge/FORMAT.md, shared/sync/bundle.cpp). There is no key removal in the journal yet:
        // revoking the desk stops its syncs and bundles, but the badges it signed, and any its disk
        // could still sign, keep verifying until the event gets a new key set.
        std::string label = "desk " + j.name;
        if (label.size() > 100) { // the door's bound on key labels; cut before a whole character
            label.resize(100);
            while (!label.empty() && (static_cast<unsigned char>(label.back()) & 0xC0) == 0x80)
                label.pop_back();
            if (!label.empty() && static_cast<unsigned char>(label.back()) >= 0xC0)
                label.pop_back();
        }
        add_event_key(store, device_key, label);
    }
    tx.commit();
    return j;
}

std::optional<Device> authenticate(Store& store, const std::string& token) {
    if (token.size() != 64)
        return std::nullopt;
    // Revoked devices are found too, so the server can tell them why they are refused.
    SQLite::Statement q(store.db(), std::string(kDeviceColumns) + "WHERE token_hash = ?");
    q.bind(1, secret_hash(token));
    if (!q.executeStep())
        return std::nullopt;
    return row_device(q);
}

bool revoke_device(Store& store, const std::string& name) {
    WriteTransaction tx(store.db());
    SQLite::Statement q(store.db(), "UPDATE sync_devices SET revoked_ms = ?, enrol_hash = NULL "
                                    "WHERE name = ? AND revoked_ms IS NULL");
    q.bind(1, store.wall_ms());
    q.bind(2, name);
    const bool done = q.exec() == 1;
    tx.commit();
    return done;
}

void touch_device(Store& store, const std::string& name, std::int64_t pending) {
    SQLite::Statement q(store.db(),
                        "UPDATE sync_devices SET last_contact_ms = ?, pending = ? WHERE name = ?");
    q.bind(1, store.wall_ms());
    q.bind(2, pending);
    q.bind(3, name);
    q.exec();
}

std::vector<Device> list_devices(Store& store) {
    std::vector<Device> out;
    SQLite::Statement q(store.db(), std::string(kDeviceColumns) + "ORDER BY name");
    while (q.executeStep())
        out.push_back(row_device(q));
    return out;
}

Store create_joining_store(const std::string& path, WallClock wall) {
    if (std::filesystem::exists(path))
        throw StoreError(path + ": already exists; refusing to overwrite it");
    {
        auto db = open_database(path, OpenMode::CreateIfMissing);
        WriteTransaction tx(db);
        const Origin origin = random_origin();
        SQLite::Statement ins(db, "INSERT INTO meta (key, value) VALUES ('origin', ?)");
        ins.bind(1, origin.data(), int(origin.size()));
        ins.exec();
        tx.commit();
    }
    return Store::open(path, std::move(wall));
}

} // namespace accueil::sync
