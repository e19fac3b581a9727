#pragma once
// The self-service kiosk as a frame_loop.hpp Screen: the Runtime (state machine, workers, camera,
// sound) drawn by ui::draw_view.
#include "frame_loop.hpp"
#include "runtime.hpp"
#include "view_model.hpp"

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
    // `runtime` is started by the caller; `exit_after_replay`: done once a --replay run is complete.
    KioskScreen(Runtime& runtime, bool exit_after_replay)
        : runtime_(runtime), exit_after_replay_(exit_after_replay) {}

    void key_char(const std::string& utf8, std::int64_t at_ms) override { runtime_.key_char(utf8, at_ms); }
    void key_enter(std::int64_t at_ms) override { runtime_.key_enter(at_ms); }
    bool pump(std::int64_t now_ms) override { return runtime_.pump(now_ms); }
    std::optional<GreyImage> take_preview() override { return runtime_.take_preview(); }
    void update_view(std::int64_t now_ms) override { view_.set(runtime_.view(now_ms)); }
    void tap(const Tap& t, std::int64_t now_ms) override { runtime_.tap(t, now_ms); }
    std::optional<std::int64_t> next_wake(std::int64_t now_ms) const override {
        return runtime_.next_wake(now_ms);
    }
    bool recover(const std::string& what, std::int64_t now_ms) override {
        runtime_.fail(what, now_ms);
        return true;
    }
    std::optional<int> done() const override {
        if (exit_after_replay_ && runtime_.replay_complete())
            return 0;
        if (runtime_.switch_requested())
            return kSwitchMode; // an organiser's PIN: the app runs the desk in this window
        return std::nullopt;
    }

private:
    Runtime& runtime_;
    bool exit_after_replay_;
};

} // namespace accueil::kiosk::app
