#pragma once
// The rows the device rules read and write (shared/sync/devices.cpp: enrol, join, authenticate,
// revoke), whichever engine holds them: SQLite (SqliteDeviceTable below) or PostgreSQL
// (sync/pg/pg_devices.hpp). The rules are written once, over this; each engine only says how a row
// is found or changed.
#include "store.hpp"
#include "sync/peers.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace accueil::sync {

struct Device;

class DeviceTable {
public:
    virtual ~DeviceTable() = default;

    // An enrolment code not used yet: the name and role it was made for.
    struct Code {
        std::string name;
        Role role = Role::Kiosk;
        std::optional<std::int64_t> expires_ms;
    };

    virtual std::int64_t now() = 0;
    virtual Origin self() = 0;          // the central store's own origin
    virtual std::string timezone() = 0; // the event's ("" when unknown)

    // Runs `work` in one write transaction, committed when it returns true, rolled back otherwise.
    virtual void write(const std::function<bool()>& work) = 0;

    virtual std::optional<Device> find(const std::string& name) = 0;
    virtual std::optional<Device> by_token_hash(const std::string& hash) = 0;
    // The code of this hash, of a device not revoked; locked until the transaction ends where the
    // engine can (two servers must not both trade one code).
    virtual std::optional<Code> by_enrol_hash(const std::string& hash) = 0;
    // The device other than `except` bound to this origin.
    virtual std::optional<std::string> holder_of(const Origin& origin, const std::string& except) = 0;
    virtual std::vector<Device> all() = 0; // ordered by name

    // A joined device gives its name up: renamed `as`, revoked (if it was not), its code gone.
    virtual void retire(const std::string& name, const std::string& as) = 0;
    virtual void remove(const std::string& name) = 0;
    virtual void add_code(const std::string& name, const std::string& hash, Role role,
                          std::int64_t expires_ms) = 0;
    // Revoked because another device replaces it; `moving` passes to the new one.
    virtual void revoke_replaced(const std::string& name, const Origin& moving) = 0;
    virtual void bind(const std::string& name, const std::string& token_hash, const Origin& origin) = 0;
    virtual bool revoke(const std::string& name) = 0; // false when no active device has this name
    virtual void touch(const std::string& name, std::int64_t pending) = 0;
    virtual void record_peer(const Origin& origin, const Peer& peer) = 0;
    // A desk's device key becomes a badge key, journalled under the central origin (see join_device).
    virtual void add_badge_key(const PublicKey& key, const std::string& label) = 0;
};

// The central store's devices in its SQLite database.
class SqliteDeviceTable final : public DeviceTable {
public:
    explicit SqliteDeviceTable(Store& store) : store_(store) {}
    std::int64_t now() override { return store_.wall_ms(); }
    Origin self() override { return store_.origin(); }
    std::string timezone() override { return store_.event().timezone; }
    void write(const std::function<bool()>& work) override;
    std::optional<Device> find(const std::string& name) override;
    std::optional<Device> by_token_hash(const std::string& hash) override;
    std::optional<Code> by_enrol_hash(const std::string& hash) override;
    std::optional<std::string> holder_of(const Origin& origin, const std::string& except) override;
    std::vector<Device> all() override;
    void retire(const std::string& name, const std::string& as) override;
    void remove(const std::string& name) override;
    void add_code(const std::string& name, const std::string& hash, Role role,
                  std::int64_t expires_ms) override;
    void revoke_replaced(const std::string& name, const Origin& moving) override;
    void bind(const std::string& name, const std::string& token_hash, const Origin& origin) override;
    bool revoke(const std::string& name) override;
    void touch(const std::string& name, std::int64_t pending) override;
    void record_peer(const Origin& origin, const Peer& peer) override;
    void add_badge_key(const PublicKey& key, const std::string& label) override;

private:
    Store& store_;
};

} // namespace accueil::sync
