#pragma once
// Who may sync (server side) and how a kiosk remembers its server (kiosk side). Secrets are random
// 32-byte values written in hex; the server keeps only their BLAKE2b hashes.
#include "errors.hpp"
#include "store.hpp"
#include "sync/peers.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::sync {

std::string random_secret_hex(); // 32 random bytes, 64 hex digits
std::string secret_hash(const std::string& secret);

struct Device {
    std::string name;
    std::optional<Origin> origin;
    std::int64_t enrolled_ms = 0;
    std::optional<std::int64_t> joined_ms;
    std::optional<std::int64_t> revoked_ms;
    std::optional<std::int64_t> last_contact_ms;
    std::int64_t pending = 0;
    Role role = Role::Kiosk;
    std::optional<std::int64_t> enrol_expires_ms;
    std::string state() const { return revoked_ms ? "revoked" : joined_ms ? "active" : "awaiting join"; }
    // Its name cannot be enrolled again without --replace: joined and not revoked, or a code not used
    // yet that has not expired.
    bool in_use(std::int64_t now_ms) const {
        return !revoked_ms && (joined_ms || !enrol_expires_ms || *enrol_expires_ms >= now_ms);
    }
};

// Server side. The one-time enrolment secret for a device name, valid for `valid_ms`. A name in use
// (a joined device not revoked, or a code not used yet that has not expired) is refused with NameInUse
// unless `replace`. Replacing revokes the device that held the name at once, rather than when the new
// one joins: a lost or stolen kiosk stops as soon as its replacement is enrolled, and the row of a name
// never holds one device's token with another's role. The old device stays listed, revoked, under
// "<name> (<date> <time>)" (so its bundles stay refused and `status` shows it); a revoked name is
// enrolled again the same way, without --replace; an unused code is simply replaced.
constexpr std::int64_t kDefaultEnrolValidityMs = 24 * 3600 * 1000;
struct EnrolRequest {
    std::string name;
    Role role = Role::Kiosk;
    std::int64_t valid_ms = kDefaultEnrolValidityMs;
    bool replace = false;
};
struct Enrolment {
    std::string secret;
    std::optional<std::string> revoked_as; // the old device, revoked, is listed under this name now
    bool replaced_code = false;            // an unused code for this name stopped working
};
struct NameInUse : InputError {
    explicit NameInUse(Device d);
    Device device;
};
class DeviceTable;
// The rules are written once over a DeviceTable (shared/sync/device_table.hpp); the Store& forms use
// the SQLite one.
Enrolment enrol(DeviceTable& table, const EnrolRequest& request);
Enrolment enrol(Store& store, const EnrolRequest& request);
// enrol() without --replace, returning the secret.
std::string enrol_device(Store& store, const std::string& name, Role role = Role::Kiosk,
                         std::int64_t valid_ms = kDefaultEnrolValidityMs);

// Trades a one-time secret for a device token, binding the device's journal origin and its Ed25519
// public key to it for good: from then on it may send only that origin's events. Refused (`refusal`,
// `why` says it in English for older kiosks) when the secret is unknown, used or expired, or the origin
// is another device's. `replaces`: the token of the device this database was until now (`join
// --replace`); that device is revoked in the same transaction, and its origin passes to the new one.
// A token this store does not know is refused as ReplacesUnknown before the secret is used: the old
// device belongs to another central store, which the kiosk tells itself (/v1/leave).
struct Joined {
    std::string name;
    std::string token;
    Role role = Role::Kiosk;
};
enum class JoinRefusal { None, UnknownCode, ExpiredCode, CentralItself, OriginTaken, ReplacesUnknown };
const char* to_string(JoinRefusal refusal); // on the wire: "unknown_code", "expired_code", ...
std::optional<JoinRefusal> join_refusal_from_string(std::string_view text);
struct JoinAttempt {
    std::string secret;
    Origin origin{};
    PublicKey device_key{};
    std::string replaces; // empty: a first join
};
struct JoinResult {
    std::optional<Joined> joined;
    JoinRefusal refusal = JoinRefusal::None;
    std::string why;        // one English line
    std::string other_name; // OriginTaken: the device this database already is
    std::string replaced;   // the device `replaces` named, now revoked
};
JoinResult join_device(DeviceTable& table, const JoinAttempt& attempt);
JoinResult join_device(Store& store, const JoinAttempt& attempt);
std::optional<Joined> join_device(Store& store, const std::string& enrol_secret, const Origin& origin,
                                  const PublicKey& device_key, std::string& why);
std::optional<Device> find_device(Store& store, const std::string& name);
// The device holding this token, revoked or not (check `revoked_ms`).
std::optional<Device> authenticate(DeviceTable& table, const std::string& token);
std::optional<Device> authenticate(Store& store, const std::string& token);
bool revoke_device(DeviceTable& table, const std::string& name);
bool revoke_device(Store& store, const std::string& name);
// Records a request from the device (last contact, what it says it still has to send).
// Call inside a WriteTransaction.
void touch_device(Store& store, const std::string& name, std::int64_t pending);
std::vector<Device> list_devices(Store& store);

// Kiosk side: a database made for joining a server: a fresh origin and no event of its own; the
// event definition and roster arrive with the first pull. The file is created exclusively: FileExists
// when something is already at `path` (it is never touched then).
struct FileExists : StoreError {
    using StoreError::StoreError;
};
Store create_joining_store(const std::string& path, WallClock wall = system_wall_ms);

} // namespace accueil::sync
