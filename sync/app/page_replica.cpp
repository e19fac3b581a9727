#include "page_replica.hpp"

#include "errors.hpp"
#include "server.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>

namespace accueil::sync {

namespace {
// Events per read: bounded memory whatever the store holds.
constexpr std::size_t kBatch = 2000;
} // namespace

PageReplica::PageReplica(const std::string& url) {
    std::string dir = (std::filesystem::temp_directory_path() / "accueil-page-XXXXXX").string();
    if (!::mkdtemp(dir.data()))
        throw StoreError("cannot make a temporary folder for the organisers' page (" +
                         std::string(std::strerror(errno)) + ")");
    dir_ = dir;
    file_ = dir + "/page.db";
    try {
        pg::move_from_postgres(url, file_);
        pg_.emplace(pg::PgCentral::open(url, sync_wall_ms));
        store_.emplace(Store::open(file_, sync_wall_ms));
        merger_.emplace(*store_);
        pg::copy_devices_back(pg_->connection(), store_->db(), devices_seen_);
    } catch (...) {
        merger_.reset();
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        throw;
    }
}

PageReplica::~PageReplica() {
    merger_.reset();
    store_.reset(); // the connection closes before its file goes
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::size_t PageReplica::refresh() {
    pg_->reconnect_if_lost();
    std::size_t added = 0;
    for (;;) {
        auto batch = pg_->events_for_peer(local_vector(*store_), kBatch, Role::Central, std::nullopt);
        MergeOptions o;
        o.channel = Channel::Pull;
        o.admitted_upstream = true;
        o.guard_clock = false;
        o.trusted_until = std::numeric_limits<std::uint64_t>::max(); // the store's stamps, as they are
        o.source = "page copy";
        o.covered = std::move(batch.covered);
        const auto r = merger_->merge(batch.events, o);
        if (!r.ok())
            throw StoreError("the organisers' page could not copy event " +
                             to_hex(r.rejected.front().origin) + "/" +
                             std::to_string(r.rejected.front().seq) + ": " + r.rejected.front().reason);
        added += r.applied;
        // Events past a gap are read again until the gap fills: stop when a read adds nothing.
        if (!batch.more || r.applied == 0)
            break;
    }
    pg::copy_devices_back(pg_->connection(), store_->db(), devices_seen_);
    return added;
}

} // namespace accueil::sync
