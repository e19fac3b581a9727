#pragma once
// What `accueil-sync serve` needs of its central store, whichever engine holds it: a SQLite file
// (`--db`, the default) or PostgreSQL (`--store postgresql://...`). Both answer kiosks with the same
// rules (the door, the device rules, the pull's selection live in shared/sync/), so a kiosk cannot
// tell which one it talks to.
#include "store.hpp"
#include "sync/device_table.hpp"
#include "sync/merge.hpp"
#include "tls.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace accueil::sync {

class CentralBackend {
public:
    virtual ~CentralBackend() = default;

    virtual DeviceTable& devices() = 0;
    virtual Origin origin() = 0;
    virtual std::int64_t wall_ms() = 0;
    // The key the store signs its bundles with; its public half goes to devices at join.
    virtual SigningKey signing_key() = 0;
    virtual std::string name() = 0; // as a bundle names its writer
    // For `export`: every event (`all`), or only the store's own.
    virtual std::vector<JournalEvent> journal(bool all) = 0;
    virtual MergeResult merge(const std::vector<JournalEvent>& events, const MergeOptions& options) = 0;
    virtual PeerBatch events_for_peer(const VersionVector& theirs, std::size_t limit, Role receiver,
                                      const std::optional<Origin>& exclude) = 0;
    virtual VersionVector vector() = 0;
    virtual std::map<Origin, Peer> peers() = 0;
    // The certificate kiosks pin, made on first start.
    virtual CertificatePem certificate() = 0;
    // Where enrolment codes point, and the certificate's fingerprint, for `enroll`.
    virtual void announce(const std::string& url, const std::string& fingerprint) = 0;
    virtual std::string announced_url() = 0; // "" before a server started
    // Around each request: the PostgreSQL store connects again after a restart; the SQLite one checks
    // no read outlived its request.
    virtual void before_request() {}
    virtual void after_request() {}
    // For the log: the file, or the URL without its password.
    virtual std::string where() = 0;
};

// The SQLite central store at `path` (its certificate beside it, `<path>.tls/`); `max_db_pages` > 0
// bounds the file (tests of a full disk).
std::unique_ptr<CentralBackend> sqlite_central(const std::string& path, std::int64_t max_db_pages);
// The PostgreSQL central store at `url` (its certificate in its database, shared by every server).
std::unique_ptr<CentralBackend> postgres_central(const std::string& url);

} // namespace accueil::sync
