#pragma once
// A V4L2 webcam through libv4l2, which converts whatever the camera sends (MJPEG, YUYV ...) to
// planar YUV 4:2:0 for us; the Y plane is the grey picture the decoder wants.
#include "frame_pipeline.hpp"

#include <memory>
#include <string>

namespace accueil::kiosk {

class Camera {
public:
    // Opens the device and asks for width x height at up to fps; nullptr with `error` set when that fails.
    static std::unique_ptr<Camera> open(const std::string& device, int width, int height, int fps,
                                        std::string* error);
    // The first /dev/videoN that is a capture device, or "" when there is none.
    static std::string find_default();

    ~Camera();
    Camera(const Camera&) = delete;
    Camera& operator=(const Camera&) = delete;

    // Waits up to timeout_ms for the next frame. False on timeout; throws std::runtime_error when the
    // camera went away (unplugged).
    bool read(GreyImage& out, int timeout_ms);
    const std::string& device() const { return device_; }
    int width() const { return width_; }
    int height() const { return height_; }

private:
    Camera() = default;
    int fd_ = -1;
    std::string device_;
    int width_ = 0, height_ = 0;
    std::vector<std::uint8_t> buffer_;
};

} // namespace accueil::kiosk
