// The PostgreSQL central store behind `serve --store postgresql://...`.
#include "central_backend.hpp"
#include "pg_central.hpp"
#include "pg_devices.hpp"
#include "server.hpp"

namespace accueil::sync {

namespace {

class PostgresCentral final : public CentralBackend {
public:
    explicit PostgresCentral(pg::PgCentral central) : central_(std::move(central)), table_(central_) {}
    DeviceTable& devices() override { return table_; }
    Origin origin() override { return central_.origin(); }
    std::int64_t wall_ms() override { return central_.wall_ms(); }
    SigningKey signing_key() override {
        // The seed migrate brought; a store made some other way gets one, the same for every server.
        const SigningKey fresh = SigningKey::generate();
        const auto hex =
            central_.meta_once("sync.device_seed", to_hex(fresh.seed().data(), fresh.seed().size()));
        const auto seed = public_key_from_hex(hex); // 32 bytes in hex, the shape of a public key
        if (!seed)
            throw StoreError("the PostgreSQL store's device key is malformed");
        return SigningKey::from_seed(*seed);
    }
    std::string name() override { return central_.meta("kiosk_name").value_or(kMainDeskName); }
    std::vector<JournalEvent> journal(bool all) override {
        // Own events only: every other origin's as held already (the central store's "not sent yet").
        VersionVector theirs;
        if (!all)
            for (const auto& [origin, mark] : central_.vector())
                if (origin != central_.origin())
                    theirs[origin] = mark;
        return central_.events_for_peer(theirs, std::size_t(-1), Role::Central, std::nullopt).events;
    }
    MergeResult merge(const std::vector<JournalEvent>& events, const MergeOptions& options) override {
        return central_.merge(events, options);
    }
    PeerBatch events_for_peer(const VersionVector& theirs, std::size_t limit, Role receiver,
                              const std::optional<Origin>& exclude) override {
        return central_.events_for_peer(theirs, limit, receiver, exclude);
    }
    VersionVector vector() override { return central_.vector(); }
    std::map<Origin, Peer> peers() override { return central_.peers(); }
    CertificatePem certificate() override {
        // Kept in the database: every server in front of it presents the certificate kiosks pinned.
        // The first server to start makes it; the others read that one.
        pg::Transaction tx(central_.connection());
        if (auto cert = central_.meta("sync.tls_cert"); cert && central_.meta("sync.tls_key"))
            return {*cert, *central_.meta("sync.tls_key"), where()};
        central_.connection().exec("LOCK TABLE accueil_meta IN SHARE ROW EXCLUSIVE MODE");
        if (auto cert = central_.meta("sync.tls_cert"); cert && central_.meta("sync.tls_key"))
            return {*cert, *central_.meta("sync.tls_key"), where()};
        auto made = make_certificate_pem();
        made.where = where();
        central_.set_meta("sync.tls_cert", made.cert);
        central_.set_meta("sync.tls_key", made.key);
        tx.commit();
        return made;
    }
    void announce(const std::string& url, const std::string& fingerprint) override {
        pg::Transaction tx(central_.connection());
        central_.set_meta("sync.url", url);
        central_.set_meta("sync.fingerprint", fingerprint);
        tx.commit();
    }
    std::string announced_url() override { return central_.meta("sync.url").value_or(""); }
    void before_request() override { central_.reconnect_if_lost(); }
    std::string where() override { return central_.connection().url(); }

private:
    pg::PgCentral central_;
    pg::PgDeviceTable table_;
};

} // namespace

std::unique_ptr<CentralBackend> postgres_central(const std::string& url) {
    return std::make_unique<PostgresCentral>(pg::PgCentral::open(url, sync_wall_ms));
}

} // namespace accueil::sync
