#pragma once
// The welcome desk as frame_loop.hpp Screens: the live desk (DeskRuntime drawn by ui::draw_desk_view)
// and its screenshot mode (desk_scenes.hpp sample scenes into PNG files).
#include "desk_runtime.hpp"
#include "desk_ui.hpp"
#include "frame_loop.hpp"
#include "kiosk_screen.hpp" // kSwitchMode
#include "screenshots.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace accueil::kiosk::app {

class DeskScreen final : public Screen {
public:
    explicit DeskScreen(DeskRuntime& runtime) : runtime_(runtime) {}

    void key_char(const std::string& utf8, std::int64_t at_ms) override { runtime_.key_char(utf8, at_ms); }
    void key_enter(std::int64_t at_ms) override { runtime_.key_enter(at_ms); }
    void key_press(int glfw_key, std::int64_t at_ms) override;
    bool pump(std::int64_t now_ms) override;
    void update_view(std::int64_t) override { view_.set(runtime_.view()); }
    bool high_contrast() const override { return view_.current().high_contrast; }
    bool view_changed() const override { return view_.changed(); }
    void draw(ui::Ui& ui) override;
    void tap(const Tap&, std::int64_t) override {} // the desk's taps are DeskTaps, sent from draw()
    void drawn() override { view_.mark_drawn(); }
    std::optional<std::int64_t> next_wake(std::int64_t now_ms) const override {
        return runtime_.next_wake(now_ms);
    }
    bool recover(const std::string& what, std::int64_t now_ms) override {
        runtime_.fail(what, now_ms);
        return true;
    }
    std::optional<int> done() const override {
        return runtime_.leave_requested() ? std::optional<int>(kSwitchMode) : std::nullopt;
    }

private:
    DeskRuntime& runtime_;
    ViewTracker<DeskView> view_;
    ui::DeskUiState state_;
};

// Screenshot mode of the desk: every desk scene × language × contrast, or the one --screen names.
std::vector<Shot> planned_desk_shots(const std::string& file, const std::string& dir,
                                     const std::string& screen, const std::string& lang,
                                     const std::string& contrast, int w, int h);

class DeskScreenshotScreen final : public Screen {
public:
    DeskScreenshotScreen(const Strings& strings, std::vector<Shot> shots);
    bool ready() const { return sample_ != nullptr; }

    bool pump(std::int64_t) override { return false; }
    void update_view(std::int64_t) override { view_.set(sample_->view()); }
    bool high_contrast() const override { return view_.current().high_contrast; }
    bool view_changed() const override { return view_.changed(); }
    void draw(ui::Ui& ui) override;
    void tap(const Tap&, std::int64_t) override {}
    void after_render(const ui::Ui& ui, int fb_w, int fb_h) override;
    void drawn() override { view_.mark_drawn(); }
    bool continuous() const override { return true; }
    std::optional<int> done() const override { return shots_.status(); }

private:
    bool set_up(const Shot& s);

    const Strings& strings_;
    ShotSequence shots_;
    std::unique_ptr<DeskMachine> sample_;
    ViewTracker<DeskView> view_;
    ui::DeskUiState state_;
};

} // namespace accueil::kiosk::app
