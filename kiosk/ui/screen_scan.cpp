// The start screen: "Scan your badge", the live preview to aim with, and "I don't have my badge".
#include "ui.hpp"

#include <algorithm>

namespace accueil::kiosk::ui {

void draw_camera_and_words(Ui& ui, const ViewModel& vm, float top, float bottom) {
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float margin = 36 * ui.unit;
    const float avail_h = bottom - top - 2 * margin;
    // Left: the preview (or the camera note); right: the words.
    const float left_w = std::min(ui.width * 0.42f, avail_h * 16.0f / 9.0f * 1.2f);
    const float x0 = margin, y0 = top + margin;
    float pw = left_w, ph = left_w * 9.0f / 16.0f;
    if (ui.preview && ui.preview_w > 0)
        ph = pw * float(ui.preview_h) / float(ui.preview_w);
    if (ph > avail_h) {
        pw *= avail_h / ph;
        ph = avail_h;
    }
    const float py = y0 + (avail_h - ph) / 2;
    if (vm.show_preview && ui.preview) {
        // Mirrored, like a mirror: people move the badge the way they expect.
        dl->AddImage(ui.preview, ImVec2(x0, py), ImVec2(x0 + pw, py + ph), ImVec2(1, 0), ImVec2(0, 1));
        dl->AddRect(ImVec2(x0, py), ImVec2(x0 + pw, py + ph), p.border, 0, 0, 3);
    } else {
        dl->AddRectFilled(ImVec2(x0, py), ImVec2(x0 + pw, py + ph), vm.high_contrast ? p.background : p.panel,
                          12 * ui.unit);
        dl->AddRect(ImVec2(x0, py), ImVec2(x0 + pw, py + ph), p.border, 12 * ui.unit, 0, 2);
        const float r = std::min(pw, ph) * 0.22f;
        draw_icon(dl, vm.icon, ImVec2(x0 + pw / 2, py + ph * 0.36f), r,
                  vm.tone == Tone::Neutral ? p.primary : p.tone(vm.tone),
                  vm.high_contrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255));
        if (!vm.camera_note.empty())
            text_block(ui, ui.fonts.status, vm.camera_note, ImVec2(x0 + 12 * ui.unit, py + ph * 0.66f),
                       pw - 24 * ui.unit, p.text);
    }
    const float tx = x0 + left_w + margin;
    const float tw = ui.width - tx - margin;
    const float gap = 20 * ui.unit;
    auto height_at = [&](float s) {
        return text_block_height(ui.fonts.title, vm.title, tw, s) + gap +
               text_block_height(ui.fonts.body, vm.sentence, tw, s);
    };
    const float scale = fit_scale(ui, vm.title + " " + vm.sentence, tw, height_at, avail_h);
    float y = y0 + std::max(0.0f, (avail_h - height_at(scale)) / 2);
    const ImU32 title_col = vm.tone == Tone::Neutral ? p.text : p.tone(vm.tone);
    y += text_block(ui, ui.fonts.title, vm.title, ImVec2(tx, y), tw, title_col, false, scale) + gap;
    text_block(ui, ui.fonts.body, vm.sentence, ImVec2(tx, y), tw, p.text, false, scale);
}

void draw_scan(Ui& ui, const ViewModel& vm, float top) {
    // The status line's clock: five taps open the organiser PIN screen (machine.cpp counts them).
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("##clock", ImVec2(ui.width * 0.3f, top)))
        ui.taps.push_back(Tap{Intent::Organiser});
    draw_camera_and_words(ui, vm, top, action_row(ui, vm));
}

} // namespace accueil::kiosk::ui
