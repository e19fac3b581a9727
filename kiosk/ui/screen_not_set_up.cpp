// The kiosk has no event yet. Not enrolled: the scan screen's layout (the camera's view, to aim the
// enrolment code) with the database file across the bottom, whole and large, so that a typo in --db
// shows. Enrolled, the event still on its way: nothing to aim, only what it waits for and its file.
#include "ui.hpp"

#include <algorithm>

namespace accueil::kiosk::ui {

void draw_not_set_up(Ui& ui, const ViewModel& vm, float top) {
    if (!vm.show_preview && vm.camera_note.empty()) {
        draw_message(ui, vm, top, ui.height);
        return;
    }
    const float margin = 36 * ui.unit;
    const float width = ui.width - 2 * margin;
    float band = 0;
    if (!vm.hint.empty()) {
        // At most a third of the window: a very long path is drawn smaller rather than over the words.
        const auto height_at = [&](float s) { return text_block_height(ui.fonts.body, vm.hint, width, s); };
        const float scale = fit_scale(ui, vm.hint, width, height_at, (ui.height - top) / 3);
        band = height_at(scale) + margin;
        text_block(ui, ui.fonts.body, vm.hint, ImVec2(margin, ui.height - band), width, ui.palette.text,
                   false, scale);
    }
    draw_camera_and_words(ui, vm, top, ui.height - std::max(band, margin / 2));
}

} // namespace accueil::kiosk::ui
