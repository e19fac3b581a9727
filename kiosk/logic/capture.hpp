#pragma once
// Pictures in, codes out, off the UI thread: a source thread (V4L2 camera or --replay pictures) hands
// the newest frame to a decode thread, which posts decoded codes and a small preview to the Mailbox.
#include "mailbox.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace accueil::kiosk {

struct CaptureOptions {
    std::string camera; // "" = the first camera found; "none" = no camera
    std::string replay; // a picture or a folder of pictures instead of the camera
    std::int64_t replay_interval_ms = 1500;
    bool replay_loop = false; // replay again and again (like a camera seeing a still scene)
    int width = 1280, height = 720, fps = 30;
    int preview_width = 320;
    // A frame source in the camera's place (benchmarks): fills the next frame, waiting for it like a
    // camera does, and returns false when there are no more. Its frames take the camera's path: they
    // may be dropped when the decoder is busy, and still scenes are skipped.
    std::function<bool(GreyImage&)> frames;
};

std::int64_t wall_ms();

class Capture {
public:
    Capture(CaptureOptions options, Mailbox& mailbox);
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    // A replay without loop has fed every picture and the decoder has read them all.
    bool replay_finished() const { return replay_finished_.load(); }
    std::uint64_t frames_decoded() const { return decoded_.load(); }
    std::uint64_t frames_skipped() const { return skipped_.load(); }
    // Camera frames replaced by a newer one before the decoder took them.
    std::uint64_t frames_dropped() const { return dropped_.load(); }
    // Waits until `n` frames from the source are handled (decoded, skipped as still, or dropped);
    // false when `timeout` passes first. Lets a caller that fed `n` frames read the counters once the
    // capture has done with all of them.
    bool wait_frames_handled(std::uint64_t n, std::chrono::milliseconds timeout);

private:
    void source_loop();
    void camera_loop();
    // Hands each frame `read` delivers to the decoder until stopping; false when `read` ran dry.
    bool feed_frames(const std::function<bool(GreyImage&)>& read);
    void replay_loop();
    void decode_loop();
    bool put_frame(GreyImage img, bool wait_until_taken);
    bool sleep_ms(std::int64_t ms); // false when stopping

    CaptureOptions opt_;
    Mailbox& mailbox_;
    bool lossless_; // replayed pictures are each decoded; camera frames may be dropped

    std::mutex mutex_;
    std::condition_variable cv_;
    std::optional<GreyImage> slot_;
    bool decoding_ = false;
    bool source_done_ = false;
    bool stop_ = false;
    std::atomic<bool> replay_finished_{false};
    std::atomic<std::uint64_t> decoded_{0}, skipped_{0}, dropped_{0};
    std::thread source_, decoder_;
};

} // namespace accueil::kiosk
