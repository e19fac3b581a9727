#pragma once
// The laptop screen's backlight, through sysfs (/sys/class/backlight/<device>/brightness): lowered to
// its minimum while the kiosk is closed, put back as it was at opening and when the kiosk exits. The
// kiosk runs as user `accueil` in group `video`; deploy/udev/60-accueil-backlight.rules gives that group
// write access. No backlight (a desktop screen, Xvfb) or no permission: said once in the log, and the
// closed screen is only black. ACCUEIL_KIOSK_TEST_BACKLIGHT_ROOT stands for /sys/class/backlight in
// tests.
#include <string>
#include <vector>

namespace accueil::kiosk {

class Backlight {
public:
    // `root`: the folder of backlight devices; empty: ACCUEIL_KIOSK_TEST_BACKLIGHT_ROOT, else sysfs.
    explicit Backlight(std::string root = {});
    ~Backlight(); // restores what dim() lowered
    Backlight(const Backlight&) = delete;
    Backlight& operator=(const Backlight&) = delete;

    // Every device to 0, remembering its brightness (a device found at 0, as a kiosk that crashed
    // while closed leaves it, is put back at its maximum: a kiosk in service needs its screen).
    void dim();
    // Every device dim() lowered back to what it was.
    void restore();
    bool dimmed() const { return !dimmed_.empty(); }
    const std::string& root() const { return root_; }

private:
    struct Device {
        std::string name;
        long saved = 0;
    };
    std::string root_;
    std::vector<Device> dimmed_;
    bool said_ = false; // why it cannot dim, logged once
};

} // namespace accueil::kiosk
