#include "screenshots.hpp"

#include "capture.hpp" // wall_ms
#include "scenes.hpp"

#include <stb_image_write.h>

#include <GL/gl.h>

#include <cstdio>
#include <filesystem>

namespace accueil::kiosk::app {

std::vector<Shot> planned_shots(const std::string& file, const std::string& dir, const std::string& screen,
                                const std::string& lang, const std::string& contrast, int w, int h) {
    if (!file.empty())
        return {{screen, lang, contrast, file}};
    std::vector<Shot> shots;
    if (dir.empty())
        return shots;
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    for (const auto& scene : scene_names())
        for (const char* l : {"fr", "en"})
            for (const char* c : {"normal", "high"})
                shots.push_back(
                    {scene, l, c,
                     (std::filesystem::path(dir) / (scene + "-" + l + "-" + c + "-" + size + ".png"))
                         .string()});
    return shots;
}

bool write_screenshot(const std::string& path, int w, int h) {
    std::vector<std::uint8_t> pixels(std::size_t(w) * std::size_t(h) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    stbi_flip_vertically_on_write(1); // OpenGL rows go bottom-up
    return stbi_write_png(path.c_str(), w, h, 3, pixels.data(), w * 3) != 0;
}

int report_overflows(const Shot& shot, const ui::Ui& ui, int fb_w, int fb_h) {
    for (const auto& o : ui.overflows)
        std::fprintf(stderr, "clipped: %s %s %s %dx%d: \"%s\" needs %.0fx%.0f px in %.0fx%.0f\n",
                     shot.screen.c_str(), shot.lang.c_str(), shot.contrast.c_str(), fb_w, fb_h,
                     o.text.c_str(), double(o.needs.x), double(o.needs.y), double(o.box.x), double(o.box.y));
    return int(ui.overflows.size());
}

ScreenshotScreen::ScreenshotScreen(const Strings& strings, const MachineOptions& options,
                                   std::vector<Shot> shots, std::optional<GreyImage> preview)
    : strings_(strings), options_(options), shots_(std::move(shots)), preview_(std::move(preview)) {
    if (!shots_.empty() && !set_up(shots_.current()))
        sample_.reset();
}

bool ScreenshotScreen::set_up(const Shot& s) {
    sample_ = std::make_unique<Machine>(strings_, options_);
    if (!drive_to_scene(*sample_, s.screen, wall_ms()))
        return false;
    if (s.lang == "en")
        sample_->handle(Tap{Intent::SwitchLanguage}, wall_ms());
    if (s.contrast == "high")
        sample_->handle(Tap{Intent::ToggleContrast}, wall_ms());
    return true;
}

bool ShotSequence::frame_rendered(const ui::Ui& ui, int fb_w, int fb_h) {
    if (status_ || ++frames_ < 3)
        return false;
    const Shot& shot = shots_[shot_];
    // The frame written is the one checked: every text measured against the box it must fit.
    clipped_ += report_overflows(shot, ui, fb_w, fb_h);
    if (!write_screenshot(shot.path, fb_w, fb_h)) {
        std::fprintf(stderr, "accueil-kiosk: cannot write %s\n", shot.path.c_str());
        status_ = 1;
        return false;
    }
    frames_ = 0;
    if (++shot_ < shots_.size())
        return true;
    status_ = clipped_ > 0 ? kClipped : 0;
    return false;
}

void ScreenshotScreen::after_render(const ui::Ui& ui, int fb_w, int fb_h) {
    if (shots_.frame_rendered(ui, fb_w, fb_h))
        set_up(shots_.current());
}

} // namespace accueil::kiosk::app
