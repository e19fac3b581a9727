// The organiser PIN: a dot per digit typed (never the digits), a telephone keypad, Confirm and Back.
#include "ui.hpp"

#include <algorithm>

namespace accueil::kiosk::ui {

void draw_pin(Ui& ui, const ViewModel& vm, float top) {
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bottom = action_row(ui, vm);
    const float m = 16 * ui.unit + 4;
    const float gap = 10 * ui.unit;
    ImFont* f = ui.fonts.body;
    float y = top + m;
    // Title and what to do, left; the keypad, right (or below on a narrow window).
    const float keypad_w = std::min(ui.width * 0.42f, (bottom - top - 2 * m) * 0.78f);
    const float text_w = ui.width - keypad_w - 3 * m;
    const float fh = f->FontSize * 1.5f;
    // Large text on a small window: smaller letters rather than words under the field or the buttons.
    const float scale = fit_scale(
        [&](float k) {
            return text_block_height(ui.fonts.title, vm.title, text_w, k) +
                   text_block_height(f, vm.sentence, text_w, k) + 2 * gap + fh;
        },
        bottom - y - m, 0.5f);
    y += text_block(ui, ui.fonts.title, vm.title, ImVec2(m, y), text_w, p.text, false, scale) + gap;
    y += text_block(ui, f, vm.sentence, ImVec2(m, y), text_w, vm.tone == Tone::Error ? p.error : p.text,
                    false, scale) +
         gap;
    // The field: dots, or the placeholder.
    dl->AddRectFilled(ImVec2(m, y), ImVec2(m + text_w, y + fh), vm.high_contrast ? p.background : p.panel,
                      8 * ui.unit);
    dl->AddRect(ImVec2(m, y), ImVec2(m + text_w, y + fh), p.border, 8 * ui.unit, 0, 3);
    const std::string& shown = vm.typed.empty() ? vm.typed_placeholder : vm.typed;
    const ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown.c_str());
    check_fit(ui, shown, ts, ImVec2(text_w - 32 * ui.unit, fh));
    dl->AddText(f, f->FontSize, ImVec2(m + 16 * ui.unit, y + (fh - ts.y) / 2),
                vm.typed.empty() ? p.muted : p.text, shown.c_str());

    static const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "\u232B", "0", ""};
    const float kx0 = ui.width - m - keypad_w;
    const float kw = (keypad_w - 2 * gap) / 3;
    const float kh = std::max(ui.touch, (bottom - top - 2 * m - 3 * gap) / 4);
    for (int i = 0; i < 12; ++i) {
        if (!*keys[i])
            continue;
        const ImVec2 pos(kx0 + float(i % 3) * (kw + gap), top + m + float(i / 3) * (kh + gap));
        const std::string id = "##pin" + std::to_string(i);
        if (touch_button(ui, id.c_str(), keys[i], pos, ImVec2(kw, kh), ui.fonts.key))
            ui.taps.push_back(i == 9 ? Tap{Intent::Backspace} : Tap{Intent::Key, keys[i]});
    }
}

} // namespace accueil::kiosk::ui
