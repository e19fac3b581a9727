#pragma once
// `accueil doctor`'s checks of what a volunteer plugs in: the camera (through the kiosk's own capture
// code, kiosk/logic/camera.hpp), a keyboard-wedge scanner, the sound output (kiosk/logic/audio_out.hpp)
// and the badge printer (kiosk/logic/badge_printer.hpp). What a device is expected to have depends on
// its role: a self-service kiosk needs a camera and sound; a desk needs a way to read badges and, for
// walk-ins' badges, a printer.
#include "doctor_check.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace accueil::doctor {

// `device` "" = the first camera found, as the kiosk picks it. `missing` is the outcome when there is
// none (a desk with a scanner can do without).
Check camera_check(const std::string& device, Outcome missing, std::chrono::milliseconds frame_wait);

// The input devices the kernel lists in /proc/bus/input/devices (read under
// $ACCUEIL_DOCTOR_TEST_PROC_ROOT when set): the name of the first keyboard-like one whose name looks like
// a barcode scanner's.
std::optional<std::string> scanner_in(const std::string& proc_input_devices);
bool looks_like_scanner(const std::string& device_name);
std::string input_devices_path();
// `desk`: a desk where volunteers may type instead warns; a kiosk reads badges with its camera.
Check scanner_check(bool desk);

// The ALSA default playback device opens. `missing` as for the camera (the desk keeps quiet).
Check sound_check(Outcome missing);

// The device's printer setting (empty: none).
Check printer_check(const std::string& printer, bool desk, const std::string& db_path,
                    std::chrono::milliseconds limit);

} // namespace accueil::doctor
