#include "backlight.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace accueil::kiosk {

namespace fs = std::filesystem;

namespace {

std::optional<long> read_number(const fs::path& file) {
    std::ifstream in(file);
    long v = 0;
    if (in >> v && v >= 0)
        return v;
    return std::nullopt;
}

// Writes the number; the errno text when it cannot (sysfs answers EACCES, EINVAL, ENODEV...).
std::string write_number(const fs::path& file, long value) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return std::strerror(errno);
    const std::string text = std::to_string(value) + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
    const int err = errno;
    ::close(fd);
    return ok ? std::string() : std::strerror(err);
}

} // namespace

Backlight::Backlight(std::string root) : root_(std::move(root)) {
    if (root_.empty()) {
        const char* test_root = std::getenv("ACCUEIL_KIOSK_TEST_BACKLIGHT_ROOT");
        root_ = test_root && *test_root ? test_root : "/sys/class/backlight";
    }
}

Backlight::~Backlight() {
    restore();
}

void Backlight::dim() {
    if (dimmed())
        return;
    std::vector<fs::path> devices;
    std::error_code ec;
    for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec))
        devices.push_back(it->path()); // sysfs lists symbolic links to the devices
    std::sort(devices.begin(), devices.end());
    for (const auto& dev : devices) {
        const auto now = read_number(dev / "brightness");
        const auto max = read_number(dev / "max_brightness");
        if (!now || !max)
            continue;
        if (const std::string err = write_number(dev / "brightness", 0); !err.empty()) {
            if (!std::exchange(said_, true))
                spdlog::warn("cannot lower the backlight ({}: {}): the closed screen is only black; the "
                             "udev rule 60-accueil-backlight.rules lets group video write it",
                             (dev / "brightness").string(), err);
            continue;
        }
        dimmed_.push_back({dev.filename().string(), *now > 0 ? *now : *max});
        spdlog::debug("backlight {} lowered from {} to 0 (of {})", dev.filename().string(), *now, *max);
    }
    if (devices.empty() && !std::exchange(said_, true))
        spdlog::info("no backlight in {}: the closed screen is only black", root_);
}

void Backlight::restore() {
    for (const auto& d : dimmed_) {
        const fs::path file = fs::path(root_) / d.name / "brightness";
        if (const std::string err = write_number(file, d.saved); !err.empty())
            spdlog::warn("cannot restore the backlight ({}: {})", file.string(), err);
        else
            spdlog::debug("backlight {} restored to {}", d.name, d.saved);
    }
    dimmed_.clear();
}

} // namespace accueil::kiosk
