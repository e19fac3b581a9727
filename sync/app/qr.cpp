#include "qr.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <png.h>
#include <qrencode.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace accueil::sync {

namespace {
struct Symbol {
    int width = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const {
        return x >= 0 && y >= 0 && x < width && y < width && dark[std::size_t(y * width + x)];
    }
};

Symbol encode(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M),
                                                       QRcode_free);
    if (!qr)
        throw StoreError(i18n::tr("central.qr.too_long"));
    Symbol s;
    s.width = qr->width;
    s.dark.resize(std::size_t(s.width * s.width));
    for (int i = 0; i < s.width * s.width; ++i)
        s.dark[std::size_t(i)] = qr->data[i] & 1;
    return s;
}
} // namespace

std::string qr_terminal(const std::string& text) {
    const Symbol s = encode(text);
    // Light modules are drawn (as `qrencode -t UTF8` does), so the code reads on a dark terminal; two
    // rows per line with half blocks, and a quiet zone of two modules.
    constexpr int quiet = 2;
    std::string out;
    for (int y = -quiet; y < s.width + quiet; y += 2) {
        for (int x = -quiet; x < s.width + quiet; ++x) {
            const bool top = !s.at(x, y), bottom = !s.at(x, y + 1) && y + 1 < s.width + quiet;
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out += '\n';
    }
    return out;
}

void qr_png(const std::string& text, const std::string& path) {
    const Symbol s = encode(text);
    constexpr int scale = 8, quiet = 4;
    const int size = (s.width + 2 * quiet) * scale;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        throw InputError(path, i18n::tr("central.qr.unwritable"));
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        std::fclose(f);
        throw InputError(path, i18n::tr("central.qr.unwritable"));
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, png_uint_32(size), png_uint_32(size), 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    std::vector<png_byte> row(static_cast<std::size_t>(size));
    for (int py = 0; py < size; ++py) {
        for (int px = 0; px < size; ++px)
            row[std::size_t(px)] = s.at(px / scale - quiet, py / scale - quiet) ? 0 : 255;
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
}

} // namespace accueil::sync
