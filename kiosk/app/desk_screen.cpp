#include "desk_screen.hpp"

#include "capture.hpp" // wall_ms
#include "desk_scenes.hpp"

#include <GLFW/glfw3.h>

#include <cstdio>
#include <filesystem>

namespace accueil::kiosk::app {

bool DeskScreen::pump(std::int64_t now_ms) {
    const bool changed = runtime_.pump(now_ms);
    (void)runtime_.take_preview(); // the desk shows no camera picture: its codes are enough
    return changed;
}

void DeskScreen::key_press(int key, std::int64_t at_ms) {
    switch (key) {
    case GLFW_KEY_ESCAPE:
        runtime_.key(DeskKey{DeskKey::Escape}, at_ms);
        break;
    case GLFW_KEY_BACKSPACE:
        runtime_.key(DeskKey{DeskKey::Backspace}, at_ms);
        break;
    case GLFW_KEY_UP:
        runtime_.key(DeskKey{DeskKey::Up}, at_ms);
        break;
    case GLFW_KEY_DOWN:
        runtime_.key(DeskKey{DeskKey::Down}, at_ms);
        break;
    case GLFW_KEY_F2:
        runtime_.tap(DeskTap{DeskAct::WalkIn}, at_ms);
        break;
    default:
        break;
    }
}

void DeskScreen::draw(ui::Ui& ui) {
    ui::DeskInputOut out;
    ui::draw_desk_view(ui, view_.current(), state_, out);
    const std::int64_t now = wall_ms();
    for (const auto& k : out.keys)
        runtime_.key(k, now);
    for (const auto& t : out.taps)
        runtime_.tap(t, now);
    if (!out.keys.empty() || !out.taps.empty())
        ui.taps.push_back(Tap{Intent::MoreTime}); // tells the loop that input arrived (a burst of frames)
}

std::vector<Shot> planned_desk_shots(const std::string& file, const std::string& dir,
                                     const std::string& screen, const std::string& lang,
                                     const std::string& contrast, int w, int h) {
    if (!file.empty())
        return {{screen, lang, contrast, file}};
    std::vector<Shot> shots;
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    for (const auto& scene : desk_scene_names())
        for (const char* l : {"fr", "en"})
            for (const char* c : {"normal", "high"})
                shots.push_back({scene, l, c,
                                 (std::filesystem::path(dir) /
                                  ("desk-" + scene + "-" + l + "-" + c + "-" + size + ".png"))
                                     .string()});
    return shots;
}

DeskScreenshotScreen::DeskScreenshotScreen(const Strings& strings, std::vector<Shot> shots)
    : strings_(strings), shots_(std::move(shots)) {
    if (!shots_.empty() && !set_up(shots_.current()))
        sample_.reset();
}

bool DeskScreenshotScreen::set_up(const Shot& s) {
    sample_ = std::make_unique<DeskMachine>(strings_);
    state_ = {};
    if (!drive_to_desk_scene(*sample_, s.screen))
        return false;
    if (s.lang == "en")
        sample_->handle(DeskTap{DeskAct::SwitchLanguage}, 0);
    if (s.contrast == "high")
        sample_->handle(DeskTap{DeskAct::ToggleContrast}, 0);
    return true;
}

void DeskScreenshotScreen::draw(ui::Ui& ui) {
    ui::DeskInputOut ignored; // sample scenes stay as they are
    ui::draw_desk_view(ui, view_.current(), state_, ignored);
}

void DeskScreenshotScreen::after_render(const ui::Ui& ui, int fb_w, int fb_h) {
    if (shots_.frame_rendered(ui, fb_w, fb_h))
        set_up(shots_.current());
}

} // namespace accueil::kiosk::app
