#pragma once
// The central store's devices in PostgreSQL: the rows the device rules (shared/sync/devices.cpp)
// read and write, on the store's own connection, so a touch made inside a merge commits with it.
#include "pg_central.hpp"
#include "sync/device_table.hpp"

namespace accueil::pg {

class PgDeviceTable final : public sync::DeviceTable {
public:
    explicit PgDeviceTable(PgCentral& central) : central_(central), conn_(central.connection()) {}
    std::int64_t now() override { return central_.wall_ms(); }
    Origin self() override { return central_.origin(); }
    std::string timezone() override { return central_.timezone(); }
    void write(const std::function<bool()>& work) override;
    std::optional<sync::Device> find(const std::string& name) override;
    std::optional<sync::Device> by_token_hash(const std::string& hash) override;
    std::optional<Code> by_enrol_hash(const std::string& hash) override;
    std::optional<std::string> holder_of(const Origin& origin, const std::string& except) override;
    std::vector<sync::Device> all() override;
    void retire(const std::string& name, const std::string& as) override;
    void remove(const std::string& name) override;
    void add_code(const std::string& name, const std::string& hash, sync::Role role,
                  std::int64_t expires_ms) override;
    void revoke_replaced(const std::string& name, const Origin& moving) override;
    void bind(const std::string& name, const std::string& token_hash, const Origin& origin) override;
    bool revoke(const std::string& name) override;
    void touch(const std::string& name, std::int64_t pending) override;
    void record_peer(const Origin& origin, const sync::Peer& peer) override;
    void add_badge_key(const PublicKey& key, const std::string& label) override;

private:
    std::vector<sync::Device> select(const std::string& where, const std::vector<Param>& params);

    PgCentral& central_;
    Connection& conn_;
};

} // namespace accueil::pg
