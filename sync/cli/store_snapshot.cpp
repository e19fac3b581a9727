#include "store_snapshot.hpp"

#include "commands.hpp"
#include "errors.hpp"
#include "pg_central.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace accueil::cli {

ReadStore ReadStore::open(const std::string& db, const std::string& store) {
    ReadStore r;
    if (store.empty()) {
        r.store_.emplace(open_store(db));
        return r;
    }
    std::string dir = (std::filesystem::temp_directory_path() / "accueil-snapshot-XXXXXX").string();
    if (!::mkdtemp(dir.data())) // 0700: names and e-mails stay the user's own
        throw StoreError("cannot make a temporary folder for the snapshot (" +
                         std::string(std::strerror(errno)) + ")");
    r.temp_dir_ = dir;
    const std::string file = dir + "/central.db";
    pg::move_from_postgres(store, file);
    r.store_.emplace(Store::open(file));
    return r;
}

ReadStore::ReadStore(ReadStore&& other) noexcept
    : temp_dir_(std::move(other.temp_dir_)), store_(std::move(other.store_)) {
    other.temp_dir_.clear();
    other.store_.reset();
}

ReadStore::~ReadStore() {
    store_.reset(); // the connection closes before its file goes
    if (!temp_dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(temp_dir_, ec);
    }
}

} // namespace accueil::cli
