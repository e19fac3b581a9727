#include "store_checks.hpp"

#include "badge_printer.hpp"
#include "event_calendar.hpp"
#include "i18n/catalogue.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace accueil::doctor {

namespace fs = std::filesystem;
using i18n::tr;

namespace {

std::string meta_of(SQLite::Database& db, const char* key) {
    SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

std::string role_words(const std::string& role) {
    return tr(role == "desk" ? "enrol.role_desk" : "enrol.role_kiosk");
}

std::string mode_text(mode_t m) {
    char out[8];
    std::snprintf(out, sizeof out, "%03o", unsigned(m & 0777));
    return out;
}

std::string owner_name(uid_t uid) {
    const passwd* pw = ::getpwuid(uid);
    return pw ? pw->pw_name : std::to_string(uid);
}

// What `who` may do with a file of this owner and mode (root may do anything).
bool may(const Account& who, const struct stat& st, mode_t user_bits, mode_t group_bits, mode_t other_bits) {
    if (who.uid == 0)
        return true;
    if (st.st_uid == who.uid)
        return (st.st_mode & user_bits) == user_bits;
    for (const gid_t g : who.groups)
        if (g == st.st_gid)
            return (st.st_mode & group_bits) == group_bits;
    return (st.st_mode & other_bits) == other_bits;
}

} // namespace

DeviceFacts read_device(const std::string& path) {
    DeviceFacts d;
    d.path = path;
    std::error_code ec;
    d.exists = fs::exists(path, ec);
    if (!d.exists)
        return d;
    try {
        // A kiosk or agent at work keeps <db>-wal beside the file: read through it. Without one, nothing
        // is waiting in a journal, and the file is read as it stands (immutable=1), which creates no
        // -wal or -shm file: one made by this process (often root) would lock the kiosk's account out.
        const bool live = fs::exists(path + "-wal", ec);
        const std::string uri = "file:" + path + (live ? "?mode=ro" : "?immutable=1");
        SQLite::Database db(uri, SQLite::OPEN_READONLY | SQLite::OPEN_URI, 3000);
        d.server = meta_of(db, "sync.server");
        d.fingerprint = meta_of(db, "sync.fingerprint");
        d.joined = !d.server.empty() && !meta_of(db, "sync.token").empty();
        d.role = d.joined ? meta_of(db, "sync.role") : std::string();
        if (d.joined && d.role.empty())
            d.role = "kiosk";
        d.name = meta_of(db, "kiosk_name");
        d.printer = meta_of(db, kiosk::kPrinterMetaKey);
        if (const auto e = load_event_info(db))
            d.event = e->name;
    } catch (const std::exception& e) {
        d.unreadable = e.what();
    }
    return d;
}

Check enrolment_check(const DeviceFacts& d) {
    if (!d.exists)
        return {Outcome::Problem, tr("doctor.enrol.no_store", {{"path", d.path}})};
    if (!d.unreadable.empty())
        return {Outcome::Problem,
                tr("doctor.enrol.unreadable", {{"path", d.path}, {"detail", d.unreadable}})};
    if (!d.joined)
        return {Outcome::Problem, tr("doctor.enrol.not_joined", {{"path", d.path}})};
    if (d.event.empty())
        return {Outcome::Problem, tr("doctor.enrol.no_event", {{"path", d.path}, {"server", d.server}})};
    return {Outcome::Ok,
            tr("doctor.enrol.ok",
               {{"role", role_words(d.role)}, {"name", d.name}, {"event", d.event}, {"server", d.server}})};
}

std::string size_text(std::uint64_t bytes) {
    const bool fr = i18n::process_lang() == i18n::Lang::Fr;
    const double mb = double(bytes) / 1e6;
    if (mb < 1000)
        return tr("doctor.unit.mb", {{"n", std::to_string(std::llround(mb))}});
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", mb / 1000);
    std::string n = text;
    if (fr)
        std::replace(n.begin(), n.end(), '.', ',');
    return tr("doctor.unit.gb", {{"n", n}});
}

Check disk_check(const std::string& db_path, std::uint64_t minimum) {
    fs::path dir = fs::absolute(db_path).parent_path();
    std::error_code ec;
    while (!dir.empty() && !fs::exists(dir, ec) && dir != dir.root_path())
        dir = dir.parent_path();
    struct statvfs s {};
    if (::statvfs(dir.c_str(), &s) != 0)
        return {Outcome::Problem,
                tr("doctor.disk.unknown", {{"dir", dir.string()}, {"detail", std::strerror(errno)}})};
    const std::uint64_t free = std::uint64_t(s.f_bavail) * s.f_frsize;
    const i18n::Args args{{"free", size_text(free)}, {"dir", dir.string()}, {"minimum", size_text(minimum)}};
    if (free < minimum)
        return {Outcome::Problem, tr("doctor.disk.low", args)};
    return {Outcome::Ok, tr("doctor.disk.ok", args)};
}

std::optional<Account> find_account(const std::string& name) {
    const passwd* pw = ::getpwnam(name.c_str());
    if (!pw)
        return std::nullopt;
    Account a{pw->pw_name, pw->pw_uid, pw->pw_gid, {}};
    int n = 32;
    a.groups.resize(std::size_t(n));
    if (::getgrouplist(a.name.c_str(), a.gid, a.groups.data(), &n) < 0) {
        a.groups.resize(std::size_t(n));
        ::getgrouplist(a.name.c_str(), a.gid, a.groups.data(), &n);
    }
    a.groups.resize(std::size_t(std::max(n, 0)));
    return a;
}

Account default_account() {
    if (auto a = find_account("accueil"))
        return *a;
    const passwd* pw = ::getpwuid(::geteuid());
    if (pw)
        if (auto a = find_account(pw->pw_name))
            return *a;
    return Account{std::to_string(::geteuid()), ::geteuid(), ::getegid(), {::getegid()}};
}

Check permissions_check(const DeviceFacts& d, const Account& user) {
    if (!d.exists)
        return {Outcome::NotChecked, tr("doctor.perm.no_store")};
    const fs::path dir = fs::absolute(d.path).parent_path();
    struct stat ds {};
    if (::stat(dir.c_str(), &ds) != 0 ||
        !may(user, ds, S_IWUSR | S_IXUSR, S_IWGRP | S_IXGRP, S_IWOTH | S_IXOTH))
        return {Outcome::Problem, tr("doctor.perm.dir_no_access", {{"user", user.name},
                                                                   {"dir", dir.string()},
                                                                   {"owner", owner_name(ds.st_uid)},
                                                                   {"mode", mode_text(ds.st_mode)}})};
    // The journal files beside it hold the same names until they are folded into the database.
    for (const std::string& file : {d.path, d.path + "-wal", d.path + "-shm"}) {
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0)
            continue; // -wal and -shm exist only while a program has the database open
        const i18n::Args args{{"user", user.name},
                              {"path", file},
                              {"owner", owner_name(st.st_uid)},
                              {"mode", mode_text(st.st_mode)}};
        if (!may(user, st, S_IRUSR | S_IWUSR, S_IRGRP | S_IWGRP, S_IROTH | S_IWOTH))
            return {Outcome::Problem, tr("doctor.perm.no_access", args)};
        if (st.st_mode & (S_IRGRP | S_IROTH))
            return {Outcome::Problem, tr("doctor.perm.exposed", args)};
    }
    return {Outcome::Ok, tr("doctor.perm.ok", {{"path", d.path}, {"user", user.name}})};
}

} // namespace accueil::doctor
