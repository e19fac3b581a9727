// Outside the opening hours: black, with when it opens in small grey type, in both languages. The
// backlight is at its minimum meanwhile (backlight.hpp); a touch anywhere lights the words for a while.
#include "ui.hpp"

namespace accueil::kiosk::ui {

void draw_closed(Ui& ui, const ViewModel& vm) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ui.width, ui.height), IM_COL32(0, 0, 0, 255));
    // Dark: barely there (the panel is dimmed too); lit: plainly readable, still on black.
    const ImU32 strong = vm.lit ? IM_COL32(235, 235, 235, 255) : IM_COL32(110, 110, 110, 255);
    const ImU32 soft = vm.lit ? IM_COL32(190, 190, 190, 255) : IM_COL32(80, 80, 80, 255);
    ImFont* f = ui.fonts.status;
    const float margin = 40 * ui.unit;
    const float width = ui.width - 2 * margin;
    const float gap = f->FontSize * 0.6f;
    const float h = text_block_height(f, vm.title, width) + text_block_height(f, vm.sentence, width) +
                    text_block_height(f, vm.hint, width) + 2 * gap;
    float y = std::max(margin, (ui.height - h) / 2);
    y += text_block(ui, f, vm.title, ImVec2(margin, y), width, strong) + gap;
    y += text_block(ui, f, vm.sentence, ImVec2(margin, y), width, strong) + gap;
    text_block(ui, f, vm.hint, ImVec2(margin, y), width, soft);
    // The whole screen is one touch target: any touch wakes it.
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("##closed", ImVec2(ui.width, ui.height)))
        ui.taps.push_back(Tap{Intent::Ok});
}

} // namespace accueil::kiosk::ui
