#include "window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <spdlog/spdlog.h>

#include <GL/gl.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace accueil::kiosk::app {

namespace {

// One-byte-per-pixel textures read through a swizzle (OpenGL 3.3, or ARB_texture_swizzle): a quarter
// of the memory of RGBA copies, which a software renderer such as llvmpipe keeps in main memory.
bool have_texture_swizzle() {
    static const bool yes = [] {
        int major = 0, minor = 0;
        const auto* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
        if (version && std::sscanf(version, "%d.%d", &major, &minor) == 2 &&
            (major > 3 || (major == 3 && minor >= 3)))
            return true;
        const auto* ext = reinterpret_cast<const char*>(glGetString(GL_EXTENSIONS));
        return ext && std::strstr(ext, "GL_ARB_texture_swizzle") != nullptr;
    }();
    return yes;
}

// Uploads an 8-bit picture; `swizzle` says what R G B A read from its one channel.
void upload_r8(int w, int h, const std::uint8_t* pixels, const GLint (&swizzle)[4]) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
}

} // namespace

GlfwLibrary::GlfwLibrary() {
    glfwSetErrorCallback([](int code, const char* what) { spdlog::error("GLFW {}: {}", code, what); });
    if (!glfwInit())
        throw std::runtime_error("cannot open a window (no display?)");
}

GlfwLibrary::~GlfwLibrary() {
    glfwTerminate();
}

GlfwWindow::GlfwWindow(const WindowOptions& o, InputLog& input) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    // ImGui draws with neither: without them a software renderer allocates no depth/stencil buffer
    // (4 MB of resident memory at 1280x800 under llvmpipe).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    int w = o.width, h = o.height;
    GLFWmonitor* monitor = o.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    if (monitor) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        w = mode->width;
        h = mode->height;
    }
    if (!o.resizable)
        glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
    window_ = glfwCreateWindow(w, h, "accueil", monitor, nullptr);
    if (!window_)
        throw std::runtime_error("cannot create an OpenGL 3 window");
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);
    install_input_callbacks(window_, input);
}

GlfwWindow::~GlfwWindow() {
    glfwDestroyWindow(window_);
}

ImGuiBackends::ImGuiBackends(GLFWwindow* window) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // nothing to remember between runs
    io.LogFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true); // chains to the callbacks GlfwWindow installed
    ImGui_ImplOpenGL3_Init("#version 130");
    // Shaders now; the font texture is ours (FontTexture), so drop the backend's default one.
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
}

ImGuiBackends::~ImGuiBackends() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
}

void GlTexture::create() {
    reset();
    GLuint id = 0;
    glGenTextures(1, &id);
    id_ = id;
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
}

void GlTexture::reset() {
    if (id_) {
        const GLuint id = id_;
        glDeleteTextures(1, &id);
    }
    id_ = 0;
}

void FontTexture::upload(ImFontAtlas* atlas) {
    texture_.create();
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    if (have_texture_swizzle()) {
        static const GLint white[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
        atlas->GetTexDataAsAlpha8(&pixels, &w, &h);
        upload_r8(w, h, pixels, white);
    } else {
        atlas->GetTexDataAsRGBA32(&pixels, &w, &h);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    }
    atlas->SetTexID(texture_.imgui_id());
    atlas->ClearTexData();   // the GPU has it; free the CPU copy
    atlas->ClearInputData(); // and the TTF files' bytes (build_fonts reads them again on a rebuild)
    spdlog::info("font atlas {}x{} ({})", w, h, have_texture_swizzle() ? "alpha" : "RGBA");
}

// Grey preview -> texture (GL 1.1 calls, plus the 3.3 swizzle when there is one: no loader needed).
void PreviewTexture::upload(const GreyImage& img) {
    if (texture_.id() && w_ == img.width && h_ == img.height)
        glBindTexture(GL_TEXTURE_2D, texture_.id()); // same size: update in place
    else
        texture_.create();
    if (have_texture_swizzle()) {
        static const GLint grey[4] = {GL_RED, GL_RED, GL_RED, GL_ONE};
        upload_r8(img.width, img.height, img.pixels.data(), grey);
    } else {
        std::vector<std::uint8_t> rgba(std::size_t(img.width) * std::size_t(img.height) * 4);
        for (std::size_t i = 0; i < img.pixels.size(); ++i) {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = img.pixels[i];
            rgba[4 * i + 3] = 255;
        }
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, img.width, img.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     rgba.data());
    }
    w_ = img.width;
    h_ = img.height;
}

AppWindow::AppWindow(const WindowOptions& options, InputLog& input)
    : window_(options, input), imgui_(window_.get()) {}

std::pair<int, int> AppWindow::framebuffer_size() const {
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_.get(), &w, &h);
    return {w, h};
}

bool AppWindow::should_close() const {
    return glfwWindowShouldClose(window_.get()) || close_requested_.load();
}

void AppWindow::close() {
    glfwSetWindowShouldClose(window_.get(), GLFW_TRUE);
}

void AppWindow::request_close() {
    // GLFW's should-close flag is not synchronised between threads: an atomic of ours instead, and
    // glfwPostEmptyEvent (callable from any thread) wakes glfwWaitEventsTimeout to read it.
    close_requested_.store(true);
    glfwPostEmptyEvent();
}

void AppWindow::swap_buffers() {
    glfwSwapBuffers(window_.get());
}

} // namespace accueil::kiosk::app
