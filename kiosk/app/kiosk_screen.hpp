#pragma once
// The self-service kiosk as a frame_loop.hpp Screen: the Runtime (state machine, workers, camera,
// sound) drawn by ui::draw_view.
#include "frame_loop.hpp"
#include "runtime.hpp"
#include "view_model.hpp"

#include <chrono>
#include <cstdio>

namespace accueil::kiosk::app {

// The exit status of a screen that hands the window over to the other mode: self-service to desk (an
// organiser's PIN) and back (the desk's "self-service" button).
constexpr int kSwitchMode = 10;

// A Screen that shows the kiosk's ViewModel with ui::draw_view; subclasses fill view_ in update_view.
class ViewModelScreen : public Screen {
public:
    bool high_contrast() const override { return view_.current().high_contrast; }
    bool view_changed() const override { return view_.changed(); }
    void draw(ui::Ui& ui) override { ui::draw_view(ui, view_.current()); }
    void drawn() override { view_.mark_drawn(); }

protected:
    ViewTracker<ViewModel> view_;
};

class KioskScreen final : public ViewModelScreen {
public:
    // `runtime` is started by the caller; `exit_after_replay`: done once a --replay run is complete;
    // `exit_when_ready`: done once the scan screen is on the screen and the store open (the start-up
    // time: tests/bench/bench_kiosk.cpp).
    KioskScreen(Runtime& runtime, bool exit_after_replay, bool exit_when_ready = false)
        : runtime_(runtime), exit_after_replay_(exit_after_replay), exit_when_ready_(exit_when_ready) {}

    void key_char(const std::string& utf8, std::int64_t at_ms) override { runtime_.key_char(utf8, at_ms); }
    void key_enter(std::int64_t at_ms) override { runtime_.key_enter(at_ms); }
    bool pump(std::int64_t now_ms) override { return runtime_.pump(now_ms); }
    std::optional<GreyImage> take_preview() override { return runtime_.take_preview(); }
    void update_view(std::int64_t now_ms) override { view_.set(runtime_.view(now_ms)); }
    void tap(const Tap& t, std::int64_t now_ms) override { runtime_.tap(t, now_ms); }
    std::optional<std::int64_t> next_wake(std::int64_t now_ms) const override {
        if (exit_when_ready_ && !ready_) // polls the worker: nothing else wakes the loop when it is ready
            return now_ms + 5;
        return runtime_.next_wake(now_ms);
    }
    void drawn() override {
        ViewModelScreen::drawn();
        scan_drawn_ = scan_drawn_ || view_.current().screen == kiosk::Screen::Scan;
        if (exit_when_ready_ && scan_drawn_ && !ready_ && runtime_.worker_running()) {
            ready_ = true;
            // The steady clock (CLOCK_MONOTONIC) is the same for the process that started this one.
            std::printf("ready %lld\n",
                        static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                   std::chrono::steady_clock::now().time_since_epoch())
                                                   .count()));
            std::fflush(stdout);
        }
    }
    bool recover(const std::string& what, std::int64_t now_ms) override {
        runtime_.fail(what, now_ms);
        return true;
    }
    std::optional<int> done() const override {
        if (exit_after_replay_ && runtime_.replay_complete())
            return 0;
        if (ready_)
            return 0;
        if (runtime_.switch_requested())
            return kSwitchMode; // an organiser's PIN: the app runs the desk in this window
        return std::nullopt;
    }

private:
    Runtime& runtime_;
    bool exit_after_replay_;
    bool exit_when_ready_;
    bool scan_drawn_ = false;
    bool ready_ = false;
};

} // namespace accueil::kiosk::app
