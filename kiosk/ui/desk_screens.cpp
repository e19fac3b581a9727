// The desk's screens: search, a person's page, the forms, lists (duplicates, alerts), the badge.
#include "desk_machine.hpp"
#include "desk_ui.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstring>

namespace accueil::kiosk::ui {

namespace {
float heading(Ui& ui, const std::string& text, float x, float y, float width) {
    return text_block(ui, desk_bold(ui), text, ImVec2(x, y), width, ui.palette.text, false);
}

void rows(Ui& ui, const std::vector<DeskRow>& list, float x, float y, float width, float bottom,
          DeskInputOut& out) {
    const float h = desk_row_height(ui);
    const float gap = 6 * ui.unit;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (y + h > bottom)
            break; // the rest is reached by typing more letters (the list says how many)
        const std::string id = "##row" + std::to_string(i);
        if (desk_row(ui, id.c_str(), list[i], ImVec2(x, y), width, h))
            out.taps.push_back(DeskTap{DeskAct::OpenRow, int(i)});
        y += h + gap;
    }
}
} // namespace

void draw_desk_search(Ui& ui, const DeskView& v, float top, float bottom, DeskInputOut& out) {
    const Palette& p = ui.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float m = 16 * ui.unit;
    const float width = ui.width - 2 * m;
    float y = top + m;
    ImFont* small = desk_small(ui);
    dl->AddText(small, small->FontSize, ImVec2(m, y), p.muted, v.query_label.c_str());
    y += small->FontSize * 1.3f;
    // The query box: what was typed, with a caret, or the prompt (typing goes here whatever has focus).
    ImFont* f = ui.fonts.body;
    const float fs = f->FontSize * 0.85f;
    const float bh = fs * 1.6f;
    dl->AddRectFilled(ImVec2(m, y), ImVec2(m + width, y + bh), v.high_contrast ? p.background : p.panel,
                      8 * ui.unit);
    dl->AddRect(ImVec2(m, y), ImVec2(m + width, y + bh), p.primary, 8 * ui.unit, 0, 3.0f);
    const std::string& shown = v.query.empty() ? v.query_placeholder : v.query;
    const ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, shown.c_str());
    const float tx = m + 16 * ui.unit;
    dl->PushClipRect(ImVec2(m, y), ImVec2(m + width, y + bh), true);
    const float shift = std::max(0.0f, ts.x - (width - 48 * ui.unit));
    dl->AddText(f, fs, ImVec2(tx - shift, y + (bh - ts.y) / 2), v.query.empty() ? p.muted : p.text,
                shown.c_str());
    const float cx = v.query.empty() ? tx : tx - shift + ts.x + 4;
    dl->AddRectFilled(ImVec2(cx, y + bh * 0.2f), ImVec2(cx + 3, y + bh * 0.8f), p.text);
    dl->PopClipRect();
    if (v.query.empty())
        check_fit(ui, shown, ts, ImVec2(width - 32 * ui.unit, bh));
    y += bh + m;
    if (!v.list_caption.empty())
        y += text_block(ui, small, v.list_caption, ImVec2(m, y), width, p.text, false) + m * 0.5f;
    rows(ui, v.rows, m, y, width, bottom, out);
}

void draw_desk_person(Ui& ui, const DeskView& v, float top, float bottom) {
    const Palette& p = ui.palette;
    const float m = 16 * ui.unit;
    ImFont* small = desk_small(ui);
    float y = top + m;
    // Left: who they are; right: what happened to them.
    const float left_w = (ui.width - 3 * m) * 0.55f;
    const float right_x = 2 * m + left_w;
    const float right_w = ui.width - right_x - m;
    y += heading(ui, v.title, m, y, left_w) + m * 0.5f;
    const float label_w = left_w * 0.32f;
    for (const auto& f : v.facts) {
        if (y + small->FontSize > bottom)
            break;
        text_block(ui, small, f.label, ImVec2(m, y), label_w - 8 * ui.unit, p.muted, false);
        y += std::max(text_block(ui, small, f.value, ImVec2(m + label_w, y), left_w - label_w, p.text, false),
                      small->FontSize * 1.15f) +
             6 * ui.unit;
    }
    if (!v.note.empty()) {
        y += m * 0.5f;
        const float nh = text_block_height(small, v.note, left_w - 24 * ui.unit) + small->FontSize * 1.5f + m;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(m, y), ImVec2(m + left_w, y + nh), p.warning_bg, 6 * ui.unit);
        dl->AddRect(ImVec2(m, y), ImVec2(m + left_w, y + nh), p.warning, 6 * ui.unit, 0, 2.0f);
        text_block(ui, small, v.note_label, ImVec2(m + 12 * ui.unit, y + 8 * ui.unit), left_w - 24 * ui.unit,
                   p.warning, false);
        text_block(ui, small, v.note, ImVec2(m + 12 * ui.unit, y + 8 * ui.unit + small->FontSize * 1.3f),
                   left_w - 24 * ui.unit, p.text, false);
    }
    if (v.history_title.empty())
        return;
    float hy = top + m;
    hy += text_block(ui, desk_bold(ui), v.history_title, ImVec2(right_x, hy), right_w, p.text, false, 0.7f) +
          m * 0.5f;
    const float when_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, "00/00 00:00").x + 16 * ui.unit;
    for (const auto& h : v.history) {
        const float need = text_block_height(small, h.value, right_w - when_w);
        if (hy + need > bottom)
            break; // the oldest lines give way: the newest are first
        text_block(ui, small, h.label, ImVec2(right_x, hy), when_w, p.muted, false);
        hy += text_block(ui, small, h.value, ImVec2(right_x + when_w, hy), right_w - when_w, p.text, false) +
              6 * ui.unit;
    }
}

void draw_desk_form(Ui& ui, const DeskView& v, float top, float bottom, DeskUiState& state,
                    DeskInputOut& out) {
    const Palette& p = ui.palette;
    const float m = 16 * ui.unit;
    ImFont* small = desk_small(ui);
    float y = top + m;
    y += heading(ui, v.title, m, y, ui.width - 2 * m) + m * 0.5f;
    if (state.fields.size() != v.fields.size())
        state.fields.resize(v.fields.size());
    // Two columns of fields; the label above each box, the error beside the label.
    const float col_w = (ui.width - 3 * m) / 2;
    const float box_h = small->FontSize * 1.5f;
    const float error_size = small->FontSize * 0.85f;
    // Label, box, and a line under the box for its error message.
    // Each row is as tall as it needs: the error line only where a field of the row has one (a small
    // window in large text still holds the whole form).
    const std::size_t note_row = (v.fields.size() + 1) / 2;
    std::vector<float> row_y(note_row + 2, y);
    for (std::size_t r = 0; r <= note_row; ++r) {
        bool error = false;
        for (std::size_t i = 0; i < v.fields.size(); ++i) {
            const std::size_t fr = v.fields[i].multiline ? note_row : i / 2;
            error = error || (fr == r && !v.fields[i].error.empty());
        }
        row_y[r + 1] =
            row_y[r] + small->FontSize * 1.3f + box_h + (error ? error_size * 1.3f : 0) + 10 * ui.unit;
    }
    ImGui::PushFont(small);
    ImGui::PushStyleColor(ImGuiCol_FrameBg, v.high_contrast ? p.background : p.panel);
    ImGui::PushStyleColor(ImGuiCol_Text, p.text);
    ImGui::PushStyleColor(ImGuiCol_Border, p.border);
    ImGui::PushStyleColor(ImGuiCol_TextSelectedBg, p.info_bg);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, v.high_contrast ? 3.0f : 1.5f);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10 * ui.unit, (box_h - small->FontSize) / 2));
    for (std::size_t i = 0; i < v.fields.size(); ++i) {
        const auto& f = v.fields[i];
        const bool note = f.multiline; // the note has a row of its own, both columns wide
        const std::size_t row = note ? note_row : i / 2;
        const float x = note || i % 2 == 0 ? m : 2 * m + col_w;
        const float w = note ? ui.width - 2 * m : col_w;
        const float fy = row_y[row];
        ImDrawList* dl = ImGui::GetWindowDrawList();
        std::string label = f.label + (f.hint.empty() ? "" : " (" + f.hint + ")");
        const float label_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, label.c_str()).x;
        dl->AddText(small, small->FontSize, ImVec2(x, fy), p.text, label.c_str());
        check_fit(ui, label, ImVec2(label_w, small->FontSize), ImVec2(w, small->FontSize));
        auto& buf = state.fields[i];
        ImGui::SetCursorScreenPos(ImVec2(x, fy + small->FontSize * 1.3f));
        ImGui::SetNextItemWidth(w);
        const std::string id = "##field" + std::to_string(i);
        if (ImGui::GetActiveID() != ImGui::GetID(id.c_str())) {
            // Not being typed in: the box shows the machine's value (a new form, a reset).
            std::strncpy(buf.data(), f.value.c_str(), buf.size() - 1);
            buf.back() = '\0';
        }
        if (state.focus_first && i == 0)
            ImGui::SetKeyboardFocusHere();
        if (!f.error.empty())
            ImGui::PushStyleColor(ImGuiCol_Border, p.error);
        if (ImGui::InputText(id.c_str(), buf.data(), buf.size()))
            out.taps.push_back(DeskTap{DeskAct::FieldEdited, int(i), std::string(buf.data())});
        if (!f.error.empty()) {
            ImGui::PopStyleColor();
            // Under its box, in the error colour with a cross: never colour alone.
            const std::string err = "× " + f.error;
            const float ew = small->CalcTextSizeA(error_size, FLT_MAX, 0, err.c_str()).x;
            check_fit(ui, err, ImVec2(ew, error_size), ImVec2(w, error_size));
            dl->AddText(small, error_size, ImVec2(x, fy + small->FontSize * 1.3f + box_h + 3 * ui.unit),
                        p.error, err.c_str());
        }
    }
    state.focus_first = false;
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(4);
    ImGui::PopFont();
    // Days: one toggle each, with a tick drawn in the box (not colour alone).
    float dy = row_y[note_row + 1] + 4 * ui.unit;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The label on the toggles' row; an error under them.
    const float th = std::max(ui.touch, small->FontSize * 1.8f);
    const std::string& label = v.days_label;
    dl->AddText(small, small->FontSize, ImVec2(m, dy + (th - small->FontSize) / 2), p.text, label.c_str());
    if (!v.days_error.empty()) {
        const std::string err = "× " + v.days_error;
        if (dy + th + error_size * 1.2f > bottom)
            check_fit(ui, err, ImVec2(ui.width, error_size),
                      ImVec2(ui.width, std::max(0.0f, bottom - dy - th)));
        dl->AddText(small, error_size, ImVec2(m, dy + th + 3 * ui.unit), p.error, err.c_str());
    }
    float dx = m + small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, label.c_str()).x + 16 * ui.unit;
    for (std::size_t i = 0; i < v.days.size(); ++i) {
        const auto& d = v.days[i];
        const float tw =
            small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, d.label.c_str()).x + th + 24 * ui.unit;
        if (dy + th > bottom)
            check_fit(ui, d.label, ImVec2(tw, th), ImVec2(tw, std::max(0.0f, bottom - dy)));
        ImGui::SetCursorScreenPos(ImVec2(dx, dy));
        const std::string id = "##day" + std::to_string(i);
        if (ImGui::InvisibleButton(id.c_str(), ImVec2(tw, th)))
            out.taps.push_back(DeskTap{DeskAct::ToggleDay, int(i)});
        const float bs = th * 0.6f;
        const ImVec2 b0(dx + 8 * ui.unit, dy + (th - bs) / 2);
        dl->AddRectFilled(ImVec2(dx, dy), ImVec2(dx + tw, dy + th), d.on ? p.info_bg : p.panel, 6 * ui.unit);
        dl->AddRect(ImVec2(dx, dy), ImVec2(dx + tw, dy + th), d.on ? p.primary : p.border, 6 * ui.unit, 0,
                    d.on ? 3.0f : 1.0f);
        dl->AddRect(b0, ImVec2(b0.x + bs, b0.y + bs), p.text, 3, 0, 2.0f);
        if (d.on) {
            const ImVec2 pts[3] = {ImVec2(b0.x + bs * 0.2f, b0.y + bs * 0.5f),
                                   ImVec2(b0.x + bs * 0.42f, b0.y + bs * 0.75f),
                                   ImVec2(b0.x + bs * 0.82f, b0.y + bs * 0.25f)};
            dl->AddPolyline(pts, 3, p.text, 0, 3.0f);
        }
        dl->AddText(small, small->FontSize, ImVec2(b0.x + bs + 10 * ui.unit, dy + (th - small->FontSize) / 2),
                    p.text, d.label.c_str());
        dx += tw + 10 * ui.unit;
    }
}

void draw_desk_list(Ui& ui, const DeskView& v, float top, float bottom, DeskInputOut& out) {
    const float m = 16 * ui.unit;
    float y = top + m;
    y += heading(ui, v.title, m, y, ui.width - 2 * m) + m * 0.5f;
    if (!v.list_caption.empty())
        y += text_block(ui, desk_small(ui), v.list_caption, ImVec2(m, y), ui.width - 2 * m, ui.palette.text,
                        false) +
             m * 0.5f;
    rows(ui, v.rows, m, y, ui.width - 2 * m, bottom, out);
}

void draw_desk_badge(Ui& ui, const DeskView& v, float top, float bottom) {
    const Palette& p = ui.palette;
    const float m = 16 * ui.unit;
    float y = top + m;
    y += heading(ui, v.title, m, y, ui.width - 2 * m) + m;
    const float side = std::min(bottom - y - m, ui.width * 0.4f);
    desk_qr(ui, v.badge_code, ImVec2(m, y), side);
    const float tx = 2 * m + side + m;
    const float tw = ui.width - tx - m;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = 14 * ui.unit;
    dl->AddCircleFilled(ImVec2(tx + r, y + desk_small(ui)->FontSize * 0.6f), r * 0.7f, p.tone(v.print_tone));
    text_block(ui, desk_small(ui), v.print_text, ImVec2(tx + 3 * r, y), tw - 3 * r, p.tone(v.print_tone),
               false);
}

void draw_desk_view(Ui& ui, const DeskView& v, DeskUiState& state, DeskInputOut& out) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(ui.width, ui.height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::Begin("desk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar(2);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), ImVec2(ui.width, ui.height),
                                              ui.palette.background);
    const bool form = v.screen == DeskScreen::Edit || v.screen == DeskScreen::WalkIn;
    if (form && state.shown != v.screen) {
        // A new form: no box keeps the previous form's typing (ImGui edits its own copy while active).
        ImGui::ClearActiveID();
        state.focus_first = true;
    }
    state.shown = v.screen;
    const float top = desk_status_line(ui, v, out);
    const float below = desk_banner(ui, v, top);
    const float bottom = desk_actions(ui, v, out);
    switch (v.screen) {
    case DeskScreen::Search:
        draw_desk_search(ui, v, below, bottom, out);
        break;
    case DeskScreen::Person:
        draw_desk_person(ui, v, below, bottom);
        break;
    case DeskScreen::Edit:
    case DeskScreen::WalkIn:
        draw_desk_form(ui, v, below, bottom, state, out);
        break;
    case DeskScreen::Duplicates:
    case DeskScreen::Alerts:
        draw_desk_list(ui, v, below, bottom, out);
        break;
    case DeskScreen::ConfirmUndo:
        break; // the banner asks; the actions answer
    case DeskScreen::Badge:
        draw_desk_badge(ui, v, below, bottom);
        break;
    }
    ImGui::End();
}

} // namespace accueil::kiosk::ui
