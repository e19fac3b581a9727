// Self-service cannot help (identity not confirmed): send the person to a volunteer.
#include "ui.hpp"

namespace accueil::kiosk::ui {

void draw_desk(Ui& ui, const ViewModel& vm, float top) {
    const float bottom = action_row(ui, vm);
    draw_message(ui, vm, top, bottom);
}

} // namespace accueil::kiosk::ui
