// The SQLite central store behind `serve --db`.
#include "central_backend.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "journal.hpp"
#include "server.hpp"
#include "sync/device_key.hpp"
#include "sync/peers.hpp"
#include "web_access.hpp"

#include <fstream>
#include <sstream>

namespace accueil::sync {

namespace {

std::string read_pem(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || text.str().empty())
        throw StoreError(i18n::tr("serve.tls.unreadable", {{"path", path}}));
    return text.str();
}

class SqliteCentral final : public CentralBackend {
public:
    SqliteCentral(std::string path, Store store)
        : path_(std::move(path)), store_(std::move(store)), merger_(store_), table_(store_) {}
    DeviceTable& devices() override { return table_; }
    Origin origin() override { return store_.origin(); }
    std::int64_t wall_ms() override { return store_.wall_ms(); }
    SigningKey signing_key() override { return device_key_of(store_); }
    std::string name() override { return store_.kiosk_name(); }
    std::vector<JournalEvent> journal(bool all) override {
        return all ? read_journal(store_.db()) : unacked_events(store_, std::size_t(-1));
    }
    MergeResult merge(const std::vector<JournalEvent>& events, const MergeOptions& options) override {
        return merger_.merge(events, options);
    }
    PeerBatch events_for_peer(const VersionVector& theirs, std::size_t limit, Role receiver,
                              const std::optional<Origin>& exclude) override {
        return sync::events_for_peer(store_, theirs, limit, receiver, exclude);
    }
    VersionVector vector() override { return local_vector(store_); }
    std::map<Origin, Peer> peers() override { return known_peers(store_); }
    CertificatePem certificate() override {
        const auto paths = ensure_certificate(path_);
        return {read_pem(paths.cert), read_pem(paths.key), paths.cert};
    }
    void announce(const std::string& url, const std::string& fingerprint) override {
        WriteTransaction tx(store_.db());
        store_.set_meta("sync.url", url);
        store_.set_meta("sync.fingerprint", fingerprint);
        tx.commit();
    }
    std::string announced_url() override { return store_.meta("sync.url").value_or(""); }
    void after_request() override { web::check_no_open_reads(store_); }
    std::string where() override { return path_; }

private:
    std::string path_;
    Store store_;
    Merger merger_;
    SqliteDeviceTable table_;
};

} // namespace

std::unique_ptr<CentralBackend> sqlite_central(const std::string& path, std::int64_t max_db_pages) {
    Store store = Store::open(path, sync_wall_ms);
    store.db().exec("PRAGMA wal_autocheckpoint=0"); // serve's checkpointer does it off the push path
    if (max_db_pages > 0)
        store.db().exec("PRAGMA max_page_count=" + std::to_string(max_db_pages));
    return std::make_unique<SqliteCentral>(path, std::move(store));
}

} // namespace accueil::sync
