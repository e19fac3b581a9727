#include "input_log.hpp"

#include "capture.hpp" // wall_ms

#include <GLFW/glfw3.h>

namespace accueil::kiosk::app {

namespace {

InputLog& log_of(GLFWwindow* window) {
    return *static_cast<InputLog*>(glfwGetWindowUserPointer(window));
}

void on_char(GLFWwindow* window, unsigned int cp) {
    std::string s;
    if (cp < 0x80)
        s += char(cp);
    else if (cp < 0x800)
        s += {char(0xC0 | (cp >> 6)), char(0x80 | (cp & 0x3F))};
    else if (cp < 0x10000)
        s += {char(0xE0 | (cp >> 12)), char(0x80 | ((cp >> 6) & 0x3F)), char(0x80 | (cp & 0x3F))};
    else
        s += {char(0xF0 | (cp >> 18)), char(0x80 | ((cp >> 12) & 0x3F)), char(0x80 | ((cp >> 6) & 0x3F)),
              char(0x80 | (cp & 0x3F))};
    InputLog& log = log_of(window);
    log.chars.emplace_back(s, wall_ms());
    log.activity = true;
}

void on_key(GLFWwindow* window, int key, int, int action, int) {
    InputLog& log = log_of(window);
    log.activity = true;
    if ((key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) && action == GLFW_PRESS)
        log.enters.push_back(wall_ms());
    else if ((key == GLFW_KEY_ESCAPE || key == GLFW_KEY_BACKSPACE || key == GLFW_KEY_UP ||
              key == GLFW_KEY_DOWN || key == GLFW_KEY_F2) &&
             (action == GLFW_PRESS ||
              (action == GLFW_REPEAT && key != GLFW_KEY_ESCAPE && key != GLFW_KEY_F2)))
        log.keys.emplace_back(key, wall_ms());
}

void on_mouse(GLFWwindow* window, int, int, int) {
    log_of(window).activity = true;
}

void on_cursor(GLFWwindow* window, double x, double y) {
    // Only a move is input (see InputLog::cursor_x).
    InputLog& log = log_of(window);
    if (log.cursor_x >= 0 && (x != log.cursor_x || y != log.cursor_y))
        log.activity = true;
    log.cursor_x = x;
    log.cursor_y = y;
}

void on_refresh(GLFWwindow* window) {
    log_of(window).refresh = true;
}

} // namespace

void install_input_callbacks(GLFWwindow* window, InputLog& log) {
    glfwSetWindowUserPointer(window, &log);
    glfwSetCharCallback(window, on_char);
    glfwSetKeyCallback(window, on_key);
    glfwSetMouseButtonCallback(window, on_mouse);
    glfwSetCursorPosCallback(window, on_cursor);
    glfwSetWindowRefreshCallback(window, on_refresh);
}

} // namespace accueil::kiosk::app
