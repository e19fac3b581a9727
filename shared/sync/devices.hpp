#pragma once
// Who may sync (server side) and how a kiosk remembers its server (kiosk side). Secrets are random
// 32-byte values written in hex; the server keeps only their BLAKE2b hashes.
#include "store.hpp"

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
    std::string state() const { return revoked_ms ? "revoked" : joined_ms ? "active" : "awaiting join"; }
};

// Server side. `enrol_device` returns the one-time enrolment secret (re-enrolling a name replaces
// its previous secret and token; a revoked name must be enrolled again to come back).
std::string enrol_device(Store& store, const std::string& name);
// Trades a one-time secret for a device token; nullopt when the secret is unknown or already used.
struct Joined {
    std::string name;
    std::string token;
};
std::optional<Joined> join_device(Store& store, const std::string& enrol_secret);
// The device holding this token, revoked or not (check `revoked_ms`).
std::optional<Device> authenticate(Store& store, const std::string& token);
bool revoke_device(Store& store, const std::string& name);
// Records a request from the device (last contact, its origin, what it says it still has to send).
// Call inside a WriteTransaction.
void touch_device(Store& store, const std::string& name, const Origin& origin, std::int64_t pending);
std::vector<Device> list_devices(Store& store);

// Kiosk side: a database made for joining a server: a fresh origin and no event of its own; the
// event definition and roster arrive with the first pull.
Store create_joining_store(const std::string& path, WallClock wall = system_wall_ms);

} // namespace accueil::sync
