// Pieces every screen uses: big touch buttons (act on release, never on hover), wrapped text, icon
// shapes drawn with primitives, the status line and the bottom action row.
#include "ui.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace accueil::kiosk::ui {

namespace {
// `cut`, when given, is set to the first word too long for a line (then cut where it is).
std::vector<std::string> wrap_lines(ImFont* font, const std::string& text, float width, float scale,
                                    std::string* cut = nullptr) {
    std::vector<std::string> lines;
    const char* s = text.c_str();
    const char* end = s + text.size();
    while (s < end) {
        const char* nl = static_cast<const char*>(std::memchr(s, '\n', std::size_t(end - s)));
        const char* para_end = nl ? nl : end;
        while (s < para_end) {
            const char* wrap = font->CalcWordWrapPositionA(scale, s, para_end, width);
            if (wrap == s) // a single word wider than the line: cut it where it is
                wrap = s + 1;
            // ImGui also breaks after a dot or a comma inside a word ("192.168.|1.20"): an address or a
            // file's path goes whole to the next line instead; one longer than a line breaks after a slash.
            if (wrap < para_end && *wrap != ' ' && wrap[-1] != ' ') {
                const char* word = wrap;
                while (word > s && word[-1] != ' ')
                    --word;
                if (word > s)
                    wrap = word;
                else
                    for (const char* slash = wrap - 1; slash > s; --slash)
                        if (*slash == '/') {
                            wrap = slash + 1;
                            break;
                        }
            }
            // ImGui cuts a word longer than the line inside it: no space at the cut.
            if (cut && cut->empty() && wrap < para_end && *wrap != ' ' && wrap[-1] != ' ' &&
                wrap[-1] != '/') {
                const char* word = wrap;
                while (word > s && word[-1] != ' ')
                    --word;
                const char* word_end = wrap;
                while (word_end < para_end && *word_end != ' ')
                    ++word_end;
                *cut = std::string(word, word_end);
            }
            std::string line(s, wrap);
            while (!line.empty() && line.back() == ' ')
                line.pop_back();
            lines.push_back(line);
            s = wrap;
            while (s < para_end && *s == ' ')
                ++s;
        }
        s = para_end + (nl ? 1 : 0);
    }
    return lines;
}
} // namespace

void check_fit(Ui& ui, const std::string& text, ImVec2 needs, ImVec2 box) {
    constexpr float kRounding = 0.5f; // sizes are floats; text is drawn at whole pixels
    if (needs.x > box.x + kRounding || needs.y > box.y + kRounding)
        ui.overflows.push_back({text, needs, box});
}

float text_block_height(ImFont* font, const std::string& text, float width, float scale) {
    return float(wrap_lines(font, text, width, scale).size()) * font->FontSize * scale * 1.15f;
}

float text_block(Ui& ui, ImFont* font, const std::string& text, ImVec2 pos, float width, ImU32 colour,
                 bool centred, float scale) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float size_px = font->FontSize * scale;
    float y = pos.y;
    std::string cut;
    for (const auto& line : wrap_lines(font, text, width, scale, &cut)) {
        const ImVec2 size = font->CalcTextSizeA(size_px, FLT_MAX, 0, line.c_str());
        check_fit(ui, line, size, ImVec2(width, size_px * 1.15f));
        const float x = centred ? pos.x + (width - size.x) / 2 : pos.x;
        dl->AddText(font, size_px, ImVec2(std::floor(x), std::floor(y)), colour, line.c_str());
        y += size_px * 1.15f;
    }
    if (!cut.empty()) // a word in pieces reads as two: too long for the line
        check_fit(ui, cut, font->CalcTextSizeA(size_px, FLT_MAX, 0, cut.c_str()),
                  ImVec2(width, size_px * 1.15f));
    // Nothing below the window's bottom edge.
    check_fit(ui, text, ImVec2(width, y - pos.y), ImVec2(width, std::max(0.0f, ui.height - pos.y)));
    return y - pos.y;
}

bool touch_button(Ui& ui, const char* id, const std::string& label, ImVec2 pos, ImVec2 size, ImFont* font,
                  bool primary) {
    size.x = std::max(size.x, ui.touch);
    size.y = std::max(size.y, ui.touch);
    ImGui::SetCursorScreenPos(pos);
    // InvisibleButton reports a click on release inside it: a touch that slides off does nothing.
    const bool clicked = ImGui::InvisibleButton(id, size);
    const bool held = ImGui::IsItemActive();
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float rounding = 10 * ui.unit;
    const ImU32 fill = held ? p.button_pressed : (primary ? p.primary : p.button);
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), fill, rounding);
    dl->AddRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.border, rounding, 0,
                ui.palette.background == IM_COL32(0, 0, 0, 255) ? 3.0f : 1.5f);
    // Shrink the label's font if it does not fit (long translations), never below the key font.
    // (and to the button's height on a small window); clipped only past half size.
    float fs = std::min(font->FontSize, size.y / 1.15f);
    ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str());
    const float room = size.x - 16 * ui.unit;
    if (ts.x > room) {
        fs = std::max(fs * room / ts.x, font->FontSize * 0.5f);
        ts = font->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str());
    }
    check_fit(ui, label, ts, size);
    dl->PushClipRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), true);
    dl->AddText(font, fs,
                ImVec2(std::floor(pos.x + (size.x - ts.x) / 2), std::floor(pos.y + (size.y - ts.y) / 2)),
                primary && !held ? p.primary_text : p.button_text, label.c_str());
    dl->PopClipRect();
    return clicked;
}

void draw_icon(ImDrawList* dl, Icon icon, ImVec2 c, float r, ImU32 col, ImU32 on) {
    const float t = std::max(3.0f, r * 0.16f);
    auto P = [&](float x, float y) { return ImVec2(c.x + x * r, c.y + y * r); };
    switch (icon) {
    case Icon::None:
        return;
    case Icon::Check:
        dl->AddCircleFilled(c, r, col, 64);
        {
            const ImVec2 pts[] = {P(-0.45f, 0.02f), P(-0.12f, 0.35f), P(0.5f, -0.32f)};
            dl->AddPolyline(pts, 3, on, 0, t * 1.2f);
        }
        return;
    case Icon::Repeat: // a clock: "already, at 9:12"
        dl->AddCircleFilled(c, r, col, 64);
        dl->AddCircle(c, r * 0.68f, on, 48, t * 0.7f);
        dl->AddLine(c, P(0, -0.5f), on, t * 0.8f);
        dl->AddLine(c, P(0.36f, 0.12f), on, t * 0.8f);
        return;
    case Icon::Calendar:
        dl->AddRectFilled(P(-0.85f, -0.75f), P(0.85f, 0.85f), col, r * 0.12f);
        dl->AddRectFilled(P(-0.7f, -0.35f), P(0.7f, 0.7f), on, r * 0.06f);
        dl->AddLine(P(-0.45f, -0.95f), P(-0.45f, -0.6f), col, t);
        dl->AddLine(P(0.45f, -0.95f), P(0.45f, -0.6f), col, t);
        dl->AddLine(P(-0.3f, -0.15f), P(0.3f, 0.5f), col, t);
        dl->AddLine(P(0.3f, -0.15f), P(-0.3f, 0.5f), col, t);
        return;
    case Icon::Triangle:
        dl->AddTriangleFilled(P(0, -0.95f), P(0.98f, 0.8f), P(-0.98f, 0.8f), col);
        dl->AddLine(P(0, -0.4f), P(0, 0.28f), on, t * 1.1f);
        dl->AddCircleFilled(P(0, 0.55f), t * 0.75f, on);
        return;
    case Icon::Cross:
        dl->AddCircleFilled(c, r, col, 64);
        dl->AddLine(P(-0.42f, -0.42f), P(0.42f, 0.42f), on, t * 1.2f);
        dl->AddLine(P(0.42f, -0.42f), P(-0.42f, 0.42f), on, t * 1.2f);
        return;
    case Icon::Question:
        dl->AddCircleFilled(c, r, col, 64);
        dl->PathArcTo(P(0, -0.22f), r * 0.3f, 3.14159f * 1.0f, 3.14159f * 2.4f, 24);
        dl->PathLineTo(P(0, 0.2f));
        dl->PathStroke(on, 0, t);
        dl->AddCircleFilled(P(0, 0.52f), t * 0.75f, on);
        return;
    case Icon::Desk: // an arrow towards the desk
        dl->AddCircleFilled(c, r, col, 64);
        dl->AddLine(P(-0.5f, 0), P(0.45f, 0), on, t * 1.1f);
        dl->AddTriangleFilled(P(0.6f, 0), P(0.15f, -0.4f), P(0.15f, 0.4f), on);
        return;
    case Icon::Stop: {
        ImVec2 pts[8];
        for (int i = 0; i < 8; ++i) {
            const float a = 3.14159f / 8 + float(i) * 3.14159f / 4;
            pts[i] = P(std::cos(a), std::sin(a));
        }
        dl->AddConvexPolyFilled(pts, 8, col);
        dl->AddRectFilled(P(-0.55f, -0.14f), P(0.55f, 0.14f), on);
        return;
    }
    case Icon::Badge: // a badge card with a QR hint
        dl->AddRectFilled(P(-0.7f, -0.95f), P(0.7f, 0.95f), col, r * 0.12f);
        dl->AddRectFilled(P(-0.5f, -0.3f), P(0.5f, 0.7f), on);
        for (const auto& [x, y] :
             {std::pair{-0.42f, -0.22f}, std::pair{0.12f, -0.22f}, std::pair{-0.42f, 0.32f}})
            dl->AddRectFilled(P(x, y), P(x + 0.3f, y + 0.3f), col);
        dl->AddRectFilled(P(-0.2f, -0.75f), P(0.2f, -0.6f), on, r * 0.05f);
        return;
    case Icon::Hourglass:
        dl->AddTriangleFilled(P(-0.6f, -0.85f), P(0.6f, -0.85f), P(0, 0), col);
        dl->AddTriangleFilled(P(0, 0), P(0.6f, 0.85f), P(-0.6f, 0.85f), col);
        return;
    case Icon::Search:
        dl->AddCircle(P(-0.15f, -0.15f), r * 0.55f, col, 48, t);
        dl->AddLine(P(0.25f, 0.25f), P(0.8f, 0.8f), col, t * 1.4f);
        return;
    case Icon::Gear: { // not set up: a cog wheel, eight teeth
        dl->AddCircleFilled(c, r * 0.72f, col, 48);
        for (int i = 0; i < 8; ++i) {
            const float a = float(i) * 3.14159f / 4, ca = std::cos(a), sa = std::sin(a);
            const float w = 0.17f; // half the width of a tooth
            const ImVec2 q[] = {
                P(0.6f * ca - w * sa, 0.6f * sa + w * ca), P(0.98f * ca - w * sa, 0.98f * sa + w * ca),
                P(0.98f * ca + w * sa, 0.98f * sa - w * ca), P(0.6f * ca + w * sa, 0.6f * sa - w * ca)};
            dl->AddConvexPolyFilled(q, 4, col);
        }
        dl->AddCircleFilled(c, r * 0.3f, on, 32);
        return;
    }
    case Icon::Key:
        dl->AddCircle(P(-0.45f, 0), r * 0.35f, col, 32, t);
        dl->AddLine(P(-0.1f, 0), P(0.85f, 0), col, t);
        dl->AddLine(P(0.55f, 0), P(0.55f, 0.35f), col, t);
        dl->AddLine(P(0.8f, 0), P(0.8f, 0.3f), col, t);
        return;
    }
}

float status_line(Ui& ui, const ViewModel& vm) {
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = std::max(ui.touch + 8 * ui.unit, ui.fonts.status->FontSize * 1.9f);
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ui.width, h), vm.high_contrast ? p.background : p.panel);
    dl->AddLine(ImVec2(0, h), ImVec2(ui.width, h), p.border, vm.high_contrast ? 3.0f : 1.0f);
    ImFont* f = ui.fonts.status;
    const float pad = 14 * ui.unit;

    // Right: language and contrast switches, big enough to touch.
    const float bw_lang =
        std::max(ui.touch * 2.6f,
                 f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, vm.language_label.c_str()).x + 32 * ui.unit);
    const float bw_con =
        std::max(ui.touch * 2.6f,
                 f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, vm.contrast_label.c_str()).x + 32 * ui.unit);
    const float bh = h - 8 * ui.unit;
    float bx = ui.width - pad - bw_lang;
    if (touch_button(ui, "##lang", vm.language_label, ImVec2(bx, 4 * ui.unit), ImVec2(bw_lang, bh), f))
        ui.taps.push_back(Tap{Intent::SwitchLanguage});
    bx -= bw_con + 10 * ui.unit;
    if (touch_button(ui, "##contrast", vm.contrast_label, ImVec2(bx, 4 * ui.unit), ImVec2(bw_con, bh), f))
        ui.taps.push_back(Tap{Intent::ToggleContrast});

    // Left: kiosk, time and sync state, smaller when the switches leave little room (never under them).
    std::string left = vm.kiosk_name + "  ·  " + vm.clock;
    const float room = bx - 12 * ui.unit - pad;
    auto width_at = [&](float scale) {
        const float fs = f->FontSize * scale;
        return f->CalcTextSizeA(fs, FLT_MAX, 0, left.c_str()).x + 24 * ui.unit + fs * 0.8f +
               f->CalcTextSizeA(fs, FLT_MAX, 0, vm.sync_text.c_str()).x;
    };
    float scale = fit_scale(width_at, room, 0.7f);
    if (width_at(scale) > room) { // the volunteers know which kiosk this is: keep the time and sync state
        left = vm.clock;
        scale = fit_scale(width_at, room, 0.7f);
    }
    const float fs = f->FontSize * scale;
    check_fit(ui, left + "  " + vm.sync_text, ImVec2(width_at(scale), fs), ImVec2(room, h));
    const float ty = (h - fs) / 2;
    dl->PushClipRect(ImVec2(0, 0), ImVec2(pad + room, h), true);
    dl->AddText(f, fs, ImVec2(pad, ty), p.text, left.c_str());
    const float x = pad + f->CalcTextSizeA(fs, FLT_MAX, 0, left.c_str()).x + 24 * ui.unit;
    // Sync state: a dot shape plus words, never colour alone.
    const ImU32 sc = p.tone(vm.sync_tone);
    dl->AddCircleFilled(ImVec2(x + fs * 0.3f, h / 2), fs * 0.28f, sc);
    dl->AddText(f, fs, ImVec2(x + fs * 0.8f, ty), p.text, vm.sync_text.c_str());
    dl->PopClipRect();
    return h;
}

float action_row(Ui& ui, const ViewModel& vm) {
    const float bh = std::max(ui.touch * 1.35f, ui.fonts.body->FontSize * 1.6f);
    const float margin = 20 * ui.unit;
    const float y = ui.height - bh - margin;
    std::vector<std::pair<Button, std::string>> buttons;
    for (const auto& b : vm.actions)
        buttons.emplace_back(b, b.label);
    if (vm.can_extend && vm.seconds_left >= 0)
        buttons.emplace_back(Button{Intent::MoreTime, vm.more_time_label, -1, false},
                             vm.more_time_label + " (" + std::to_string(vm.seconds_left) + " s)");
    if (buttons.empty())
        return ui.height - margin;
    const float gap = 20 * ui.unit;
    // As wide as the longest label needs (at least 42 % of the window), as long as they all fit.
    float widest = ui.width * 0.42f;
    for (const auto& [b, label] : buttons)
        widest = std::max(widest,
                          ui.fonts.body->CalcTextSizeA(ui.fonts.body->FontSize, FLT_MAX, 0, label.c_str()).x +
                              40 * ui.unit);
    const float bw =
        std::min(widest, (ui.width - 2 * margin - gap * float(buttons.size() - 1)) / float(buttons.size()));
    float x = (ui.width - (bw * float(buttons.size()) + gap * float(buttons.size() - 1))) / 2;
    for (std::size_t i = 0; i < buttons.size(); ++i) {
        const auto& [b, label] = buttons[i];
        const std::string id = "##action" + std::to_string(i);
        if (touch_button(ui, id.c_str(), label, ImVec2(x, y), ImVec2(bw, bh), ui.fonts.body, b.primary))
            ui.taps.push_back(Tap{b.intent, "", b.index});
        x += bw + gap;
    }
    return y;
}

void draw_message(Ui& ui, const ViewModel& vm, float top, float bottom) {
    const Palette& p = ui.palette;
    const float margin = 40 * ui.unit;
    const float width = ui.width - 2 * margin;
    ImFont* title_font = vm.screen == Screen::Verdict ? ui.fonts.huge : ui.fonts.title;
    const float gap = 14 * ui.unit;
    const float avail = bottom - top;
    const float r_min = 22 * ui.unit + 10;
    auto text_height = [&](float s) {
        const float th = text_block_height(title_font, vm.title, width, s);
        const float sh = vm.sentence.empty() ? 0 : text_block_height(ui.fonts.body, vm.sentence, width, s);
        const float hh = vm.hint.empty() ? 0 : text_block_height(ui.fonts.body, vm.hint, width, s);
        return th + sh + hh + 3 * gap;
    };
    // Large text on a small window: smaller letters rather than words under the buttons.
    const float scale = fit_scale(
        ui, vm.title, width, [&](float s) { return text_height(s) + 2 * r_min + 3 * gap; }, avail);
    const float text_h = text_height(scale);
    // The icon takes what is left, within bounds: big on a tall screen, still a clear shape on a small one.
    const float r = std::clamp((avail - text_h - 2 * gap) / 2, r_min, ui.height * 0.12f);
    float y = top + std::max(gap, (avail - (2 * r + gap + text_h)) / 2);
    const ImU32 icon_col = vm.tone == Tone::Neutral ? p.primary : p.tone(vm.tone);
    draw_icon(ImGui::GetWindowDrawList(), vm.icon, ImVec2(ui.width / 2, y + r), r, icon_col,
              vm.high_contrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255));
    y += 2 * r + gap;
    const ImU32 title_col = vm.tone == Tone::Neutral ? p.text : p.tone(vm.tone);
    y += text_block(ui, title_font, vm.title, ImVec2(margin, y), width, title_col, true, scale) + gap;
    if (!vm.sentence.empty())
        y += text_block(ui, ui.fonts.body, vm.sentence, ImVec2(margin, y), width, p.text, true, scale) + gap;
    if (!vm.hint.empty())
        text_block(ui, ui.fonts.body, vm.hint, ImVec2(margin, y), width, p.text, true, scale);
}

void draw_view(Ui& ui, const ViewModel& vm) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(ui.width, ui.height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::Begin("kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar(2);
    if (vm.screen == Screen::Closed) {
        draw_closed(ui, vm);
        ImGui::End();
        return;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool tinted = vm.screen == Screen::Verdict || vm.screen == Screen::GoToDesk ||
                        vm.screen == Screen::OutOfOrder || vm.screen == Screen::NotSetUp;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ui.width, ui.height),
                      tinted ? ui.palette.tone_background(vm.tone) : ui.palette.background);
    if (tinted && vm.high_contrast) // high contrast: the tone as a thick frame instead of a tint
        dl->AddRect(ImVec2(6, 6), ImVec2(ui.width - 6, ui.height - 6), ui.palette.tone(vm.tone), 0, 0, 12);
    const float top = status_line(ui, vm);
    switch (vm.screen) {
    case Screen::Scan:
        draw_scan(ui, vm, top);
        break;
    case Screen::NotSetUp:
        draw_not_set_up(ui, vm, top);
        break;
    case Screen::Checking:
        draw_checking(ui, vm, top);
        break;
    case Screen::Verdict:
        draw_verdict(ui, vm, top);
        break;
    case Screen::Search:
        draw_search(ui, vm, top);
        break;
    case Screen::Confirm:
        draw_confirm(ui, vm, top);
        break;
    case Screen::GoToDesk:
        draw_desk(ui, vm, top);
        break;
    case Screen::OutOfOrder:
        draw_out_of_order(ui, vm, top);
        break;
    case Screen::Pin:
        draw_pin(ui, vm, top);
        break;
    case Screen::Closed:
        break; // drawn above, without the status line
    }
    ImGui::End();
}

} // namespace accueil::kiosk::ui
