#include "sync/devices.hpp"

#include "sync/device_table.hpp"

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
    return SqliteDeviceTable(store).find(name);
}

namespace {
// The name a revoked device keeps once its own goes to another: "Accueil 2 (2022-09-28 09:12)", in the
// event's time zone, with " #2"... when that is taken too.
std::string retired_name(DeviceTable& table, const std::string& name, std::int64_t at_ms) {
    std::string tz = table.timezone();
    if (tz.empty() || !is_valid_timezone(tz))
        tz = "UTC";
    const std::string base = name + " (" + local_day(at_ms, tz) + " " + local_hh_mm(at_ms, tz) + ")";
    std::string candidate = base;
    for (int n = 2; table.find(candidate); ++n)
        candidate = base + " #" + std::to_string(n);
    return candidate;
}

} // namespace

Enrolment enrol(DeviceTable& table, const EnrolRequest& request) {
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
    table.write([&] {
        const std::int64_t now = table.now();
        if (const auto old = table.find(name)) {
            if (old->in_use(now) && !request.replace)
                throw NameInUse(*old);
            if (old->joined_ms) {
                // A device that joined: revoked (if it was not already) and kept under another name.
                out.revoked_as = retired_name(table, name, old->revoked_ms.value_or(now));
                table.retire(name, *out.revoked_as);
            } else {
                out.replaced_code = !old->revoked_ms && old->in_use(now);
                table.remove(name);
            }
        }
        table.add_code(name, secret_hash(out.secret), request.role, now + request.valid_ms);
        return true;
    });
    return out;
}

Enrolment enrol(Store& store, const EnrolRequest& request) {
    SqliteDeviceTable table(store);
    return enrol(table, request);
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

namespace {
// A desk's badge-key label: "desk <name>", cut to the door's bound on labels before a whole character.
std::string desk_key_label(const std::string& name) {
    std::string label = "desk " + name;
    if (label.size() > 100) {
        label.resize(100);
        while (!label.empty() && (static_cast<unsigned char>(label.back()) & 0xC0) == 0x80)
            label.pop_back();
        if (!label.empty() && static_cast<unsigned char>(label.back()) >= 0xC0)
            label.pop_back();
    }
    return label;
}

// The rules of one join, inside the caller's transaction; it commits only when `joined` is set.
JoinResult try_join(DeviceTable& table, const JoinAttempt& attempt) {
    JoinResult out;
    const auto refuse = [&out](JoinRefusal r, std::string why) {
        out.refusal = r;
        out.why = std::move(why);
        return out;
    };
    const Origin& origin = attempt.origin;
    const auto code = table.by_enrol_hash(secret_hash(attempt.secret));
    if (!code)
        return refuse(JoinRefusal::UnknownCode,
                      "unknown or already used enrolment code; ask for a new one (accueil-sync enroll)");
    Joined j{code->name, random_secret_hex(), code->role};
    if (code->expires_ms && *code->expires_ms < table.now())
        return refuse(JoinRefusal::ExpiredCode,
                      "this enrolment code has expired; ask for a new one (accueil-sync enroll)");
    if (origin == table.self())
        return refuse(JoinRefusal::CentralItself, "this is the central database itself, not a kiosk");
    if (!attempt.replaces.empty()) {
        // The device this database was: authenticated by its own token, revoked with this join.
        const auto old = authenticate(table, attempt.replaces);
        if (!old)
            return refuse(JoinRefusal::ReplacesUnknown,
                          "the device this kiosk replaces is not enrolled here; it must leave its own "
                          "server first");
        out.replaced = old->name;
        // The same database goes on as the new device: its origin moves with it.
        table.revoke_replaced(old->name, origin);
    }
    // One origin, one device: a copied kiosk disk cannot join as a second device and speak for the first.
    if (auto other = table.holder_of(origin, j.name)) {
        out.other_name = std::move(*other);
        return refuse(JoinRefusal::OriginTaken,
                      "this kiosk database already joined as \"" + out.other_name +
                          "\"; a copy of it cannot join again (give the new device a new database)");
    }
    table.bind(j.name, secret_hash(j.token), origin);
    table.record_peer(origin, Peer{j.role, j.name, attempt.device_key});
    if (j.role == Role::Desk) {
        // A desk reprints badges and prints walk-ins' badges offline, never holding the event's main
        // private key: its device key becomes a badge key, journalled here so every kiosk accepts what
        // it signs (shared/desk.hpp desk_signing_key). Badge and bundle signatures cannot be confused:
        // a badge signs "accueil-badge" || payload, a bundle its text starting "accueil-bundle"
        // (shared/badge/FORMAT.md, shared/sync/bundle.cpp). There is no key removal in the journal yet:
        // revoking the desk stops its syncs and bundles, but the badges it signed, and any its disk
        // could still sign, keep verifying until the event gets a new key set.
        table.add_badge_key(attempt.device_key, desk_key_label(j.name));
    }
    out.joined = std::move(j);
    return out;
}
} // namespace

JoinResult join_device(DeviceTable& table, const JoinAttempt& attempt) {
    JoinResult out;
    table.write([&] {
        out = try_join(table, attempt);
        return out.joined.has_value();
    });
    return out;
}

JoinResult join_device(Store& store, const JoinAttempt& attempt) {
    SqliteDeviceTable table(store);
    return join_device(table, attempt);
}

std::optional<Joined> join_device(Store& store, const std::string& enrol_secret, const Origin& origin,
                                  const PublicKey& device_key, std::string& why) {
    auto r = join_device(store, JoinAttempt{enrol_secret, origin, device_key, {}});
    why = r.why;
    return r.joined;
}

std::optional<Device> authenticate(DeviceTable& table, const std::string& token) {
    if (token.size() != 64)
        return std::nullopt;
    // Revoked devices are found too, so the server can tell them why they are refused.
    return table.by_token_hash(secret_hash(token));
}

std::optional<Device> authenticate(Store& store, const std::string& token) {
    SqliteDeviceTable table(store);
    return authenticate(table, token);
}

bool revoke_device(DeviceTable& table, const std::string& name) {
    bool done = false;
    table.write([&] { return done = table.revoke(name); });
    return done;
}

bool revoke_device(Store& store, const std::string& name) {
    SqliteDeviceTable table(store);
    return revoke_device(table, name);
}

void touch_device(Store& store, const std::string& name, std::int64_t pending) {
    SqliteDeviceTable(store).touch(name, pending);
}

std::vector<Device> list_devices(Store& store) {
    return SqliteDeviceTable(store).all();
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
