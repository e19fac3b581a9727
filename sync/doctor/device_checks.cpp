#include "device_checks.hpp"

#include "audio_out.hpp"
#include "badge_printer.hpp"
#include "camera.hpp"
#include "capture.hpp"
#include "i18n/catalogue.hpp"
#include "sound.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace accueil::doctor {

using i18n::tr;

namespace {
std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return s;
}

std::string seconds_text(std::chrono::milliseconds d) {
    return std::to_string((d.count() + 999) / 1000);
}
} // namespace

Check camera_check(const std::string& device, Outcome missing, std::chrono::milliseconds frame_wait) {
    const std::string path = device.empty() ? kiosk::Camera::find_default() : device;
    if (path.empty())
        return {missing, tr("doctor.camera.none")};
    const kiosk::CaptureOptions want; // the size and rate the kiosk asks for
    std::string error;
    auto camera = kiosk::Camera::open(path, want.width, want.height, want.fps, &error);
    if (!camera)
        return {Outcome::Problem, tr("doctor.camera.cannot_open", {{"device", path}, {"detail", error}})};
    const auto until = std::chrono::steady_clock::now() + frame_wait;
    kiosk::GreyImage frame;
    try {
        while (std::chrono::steady_clock::now() < until)
            if (camera->read(frame, 250))
                return {Outcome::Ok, tr("doctor.camera.ok", {{"device", path},
                                                             {"width", std::to_string(camera->width())},
                                                             {"height", std::to_string(camera->height())}})};
    } catch (const std::runtime_error& e) {
        return {Outcome::Problem, tr("doctor.camera.cannot_open", {{"device", path}, {"detail", e.what()}})};
    }
    return {Outcome::Problem,
            tr("doctor.camera.no_frame", {{"device", path}, {"seconds", seconds_text(frame_wait)}})};
}

bool looks_like_scanner(const std::string& device_name) {
    // Words in the names scanners give themselves, and the makers of the common USB ones.
    static const char* const kWords[] = {"barcode", "bar code",   "scanner", "honeywell", "symbol",
                                         "zebra",   "datalogic",  "newland", "netum",     "inateck",
                                         "eyoyo",   "metrologic", "opticon"};
    const std::string name = lower(device_name);
    for (const char* w : kWords)
        if (name.find(w) != std::string::npos)
            return true;
    return false;
}

std::optional<std::string> scanner_in(const std::string& text) {
    // Blocks separated by blank lines; "N: Name=\"...\"" names a device, "H: Handlers=... kbd ..." says
    // it types (a wedge scanner is a keyboard to the kernel).
    std::istringstream in(text);
    std::string line, name;
    bool keyboard = false;
    const auto verdict = [&]() -> std::optional<std::string> {
        if (keyboard && looks_like_scanner(name))
            return name;
        return std::nullopt;
    };
    while (std::getline(in, line)) {
        if (line.empty()) {
            if (auto found = verdict())
                return found;
            name.clear();
            keyboard = false;
        } else if (line.rfind("N: Name=", 0) == 0) {
            name = line.substr(8);
            if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
                name = name.substr(1, name.size() - 2);
        } else if (line.rfind("H: Handlers=", 0) == 0) {
            std::istringstream handlers(line.substr(12));
            std::string h;
            while (handlers >> h)
                keyboard = keyboard || h == "kbd";
        }
    }
    return verdict();
}

std::string input_devices_path() {
    return system_path("ACCUEIL_DOCTOR_TEST_PROC_ROOT", "/proc", "/bus/input/devices");
}

Check scanner_check(bool desk) {
    const std::string path = input_devices_path();
    std::ifstream in(path);
    if (!in)
        return {Outcome::Warning, tr("doctor.scanner.unreadable", {{"path", path}})};
    std::ostringstream text;
    text << in.rdbuf();
    if (const auto name = scanner_in(text.str()))
        return {Outcome::Ok, tr("doctor.scanner.ok", {{"name", *name}})};
    if (desk)
        return {Outcome::Warning, tr("doctor.scanner.not_seen_desk")};
    return {Outcome::Ok, tr("doctor.scanner.not_seen_kiosk")};
}

Check sound_check(Outcome missing) {
    bool busy = false;
    const std::string error = kiosk::probe_playback(kiosk::kSoundRate, &busy);
    if (error.empty())
        return {Outcome::Ok, tr("doctor.sound.ok")};
    if (busy)
        return {Outcome::Ok, tr("doctor.sound.busy")};
    return {missing, tr("doctor.sound.none", {{"detail", error}})};
}

Check printer_check(const std::string& printer, bool desk, const std::string& db_path,
                    std::chrono::milliseconds limit) {
    if (printer.empty())
        return desk ? Check{Outcome::Warning, tr("doctor.printer.none_desk", {{"path", db_path}})}
                    : Check{Outcome::Ok, tr("doctor.printer.none_kiosk")};
    kiosk::PrintTimeouts t;
    t.connect = limit;
    t.request = limit;
    const auto probe = kiosk::probe_printer(printer, t);
    const i18n::Args args{{"printer", printer}, {"detail", probe.detail}, {"path", db_path}};
    switch (probe.state) {
    case kiosk::PrintState::Sent:
    case kiosk::PrintState::Printing:
        return {Outcome::Ok, tr("doctor.printer.ok", args)};
    case kiosk::PrintState::OutOfPaper:
        return {Outcome::Problem, tr("doctor.printer.paper", args)};
    case kiosk::PrintState::PrinterOffline:
        return {Outcome::Problem, tr("doctor.printer.offline", args)};
    default:
        return {Outcome::Problem, tr("doctor.printer.failed", args)};
    }
}

} // namespace accueil::doctor
