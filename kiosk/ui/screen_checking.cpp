// "One moment": shown only while the check-in is being written (usually a few milliseconds; after 5 s
// without an answer the machine gives up: out of order).
#include "ui.hpp"

namespace accueil::kiosk::ui {

void draw_checking(Ui& ui, const ViewModel& vm, float top) {
    draw_message(ui, vm, top, ui.height);
}

} // namespace accueil::kiosk::ui
