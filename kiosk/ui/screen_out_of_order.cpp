// Something failed (logged): no buttons, just where to go. The kiosk retries by itself.
#include "ui.hpp"

namespace accueil::kiosk::ui {

void draw_out_of_order(Ui& ui, const ViewModel& vm, float top) {
    draw_message(ui, vm, top, ui.height);
}

} // namespace accueil::kiosk::ui
