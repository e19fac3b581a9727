#pragma once
// What the sync fuzz targets and their seed generator (make_fuzz_seeds.cpp) agree on: a fixed clock,
// two devices with fixed origins and keys, and the central store they joined. Fixed, so the committed
// seeds stay valid in every process (Store::create draws a fresh origin, but these devices do not).
#include "attendee_ops.hpp"
#include "badge/event_keys.hpp"
#include "database.hpp"
#include "store.hpp"
#include "sync/devices.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace accueil::fuzz {

// 28 September 2022, 09:12 in Paris: the central store's clock, frozen.
constexpr std::int64_t kWallMs = 1664349120000;

inline EventSpec event_spec() {
    return EventSpec{"Fuzz", "Europe/Paris", {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}}};
}

struct Device {
    const char* name;
    sync::Role role;
    std::uint8_t fill; // the origin's bytes and the key seed's
};
// A kiosk (check-ins, undoes its own, badge facts) and a desk (also creates and edits attendees).
constexpr std::array<Device, 2> kDevices{
    {{"Accueil 1", sync::Role::Kiosk, 0x11}, {"Accueil 2", sync::Role::Desk, 0x22}}};

inline Origin origin_of(const Device& d) {
    Origin o;
    o.fill(d.fill);
    return o;
}

inline SigningKey key_of(const Device& d) {
    std::array<std::uint8_t, 32> seed;
    seed.fill(d.fill);
    return SigningKey::from_seed(seed);
}

// A central store (fsync off: durability is not under test) with a small roster, both devices
// enrolled and joined.
inline Store make_central(const std::string& path) {
    Store central = Store::create(path, event_spec(), [] { return kWallMs; });
    central.db().exec("PRAGMA synchronous=OFF");
    {
        WriteTransaction tx(central.db());
        for (int i = 0; i < 3; ++i)
            create_attendee(central, Attendee{.first_name = "Prénom" + std::to_string(i),
                                              .last_name = "Nom" + std::to_string(i),
                                              .category = "Participant"});
        tx.commit();
    }
    for (const auto& d : kDevices) {
        const std::string secret = sync::enrol_device(central, d.name, d.role);
        std::string why;
        if (!sync::join_device(central, secret, origin_of(d), key_of(d).public_key(), why))
            throw std::runtime_error("fuzz fixture: join refused: " + why);
    }
    return central;
}

// A directory of its own under $TMPDIR, removed at exit.
class ScratchDir {
public:
    ScratchDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "accueil-fuzz-XXXXXX").string();
        if (!::mkdtemp(tmpl.data()))
            throw std::runtime_error("fuzz fixture: cannot make a temporary directory");
        path_ = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

} // namespace accueil::fuzz
