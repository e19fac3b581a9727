#pragma once
// Screenshots read back with libpng's simplified API (the kiosk and desk screen tests).
#include <png.h>

#include <cstdint>
#include <string>
#include <vector>

namespace accueil::test {

struct PngPixels {
    int width = 0, height = 0;
    std::vector<std::uint8_t> bytes; // rows of `format`'s channels; empty when the file cannot be read
};

// `format`: PNG_FORMAT_RGB, PNG_FORMAT_GRAY ...
inline PngPixels read_png_pixels(const std::string& path, std::uint32_t format) {
    PngPixels p;
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        return p;
    image.format = format;
    p.bytes.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, p.bytes.data(), 0, nullptr)) {
        png_image_free(&image);
        return {};
    }
    p.width = int(image.width);
    p.height = int(image.height);
    return p;
}

} // namespace accueil::test
