#pragma once
// One camera picture in, the QR text out: the same code path for the live camera, --replay and
// --print-codes. Expected failures (unreadable file, no code in the picture) are values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::kiosk {

struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels; // row-major, one byte per pixel, stride = width
    bool empty() const { return width <= 0 || height <= 0; }
};

// PNG or JPEG (stb_image) to 8-bit grey; nullopt with `error` set when the file cannot be read.
std::optional<GreyImage> load_grey_image(const std::string& path, std::string* error = nullptr);
// Writes a grey image as PNG (tests, benches). Returns false on failure.
bool save_grey_png(const GreyImage& img, const std::string& path);

GreyImage downscale_half(const GreyImage& img);
// A photograph as a camera of the given size would frame it: scaled (bilinear, up or down) to the
// frame's height, centred, cropped or padded with grey at the sides (benches, tests).
GreyImage camera_frame(const GreyImage& photo, int width, int height);
// The picture centred on a canvas of the given size (grey background), scaled down to fit if needed.
GreyImage fit_into(const GreyImage& img, int width, int height, std::uint8_t background = 128);

struct DecodeResult {
    std::optional<std::string> text; // UTF-8; nullopt when no QR code was read
    int pass = 0; // which pass found it: 1 the half-size copy, 2 the plain library call, 3 the stretched
                  // copy, 4 the region around finder patterns of fine modules, with a global threshold
};

// QR only. Camera-sized frames (640x360 and up) first go through a cheap finder-pattern test
// (finder_precheck.hpp): a frame without anything like a finder pattern, what a kiosk sees most of the
// time, is answered "no code" there. Then a half-size copy is read (fast, and what reads most camera
// pictures), then the part of the frame around finder patterns too fine for that copy, if any
// (fine_code_region), then the whole frame with the plain ZXing call, so the pipeline never reads
// less than it. Smaller pictures try the plain call first, then the half-size copy (400x400 and up).
// Last, a low-contrast picture is contrast-stretched and read again.
// `quick`: the first pass only (a still scene checked again: the other pass already failed on it).
// `precheck` false: every pass runs (tests compare both ways).
DecodeResult decode_frame(const GreyImage& img, bool quick = false, bool precheck = true);

// Rough change between two frames (mean absolute difference of a coarse thumbnail, 0..255), for
// skipping the decode and the preview upload when the camera sees a still scene.
double frame_change(const GreyImage& a, const GreyImage& b);

// A thumbnail for the on-screen preview (at most max_w wide, aspect kept).
GreyImage thumbnail(const GreyImage& img, int max_w);

// --print-codes escaping: backslash, tab, carriage return and newline as \\ \t \r \n.
std::string escape_code_text(std::string_view text);

// The image files of a folder (PNG/JPEG, sorted by name), or the file itself.
std::vector<std::string> list_pictures(const std::string& path);

} // namespace accueil::kiosk
