// Opening the database a command names, with messages that say which file is wrong and what to do
// (issue 12): a missing file names the path and the command that makes one; a kiosk's or desk's
// database (made by `accueil-sync join`, meta sync.role set) is not the event's.
#include "commands.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <filesystem>

namespace accueil::cli {

namespace {
std::string absolute_text(const std::string& path) {
    std::error_code ec;
    const auto p = std::filesystem::absolute(path, ec);
    return ec ? path : p.lexically_normal().string();
}

// Store::open's own message is for every program; here the organiser is told what to run.
void require_file(const std::string& path, const char* key) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError("", i18n::tr(key, {{"path", absolute_text(path)}, {"given", path}}));
}
} // namespace

Store open_store(const std::string& path) {
    require_file(path, "cli.db.missing");
    return Store::open(path);
}

Store open_device_store(const std::string& path) {
    require_file(path, "cli.db.missing_device");
    return Store::open(path);
}

void require_event_store(Store& store, const std::string& path) {
    const auto role = store.meta("sync.role");
    if (!role)
        return;
    const char* role_key = *role == "desk" ? "cli.db.role_desk" : "cli.db.role_kiosk";
    throw InputError("",
                     i18n::tr("cli.db.device_not_event",
                              {{"path", path}, {"name", store.kiosk_name()}, {"role", i18n::tr(role_key)}}));
}

Store open_event_store(const std::string& path) {
    Store store = open_store(path);
    require_event_store(store, path);
    return store;
}

} // namespace accueil::cli
