#pragma once
// The kiosk's window: GLFW, the window and its OpenGL 3 context, Dear ImGui's context and backends, and
// the two textures the kiosk uploads itself (font atlas, camera preview). One RAII class per resource;
// AppWindow owns them all, declared in set-up order so that they are torn down in mirror order.
#include "frame_pipeline.hpp"
#include "input_log.hpp"

#include <imgui.h>

#include <atomic>
#include <memory>
#include <utility>

struct GLFWwindow;

namespace accueil::kiosk::app {

struct WindowOptions {
    int width = 1280, height = 800;
    bool fullscreen = false; // on the primary monitor, at its size (width and height are ignored)
    bool resizable = true;
};

// glfwInit .. glfwTerminate. Throws std::runtime_error when there is no display.
class GlfwLibrary {
public:
    GlfwLibrary();
    ~GlfwLibrary();
    GlfwLibrary(const GlfwLibrary&) = delete;
    GlfwLibrary& operator=(const GlfwLibrary&) = delete;
};

// The window with a current OpenGL 3 context; `input` gets its callbacks, installed before ImGui's.
class GlfwWindow {
public:
    GlfwWindow(const WindowOptions& options, InputLog& input);
    ~GlfwWindow();
    GlfwWindow(const GlfwWindow&) = delete;
    GlfwWindow& operator=(const GlfwWindow&) = delete;
    GLFWwindow* get() const { return window_; }

private:
    GLFWwindow* window_ = nullptr;
};

// ImGui's context and its GLFW and OpenGL 3 backends (shaders only: the font texture is FontTexture's).
class ImGuiBackends {
public:
    explicit ImGuiBackends(GLFWwindow* window);
    ~ImGuiBackends();
    ImGuiBackends(const ImGuiBackends&) = delete;
    ImGuiBackends& operator=(const ImGuiBackends&) = delete;
};

// One OpenGL texture name.
class GlTexture {
public:
    GlTexture() = default;
    ~GlTexture() { reset(); }
    GlTexture(const GlTexture&) = delete;
    GlTexture& operator=(const GlTexture&) = delete;
    void create(); // a new, bound texture (the old one deleted)
    void reset();
    unsigned id() const { return id_; }
    ImTextureID imgui_id() const { return reinterpret_cast<ImTextureID>(std::uintptr_t(id_)); }

private:
    unsigned id_ = 0;
};

// The font atlas, uploaded here rather than by the backend: as alpha only (white glyphs through the
// swizzle) where possible, and once (the backend would rebuild the atlas a second time when its device
// objects are created after the fonts, keeping an RGBA copy in memory).
class FontTexture {
public:
    void upload(ImFontAtlas* atlas);

private:
    GlTexture texture_;
};

// The camera's grey preview.
class PreviewTexture {
public:
    void upload(const GreyImage& img);
    ImTextureID id() const { return texture_.id() ? texture_.imgui_id() : nullptr; }
    int width() const { return w_; }
    int height() const { return h_; }

private:
    GlTexture texture_;
    int w_ = 0, h_ = 0;
};

class AppWindow {
public:
    AppWindow(const WindowOptions& options, InputLog& input);
    GLFWwindow* glfw() const { return window_.get(); }
    std::pair<int, int> framebuffer_size() const;
    bool should_close() const;
    void close();
    // From any thread (a signal watcher): close at the next turn of the loop, waking it up.
    void request_close();
    void swap_buffers();
    FontTexture& font_texture() { return font_texture_; }
    PreviewTexture& preview() { return preview_; }

private:
    GlfwLibrary glfw_;
    GlfwWindow window_;
    ImGuiBackends imgui_;
    FontTexture font_texture_;
    PreviewTexture preview_;
    std::atomic<bool> close_requested_{false};
};

} // namespace accueil::kiosk::app
