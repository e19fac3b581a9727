// Colours, font sizes and the font atlas (capitals >= 6 mm, high contrast mode).
#include "ui.hpp"

#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace accueil::kiosk::ui {

ImU32 Palette::tone(Tone t) const {
    switch (t) {
    case Tone::Success:
        return success;
    case Tone::Info:
        return info;
    case Tone::Warning:
        return warning;
    case Tone::Error:
        return error;
    case Tone::Neutral:
        break;
    }
    return text;
}

ImU32 Palette::tone_background(Tone t) const {
    switch (t) {
    case Tone::Success:
        return success_bg;
    case Tone::Info:
        return info_bg;
    case Tone::Warning:
        return warning_bg;
    case Tone::Error:
        return error_bg;
    case Tone::Neutral:
        break;
    }
    return background;
}

Palette make_palette(bool high_contrast) {
    Palette p{};
    if (!high_contrast) {
        // Dark text on warm white; tone colours dark enough for 4.5:1 on their light tints.
        p.background = IM_COL32(247, 246, 241, 255);
        p.text = IM_COL32(26, 26, 26, 255);
        p.muted = IM_COL32(80, 80, 80, 255);
        p.panel = IM_COL32(255, 255, 255, 255);
        p.button = IM_COL32(232, 232, 226, 255);
        p.button_text = IM_COL32(20, 20, 20, 255);
        p.button_pressed = IM_COL32(200, 200, 190, 255);
        p.border = IM_COL32(110, 110, 110, 255);
        p.primary = IM_COL32(24, 74, 140, 255);
        p.primary_text = IM_COL32(255, 255, 255, 255);
        p.success = IM_COL32(22, 110, 50, 255);
        p.info = IM_COL32(24, 84, 160, 255);
        p.warning = IM_COL32(150, 75, 0, 255);
        p.error = IM_COL32(170, 30, 30, 255);
        p.success_bg = IM_COL32(222, 243, 228, 255);
        p.info_bg = IM_COL32(224, 236, 250, 255);
        p.warning_bg = IM_COL32(253, 238, 214, 255);
        p.error_bg = IM_COL32(251, 226, 224, 255);
    } else {
        // Pure black and white, bright accents, thick borders.
        p.background = IM_COL32(0, 0, 0, 255);
        p.text = IM_COL32(255, 255, 255, 255);
        p.muted = IM_COL32(230, 230, 230, 255);
        p.panel = IM_COL32(0, 0, 0, 255);
        p.button = IM_COL32(0, 0, 0, 255);
        p.button_text = IM_COL32(255, 236, 0, 255);
        p.button_pressed = IM_COL32(70, 70, 0, 255);
        p.border = IM_COL32(255, 255, 255, 255);
        p.primary = IM_COL32(255, 236, 0, 255);
        p.primary_text = IM_COL32(0, 0, 0, 255);
        p.success = IM_COL32(80, 255, 130, 255);
        p.info = IM_COL32(120, 200, 255, 255);
        p.warning = IM_COL32(255, 180, 0, 255);
        p.error = IM_COL32(255, 110, 110, 255);
        p.success_bg = p.info_bg = p.warning_bg = p.error_bg = p.background;
    }
    return p;
}

FontSizes font_sizes(float h, bool high_contrast) {
    // Body capitals (0.73 em in DejaVu Sans) stay >= 32 px (6 mm at 135 dpi) on every window size.
    const float k = high_contrast ? 1.25f : 1.0f;
    FontSizes s;
    s.status = std::max(22.0f, h * 0.034f) * k;
    s.body = std::max(44.0f, h * 0.056f) * k;
    s.key = std::max(30.0f, h * 0.05f) * std::min(k, 1.1f);
    s.title = std::max(54.0f, h * 0.08f) * k;
    s.huge = std::max(60.0f, h * 0.1f) * k;
    return s;
}

void build_fonts(Fonts& fonts, const FontSizes& sizes, const std::string& regular, const std::string& bold) {
    for (const auto& f : {regular, bold})
        if (!std::filesystem::exists(f))
            throw std::runtime_error(f + ": font file missing (install fonts-dejavu-core)");
    // Latin-1, Latin Extended-A (Œ, œ), typographic punctuation (’ « » … –), arrows and the erase sign.
    static const ImWchar ranges[] = {0x0020, 0x017F, 0x2010, 0x2027, 0x202F, 0x202F, 0x20AC,
                                     0x20AC, 0x2190, 0x2193, 0x232B, 0x232B, 0};
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    // The texture as tall as the glyphs need, not the next power of two: a software renderer keeps it
    // in main memory (1024x1809 instead of 1024x2048 at 800 px).
    io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    ImFontConfig cfg;
    cfg.OversampleH = 1; // large sizes need no horizontal oversampling: halves the atlas
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    fonts.status = io.Fonts->AddFontFromFileTTF(regular.c_str(), sizes.status, &cfg, ranges);
    fonts.body = io.Fonts->AddFontFromFileTTF(regular.c_str(), sizes.body, &cfg, ranges);
    fonts.key = io.Fonts->AddFontFromFileTTF(bold.c_str(), sizes.key, &cfg, ranges);
    fonts.title = io.Fonts->AddFontFromFileTTF(bold.c_str(), sizes.title, &cfg, ranges);
    fonts.huge = io.Fonts->AddFontFromFileTTF(bold.c_str(), sizes.huge, &cfg, ranges);
    if (!fonts.status || !fonts.body || !fonts.key || !fonts.title || !fonts.huge)
        throw std::runtime_error("cannot load the DejaVu fonts");
    io.Fonts->Build();
}

} // namespace accueil::kiosk::ui
