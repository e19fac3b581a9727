// accueil-kiosk: the self-service touchscreen. One straight main loop (after Dear ImGui's
// example_glfw_opengl3): options, logging, window, fonts, the kiosk runtime, then event-driven frames.
#include "frame_pipeline.hpp"
#include "proc_stats.hpp"
#include "runtime.hpp"
#include "scenes.hpp"
#include "ui.hpp"

#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <spdlog/spdlog.h>
#include <stb_image_write.h>

#include <GL/gl.h>

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <sys/stat.h>

using namespace accueil::kiosk;

namespace {

struct Options {
    std::string db;
    std::string camera;
    std::string replay;
    std::int64_t replay_interval_ms = 1500;
    bool replay_loop = false;
    bool print_codes = false;
    bool exit_after_replay = false;
    std::string screenshot;
    std::string screenshot_dir;
    std::string screen = "scan";
    std::string lang = "fr";
    std::string contrast = "normal";
    std::string size;
    bool windowed = false;
    double verdict_seconds = 5;
    double typing_seconds = 20;
    bool no_sound = false;
    double measure_idle = 0;
    std::string assets = Strings::default_assets_dir();
    std::string font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::string font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
};

// --replay PATH --print-codes: the frame pipeline alone, no window, one line per picture.
int print_codes(const Options& o) {
    if (!std::filesystem::exists(o.replay)) {
        std::fprintf(stderr, "accueil-kiosk: %s: no such file or folder\n", o.replay.c_str());
        return 1;
    }
    for (const auto& file : list_pictures(o.replay)) {
        std::string error, text;
        if (auto img = load_grey_image(file, &error)) {
            if (auto r = decode_frame(*img); r.text)
                text = escape_code_text(*r.text);
        } else {
            std::fprintf(stderr, "accueil-kiosk: %s\n", error.c_str());
        }
        std::printf("%s\t%s\n", file.c_str(), text.c_str());
    }
    return 0;
}

std::pair<int, int> parse_size(const std::string& s) {
    int w = 0, h = 0;
    if (std::sscanf(s.c_str(), "%dx%d", &w, &h) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192)
        throw CLI::ValidationError("--size", "expected WIDTHxHEIGHT, e.g. 1280x800");
    return {w, h};
}

std::int64_t now_ms() {
    return wall_ms();
}

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

GLuint new_texture() {
    GLuint id = 0;
    glGenTextures(1, &id);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    return id;
}

// Uploads an 8-bit picture; `swizzle` says what R G B A read from its one channel.
void upload_r8(int w, int h, const std::uint8_t* pixels, const GLint (&swizzle)[4]) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
}

// Grey preview -> texture (GL 1.1 calls, plus the 3.3 swizzle when there is one: no loader needed).
struct PreviewTexture {
    GLuint id = 0;
    int w = 0, h = 0;
    void upload(const GreyImage& img) {
        if (id && w == img.width && h == img.height) {
            glBindTexture(GL_TEXTURE_2D, id); // same size: update in place
        } else {
            release();
            id = new_texture();
        }
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
        w = img.width;
        h = img.height;
    }
    void release() {
        if (id)
            glDeleteTextures(1, &id);
        id = 0;
    }
    ~PreviewTexture() { release(); }
};

// The font atlas, uploaded here rather than by the backend: as alpha only (white glyphs through the
// swizzle) where possible, and once (the backend would rebuild the atlas a second time when its
// device objects are created after the fonts, keeping an RGBA copy in memory).
struct FontTexture {
    GLuint id = 0;
    void upload(ImFontAtlas* atlas) {
        release();
        id = new_texture();
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
        atlas->SetTexID(reinterpret_cast<ImTextureID>(std::uintptr_t(id)));
        atlas->ClearTexData();   // the GPU has it; free the CPU copy
        atlas->ClearInputData(); // and the TTF files' bytes (build_fonts reads them again on a rebuild)
        spdlog::info("font atlas {}x{} ({})", w, h, have_texture_swizzle() ? "alpha" : "RGBA");
    }
    void release() {
        if (id)
            glDeleteTextures(1, &id);
        id = 0;
    }
};

// Input seen by GLFW callbacks (chained before ImGui's own, which call them too).
struct InputLog {
    bool activity = false; // touch, mouse, keys
    bool refresh = false;  // the window needs drawing again (mapped, uncovered, resized): not input
    std::vector<std::pair<std::string, std::int64_t>> chars;
    std::vector<std::int64_t> enters;
};
InputLog g_input;

void on_char(GLFWwindow*, unsigned int cp) {
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
    g_input.chars.emplace_back(s, now_ms());
    g_input.activity = true;
}
void on_key(GLFWwindow*, int key, int, int action, int) {
    g_input.activity = true;
    if ((key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) && action == GLFW_PRESS)
        g_input.enters.push_back(now_ms());
}
void on_mouse(GLFWwindow*, int, int, int) {
    g_input.activity = true;
}
void on_cursor(GLFWwindow*, double x, double y) {
    // X reports the pointer where it already was when the window maps: only a move is input.
    static double last_x = -1, last_y = -1;
    if (last_x >= 0 && (x != last_x || y != last_y))
        g_input.activity = true;
    last_x = x;
    last_y = y;
}
void on_refresh(GLFWwindow*) {
    g_input.refresh = true;
}

struct FontState {
    float height = 0;
    bool contrast = false;
};

bool write_screenshot(const std::string& path, int w, int h) {
    std::vector<std::uint8_t> pixels(std::size_t(w) * std::size_t(h) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    stbi_flip_vertically_on_write(1); // OpenGL rows go bottom-up
    return stbi_write_png(path.c_str(), w, h, 3, pixels.data(), w * 3) != 0;
}

// One picture to render in screenshot mode: a sample scene in a language and display mode.
struct Shot {
    std::string screen, lang, contrast, path;
};

// --screenshot FILE: the one asked for; --screenshot-dir DIR: every scene x language x mode, named
// SCENE-LANG-CONTRAST-WxH.png, in one process (starting a window per picture is the slow part).
std::vector<Shot> planned_shots(const Options& o, int w, int h) {
    if (!o.screenshot.empty())
        return {{o.screen, o.lang, o.contrast, o.screenshot}};
    std::vector<Shot> shots;
    if (o.screenshot_dir.empty())
        return shots;
    const std::string size = std::to_string(w) + "x" + std::to_string(h);
    for (const auto& scene : scene_names())
        for (const char* lang : {"fr", "en"})
            for (const char* contrast : {"normal", "high"})
                shots.push_back({scene, lang, contrast,
                                 (std::filesystem::path(o.screenshot_dir) /
                                  (scene + "-" + lang + "-" + contrast + "-" + size + ".png"))
                                     .string()});
    return shots;
}

int run_window(const Options& o, const Strings& strings) {
    const bool screenshot = !o.screenshot.empty() || !o.screenshot_dir.empty();
    int win_w = 1280, win_h = 800;
    bool fullscreen = !o.windowed && o.size.empty() && !screenshot;
    if (!o.size.empty())
        std::tie(win_w, win_h) = parse_size(o.size);

    glfwSetErrorCallback([](int code, const char* what) { spdlog::error("GLFW {}: {}", code, what); });
    if (!glfwInit()) {
        std::fprintf(stderr, "accueil-kiosk: cannot open a window (no display?)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWmonitor* monitor = fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    if (monitor) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        win_w = mode->width;
        win_h = mode->height;
    }
    if (screenshot)
        glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(win_w, win_h, "accueil", monitor, nullptr);
    if (!window) {
        glfwTerminate();
        std::fprintf(stderr, "accueil-kiosk: cannot create an OpenGL 3 window\n");
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    // Our callbacks first: ImGui's backend chains to them.
    glfwSetCharCallback(window, on_char);
    glfwSetKeyCallback(window, on_key);
    glfwSetMouseButtonCallback(window, on_mouse);
    glfwSetCursorPosCallback(window, on_cursor);
    glfwSetWindowRefreshCallback(window, on_refresh);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // nothing to remember between runs
    io.LogFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");
    // Shaders now; the font texture is ours (FontTexture), so drop the backend's default one.
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    FontTexture font_texture;

    MachineOptions mo;
    mo.verdict_ms = std::int64_t(o.verdict_seconds * 1000);
    mo.typing_ms = std::int64_t(std::max(20.0, o.typing_seconds) * 1000); // never under 20 s (§7)

    // Screenshot mode: a machine with sample data, no workers, no database.
    std::unique_ptr<Machine> sample;
    std::unique_ptr<Runtime> runtime;
    PreviewTexture preview;
    const std::vector<Shot> shots = planned_shots(o, win_w, win_h);
    std::size_t shot = 0;
    int shot_frames = 0;
    auto set_up_shot = [&](const Shot& s) {
        sample = std::make_unique<Machine>(strings, mo);
        if (!drive_to_scene(*sample, s.screen, now_ms()))
            return false;
        if (s.lang == "en")
            sample->handle(Tap{Intent::SwitchLanguage}, now_ms());
        if (s.contrast == "high")
            sample->handle(Tap{Intent::ToggleContrast}, now_ms());
        return true;
    };
    if (screenshot) {
        mo.kiosk_name = "Accueil 1";
        if (!set_up_shot(shots.front())) {
            std::fprintf(stderr, "accueil-kiosk: unknown --screen %s\n", o.screen.c_str());
            return 2;
        }
        if (!o.replay.empty())
            if (auto img = load_grey_image(list_pictures(o.replay).front()))
                preview.upload(thumbnail(*img, 480));
    } else {
        // The kiosk name and time zone come from the store, opened on the worker thread.
        RuntimeOptions ro;
        ro.db_path = o.db;
        ro.sound = !o.no_sound;
        ro.capture.camera = o.camera;
        ro.capture.replay = o.replay;
        ro.capture.replay_interval_ms = o.replay_interval_ms;
        ro.capture.replay_loop = o.replay_loop;
        {
            // A short-lived read of the store's identity; the worker keeps its own connection.
            try {
                auto store = accueil::Store::open(o.db);
                mo.kiosk_name = store.kiosk_name();
                mo.timezone = store.event().timezone;
            } catch (const std::exception& e) {
                spdlog::error("{}", e.what()); // the runtime reports it too: the screen says out of order
            }
        }
        ro.machine = mo;
        runtime = std::make_unique<Runtime>(strings, ro);
        runtime->start([] { glfwPostEmptyEvent(); });
        if (o.contrast == "high")
            runtime->tap(Tap{Intent::ToggleContrast}, now_ms());
        if (o.lang == "en")
            runtime->tap(Tap{Intent::SwitchLanguage}, now_ms());
    }

    ui::Ui ui;
    FontState built;
    int extra_frames = 3;
    std::int64_t busy_until = 0;
    int frames = 0;
    ViewModel last_drawn;
    const auto started = std::chrono::steady_clock::now();
    const double cpu_at_start = process_cpu_seconds();
    // --measure-idle also reports the time after start-up (fonts, first frames) on its own.
    constexpr double kWarmUp = 5.0;
    double cpu_after_warm_up = -1;
    int frames_after_warm_up = 0;

    while (!glfwWindowShouldClose(window)) {
        // Event-driven: full rate just after something happened, otherwise sleep until an event
        // (touch, key, a worker's glfwPostEmptyEvent) or the next timeout.
        std::int64_t now = now_ms();
        if (extra_frames > 0 || now < busy_until || screenshot) {
            glfwPollEvents();
        } else {
            double wait = 1.0;
            if (runtime)
                if (auto t = runtime->next_wake(now))
                    wait = std::clamp(double(*t - now) / 1000.0, 0.005, 30.0);
            if (o.measure_idle > 0) // wake up to report on time
                wait = std::clamp(
                    o.measure_idle -
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                    0.005, wait);
            glfwWaitEventsTimeout(wait);
        }
        now = now_ms();
        // Input (touch, keys) gets a moment at full rate; any other change a few frames only.
        const bool input = std::exchange(g_input.activity, false);
        bool changed = input || std::exchange(g_input.refresh, false);
        bool new_picture = false;
        bool in_frame = false;
        try {
            if (runtime) {
                for (const auto& [ch, at] : g_input.chars)
                    runtime->key_char(ch, at);
                for (auto at : g_input.enters)
                    runtime->key_enter(at);
                g_input.chars.clear();
                g_input.enters.clear();
                changed = runtime->pump(now) || changed;
                // A new preview picture is drawn once; it does not start a burst of frames (a camera
                // sends up to 10 a second while the scene moves, none while it is still).
                if (auto p = runtime->take_preview()) {
                    preview.upload(*p);
                    new_picture = true;
                }
            }
            const ViewModel vm = runtime ? runtime->view(now) : sample->view(now);

            int fb_w = 0, fb_h = 0;
            glfwGetFramebufferSize(window, &fb_w, &fb_h);
            if (fb_w <= 0 || fb_h <= 0)
                continue; // minimised
            if (built.height != float(fb_h) || built.contrast != vm.high_contrast) {
                // Fonts rasterised for this height and mode (not a scaled bitmap): rebuild the atlas.
                const double cpu_before = process_cpu_seconds();
                ui::build_fonts(ui.fonts, ui::font_sizes(float(fb_h), vm.high_contrast), o.font_regular,
                                o.font_bold);
                font_texture.upload(io.Fonts);
                spdlog::info("fonts for {} px ({}): {:.0f} ms of CPU", fb_h,
                             vm.high_contrast ? "large" : "normal",
                             1000 * (process_cpu_seconds() - cpu_before));
                built = {float(fb_h), vm.high_contrast};
                changed = true;
                malloc_trim(0); // give the rasteriser's scratch memory back to the system
            }
            // Nothing new to show: no frame. An idle kiosk wakes for timeouts and the sync state, and
            // draws only when the clock's minute or a countdown's second changes.
            const bool draw = changed || new_picture || extra_frames > 0 || now < busy_until || screenshot ||
                              !(vm == last_drawn);
            if (draw) {
                ui.width = float(fb_w);
                ui.height = float(fb_h);
                ui.unit = std::max(0.6f, float(fb_h) / 800.0f);
                ui.touch = 48.0f;
                ui.palette = ui::make_palette(vm.high_contrast);
                ui.preview = preview.id ? reinterpret_cast<ImTextureID>(std::uintptr_t(preview.id)) : nullptr;
                ui.preview_w = preview.w;
                ui.preview_h = preview.h;
                ui.taps.clear();

                ImGui_ImplOpenGL3_NewFrame();
                ImGui_ImplGlfw_NewFrame();
                ImGui::NewFrame();
                in_frame = true;
                ui::draw_view(ui, vm);
                ImGui::Render();
                in_frame = false;
                glViewport(0, 0, fb_w, fb_h);
                glClearColor(0, 0, 0, 1);
                glClear(GL_COLOR_BUFFER_BIT);
                ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
                for (const auto& t : ui.taps) {
                    if (runtime)
                        runtime->tap(t, now);
                    else
                        sample->handle(t, now);
                    changed = true;
                }
                ++frames;
                // Three frames per picture: ImGui lays a new window out over the first ones.
                if (screenshot && ++shot_frames >= 3) {
                    const std::string& path = shots[shot].path;
                    if (!write_screenshot(path, fb_w, fb_h)) {
                        std::fprintf(stderr, "accueil-kiosk: cannot write %s\n", path.c_str());
                        return 1;
                    }
                    shot_frames = 0;
                    if (++shot == shots.size())
                        glfwSetWindowShouldClose(window, GLFW_TRUE);
                    else
                        set_up_shot(shots[shot]);
                }
                glfwSwapBuffers(window);
                last_drawn = vm;
            }
        } catch (const std::exception& e) {
            // One bad frame must not kill the kiosk: out of order, logged, and the loop goes on.
            if (in_frame) {
                ImGui::ErrorCheckEndFrameRecover(nullptr);
                ImGui::EndFrame();
            }
            if (runtime)
                runtime->fail(std::string("frame: ") + e.what(), now);
            else
                throw;
            changed = true;
        }
        // ImGui settles hover and press states over a few frames after input; a change from the workers
        // (a verdict, the sync state) is already drawn by the frame that showed it, plus one.
        if (input || !ui.taps.empty()) {
            busy_until = now + 250;
            extra_frames = 3;
        } else if (changed) {
            extra_frames = std::max(extra_frames, 1);
        } else if (extra_frames > 0) {
            --extra_frames;
        }
        if (runtime && o.exit_after_replay && runtime->replay_complete())
            glfwSetWindowShouldClose(window, GLFW_TRUE);
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (o.measure_idle > kWarmUp && cpu_after_warm_up < 0 && elapsed >= kWarmUp) {
            cpu_after_warm_up = process_cpu_seconds();
            frames_after_warm_up = frames;
        }
        if (o.measure_idle > 0 && elapsed >= o.measure_idle) {
            const double wall = elapsed;
            const double cpu = process_cpu_seconds() - cpu_at_start;
            std::printf("idle %.1f s: cpu %.2f s = %.2f %% of one core; %d frames drawn; resident %lld KiB "
                        "(peak %lld KiB)\n",
                        wall, cpu, 100.0 * cpu / wall, frames, static_cast<long long>(resident_kib()),
                        static_cast<long long>(peak_resident_kib()));
            if (cpu_after_warm_up >= 0) {
                const double steady = process_cpu_seconds() - cpu_after_warm_up;
                std::printf("after the first %.0f s: cpu %.3f s = %.2f %% of one core; %d frames drawn\n",
                            kWarmUp, steady, 100.0 * steady / (wall - kWarmUp),
                            frames - frames_after_warm_up);
            }
            std::fflush(stdout);
            glfwSetWindowShouldClose(window, GLFW_TRUE);
        }
    }

    // Teardown in mirror order.
    runtime.reset();
    font_texture.release();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // Databases (names, e-mails, device tokens) and everything else this program writes: owner only.
    ::umask(077);
    CLI::App app{"accueil-kiosk: self-service check-in touchscreen"};
    Options o;
    app.add_option("--db", o.db, "the kiosk's database (made with `accueil init`)");
    app.add_option("--camera", o.camera,
                   "V4L2 device (default: the first one found; \"none\" for no camera)");
    app.add_option("--replay", o.replay, "a picture or a folder of PNG/JPEG pictures instead of the camera");
    app.add_option("--replay-interval", o.replay_interval_ms, "milliseconds between replayed pictures")
        ->check(CLI::Range(0, 600000));
    app.add_flag("--replay-loop", o.replay_loop, "replay the pictures again and again");
    app.add_flag("--print-codes", o.print_codes, "with --replay: print FILE<TAB>code per picture, no window");
    app.add_flag("--exit-after-replay", o.exit_after_replay,
                 "quit once every replayed picture is checked in");
    app.add_option("--screenshot", o.screenshot, "render --screen into this PNG file and exit");
    app.add_option("--screenshot-dir", o.screenshot_dir,
                   "render every screen in both languages and both modes into this folder and exit");
    app.add_option(
        "--screen", o.screen, "screen for --screenshot: " + [] {
            std::string s;
            for (const auto& n : scene_names())
                s += (s.empty() ? "" : ", ") + n;
            return s;
        }());
    app.add_option("--lang", o.lang, "fr or en")->check(CLI::IsMember({"fr", "en"}));
    app.add_option("--contrast", o.contrast, "normal or high (large text)")
        ->check(CLI::IsMember({"normal", "high"}));
    app.add_option("--size", o.size, "window size WIDTHxHEIGHT (default: full screen)");
    app.add_flag("--windowed", o.windowed, "a window instead of full screen");
    app.add_option("--verdict-seconds", o.verdict_seconds, "how long a result stays on screen")
        ->check(CLI::Range(1.0, 120.0));
    app.add_option("--typing-seconds", o.typing_seconds, "time given on typing screens (at least 20)")
        ->check(CLI::Range(20.0, 600.0));
    app.add_flag("--no-sound", o.no_sound, "stay silent");
    app.add_option("--measure-idle", o.measure_idle, "run this many seconds, then print CPU and memory used")
        ->check(CLI::Range(1.0, 3600.0));
    app.add_option("--assets", o.assets, "folder holding lang/fr.json and lang/en.json");
    CLI11_PARSE(app, argc, argv);

    try {
        if (o.print_codes) {
            if (o.replay.empty()) {
                std::fprintf(stderr, "accueil-kiosk: --print-codes needs --replay PATH\n");
                return 2;
            }
            return print_codes(o);
        }
        if (!o.size.empty())
            parse_size(o.size);
        if (!o.screenshot_dir.empty())
            std::filesystem::create_directories(o.screenshot_dir);
        if (o.screenshot.empty() && o.screenshot_dir.empty() && o.db.empty()) {
            std::fprintf(stderr,
                         "accueil-kiosk: --db PATH is required (or --screenshot, or --print-codes)\n");
            return 2;
        }
        const Strings strings = Strings::load(o.assets);
        return run_window(o, strings);
    } catch (const CLI::ValidationError& e) {
        std::fprintf(stderr, "accueil-kiosk: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "accueil-kiosk: %s\n", e.what());
        return 1;
    }
}
