// The desk's shared pieces: status line, inline banner, action row, person rows, the QR code.
#include "badge/qr_render.hpp"
#include "desk_machine.hpp"
#include "desk_ui.hpp"

#include <algorithm>

namespace accueil::kiosk::ui {

ImFont* desk_small(const Ui& ui) {
    return ui.fonts.status;
}
ImFont* desk_bold(const Ui& ui) {
    return ui.fonts.key;
}

namespace {
float text_width(ImFont* f, float size, const std::string& s) {
    return f->CalcTextSizeA(size, FLT_MAX, 0, s.c_str()).x;
}

// One line of text cut to `width` with an ellipsis (a name too long for its row is still readable in
// the person's page); recorded as clipped only when nothing sensible is left.
void line_text(Ui& ui, ImFont* f, float size, const std::string& s, ImVec2 pos, float width, ImU32 colour) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (text_width(f, size, s) <= width) {
        dl->AddText(f, size, pos, colour, s.c_str());
        return;
    }
    std::string cut = s;
    while (!cut.empty() && text_width(f, size, cut + "…") > width) {
        cut.pop_back();
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80)
            cut.pop_back();
        if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0)
            cut.pop_back();
    }
    if (cut.size() < 8)
        check_fit(ui, s, ImVec2(text_width(f, size, s), size), ImVec2(width, size));
    dl->AddText(f, size, pos, colour, (cut + "…").c_str());
}
} // namespace

float desk_status_line(Ui& ui, const DeskView& v, DeskInputOut& out) {
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* f = desk_small(ui);
    const float h = std::max(ui.touch + 8 * ui.unit, f->FontSize * 1.9f);
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ui.width, h), v.high_contrast ? p.background : p.panel);
    dl->AddLine(ImVec2(0, h), ImVec2(ui.width, h), p.border, v.high_contrast ? 3.0f : 1.0f);
    const float pad = 14 * ui.unit;
    const float bh = h - 8 * ui.unit;
    float bx = ui.width - pad;
    auto right_button = [&](const char* id, const std::string& label, DeskAct act, bool primary) {
        const float w = std::max(ui.touch * 2.2f, text_width(f, f->FontSize, label) + 32 * ui.unit);
        bx -= w;
        if (touch_button(ui, id, label, ImVec2(bx, 4 * ui.unit), ImVec2(w, bh), f, primary))
            out.taps.push_back(DeskTap{act});
        bx -= 10 * ui.unit;
    };
    right_button("##lang", v.language_label, DeskAct::SwitchLanguage, false);
    right_button("##contrast", v.contrast_label, DeskAct::ToggleContrast, false);
    right_button("##alerts", v.alerts_label, DeskAct::Alerts, v.alert_count > 0);
    const std::string left = v.device_name + "  ·  " + v.clock;
    const float y = (h - f->FontSize) / 2;
    dl->AddText(f, f->FontSize, ImVec2(pad, y), p.text, left.c_str());
    const float sx = pad + text_width(f, f->FontSize, left) + 24 * ui.unit;
    const float r = f->FontSize * 0.28f;
    dl->AddCircleFilled(ImVec2(sx + r, h / 2), r, p.tone(v.sync_tone));
    line_text(ui, f, f->FontSize, v.sync_text, ImVec2(sx + 3 * r, y), std::max(0.0f, bx - sx - 3 * r),
              p.text);
    return h;
}

float desk_banner(Ui& ui, const DeskView& v, float top) {
    if (v.banner_title.empty())
        return top;
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float m = 16 * ui.unit;
    const float r = 22 * ui.unit;
    const float tx = m + 2 * r + 2 * m;
    const float width = ui.width - tx - m;
    ImFont* bold = desk_bold(ui);
    ImFont* small = desk_small(ui);
    const float title_size = bold->FontSize * 0.8f;
    const float th = text_block_height(bold, v.banner_title, width, 0.8f);
    const float sh = v.banner_text.empty() ? 0 : text_block_height(small, v.banner_text, width);
    const float h = std::max(2 * r, th + sh) + 2 * m;
    const float y0 = top + m * 0.5f;
    dl->AddRectFilled(ImVec2(m, y0), ImVec2(ui.width - m, y0 + h), p.tone_background(v.banner_tone),
                      8 * ui.unit);
    dl->AddRect(ImVec2(m, y0), ImVec2(ui.width - m, y0 + h), p.tone(v.banner_tone), 8 * ui.unit, 0,
                v.high_contrast ? 4.0f : 2.0f);
    draw_icon(dl, v.banner_icon, ImVec2(2 * m + r, y0 + h / 2), r, p.tone(v.banner_tone),
              v.high_contrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255));
    float y = y0 + (h - th - sh) / 2;
    (void)title_size;
    y += text_block(ui, bold, v.banner_title, ImVec2(tx, y), width, p.tone(v.banner_tone), false, 0.8f);
    if (!v.banner_text.empty())
        text_block(ui, small, v.banner_text, ImVec2(tx, y), width, p.text, false);
    return y0 + h + m * 0.5f;
}

float desk_actions(Ui& ui, const DeskView& v, DeskInputOut& out) {
    const float m = 16 * ui.unit;
    const float gap = 12 * ui.unit;
    ImFont* f = desk_small(ui);
    const float h = std::max(ui.touch, f->FontSize * 2.0f);
    const float y = ui.height - m - h;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(0, y - m), ImVec2(ui.width, y - m), ui.palette.border, 1.0f);
    // Widths from the labels, then spread over the row when they fit; the primary action first.
    std::vector<std::string> labels;
    float total = 0;
    for (const auto& b : v.actions) {
        labels.push_back(b.key.empty() ? b.label : b.label + "  (" + b.key + ")");
        total += text_width(f, f->FontSize, labels.back()) + 40 * ui.unit;
    }
    total += gap * float(std::max<std::size_t>(1, v.actions.size()) - 1);
    const float room = ui.width - 2 * m;
    const float stretch = total < room ? 1.0f : room / total;
    float x = m;
    for (std::size_t i = 0; i < v.actions.size(); ++i) {
        const auto& b = v.actions[i];
        const float w = (text_width(f, f->FontSize, labels[i]) + 40 * ui.unit) * stretch;
        const std::string id = "##act" + std::to_string(i);
        if (touch_button(ui, id.c_str(), labels[i], ImVec2(x, y), ImVec2(w, h), f, b.primary))
            out.taps.push_back(DeskTap{b.act, b.index});
        if (b.danger) // a destructive action is marked by a shape too, not only its words
            ImGui::GetWindowDrawList()->AddRect(ImVec2(x - 3, y - 3), ImVec2(x + w + 3, y + h + 3),
                                                ui.palette.error, 12 * ui.unit, 0, 2.0f);
        x += w + gap;
    }
    return y - m;
}

float desk_row_height(const Ui& ui) {
    return std::max(ui.touch,
                    desk_bold(ui)->FontSize * 0.8f + desk_small(ui)->FontSize * 1.25f + 14 * ui.unit);
}

bool desk_row(Ui& ui, const char* id, const DeskRow& r, ImVec2 pos, float width, float height) {
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorScreenPos(pos);
    const bool clicked = ImGui::InvisibleButton(id, ImVec2(width, height));
    const ImVec2 end(pos.x + width, pos.y + height);
    dl->AddRectFilled(pos, end, r.selected ? p.info_bg : p.panel, 6 * ui.unit);
    dl->AddRect(pos, end, r.selected ? p.primary : p.border, 6 * ui.unit, 0, r.selected ? 3.0f : 1.0f);
    if (r.selected) // the keyboard's row: a bar as well as the colour
        dl->AddRectFilled(pos, ImVec2(pos.x + 6 * ui.unit, end.y), p.primary);
    ImFont* bold = desk_bold(ui);
    ImFont* small = desk_small(ui);
    const float pad = 16 * ui.unit;
    const float status_w = width * 0.34f;
    const float name_size = bold->FontSize * 0.8f;
    const float y = pos.y + (height - name_size - small->FontSize * 1.15f) / 2;
    float name_w = width - status_w - 3 * pad;
    float x = pos.x + pad;
    if (r.note) { // an attention note: a marked "!" before the name, for the volunteer to open
        const float s = name_size * 0.8f;
        dl->AddRectFilled(ImVec2(x, y + 2), ImVec2(x + s, y + 2 + s), p.warning, 4);
        const float w = text_width(bold, s * 0.9f, "!");
        dl->AddText(bold, s * 0.9f, ImVec2(x + (s - w) / 2, y + 2 + s * 0.05f), IM_COL32(255, 255, 255, 255),
                    "!");
        x += s + 8 * ui.unit;
        name_w -= s + 8 * ui.unit;
    }
    line_text(ui, bold, name_size, r.title, ImVec2(x, y), name_w, p.text);
    line_text(ui, small, small->FontSize, r.detail, ImVec2(pos.x + pad, y + name_size * 1.1f),
              width - status_w - 3 * pad, p.muted);
    const float sx = end.x - status_w - pad;
    const float sy = pos.y + (height - small->FontSize) / 2;
    line_text(ui, small, small->FontSize, r.status, ImVec2(sx, sy), status_w, p.tone(r.tone));
    return clicked;
}

void desk_qr(Ui& ui, const std::string& text, ImVec2 pos, float side) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    QrSymbol qr;
    try {
        qr = encode_qr(text);
    } catch (const std::exception&) {
        check_fit(ui, text, ImVec2(side * 2, side), ImVec2(side, side)); // cannot be shown: a failure
        return;
    }
    const int n = qr.width + 2 * kQrQuietModules;
    const float module = std::floor(side / float(n));
    const float s = module * float(n);
    // Always dark on white, in both display modes: a phone camera reads that best.
    dl->AddRectFilled(pos, ImVec2(pos.x + s, pos.y + s), IM_COL32(255, 255, 255, 255));
    for (int y = 0; y < qr.width; ++y)
        for (int x = 0; x < qr.width; ++x)
            if (qr.dark(x, y)) {
                const float px = pos.x + module * float(x + kQrQuietModules);
                const float py = pos.y + module * float(y + kQrQuietModules);
                dl->AddRectFilled(ImVec2(px, py), ImVec2(px + module, py + module), IM_COL32(0, 0, 0, 255));
            }
}

} // namespace accueil::kiosk::ui
