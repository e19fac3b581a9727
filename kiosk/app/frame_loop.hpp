#pragma once
// The event-driven frame loop (after Dear ImGui's example_glfw_opengl3), for any screen machine: the
// kiosk's (kiosk_screen.hpp), the screenshot mode's sample scenes (screenshots.hpp), or another mode
// with its own view model and draw function. The loop owns the timing: it sleeps until an event or the
// screen's next wake-up, draws only when the view changed or just after input (a short burst, so that
// ImGui settles its hover and press states), rebuilds the fonts when the height or contrast changes,
// and turns an exception thrown by a frame into Screen::recover.
#include "frame_pipeline.hpp"
#include "machine.hpp"
#include "ui.hpp"
#include "window.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace accueil::kiosk::app {

// What to draw and where taps go. Each turn of the loop calls, in order: key_char/key_enter (typed
// input), pump, take_preview, update_view, then, only when a frame is drawn, draw, tap (for each tap
// the frame reported), after_render and drawn; finally done.
class Screen {
public:
    virtual ~Screen() = default;

    // A physical keyboard or badge scanner (a keyboard wedge) typed something.
    virtual void key_char(const std::string& /*utf8*/, std::int64_t /*at_ms*/) {}
    virtual void key_enter(std::int64_t /*at_ms*/) {}
    // Escape, Backspace, Up, Down, F2 (GLFW key codes), in the order pressed.
    virtual void key_press(int /*glfw_key*/, std::int64_t /*at_ms*/) {}
    // Drains the workers into the machine; true when anything changed.
    virtual bool pump(std::int64_t now_ms) = 0;
    // A new camera picture to show, if any (drawn once; it does not start a burst of frames).
    virtual std::optional<GreyImage> take_preview() { return std::nullopt; }
    // Computes this turn's view; the three calls below are about it.
    virtual void update_view(std::int64_t now_ms) = 0;
    // Large text: the fonts are rasterised again when this changes.
    virtual bool high_contrast() const = 0;
    // The view differs from the one last drawn (an idle screen draws nothing).
    virtual bool view_changed() const = 0;
    // Lays the view out inside ImGui's frame; taps go into ui.taps.
    virtual void draw(ui::Ui& ui) = 0;
    virtual void tap(const Tap& tap, std::int64_t now_ms) = 0;
    // The frame is rendered into the back buffer, not yet shown (screenshots read it here).
    virtual void after_render(const ui::Ui& /*ui*/, int /*fb_w*/, int /*fb_h*/) {}
    // The frame is on the screen: the view is the last drawn one.
    virtual void drawn() = 0;

    // When the loop must wake up even with no event (a timeout, a scanner burst ending).
    virtual std::optional<std::int64_t> next_wake(std::int64_t /*now_ms*/) const { return std::nullopt; }
    // A frame threw: show out of order and go on (true), or let the exception through (false).
    virtual bool recover(const std::string& /*what*/, std::int64_t /*now_ms*/) { return false; }
    // Draw every turn without waiting for events (screenshots).
    virtual bool continuous() const { return false; }
    // The program's exit status once this screen is over (--exit-after-replay, the last screenshot).
    virtual std::optional<int> done() const { return std::nullopt; }
};

struct LoopOptions {
    std::string font_regular, font_bold;
    double measure_idle = 0; // seconds; 0: no measure (idle_meter.hpp)
};

// Runs until the window closes (a signal, the window manager) or screen.done(); returns the exit
// status: screen.done()'s, or 0.
int run_frames(AppWindow& window, InputLog& input, Screen& screen, const LoopOptions& options);

// A Screen's bookkeeping of its view model (any type with ==): the current and the last drawn one.
template <class View> class ViewTracker {
public:
    void set(View v) { current_ = std::move(v); }
    const View& current() const { return current_; }
    bool changed() const { return !drawn_ || !(current_ == *drawn_); }
    void mark_drawn() { drawn_ = current_; }

private:
    View current_{};
    std::optional<View> drawn_;
};

} // namespace accueil::kiosk::app
