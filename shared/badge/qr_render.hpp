#pragma once
// QR symbols of badge codes (libqrencode, error correction level M, alphanumeric mode for base32
// text) and their pictures: PNG (libpng) and SVG, always with the 4-module quiet zone the standard
// asks for, without which many decoders miss the symbol.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

constexpr int kQrQuietModules = 4;

struct QrSymbol {
    int version = 0;                   // 1..40
    int width = 0;                     // modules per side, without the quiet zone
    std::vector<std::uint8_t> modules; // width * width, row major, 1 = dark

    bool dark(int x, int y) const {
        return modules[std::size_t(y) * std::size_t(width) + std::size_t(x)] != 0;
    }
};

// Encodes text at level M (case-sensitive, so base32 upper case takes the alphanumeric mode).
// Throws InputError when the text cannot be encoded.
QrSymbol encode_qr(std::string_view text);

// An 8-bit grey picture (255 white, 0 black) of the symbol with its quiet zone; side =
// (width + 2 * quiet) * module_px.
struct GreyImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels; // row major
};
GreyImage render_qr(const QrSymbol& qr, int module_px, int quiet_modules = kQrQuietModules);

// Files. Throw InputError when the file cannot be written.
void write_png(const GreyImage& image, const std::string& path);
void write_qr_png(const QrSymbol& qr, const std::string& path, int module_px = 8);
std::string qr_svg(const QrSymbol& qr, int quiet_modules = kQrQuietModules);
void write_qr_svg(const QrSymbol& qr, const std::string& path);

} // namespace accueil
