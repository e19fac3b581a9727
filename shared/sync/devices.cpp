#include "sync/devices.hpp"

#include "database.hpp"
#include "errors.hpp"
#include "event_calendar.hpp"
#include "i18n/catalogue.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

NameInUse::NameInUse(Device d)
    : InputError("", "the name \"" + d.name + "\" is in use (" + d.state() +
                         "); add --replace to give it to a new device"),
      device(std::move(d)) {}

std::optional<Device> find_device(Store& store, const std::string& name) {
    SQLite::Statement q(store.db(), std::string(kDeviceColumns) + "WHERE name = ?");
    q.bind(1, name);
    if (!q.executeStep())
        return std::nullopt;
    return row_device(q);
}

namespace {
// The name a revoked device keeps once its own goes to another: "Accueil 2 (2022-09-28 09:12)", in the
// event's time zone, with " #2"... when that is taken too.
std::string retired_name(Store& store, const std::string& name, std::int64_t at_ms) {
    std::string tz = store.event().timezone;
    if (tz.empty() || !is_valid_timezone(tz))
        tz = "UTC";
    const std::string base = name + " (" + local_day(at_ms, tz) + " " + local_hh_mm(at_ms, tz) + ")";
    std::string candidate = base;
    for (int n = 2; find_device(store, candidate); ++n)
        candidate = base + " #" + std::to_string(n);
    return candidate;
}

} // namespace

Enrolment enrol(Store& store, const EnrolRequest& request) {
    const std::string& name = request.name;
    if (name.empty() || name.size() > 100)
        throw InputError("--name", i18n::tr("enrol.bad_name"));
    if (request.role == Role::Central)
        throw InputError("--role", i18n::tr("enrol.bad_role", {{"role", to_string(request.role)}}));
    if (request.valid_ms <= 0)
        throw InputError(
            "--valid", i18n::tr("enrol.bad_validity", {{"valid", std::to_string(request.valid_ms) + " ms"}}));
    Enrolment out;
    out.secret = random_secret_hex();
    const std::int64_t now = store.wall_ms();
    WriteTransaction tx(store.db());
    if (const auto old = find_device(store, name)) {
        if (old->in_use(now) && !request.replace)
            throw NameInUse(*old);
        if (old->joined_ms) {
            // A device that joined: revoked (if it was not already) and kept under another name.
            out.revoked_as = retired_name(store, name, old->revoked_ms.value_or(now));
            SQLite::Statement retire(
                store.db(), "UPDATE sync_devices SET name = ?1, revoked_ms = coalesce(revoked_ms, ?2), "
                            "enrol_hash = NULL, enrol_expires_ms = NULL WHERE name = ?3");
            retire.bind(1, *out.revoked_as);
            retire.bind(2, now);
            retire.bind(3, name);
            retire.exec();
        } else {
            out.replaced_code = !old->revoked_ms && old->in_use(now);
            SQLite::Statement drop(store.db(), "DELETE FROM sync_devices WHERE name = ?");
            drop.bind(1, name);
            drop.exec();
        }
    }
    SQLite::Statement q(store.db(),
                        "INSERT INTO sync_devices (name, enrol_hash, enrolled_ms, role, enrol_expires_ms) "
                        "VALUES (?1, ?2, ?3, ?4, ?3 + ?5)");
    q.bind(1, name);
    q.bind(2, secret_hash(out.secret));
    q.bind(3, now);
    q.bind(4, to_string(request.role));
    q.bind(5, request.valid_ms);
    q.exec();
    tx.commit();
    return out;
}

std::string enrol_device(Store& store, const std::string& name, Role role, std::int64_t valid_ms) {
    return enrol(store, EnrolRequest{name, role, valid_ms, false}).secret;
}

const char* to_string(JoinRefusal refusal) {
    switch (refusal) {
    case JoinRefusal::None:
        return "";
    case JoinRefusal::UnknownCode:
        return "unknown_code";
    case JoinRefusal::ExpiredCode:
        return "expired_code";
    case JoinRefusal::CentralItself:
        return "central_itself";
    case JoinRefusal::OriginTaken:
        return "origin_taken";
    case JoinRefusal::ReplacesUnknown:
        return "replaces_unknown";
    }
    return "";
}

std::optional<JoinRefusal> join_refusal_from_string(std::string_view text) {
    for (const auto r : {JoinRefusal::UnknownCode, JoinRefusal::ExpiredCode, JoinRefusal::CentralItself,
                         JoinRefusal::OriginTaken, JoinRefusal::ReplacesUnknown})
        if (text == to_string(r))
            return r;
    return std::nullopt;
}

JoinResult join_device(Store& store, const JoinAttempt& attempt) {
    JoinResult out;
    const auto refuse = [&out](JoinRefusal r, std::string why) {
        out.refusal = r;
        out.why = std::move(why);
        return out;
    };
    const Origin& origin = attempt.origin;
    WriteTransaction tx(store.db());
    SQLite::Statement q(store.db(),
                        "SELECT name, role, enrol_expires_ms FROM sync_devices WHERE enrol_hash = ? "
                        "AND revoked_ms IS NULL");
    q.bind(1, secret_hash(attempt.secret));
    if (!q.executeStep())
        return refuse(JoinRefusal::UnknownCode,
                      "unknown or already used enrolment code; ask for a new one (accueil-sync enroll)");
    Joined j{q.getColumn(0).getString(), random_secret_hex(),
             role_from_string(q.getColumn(1).getString()).value_or(Role::Kiosk)};
    const bool expired = !q.getColumn(2).isNull() && q.getColumn(2).getInt64() < store.wall_ms();
    q.reset();
    if (expired)
        return refuse(JoinRefusal::ExpiredCode,
                      "this enrolment code has expired; ask for a new one (accueil-sync enroll)");
    if (origin == store.origin())
        return refuse(JoinRefusal::CentralItself, "this is the central database itself, not a kiosk");
    if (!attempt.replaces.empty()) {
        // The device this database was: authenticated by its own token, revoked with this join.
        const auto old = authenticate(store, attempt.replaces);
        if (!old)
            return refuse(JoinRefusal::ReplacesUnknown,
                          "the device this kiosk replaces is not enrolled here; it must leave its own "
                          "server first");
        out.replaced = old->name;
        // The same database goes on as the new device: its origin moves with it.
        SQLite::Statement revoke(store.db(),
                                 "UPDATE sync_devices SET revoked_ms = coalesce(revoked_ms, ?1), "
                                 "enrol_hash = NULL, enrol_expires_ms = NULL, "
                                 "origin = CASE WHEN origin = ?2 THEN NULL ELSE origin END WHERE name = ?3");
        revoke.bind(1, store.wall_ms());
        revoke.bind(2, origin.data(), int(origin.size()));
        revoke.bind(3, old->name);
        revoke.exec();
    }
    // One origin, one device: a copied kiosk disk cannot join as a second device and speak for the first.
    SQLite::Statement other(store.db(), "SELECT name FROM sync_devices WHERE origin = ? AND name <> ?");
    other.bind(1, origin.data(), int(origin.size()));
    other.bind(2, j.name);
    if (other.executeStep()) {
        out.other_name = other.getColumn(0).getString();
        return refuse(JoinRefusal::OriginTaken,
                      "this kiosk database already joined as \"" + out.other_name +
                          "\"; a copy of it cannot join again (give the new device a new database)");
    }
    other.reset();
    const PublicKey& device_key = attempt.device_key;
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
    out.joined = std::move(j);
    return out;
}

std::optional<Joined> join_device(Store& store, const std::string& enrol_secret, const Origin& origin,
                                  const PublicKey& device_key, std::string& why) {
    auto r = join_device(store, JoinAttempt{enrol_secret, origin, device_key, {}});
    why = r.why;
    return r.joined;
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
    {
        // O_EXCL: made here or refused, never another process's file taken over (a failed join removes
        // what it made: sync/app/agent.cpp).
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (errno == EEXIST)
                throw FileExists(path + ": already exists; refusing to overwrite it");
            throw StoreError(path + ": cannot be created (" + std::strerror(errno) + ")");
        }
        ::close(fd);
    }
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
