#pragma once
// The drawing layer: lays out a ViewModel with Dear ImGui and returns the taps. It holds no state of
// the kiosk; one file per screen (screen_*.cpp), shared pieces in widgets.cpp.
#include "machine.hpp"
#include "view_model.hpp"

#include <imgui.h>

#include <string>
#include <vector>

namespace accueil::kiosk::ui {

// Fonts rasterised from the DejaVu TTF files at the sizes this window needs (assets/fonts.txt).
struct Fonts {
    ImFont* status = nullptr; // status line, small print
    ImFont* body = nullptr;   // sentences, buttons: capitals >= ~6 mm
    ImFont* key = nullptr;    // on-screen keyboard
    ImFont* title = nullptr;  // the one big line (bold)
    ImFont* huge = nullptr;   // verdict title (bold)
};

struct Palette {
    ImU32 background, text, muted, panel, button, button_text, button_pressed, border, primary, primary_text;
    ImU32 tone(Tone t) const;
    ImU32 tone_background(Tone t) const;
    ImU32 success, info, warning, error;
    ImU32 success_bg, info_bg, warning_bg, error_bg;
};
Palette make_palette(bool high_contrast);

// A text that does not fit the box it is drawn in: clipped, cut mid-word, or over what lies below.
struct Overflow {
    std::string text;
    ImVec2 needs; // its measured size, at the size it is drawn
    ImVec2 box;   // the room it has
};

struct Ui {
    float width = 1280, height = 800;
    float unit = 1;   // height / 800: everything scales with the window height
    float touch = 48; // minimum touch target side
    Fonts fonts;
    Palette palette;
    ImTextureID preview = nullptr;
    int preview_w = 0, preview_h = 0;
    std::vector<Tap> taps;           // what the person did this frame
    std::vector<Overflow> overflows; // this frame's texts that do not fit (screenshot mode fails on them)
};

// Font sizes in pixels for a window height and display mode.
struct FontSizes {
    float status, body, key, title, huge;
};
FontSizes font_sizes(float height, bool high_contrast);
// (Re)builds the atlas; call before ImGui::NewFrame. Throws std::runtime_error when a font is missing.
void build_fonts(Fonts& fonts, const FontSizes& sizes, const std::string& regular_ttf,
                 const std::string& bold_ttf);

// ---- widgets (widgets.cpp)
// Records `text` in ui.overflows when `needs` is larger than `box` (by more than rounding).
void check_fit(Ui& ui, const std::string& text, ImVec2 needs, ImVec2 box);
bool touch_button(Ui& ui, const char* id, const std::string& label, ImVec2 pos, ImVec2 size, ImFont* font,
                  bool primary = false);
// Centred, word-wrapped text, `scale` times the font's size; returns the height used.
float text_block(Ui& ui, ImFont* font, const std::string& text, ImVec2 pos, float width, ImU32 colour,
                 bool centred = true, float scale = 1.0f);
float text_block_height(ImFont* font, const std::string& text, float width, float scale = 1.0f);
// The largest scale (1, 0.95, 0.9 ... down to `floor`) at which height_at(scale) <= room: what does not
// fit a small window is drawn smaller rather than over the buttons or off the screen.
template <class F> float fit_scale(F height_at, float room, float floor = 0.6f) {
    float s = 1.0f;
    while (s > floor + 1e-3f && height_at(s) > room)
        s -= 0.05f;
    return s;
}
// The same, and what still does not fit at `floor` recorded in ui.overflows as `text` (`width` wide).
template <class F>
float fit_scale(Ui& ui, const std::string& text, float width, F height_at, float room, float floor = 0.6f) {
    const float s = fit_scale(height_at, room, floor);
    check_fit(ui, text, ImVec2(width, height_at(s)), ImVec2(width, room));
    return s;
}
void draw_icon(ImDrawList* dl, Icon icon, ImVec2 centre, float radius, ImU32 colour, ImU32 on_colour);
// The status line at the top (kiosk, time, sync, language and contrast buttons); returns its height.
float status_line(Ui& ui, const ViewModel& vm);
// Bottom row of actions (and the "more time" button with its countdown), returns its top y.
float action_row(Ui& ui, const ViewModel& vm);

// Icon, title, sentence and hint stacked in the middle of [top, bottom] (result-like screens).
void draw_message(Ui& ui, const ViewModel& vm, float top, float bottom);

// ---- screens (one file each)
void draw_scan(Ui& ui, const ViewModel& vm, float top);
void draw_not_set_up(Ui& ui, const ViewModel& vm, float top);
// The scan screen's body between `top` and `bottom`: the camera's view (or an icon) and title and sentence.
void draw_camera_and_words(Ui& ui, const ViewModel& vm, float top, float bottom);
void draw_checking(Ui& ui, const ViewModel& vm, float top);
void draw_verdict(Ui& ui, const ViewModel& vm, float top);
void draw_search(Ui& ui, const ViewModel& vm, float top);
void draw_confirm(Ui& ui, const ViewModel& vm, float top);
void draw_desk(Ui& ui, const ViewModel& vm, float top);
void draw_out_of_order(Ui& ui, const ViewModel& vm, float top);
void draw_pin(Ui& ui, const ViewModel& vm, float top);
// The whole window while closed (no status line: screen_closed.cpp).
void draw_closed(Ui& ui, const ViewModel& vm);

// The whole window for one view model.
void draw_view(Ui& ui, const ViewModel& vm);

} // namespace accueil::kiosk::ui
