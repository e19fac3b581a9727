#pragma once
// A USB keyboard-wedge scanner types the code as a burst of keystrokes (a few ms apart), usually ending
// with Enter. A person types far slower. This tells the two apart from key timings only; pure logic.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace accueil::kiosk {

struct WedgeOptions {
    std::int64_t max_gap_ms = 30;    // keystrokes of a scanner burst are closer than this
    std::int64_t end_pause_ms = 100; // a burst without Enter ends after this pause
    std::size_t min_chars = 4;       // shorter bursts are keyboard noise, not codes
};

// Typed text (take_typed) as one string per character, for the machines' key inputs.
std::vector<std::string> utf8_characters(const std::string& text);

class KeyboardWedge {
public:
    explicit KeyboardWedge(WedgeOptions o = {}) : opt_(o) {}

    // A character (UTF-8) typed at t_ms. Returns a code when this keystroke ended an earlier burst.
    std::optional<std::string> key(const std::string& ch, std::int64_t t_ms);
    // Enter at t_ms: ends the burst (returns it when it is a code).
    std::optional<std::string> enter(std::int64_t t_ms);
    // Call when time passes with no key: a burst followed by a pause is a code.
    std::optional<std::string> poll(std::int64_t t_ms);
    // Whether poll() may still produce something (the UI should wake up for it).
    bool pending() const { return !burst_.empty(); }
    // Characters that turned out to be a person typing, in order (then cleared).
    std::string take_typed();

private:
    std::optional<std::string> flush();

    WedgeOptions opt_;
    std::string burst_;
    std::size_t burst_chars_ = 0;
    std::int64_t last_ms_ = 0;
    std::string typed_;
};

} // namespace accueil::kiosk
