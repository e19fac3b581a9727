#pragma once
// The organisers' page on a PostgreSQL store (`serve --store`): a private SQLite copy of the store,
// made when the server starts by `migrate`'s way back (the journal copied, every projection rebuilt from
// it) and kept up to date from then on with what PostgreSQL holds that the copy lacks (the pull's
// selection, shared/sync/merge.hpp, applied as copies of admitted events) and with the store's devices.
// The page's figures are then read from the same tables by the same code whichever engine holds the
// event, and its reads never wait on PostgreSQL or add to its load. The copy lives in a private
// temporary folder (0700: names stay the organisers'), removed when the server stops.
#include "pg_central.hpp"
#include "store.hpp"
#include "sync/merge.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace accueil::sync {

class PageReplica {
public:
    // Copies the store at `url` whole (throws as `migrate` does when it cannot).
    explicit PageReplica(const std::string& url);
    ~PageReplica();
    PageReplica(const PageReplica&) = delete;
    PageReplica& operator=(const PageReplica&) = delete;

    const std::string& file() const { return file_; }
    // Brings the copy up to date: the number of events it added. Throws when PostgreSQL cannot be read
    // (the copy stays as it was; the next call connects again).
    std::size_t refresh();

private:
    std::string dir_;
    std::string file_;
    std::optional<pg::PgCentral> pg_;
    std::optional<Store> store_;
    std::optional<Merger> merger_;
    std::string devices_seen_;
};

} // namespace accueil::sync
