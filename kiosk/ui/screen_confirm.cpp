// Identity check before a check-in without a badge: which of these last names is yours?
#include "ui.hpp"

#include <algorithm>

namespace accueil::kiosk::ui {

void draw_confirm(Ui& ui, const ViewModel& vm, float top) {
    const Palette& p = ui.palette;
    const float bottom = action_row(ui, vm);
    const float margin = 30 * ui.unit;
    const float width = ui.width - 2 * margin;
    float y = top + margin * 0.6f;
    // Options two by two, then "none of these" across.
    const float gap = 16 * ui.unit;
    const std::size_t n = vm.choices.size();
    const std::size_t grid = n > 0 ? n - 1 : 0;
    const float rows = float((grid + 1) / 2) + 1;
    // The question shrinks on a small window so that every answer keeps a full-size touch target.
    const float scale = fit_scale(
        ui, vm.title + " " + vm.sentence, width,
        [&](float s) {
            return text_block_height(ui.fonts.title, vm.title, width, s) +
                   text_block_height(ui.fonts.body, vm.sentence, width, s) + 22 * ui.unit;
        },
        bottom - y - rows * (ui.touch + gap));
    y +=
        text_block(ui, ui.fonts.title, vm.title, ImVec2(margin, y), width, p.text, true, scale) + 8 * ui.unit;
    y += text_block(ui, ui.fonts.body, vm.sentence, ImVec2(margin, y), width, p.text, true, scale) +
         14 * ui.unit;
    const float bh = std::clamp((bottom - y - gap * rows) / rows, ui.touch, ui.fonts.body->FontSize * 1.8f);
    const float bw = (width - gap) / 2;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& b = vm.choices[i];
        const bool last = i + 1 == n;
        const float x = last ? margin : margin + float(i % 2) * (bw + gap);
        const float w = last ? width : bw;
        const std::string id = "##choice" + std::to_string(i);
        if (touch_button(ui, id.c_str(), b.label, ImVec2(x, y), ImVec2(w, bh), ui.fonts.body))
            ui.taps.push_back(Tap{b.intent, "", b.index});
        if (last || i % 2 == 1)
            y += bh + gap;
    }
}

} // namespace accueil::kiosk::ui
