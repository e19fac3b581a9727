#pragma once
// `accueil doctor`'s checks of the device's database: has it joined an event (and as what), is there
// room on its disk, and can the kiosk's account use its files while no one else can read them.
// The database is only read, and never created (see read_device).
#include "doctor_check.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace accueil::doctor {

// What the database says about this device.
struct DeviceFacts {
    std::string path;
    bool exists = false;
    std::string unreadable; // why it could not be read, when it could not
    bool joined = false;    // it has a server address and a token
    std::string role;       // "kiosk" or "desk" once joined
    std::string name, event, server, fingerprint;
    std::string printer; // the device's printer setting (kiosk/logic/badge_printer.hpp), "" for none
    bool is_desk() const { return role == "desk"; }
};
DeviceFacts read_device(const std::string& path);

Check enrolment_check(const DeviceFacts& d);

// Free space where the database lives (its folder, or the nearest existing one above it).
constexpr std::uint64_t kMinimumFreeBytes = 200ull * 1000 * 1000;
Check disk_check(const std::string& db_path, std::uint64_t minimum = kMinimumFreeBytes);

// The account the kiosk and its agent run as (deploy: the system user `accueil`).
struct Account {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
};
std::optional<Account> find_account(const std::string& name);
// `accueil` when this computer has that account (an installed kiosk), else the account running us.
Account default_account();

Check permissions_check(const DeviceFacts& d, const Account& kiosk_user);

// "1.2 GB" / "1,2 Go".
std::string size_text(std::uint64_t bytes);

} // namespace accueil::doctor
