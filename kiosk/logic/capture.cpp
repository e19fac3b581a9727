#include "capture.hpp"

#include "camera.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace accueil::kiosk {

namespace {
constexpr std::int64_t kStillRecheckMs = 2000; // a still scene is decoded again this often (first pass only)
} // namespace

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

namespace {
std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

Capture::Capture(CaptureOptions options, Mailbox& mailbox)
    : opt_(std::move(options)), mailbox_(mailbox), lossless_(!opt_.replay.empty() && !opt_.replay_loop) {
    decoder_ = std::thread([this] { decode_loop(); });
    source_ = std::thread([this] { source_loop(); });
}

Capture::~Capture() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    source_.join();
    decoder_.join();
}

bool Capture::wait_frames_handled(std::uint64_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    // decode_loop and put_frame notify cv_ under mutex_ after counting a frame.
    return cv_.wait_for(lock, timeout, [&] { return decoded_ + skipped_ + dropped_ >= n; });
}

bool Capture::sleep_ms(std::int64_t ms) {
    std::unique_lock lock(mutex_);
    return !cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stop_; });
}

bool Capture::put_frame(GreyImage img, bool wait_until_taken) {
    std::unique_lock lock(mutex_);
    if (wait_until_taken)
        cv_.wait(lock, [&] { return stop_ || (!slot_ && !decoding_); });
    if (stop_)
        return false;
    if (slot_)
        ++dropped_;
    slot_ = std::move(img); // a camera frame the decoder had no time for is simply replaced
    cv_.notify_all();
    return true;
}

void Capture::source_loop() {
    if (opt_.frames)
        feed_frames(opt_.frames);
    else if (!opt_.replay.empty())
        replay_loop();
    else if (opt_.camera != "none")
        camera_loop();
    else
        mailbox_.push(CameraState{false, "disabled"});
    std::lock_guard lock(mutex_);
    source_done_ = true;
    cv_.notify_all();
}

void Capture::replay_loop() {
    const auto files = list_pictures(opt_.replay);
    mailbox_.push(CameraState{true, "replay " + opt_.replay});
    // One picture looped (a still scene, as in the idle measurement) is read from its file once, like a
    // camera delivers it; a folder is read picture by picture.
    std::optional<GreyImage> only;
    do {
        for (const auto& file : files) {
            std::string error;
            auto img = only ? only : load_grey_image(file, &error);
            if (!img) {
                spdlog::warn("replay: {}", error);
                continue;
            }
            if (files.size() == 1 && opt_.replay_loop)
                only = img;
            if (!put_frame(std::move(*img), lossless_) || !sleep_ms(opt_.replay_interval_ms))
                return;
        }
    } while (opt_.replay_loop && !files.empty());
}

void Capture::camera_loop() {
    bool announced = false;
    while (true) {
        const std::string device = opt_.camera.empty() ? Camera::find_default() : opt_.camera;
        std::string error = "no camera found";
        std::unique_ptr<Camera> cam;
        if (!device.empty())
            cam = Camera::open(device, opt_.width, opt_.height, opt_.fps, &error);
        if (!cam) {
            if (!announced)
                spdlog::warn("camera: {}; the badge scanner still works", error);
            announced = true;
            mailbox_.push(CameraState{false, error});
            if (!sleep_ms(5000)) // a camera plugged in later is picked up
                return;
            continue;
        }
        spdlog::info("camera {} at {}x{}", cam->device(), cam->width(), cam->height());
        mailbox_.push(CameraState{true, cam->device()});
        announced = false;
        try {
            // A read that times out (200 ms) leaves the frame empty: the loop looks at stop_ again.
            feed_frames([&](GreyImage& frame) {
                cam->read(frame, 200);
                return true;
            });
            return;
        } catch (const std::exception& e) {
            spdlog::warn("camera lost: {}", e.what());
            mailbox_.push(CameraState{false, e.what()});
        }
    }
}

bool Capture::feed_frames(const std::function<bool(GreyImage&)>& read) {
    GreyImage frame;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stop_)
                return true;
        }
        frame.pixels.clear();
        if (!read(frame))
            return false;
        if (!frame.pixels.empty())
            put_frame(frame, false);
    }
}

void Capture::decode_loop() {
    GreyImage last_decoded; // the reference a new frame is compared with: the last one that moved
    std::int64_t last_decode_at = 0, last_preview_at = 0;
    bool preview_stale = false; // the scene moved since the last preview, which the rate limit held back
    while (true) {
        GreyImage frame;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stop_ || slot_ || source_done_; });
            if (stop_)
                return;
            if (!slot_) { // the source ended and everything was decoded
                if (!opt_.replay.empty())
                    replay_finished_ = true;
                cv_.wait(lock, [&] { return stop_; });
                return;
            }
            frame = std::move(*slot_);
            slot_.reset();
            decoding_ = true;
        }
        const std::int64_t now = steady_ms();
        const double change = frame_change(frame, last_decoded);
        const bool moved = change >= 2.0;
        // A still scene was already read (or found empty) a moment ago: skip it, and keep the preview
        // as it is. It is read again every few seconds (a badge held still after a blurred first
        // picture); an empty frame costs every decoder pass, so this is most of an idle kiosk's work.
        const bool still = !lossless_ && !moved && now - last_decode_at < kStillRecheckMs;
        // The preview follows the scene: at most 10 pictures a second while it moves, none while it
        // stays still (each one wakes the UI for a frame), and the settled picture once it stops.
        auto maybe_preview = [&](const GreyImage& img) {
            if (!moved && !preview_stale)
                return;
            if (now - last_preview_at < 100) {
                preview_stale = true;
                return;
            }
            mailbox_.push_preview(thumbnail(img, opt_.preview_width));
            last_preview_at = now;
            preview_stale = false;
        };
        if (!still) {
            const auto result = decode_frame(frame, /*quick=*/!lossless_ && !moved);
            ++decoded_;
            if (result.text)
                mailbox_.push(CodeDecoded{*result.text, wall_ms()});
            last_decode_at = now;
            maybe_preview(frame);
            if (moved)
                last_decoded = std::move(frame);
        } else {
            ++skipped_;
            maybe_preview(frame);
        }
        std::lock_guard lock(mutex_);
        decoding_ = false;
        cv_.notify_all();
    }
}

} // namespace accueil::kiosk
