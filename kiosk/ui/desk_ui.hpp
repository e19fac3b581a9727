#pragma once
// The welcome desk's drawing layer: lays out a DeskView (desk_view.hpp) with Dear ImGui and returns
// what the volunteer did. Laptop first: smaller type than the self-service screens, every action on a
// key as well as a button, text boxes for the forms.
#include "desk_view.hpp"
#include "ui.hpp"

#include <array>
#include <string>
#include <vector>

namespace accueil::kiosk {
struct DeskTap;
struct DeskKey;
} // namespace accueil::kiosk

namespace accueil::kiosk::ui {

// What survives between frames: the form's text boxes (ImGui edits them in place) and focus.
struct DeskUiState {
    static constexpr std::size_t kFieldBytes = 1024;
    std::vector<std::array<char, kFieldBytes>> fields;
    DeskScreen shown = DeskScreen::Search; // the screen of the previous frame
    bool focus_first = false;              // a form just opened: its first box takes the keyboard
};

struct DeskInputOut {
    std::vector<DeskTap> taps;
    std::vector<DeskKey> keys; // Backspace, arrows, Escape (characters and Enter come from GLFW)
};

void draw_desk_view(Ui& ui, const DeskView& v, DeskUiState& state, DeskInputOut& out);

// ---- pieces (desk_widgets.cpp), used by the screens (desk_screens.cpp)
float desk_status_line(Ui& ui, const DeskView& v, DeskInputOut& out);
float desk_banner(Ui& ui, const DeskView& v, float top);
// The bottom row of actions ("Enregistrer l'arrivée (Entrée)"); returns its top y.
float desk_actions(Ui& ui, const DeskView& v, DeskInputOut& out);
// One person row of a list; returns true when clicked.
bool desk_row(Ui& ui, const char* id, const DeskRow& r, ImVec2 pos, float width, float height);
float desk_row_height(const Ui& ui);
void desk_qr(Ui& ui, const std::string& text, ImVec2 pos, float side);
ImFont* desk_small(const Ui& ui); // details, statuses
ImFont* desk_bold(const Ui& ui);  // names, headings

void draw_desk_search(Ui& ui, const DeskView& v, float top, float bottom, DeskInputOut& out);
void draw_desk_person(Ui& ui, const DeskView& v, float top, float bottom);
void draw_desk_form(Ui& ui, const DeskView& v, float top, float bottom, DeskUiState& state,
                    DeskInputOut& out);
void draw_desk_list(Ui& ui, const DeskView& v, float top, float bottom, DeskInputOut& out);
void draw_desk_badge(Ui& ui, const DeskView& v, float top, float bottom);

} // namespace accueil::kiosk::ui
