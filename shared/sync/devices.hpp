#pragma once
// Who may sync (server side) and how a kiosk remembers its server (kiosk side). Secrets are random
// 32-byte values written in hex; the server keeps only their BLAKE2b hashes.
#include "store.hpp"
#include "sync/peers.hpp"

#include <optional>
#include <string>
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
};

// Server side. `enrol_device` returns the one-time enrolment secret, valid for `valid_ms` (re-enrolling
// a name replaces its previous secret and token; a revoked name must be enrolled again to come back).
constexpr std::int64_t kDefaultEnrolValidityMs = 24 * 3600 * 1000;
std::string enrol_device(Store& store, const std::string& name, Role role = Role::Kiosk,
                         std::int64_t valid_ms = kDefaultEnrolValidityMs);
// Trades a one-time secret for a device token, binding the device's journal origin and its Ed25519
// public key to it for good: from then on it may send only that origin's events. Refused (nullopt,
// `why` says it) when the secret is unknown, used or expired, or the origin is another device's.
struct Joined {
    std::string name;
    std::string token;
    Role role = Role::Kiosk;
};
std::optional<Joined> join_device(Store& store, const std::string& enrol_secret, const Origin& origin,
                                  const PublicKey& device_key, std::string& why);
// The device holding this token, revoked or not (check `revoked_ms`).
std::optional<Device> authenticate(Store& store, const std::string& token);
bool revoke_device(Store& store, const std::string& name);
// Records a request from the device (last contact, what it says it still has to send).
// Call inside a WriteTransaction.
void touch_device(Store& store, const std::string& name, std::int64_t pending);
std::vector<Device> list_devices(Store& store);

// Kiosk side: a database made for joining a server: a fresh origin and no event of its own; the
// event definition and roster arrive with the first pull.
Store create_joining_store(const std::string& path, WallClock wall = system_wall_ms);

} // namespace accueil::sync
