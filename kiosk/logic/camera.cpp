#include "camera.hpp"

#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace accueil::kiosk {

namespace {
int xioctl(int fd, unsigned long request, void* arg) {
    int r;
    do
        r = v4l2_ioctl(fd, request, arg);
    while (r == -1 && errno == EINTR);
    return r;
}

bool is_capture_device(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK);
    if (fd < 0)
        return false;
    v4l2_capability cap{};
    const bool ok = ioctl(fd, VIDIOC_QUERYCAP, &cap) == 0 &&
                    ((cap.device_caps ? cap.device_caps : cap.capabilities) & V4L2_CAP_VIDEO_CAPTURE);
    ::close(fd);
    return ok;
}
} // namespace

std::string Camera::find_default() {
    for (int i = 0; i < 16; ++i) {
        const std::string path = "/dev/video" + std::to_string(i);
        if (std::filesystem::exists(path) && is_capture_device(path))
            return path;
    }
    return {};
}

std::unique_ptr<Camera> Camera::open(const std::string& device, int width, int height, int fps,
                                     std::string* error) {
    auto fail = [&](const std::string& what) {
        if (error)
            *error = device + ": " + what;
        return nullptr;
    };
    const int fd = v4l2_open(device.c_str(), O_RDWR | O_NONBLOCK);
    if (fd < 0)
        return fail(std::strerror(errno));
    std::unique_ptr<Camera> cam(new Camera);
    cam->fd_ = fd;
    cam->device_ = device;

    v4l2_capability cap{};
    if (xioctl(fd, VIDIOC_QUERYCAP, &cap) != 0)
        return fail("not a V4L2 device");
    v4l2_format fmt{};
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    fmt.fmt.pix.width = unsigned(width);
    fmt.fmt.pix.height = unsigned(height);
    fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUV420; // libv4l2 converts from the camera's own format
    fmt.fmt.pix.field = V4L2_FIELD_ANY;
    if (xioctl(fd, VIDIOC_S_FMT, &fmt) != 0)
        return fail(std::string("cannot set the picture format: ") + std::strerror(errno));
    if (fmt.fmt.pix.pixelformat != V4L2_PIX_FMT_YUV420)
        return fail("the camera cannot deliver YUV 4:2:0, even converted");
    cam->width_ = int(fmt.fmt.pix.width);
    cam->height_ = int(fmt.fmt.pix.height);

    v4l2_streamparm parm{};
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    parm.parm.capture.timeperframe.numerator = 1;
    parm.parm.capture.timeperframe.denominator = unsigned(fps);
    xioctl(fd, VIDIOC_S_PARM, &parm); // best effort: many webcams pick their own rate

    const std::size_t bytes = fmt.fmt.pix.sizeimage
                                  ? fmt.fmt.pix.sizeimage
                                  : std::size_t(cam->width_) * std::size_t(cam->height_) * 3 / 2;
    cam->buffer_.resize(bytes);
    return cam;
}

Camera::~Camera() {
    if (fd_ >= 0)
        v4l2_close(fd_);
}

bool Camera::read(GreyImage& out, int timeout_ms) {
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd_, &fds);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    const int r = select(fd_ + 1, &fds, nullptr, nullptr, &tv);
    if (r < 0 && errno != EINTR)
        throw std::runtime_error(device_ + ": " + std::strerror(errno));
    if (r <= 0)
        return false;
    // libv4l2 emulates read() with memory-mapped streaming when the driver has no read().
    const ssize_t n = v4l2_read(fd_, buffer_.data(), buffer_.size());
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return false;
        throw std::runtime_error(device_ + ": " + std::strerror(errno));
    }
    const std::size_t luma = std::size_t(width_) * std::size_t(height_);
    if (std::size_t(n) < luma)
        return false; // a short frame: skip it
    out.width = width_;
    out.height = height_;
    out.pixels.assign(buffer_.begin(), buffer_.begin() + std::ptrdiff_t(luma));
    return true;
}

} // namespace accueil::kiosk
