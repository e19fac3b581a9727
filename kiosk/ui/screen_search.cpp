// "I don't have my badge": type a name on an on-screen AZERTY keyboard with accents; only masked
// names ("Églantine D.") are listed.
#include "ui.hpp"

#include <algorithm>

namespace accueil::kiosk::ui {

namespace {
// Capitals: what the search folds anyway, and what is easiest to read on keys.
const std::vector<std::vector<std::string>> kRows = {
    {"A", "Z", "E", "R", "T", "Y", "U", "I", "O", "P"},
    {"Q", "S", "D", "F", "G", "H", "J", "K", "L", "M"},
    {"W", "X", "C", "V", "B", "N", "-", "'", "É", "È"},
    {"Ê", "À", "Ç", "Ë", "Ï", "Î", "Ô", "Ù", "Û", "Ü"},
};
} // namespace

void draw_search(Ui& ui, const ViewModel& vm, float top) {
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float m = 14 * ui.unit + 4;
    const float gap = 8 * ui.unit + 2;
    // Field and match rows: a touch target at least, and room left for five rows of full-size keys.
    const float row_h = std::clamp((ui.height - top) * 0.14f, ui.touch, ui.fonts.body->FontSize * 1.45f);

    // Row 1: what was typed (or the prompt), and Back.
    float y = top + m;
    const float back_w = std::max(ui.touch * 2.5f, ui.width * 0.16f);
    const float field_w = ui.width - 2 * m - back_w - gap;
    dl->AddRectFilled(ImVec2(m, y), ImVec2(m + field_w, y + row_h), vm.high_contrast ? p.background : p.panel,
                      8 * ui.unit);
    dl->AddRect(ImVec2(m, y), ImVec2(m + field_w, y + row_h), p.border, 8 * ui.unit, 0, 3);
    ImFont* f = ui.fonts.body;
    const float fs = std::min(f->FontSize, row_h / 1.25f);
    const std::string& field_text = vm.typed.empty() ? vm.typed_placeholder : vm.typed;
    const ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, field_text.c_str());
    const float tx = m + 16 * ui.unit;
    dl->PushClipRect(ImVec2(m, y), ImVec2(m + field_w, y + row_h), true);
    // Keep the end of a long name visible.
    const float shift = std::max(0.0f, ts.x - (field_w - 40 * ui.unit));
    dl->AddText(f, fs, ImVec2(tx - shift, y + (row_h - ts.y) / 2), vm.typed.empty() ? p.muted : p.text,
                field_text.c_str());
    if (!vm.typed.empty()) // the caret
        dl->AddRectFilled(ImVec2(tx - shift + ts.x + 4, y + row_h * 0.18f),
                          ImVec2(tx - shift + ts.x + 8, y + row_h * 0.82f), p.text);
    dl->PopClipRect();
    for (const auto& b : vm.actions)
        if (b.intent == Intent::Back && touch_button(ui, "##back", b.label, ImVec2(ui.width - m - back_w, y),
                                                     ImVec2(back_w, row_h), ui.fonts.body))
            ui.taps.push_back(Tap{Intent::Back});
    y += row_h + gap;

    // Row 2: the masked matches, or a sentence saying what to do.
    if (vm.choices.empty()) {
        const float width = ui.width - 2 * m;
        const float s = fit_scale(
            ui, vm.sentence, width, [&](float k) { return text_block_height(f, vm.sentence, width, k); },
            row_h, 0.5f);
        text_block(ui, f, vm.sentence,
                   ImVec2(m, y + (row_h - text_block_height(f, vm.sentence, width, s)) / 2), width, p.text,
                   true, s);
    } else {
        const float n = float(vm.choices.size());
        const float bw = (ui.width - 2 * m - gap * (n - 1)) / n;
        for (std::size_t i = 0; i < vm.choices.size(); ++i) {
            const auto& b = vm.choices[i];
            const std::string id = "##match" + std::to_string(i);
            if (touch_button(ui, id.c_str(), b.label, ImVec2(m + float(i) * (bw + gap), y), ImVec2(bw, row_h),
                             ui.fonts.body, true))
                ui.taps.push_back(Tap{b.intent, "", b.index});
        }
    }
    y += row_h + gap * 1.5f;

    // The keyboard fills the rest: four rows of ten keys, then time / space / erase.
    const float kb_bottom = ui.height - m;
    const float kgap = 6 * ui.unit + 1;
    const float kh = std::max(ui.touch, (kb_bottom - y - 4 * kgap) / 5);
    const float kw = std::max(ui.touch, (ui.width - 2 * m - 9 * kgap) / 10);
    const float kb_w = kw * 10 + kgap * 9;
    const float kx0 = (ui.width - kb_w) / 2;
    for (std::size_t r = 0; r < kRows.size(); ++r) {
        for (std::size_t c = 0; c < kRows[r].size(); ++c) {
            const std::string id = "##k" + std::to_string(r) + "_" + std::to_string(c);
            if (touch_button(ui, id.c_str(), kRows[r][c], ImVec2(kx0 + float(c) * (kw + kgap), y),
                             ImVec2(kw, kh), ui.fonts.key))
                ui.taps.push_back(Tap{Intent::Key, kRows[r][c]});
        }
        y += kh + kgap;
    }
    const float third = (kb_w - 2 * kgap) / 3;
    const std::string more = vm.more_time_label + " (" + std::to_string(std::max(0, vm.seconds_left)) + " s)";
    if (touch_button(ui, "##more", more, ImVec2(kx0, y), ImVec2(third, kh), ui.fonts.key))
        ui.taps.push_back(Tap{Intent::MoreTime});
    if (touch_button(ui, "##space", vm.space_label, ImVec2(kx0 + third + kgap, y), ImVec2(third, kh),
                     ui.fonts.key))
        ui.taps.push_back(Tap{Intent::Space});
    if (touch_button(ui, "##erase", "\u232B " + vm.backspace_label, ImVec2(kx0 + 2 * (third + kgap), y),
                     ImVec2(third, kh), ui.fonts.key))
        ui.taps.push_back(Tap{Intent::Backspace});
}

} // namespace accueil::kiosk::ui
