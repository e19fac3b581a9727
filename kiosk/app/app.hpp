#pragma once
// The kiosk program behind its options (main.cpp parses them): the window with the kiosk's runtime, or
// with sample scenes for screenshots, or the frame pipeline alone (--print-codes).
#include "strings.hpp"

#include <cstdint>
#include <string>

namespace accueil::kiosk::app {

struct Options {
    std::string db;
    std::string camera;
    std::string replay;
    std::int64_t replay_interval_ms = 1500;
    bool replay_loop = false;
    bool print_codes = false;
    bool exit_after_replay = false;
    bool exit_when_ready = false; // print "ready <steady clock ns>" once the scan screen is up, then exit
    std::string screenshot;
    std::string screenshot_dir;
    std::string screen = "scan";
    std::string lang = "fr";
    std::string contrast = "normal";
    std::string size;
    bool windowed = false;
    double verdict_seconds = 5;
    double typing_seconds = 20;
    bool no_sound = false;
    double measure_idle = 0;
    std::string mode = "self-service"; // or "desk": the volunteers' screen (a device enrolled --role desk)
    std::string speech;                // "on" or "off"; empty: on in self-service, off at the desk
    std::string headphones = "auto";   // where the name may be spoken: auto (the jack), always, never
    std::string printer;               // --set-printer: saved in the device's settings, then exit
    std::string print_layout = "label-62mm";
    std::string assets;     // empty: the catalogue built into the program
    std::string open_hours; // "07:30-19:00" (opening_hours.hpp); empty: always open (self-service only)
    std::string font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::string font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
};

// WIDTHxHEIGHT; throws CLI::ValidationError naming --size.
std::pair<int, int> parse_size(const std::string& s);

// --replay PATH --print-codes: the frame pipeline alone, no window, one line per picture.
int print_codes(const Options& o);

// --set-printer NAME|URI|none: stores this device's printer and layout (badge_printer.hpp) and exits.
int set_printer(const Options& o);

// The window until it closes; returns the exit status.
int run_window(const Options& o, const Strings& strings);

} // namespace accueil::kiosk::app
