#include "frame_loop.hpp"

#include "capture.hpp" // wall_ms
#include "idle_meter.hpp"
#include "proc_stats.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <spdlog/spdlog.h>

#include <GL/gl.h>

#include <malloc.h>

#include <algorithm>
#include <memory>

namespace accueil::kiosk::app {

namespace {
struct FontState {
    float height = 0;
    bool contrast = false;
};
} // namespace

int run_frames(AppWindow& window, InputLog& input, Screen& screen, const LoopOptions& o) {
    ImGuiIO& io = ImGui::GetIO();
    ui::Ui ui;
    FontState built;
    int extra_frames = 3;
    std::int64_t busy_until = 0;
    int frames = 0;
    bool first_frame_logged = false;
    std::optional<int> status;
    const auto meter = o.measure_idle > 0 ? std::make_unique<IdleMeter>(o.measure_idle) : nullptr;

    while (!window.should_close()) {
        // Event-driven: full rate just after something happened, otherwise sleep until an event
        // (touch, key, a worker's glfwPostEmptyEvent) or the next timeout.
        std::int64_t now = wall_ms();
        if (extra_frames > 0 || now < busy_until || screen.continuous()) {
            glfwPollEvents();
        } else {
            double wait = 1.0;
            if (auto t = screen.next_wake(now))
                wait = std::clamp(double(*t - now) / 1000.0, 0.005, 30.0);
            if (meter)
                wait = meter->cap_wait(wait);
            glfwWaitEventsTimeout(wait);
        }
        now = wall_ms();
        // Input (touch, keys) gets a moment at full rate; any other change a few frames only.
        const bool had_input = std::exchange(input.activity, false);
        bool changed = had_input || std::exchange(input.refresh, false);
        bool new_picture = false;
        bool in_frame = false;
        try {
            for (const auto& [ch, at] : input.chars)
                screen.key_char(ch, at);
            for (auto at : input.enters)
                screen.key_enter(at);
            for (const auto& [key, at] : input.keys)
                screen.key_press(key, at);
            input.chars.clear();
            input.enters.clear();
            input.keys.clear();
            changed = screen.pump(now) || changed;
            // A new preview picture is drawn once; it does not start a burst of frames (a camera sends
            // up to 10 a second while the scene moves, none while it is still).
            if (auto p = screen.take_preview()) {
                window.preview().upload(*p);
                new_picture = true;
            }
            screen.update_view(now);

            const auto [fb_w, fb_h] = window.framebuffer_size();
            if (fb_w <= 0 || fb_h <= 0)
                continue; // minimised
            const bool high_contrast = screen.high_contrast();
            if (built.height != float(fb_h) || built.contrast != high_contrast) {
                // Fonts rasterised for this height and mode (not a scaled bitmap): rebuild the atlas.
                const double cpu_before = process_cpu_seconds();
                ui::build_fonts(ui.fonts, ui::font_sizes(float(fb_h), high_contrast), o.font_regular,
                                o.font_bold);
                window.font_texture().upload(io.Fonts);
                spdlog::info("fonts for {} px ({}): {:.0f} ms of CPU", fb_h,
                             high_contrast ? "large" : "normal", 1000 * (process_cpu_seconds() - cpu_before));
                built = {float(fb_h), high_contrast};
                changed = true;
                malloc_trim(0); // give the rasteriser's scratch memory back to the system
            }
            // Nothing new to show: no frame. An idle kiosk wakes for timeouts and the sync state, and
            // draws only when the clock's minute or a countdown's second changes.
            const bool draw = changed || new_picture || extra_frames > 0 || now < busy_until ||
                              screen.continuous() || screen.view_changed();
            if (draw) {
                ui.width = float(fb_w);
                ui.height = float(fb_h);
                ui.unit = std::max(0.6f, float(fb_h) / 800.0f);
                ui.touch = 48.0f;
                ui.palette = ui::make_palette(high_contrast);
                ui.preview = window.preview().id();
                ui.preview_w = window.preview().width();
                ui.preview_h = window.preview().height();
                ui.taps.clear();
                ui.overflows.clear();

                ImGui_ImplOpenGL3_NewFrame();
                ImGui_ImplGlfw_NewFrame();
                ImGui::NewFrame();
                in_frame = true;
                screen.draw(ui);
                ImGui::Render();
                in_frame = false;
                glViewport(0, 0, fb_w, fb_h);
                glClearColor(0, 0, 0, 1);
                glClear(GL_COLOR_BUFFER_BIT);
                ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
                for (const auto& t : ui.taps) {
                    screen.tap(t, now);
                    changed = true;
                }
                ++frames;
                screen.after_render(ui, fb_w, fb_h);
                window.swap_buffers();
                screen.drawn();
                if (!first_frame_logged) { // tests and supervisors wait for this line
                    spdlog::info("kiosk window up: first frame drawn at {}x{}", fb_w, fb_h);
                    first_frame_logged = true;
                }
            }
        } catch (const std::exception& e) {
            // One bad frame must not kill the kiosk: out of order, logged, and the loop goes on.
            if (in_frame) {
                ImGui::ErrorCheckEndFrameRecover(nullptr);
                ImGui::EndFrame();
            }
            if (!screen.recover(std::string("frame: ") + e.what(), now))
                throw;
            changed = true;
        }
        // ImGui settles hover and press states over a few frames after input; a change from the workers
        // (a verdict, the sync state) is already drawn by the frame that showed it, plus one.
        if (had_input || !ui.taps.empty()) {
            busy_until = now + 250;
            extra_frames = 3;
        } else if (changed) {
            extra_frames = std::max(extra_frames, 1);
        } else if (extra_frames > 0) {
            --extra_frames;
        }
        if ((status = screen.done()))
            break;
        if (meter && meter->tick(frames))
            break;
    }
    return status.value_or(0);
}

} // namespace accueil::kiosk::app
