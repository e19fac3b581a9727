#pragma once
// Screenshot mode: sample scenes (scenes.hpp) drawn into PNG files, with no workers and no database.
// --screenshot FILE renders the one asked for; --screenshot-dir DIR every scene x language x mode, in
// one process (starting a window per picture is the slow part).
#include "kiosk_screen.hpp"
#include "machine.hpp"
#include "strings.hpp"
#include "view_model.hpp"

#include <memory>
#include <string>
#include <vector>

namespace accueil::kiosk::app {

// One picture to render: a sample scene in a language and display mode.
struct Shot {
    std::string screen, lang, contrast, path;
};

// --screenshot FILE: {screen, lang, contrast, FILE}; --screenshot-dir DIR: every scene in fr and en,
// normal and high, named SCENE-LANG-CONTRAST-WxH.png.
std::vector<Shot> planned_shots(const std::string& file, const std::string& dir, const std::string& screen,
                                const std::string& lang, const std::string& contrast, int w, int h);

// Writes the back buffer (w x h) as a PNG.
bool write_screenshot(const std::string& path, int w, int h);

// The exit status of a screenshot run that drew a text too big for its box (ui::Overflow).
constexpr int kClipped = 3;

// Prints each of the frame's ui.overflows to stderr as
// clipped: SCENE LANG CONTRAST WxH: "text" needs WxH px in WxH
// and returns how many there were.
int report_overflows(const Shot& shot, const ui::Ui& ui, int fb_w, int fb_h);

// The shots one after the other, for either mode's screenshot screen: each drawn three frames (ImGui
// lays a new window out over the first ones), its clipped texts reported, then written.
class ShotSequence {
public:
    explicit ShotSequence(std::vector<Shot> shots) : shots_(std::move(shots)) {}
    bool empty() const { return shots_.empty(); }
    const Shot& current() const { return shots_[shot_]; }
    // After each rendered frame; true when the next shot is to be set up.
    bool frame_rendered(const ui::Ui& ui, int fb_w, int fb_h);
    // The exit status once every shot is written (kClipped when a text did not fit), or a write failed.
    std::optional<int> status() const { return status_; }

private:
    std::vector<Shot> shots_;
    std::size_t shot_ = 0;
    int frames_ = 0;
    int clipped_ = 0;
    std::optional<int> status_;
};

// Drives the shots: each scene set up on a fresh sample machine.
class ScreenshotScreen final : public ViewModelScreen {
public:
    ScreenshotScreen(const Strings& strings, const MachineOptions& options, std::vector<Shot> shots,
                     std::optional<GreyImage> preview);
    // False when the first shot's scene is unknown.
    bool ready() const { return sample_ != nullptr; }

    bool pump(std::int64_t) override { return false; }
    std::optional<GreyImage> take_preview() override { return std::exchange(preview_, std::nullopt); }
    void update_view(std::int64_t now_ms) override { view_.set(sample_->view(now_ms)); }
    void tap(const Tap& t, std::int64_t now_ms) override { sample_->handle(t, now_ms); }
    void after_render(const ui::Ui& ui, int fb_w, int fb_h) override;
    bool continuous() const override { return true; }
    std::optional<int> done() const override { return shots_.status(); }

private:
    bool set_up(const Shot& s);

    const Strings& strings_;
    MachineOptions options_;
    ShotSequence shots_;
    std::unique_ptr<Machine> sample_;
    std::optional<GreyImage> preview_;
};

} // namespace accueil::kiosk::app
