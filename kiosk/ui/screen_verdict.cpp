// The verdict of a check-in: icon shape, colour, title, sentence, what to do; back to the start by itself.
#include "ui.hpp"

namespace accueil::kiosk::ui {

void draw_verdict(Ui& ui, const ViewModel& vm, float top) {
    const float bottom = action_row(ui, vm);
    draw_message(ui, vm, top, bottom);
}

} // namespace accueil::kiosk::ui
