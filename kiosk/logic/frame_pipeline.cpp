#include "frame_pipeline.hpp"

#include "finder_precheck.hpp"

#define ZX_USE_UTF8 // Result::text() as UTF-8 std::string (ZXing 1.4's transition switch)
#include <ZXing/ReadBarcode.h>
#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace accueil::kiosk {

std::optional<GreyImage> load_grey_image(const std::string& path, std::string* error) {
    int w = 0, h = 0, n = 0;
    // stb converts any channel layout to one grey channel (luma weights) for us.
    unsigned char* data = stbi_load(path.c_str(), &w, &h, &n, 1);
    if (!data) {
        if (error)
            *error =
                path + ": " + (stbi_failure_reason() ? stbi_failure_reason() : "cannot read the picture");
        return std::nullopt;
    }
    GreyImage img;
    img.width = w;
    img.height = h;
    img.pixels.assign(data, data + std::size_t(w) * std::size_t(h));
    stbi_image_free(data);
    return img;
}

bool save_grey_png(const GreyImage& img, const std::string& path) {
    return stbi_write_png(path.c_str(), img.width, img.height, 1, img.pixels.data(), img.width) != 0;
}

GreyImage downscale_half(const GreyImage& img) {
    GreyImage out;
    out.width = img.width / 2;
    out.height = img.height / 2;
    out.pixels.resize(std::size_t(out.width) * std::size_t(out.height));
    for (int y = 0; y < out.height; ++y) {
        const std::uint8_t* r0 = &img.pixels[std::size_t(2 * y) * std::size_t(img.width)];
        const std::uint8_t* r1 = r0 + img.width;
        std::uint8_t* o = &out.pixels[std::size_t(y) * std::size_t(out.width)];
        for (int x = 0; x < out.width; ++x)
            o[x] = std::uint8_t((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) / 4);
    }
    return out;
}

GreyImage camera_frame(const GreyImage& in, int width, int height) {
    GreyImage f;
    f.width = width;
    f.height = height;
    f.pixels.assign(std::size_t(width) * std::size_t(height), 128);
    if (in.empty())
        return f;
    const double k = double(height) / in.height;
    const int w = int(in.width * k);
    const int x0 = (width - w) / 2;
    auto at = [&](int xx, int yy) {
        return double(in.pixels[std::size_t(std::min(yy, in.height - 1)) * std::size_t(in.width) +
                                std::size_t(std::min(xx, in.width - 1))]);
    };
    for (int y = 0; y < height; ++y)
        for (int x = std::max(0, x0); x < std::min(width, x0 + w); ++x) {
            const double sx = std::clamp((x - x0 + 0.5) / k - 0.5, 0.0, in.width - 1.0);
            const double sy = std::clamp((y + 0.5) / k - 0.5, 0.0, in.height - 1.0);
            const int ix = std::min(int(sx), std::max(0, in.width - 2));
            const int iy = std::min(int(sy), std::max(0, in.height - 2));
            const double fx = sx - ix, fy = sy - iy;
            const double v = (at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx) * (1 - fy) +
                             (at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx) * fy;
            f.pixels[std::size_t(y) * std::size_t(width) + std::size_t(x)] =
                std::uint8_t(std::clamp(v, 0.0, 255.0));
        }
    return f;
}

GreyImage fit_into(const GreyImage& img, int width, int height, std::uint8_t background) {
    GreyImage out;
    out.width = width;
    out.height = height;
    out.pixels.assign(std::size_t(width) * std::size_t(height), background);
    const double scale = std::min({1.0, double(width) / img.width, double(height) / img.height});
    const int sw = std::max(1, int(img.width * scale)), sh = std::max(1, int(img.height * scale));
    const int ox = (width - sw) / 2, oy = (height - sh) / 2;
    for (int y = 0; y < sh; ++y) {
        // Box-average the source pixels each destination pixel covers (no aliasing of QR modules).
        const int sy0 = int(y / scale), sy1 = std::max(sy0 + 1, std::min(img.height, int((y + 1) / scale)));
        for (int x = 0; x < sw; ++x) {
            const int sx0 = int(x / scale),
                      sx1 = std::max(sx0 + 1, std::min(img.width, int((x + 1) / scale)));
            unsigned sum = 0, n = 0;
            for (int yy = sy0; yy < sy1; ++yy)
                for (int xx = sx0; xx < sx1; ++xx, ++n)
                    sum += img.pixels[std::size_t(yy) * std::size_t(img.width) + std::size_t(xx)];
            out.pixels[std::size_t(oy + y) * std::size_t(width) + std::size_t(ox + x)] =
                std::uint8_t(sum / n);
        }
    }
    return out;
}

namespace {
std::optional<std::string> read_qr(const ZXing::ImageView& view, ZXing::Binarizer binarizer,
                                   bool try_harder) {
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setBinarizer(binarizer);
    hints.setTryHarder(try_harder);
    const auto result = ZXing::ReadBarcode(view, hints);
    if (!result.isValid())
        return std::nullopt;
    return result.text();
}

std::optional<std::string> read_qr(const GreyImage& img, ZXing::Binarizer binarizer, bool try_harder) {
    if (img.empty())
        return std::nullopt;
    return read_qr(ZXing::ImageView(img.pixels.data(), img.width, img.height, ZXing::ImageFormat::Lum),
                   binarizer, try_harder);
}

// The contrast-stretched copy, or nullopt when the picture already spans half the grey scale or more
// (the stretch would change little: the local-average binariser compares pixels with their
// neighbours' mean, which a near-identity linear map keeps, so the pass would only repeat pass 2; on
// tests/data/qr-photos at 1280x720 it read nothing the other passes miss, and spent up to 5 ms).
std::optional<GreyImage> stretch_contrast(const GreyImage& img) {
    // Map the 2nd..98th percentile to 0..255.
    std::array<std::size_t, 256> hist{};
    for (auto p : img.pixels)
        ++hist[p];
    const std::size_t total = img.pixels.size();
    std::size_t acc = 0;
    int lo = 0, hi = 255;
    for (int i = 0; i < 256; ++i) {
        acc += hist[std::size_t(i)];
        if (acc * 50 < total)
            lo = i;
        if (acc * 50 < total * 49)
            hi = i;
    }
    if (hi <= lo + 8 || hi - lo >= 128)
        return std::nullopt;
    GreyImage out = img;
    for (auto& p : out.pixels)
        p = std::uint8_t(std::clamp((int(p) - lo) * 255 / (hi - lo), 0, 255));
    return out;
}
} // namespace

DecodeResult decode_frame(const GreyImage& img, bool quick, bool precheck) {
    DecodeResult r;
    if (img.empty())
        return r;
    // Camera frames (640x360 and up) are read at half size first: on the 90 real photographs framed
    // in 1280x720 (tests/data/qr-photos), the half-size pass alone reads 71 of the 74 that any pass
    // reads, for about a third of the plain call's time (averaging 2x2 pixels also halves sensor
    // noise and smooths a blurred code's edges). The plain call then reads the 3 others (codes with
    // modules too fine for half size). Smaller pictures (a code file, a --replay of a scan) go to the
    // plain call first: their modules may be a pixel wide.
    const bool camera = img.width >= 640 && img.height >= 360;
    std::optional<GreyImage> half;
    if (camera || (img.width >= 400 && img.height >= 400))
        half = downscale_half(img);
    // The finder-pattern test (finder_precheck.hpp), camera frames only: small pictures are cheap to
    // decode anyway, and the test looks for modules of 2 pixels and more. It reuses the half-size copy.
    if (precheck && camera && finder_candidates(img, *half, 1) == 0)
        return r;
    auto half_pass = [&] {
        if (half && (r.text = read_qr(*half, ZXing::Binarizer::LocalAverage, true)))
            r.pass = 1;
        return r.text.has_value();
    };
    // Pass 2 is exactly the plain library call (default hints, QR only), so the pipeline never reads
    // less than it.
    auto plain_pass = [&] {
        if ((r.text = read_qr(img, ZXing::Binarizer::LocalAverage, true)))
            r.pass = 2;
        return r.text.has_value();
    };
    // A printed badge of fine modules (3 px, below what half size keeps), read with a global threshold
    // in the part of the frame around its finder patterns: a fraction of the plain call's time, where
    // the plain call is slowest (a badge against a plain, noisy background). Frames with no such
    // pattern skip it: on the real photographs, the pass over the whole frame read nothing the
    // half-size pass had not, and cost a plain call's time on each frame holding an unreadable code.
    auto fine_pass = [&] {
        const auto region = fine_code_region(img, *half);
        if (!region)
            return false;
        const ZXing::ImageView view(img.pixels.data() + std::size_t(region->y) * std::size_t(img.width) +
                                        std::size_t(region->x),
                                    region->width, region->height, ZXing::ImageFormat::Lum, img.width);
        if ((r.text = read_qr(view, ZXing::Binarizer::GlobalHistogram, true)))
            r.pass = 4;
        return r.text.has_value();
    };
    if (camera ? half_pass() || quick || fine_pass() || plain_pass() : plain_pass() || quick || half_pass())
        return r;
    // A washed-out picture, contrast-stretched: reads fine modules under blur and noise (a 3 px badge
    // at a slight angle, tests/test_kiosk_pipeline.cpp) that the plain call misses.
    if (const auto stretched = stretch_contrast(img))
        if ((r.text = read_qr(*stretched, ZXing::Binarizer::LocalAverage, true)))
            r.pass = 3;
    return r;
}

double frame_change(const GreyImage& a, const GreyImage& b) {
    if (a.width != b.width || a.height != b.height || a.empty())
        return 255.0;
    // A 32x18 grid of sample points is plenty to tell a still scene from a badge moving in.
    constexpr int kCols = 32, kRows = 18;
    double sum = 0;
    for (int gy = 0; gy < kRows; ++gy)
        for (int gx = 0; gx < kCols; ++gx) {
            const std::size_t i = std::size_t((gy * 2 + 1) * a.height / (2 * kRows)) * std::size_t(a.width) +
                                  std::size_t((gx * 2 + 1) * a.width / (2 * kCols));
            sum += std::abs(int(a.pixels[i]) - int(b.pixels[i]));
        }
    return sum / (kCols * kRows);
}

GreyImage thumbnail(const GreyImage& img, int max_w) {
    if (img.empty())
        return img;
    const int w = std::min(max_w, img.width);
    const int h = std::max(1, img.height * w / img.width);
    return fit_into(img, w, h);
}

std::string escape_code_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::vector<std::string> list_pictures(const std::string& path) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        for (const auto& entry : fs::directory_iterator(path, ec)) {
            if (!entry.is_regular_file(ec))
                continue;
            std::string ext = entry.path().extension().string();
            std::transform(ext.begin(), ext.end(), ext.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            if (ext == ".png" || ext == ".jpg" || ext == ".jpeg")
                out.push_back(entry.path().string());
        }
        std::sort(out.begin(), out.end());
    } else {
        out.push_back(path);
    }
    return out;
}

} // namespace accueil::kiosk
