#include "qr_render.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <png.h>
#include <qrencode.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

namespace accueil {

QrSymbol encode_qr(std::string_view text) {
    const std::string s(text);
    if (s.find('\0') != std::string::npos)
        throw InputError("", i18n::tr("cli.qr.nul"));
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    if (!code)
        throw InputError("", i18n::tr("cli.qr.cannot_encode", {{"detail", std::strerror(errno)}}));
    QrSymbol q;
    q.version = code->version;
    q.width = code->width;
    q.modules.resize(std::size_t(q.width) * std::size_t(q.width));
    for (std::size_t i = 0; i < q.modules.size(); ++i)
        q.modules[i] = code->data[i] & 1; // bit 0: dark module; the other bits are encoder bookkeeping
    return q;
}

GreyImage render_qr(const QrSymbol& qr, int module_px, int quiet_modules) {
    GreyImage img;
    const int side_modules = qr.width + 2 * quiet_modules;
    img.width = img.height = side_modules * module_px;
    img.pixels.assign(std::size_t(img.width) * std::size_t(img.height), 255);
    for (int y = 0; y < qr.width; ++y)
        for (int x = 0; x < qr.width; ++x) {
            if (!qr.dark(x, y))
                continue;
            for (int py = 0; py < module_px; ++py) {
                auto* row =
                    &img.pixels[std::size_t((quiet_modules + y) * module_px + py) * std::size_t(img.width)];
                std::memset(row + (quiet_modules + x) * module_px, 0, std::size_t(module_px));
            }
        }
    return img;
}

void write_png(const GreyImage& image, const std::string& path) {
    std::unique_ptr<std::FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "wb"), std::fclose);
    if (!f)
        throw InputError(path, i18n::tr("cli.picture.cannot_write", {{"detail", std::strerror(errno)}}));
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        throw InputError(path, i18n::tr("cli.picture.encoder"));
    }
    // libpng reports errors by longjmp: nothing with a destructor may live between here and the end.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw InputError(path, i18n::tr("cli.picture.disk_full"));
    }
    png_init_io(png, f.get());
    png_set_IHDR(png, info, png_uint_32(image.width), png_uint_32(image.height), 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < image.height; ++y)
        png_write_row(png, image.pixels.data() + std::size_t(y) * std::size_t(image.width));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (std::fflush(f.get()) != 0)
        throw InputError(path, i18n::tr("cli.picture.cannot_write", {{"detail", std::strerror(errno)}}));
}

void write_qr_png(const QrSymbol& qr, const std::string& path, int module_px) {
    write_png(render_qr(qr, module_px), path);
}

std::string qr_svg(const QrSymbol& qr, int quiet_modules) {
    // One path of horizontal runs, in module units: crisp at any size, small to store.
    const int side = qr.width + 2 * quiet_modules;
    std::string d;
    for (int y = 0; y < qr.width; ++y)
        for (int x = 0; x < qr.width;) {
            if (!qr.dark(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < qr.width && qr.dark(x + run, y))
                ++run;
            d += "M" + std::to_string(x + quiet_modules) + " " + std::to_string(y + quiet_modules) + "h" +
                 std::to_string(run) + "v1h-" + std::to_string(run) + "z";
            x += run;
        }
    const std::string s = std::to_string(side);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
           s + " " + s + "\" width=\"" + std::to_string(side * 8) + "\" height=\"" +
           std::to_string(side * 8) + "\" shape-rendering=\"crispEdges\">\n<rect width=\"" + s +
           "\" height=\"" + s + "\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"" + d + "\"/>\n</svg>\n";
}

void write_qr_svg(const QrSymbol& qr, const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw InputError(path, i18n::tr("cli.picture.cannot_write", {{"detail", std::strerror(errno)}}));
    out << qr_svg(qr);
    out.flush();
    if (!out)
        throw InputError(path, i18n::tr("cli.picture.disk_full"));
}

} // namespace accueil
