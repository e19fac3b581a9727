#pragma once
// Input seen by GLFW callbacks, installed before Dear ImGui's backend (which chains to them): the frame
// loop reads and clears it once per turn.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct GLFWwindow;

namespace accueil::kiosk::app {

struct InputLog {
    bool activity = false; // touch, mouse, keys
    bool refresh = false;  // the window needs drawing again (mapped, uncovered, resized): not input
    std::vector<std::pair<std::string, std::int64_t>> chars; // UTF-8 text typed, with its time
    std::vector<std::int64_t> enters;
    // Other keys a screen acts on (GLFW key codes: Escape, Backspace, arrows, F2), queued like Enter: a
    // press and release between two frames must not be lost.
    std::vector<std::pair<int, std::int64_t>> keys;
    // The last pointer position: X reports the pointer where it already was when the window maps.
    double cursor_x = -1, cursor_y = -1;
};

// Routes `window`'s char, key, mouse button, cursor and refresh callbacks into `log` (through the
// window's user pointer; `log` must outlive the window).
void install_input_callbacks(GLFWwindow* window, InputLog& log);

} // namespace accueil::kiosk::app
