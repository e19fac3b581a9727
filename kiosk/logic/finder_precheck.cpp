#include "finder_precheck.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace accueil::kiosk {

namespace {

// Local thresholds from 16x16 blocks: the midpoint of the darkest and lightest pixel in the 3x3 blocks
// around, like ZXing's local-average binariser but coarser. Blocks whose neighbourhood spans less than
// kMinRange grey levels are flat (a wall, a smooth sweater): nothing there is dark, and the row scan
// races through them. The darkest and lightest pixels are taken from a copy of half the size, whose
// 2x2 averaging halves a webcam's sensor noise: on the full-size frame, noise alone spans more than
// kMinRange in every block.
constexpr int kBlock = 16;
constexpr int kMinRange = 24; // ZXing's own "this block has no contrast" limit
// Light runs at least this much lighter than dark ones on average. Sensor noise on a smooth wall, and
// even uniform noise 60 levels wide (the bench's worst case), make 1:1:3:1:1 look-alikes by the dozen
// per frame with contrasts up to ~40; every real photograph in tests/data/qr-photos is above 50.
constexpr int kMinContrast = 50;

class Thresholds {
public:
    // `stats`: `img` itself, or its half-size copy (then its blocks are 8x8).
    Thresholds(const GreyImage& img, const GreyImage& stats)
        : bw_((img.width + kBlock - 1) / kBlock), bh_((img.height + kBlock - 1) / kBlock),
          thr_(std::size_t(bw_) * std::size_t(bh_), -1), img_(img) {
        std::vector<std::uint8_t> lo(thr_.size(), 255), hi(thr_.size(), 0);
        const int sb = stats.width == img.width ? kBlock : kBlock / 2;
        const int whole = std::min(stats.width / sb, bw_); // blocks the compiler's vectorised loop covers
        for (int y = 0; y < std::min(stats.height, bh_ * sb); ++y) {
            const std::uint8_t* row = &stats.pixels[std::size_t(y) * std::size_t(stats.width)];
            std::uint8_t* l = &lo[std::size_t(y / sb) * std::size_t(bw_)];
            std::uint8_t* h = &hi[std::size_t(y / sb) * std::size_t(bw_)];
            for (int bx = 0; bx < whole; ++bx) {
                std::uint8_t mn = l[bx], mx = h[bx];
                for (int k = 0; k < sb; ++k) {
                    mn = std::min(mn, row[bx * sb + k]);
                    mx = std::max(mx, row[bx * sb + k]);
                }
                l[bx] = mn;
                h[bx] = mx;
            }
            for (int x = whole * sb; x < std::min(stats.width, bw_ * sb); ++x) {
                l[x / sb] = std::min(l[x / sb], row[x]);
                h[x / sb] = std::max(h[x / sb], row[x]);
            }
        }
        for (int by = 0; by < bh_; ++by)
            for (int bx = 0; bx < bw_; ++bx) {
                int mn = 255, mx = 0;
                for (int ny = std::max(0, by - 1); ny <= std::min(bh_ - 1, by + 1); ++ny)
                    for (int nx = std::max(0, bx - 1); nx <= std::min(bw_ - 1, bx + 1); ++nx) {
                        mn = std::min<int>(mn, lo[std::size_t(ny) * std::size_t(bw_) + std::size_t(nx)]);
                        mx = std::max<int>(mx, hi[std::size_t(ny) * std::size_t(bw_) + std::size_t(nx)]);
                    }
                if (mx - mn >= kMinRange)
                    thr_[std::size_t(by) * std::size_t(bw_) + std::size_t(bx)] = std::int16_t((mn + mx) / 2);
            }
    }
    bool dark(int x, int y) const {
        const int t = thr_[std::size_t(unsigned(y) / kBlock) * std::size_t(bw_) + unsigned(x) / kBlock];
        return int(img_.pixels[std::size_t(y) * std::size_t(img_.width) + std::size_t(x)]) < t;
    }
    // Row y as dark (1) and light (0) pixels, a block at a time: one threshold per loop, which the
    // compiler vectorises, and flat blocks (no threshold) cleared at once.
    void binarise_row(int y, std::vector<std::uint8_t>& out) const {
        const std::uint8_t* row = &img_.pixels[std::size_t(y) * std::size_t(img_.width)];
        const std::int16_t* t = &thr_[std::size_t(unsigned(y) / kBlock) * std::size_t(bw_)];
        out.resize(std::size_t(img_.width));
        std::uint8_t* o = out.data();
        for (int bx = 0; bx < bw_; ++bx) {
            const int x0 = bx * kBlock, x1 = std::min(img_.width, x0 + kBlock);
            const int threshold = t[bx];
            if (threshold < 0) {
                std::memset(o + x0, 0, std::size_t(x1 - x0));
                continue;
            }
            for (int x = x0; x < x1; ++x)
                o[x] = row[x] < threshold;
        }
    }

private:
    int bw_, bh_;
    std::vector<std::int16_t> thr_;
    const GreyImage& img_;
};

// Run lengths dark, light, dark (3 modules), light, dark in the proportions 1:1:3:1:1, with the slack
// a tilted, blurred, perspective-distorted photograph needs: ZXing's own test for the centre (1.5 to
// 4.5 modules), a looser one for the four outer runs (blur and binarisation thicken or thin them).
bool finder_ratio(const std::array<int, 5>& c, double min_module) {
    const int total = c[0] + c[1] + c[2] + c[3] + c[4];
    if (total < 7 * min_module)
        return false;
    const double m = total / 7.0, slack = m * 0.75;
    return std::abs(m - c[0]) < slack && std::abs(m - c[1]) < slack && std::abs(3 * m - c[2]) < 1.5 * m &&
           std::abs(m - c[3]) < slack && std::abs(m - c[4]) < slack;
}

// The column through (x, y), the centre of a row hit: the same five runs, of about the same size.
bool confirmed_down(const GreyImage& img, const Thresholds& t, int x, int y, int row_total,
                    double min_module) {
    const int limit = row_total * 2; // a run this long is not part of the same pattern
    std::array<int, 5> c{};
    int yy = y;
    // Up from the centre: centre (dark), light, dark.
    for (int run = 2, want_dark = 1; run >= 0; --run, want_dark ^= 1) {
        while (yy >= 0 && t.dark(x, yy) == bool(want_dark) && c[std::size_t(run)] <= limit)
            ++c[std::size_t(run)], --yy;
        if (c[std::size_t(run)] == 0 || c[std::size_t(run)] > limit || (yy < 0 && run > 0))
            return false;
    }
    // Down from below the centre: the rest of the centre, light, dark.
    yy = y + 1;
    for (int run = 2, want_dark = 1; run <= 4; ++run, want_dark ^= 1) {
        while (yy < img.height && t.dark(x, yy) == bool(want_dark) && c[std::size_t(run)] <= limit)
            ++c[std::size_t(run)], ++yy;
        if (c[std::size_t(run)] == 0 || c[std::size_t(run)] > limit || (yy >= img.height && run < 4))
            return false;
    }
    const int total = c[0] + c[1] + c[2] + c[3] + c[4];
    // A square pattern: about as tall as it is wide (perspective and tilt allowed for).
    return finder_ratio(c, min_module) && 2 * total > row_total && total < 2 * row_total;
}

// Mean grey of the light runs minus that of the dark runs along row y, the runs ending before x.
int row_contrast(const GreyImage& img, int x, int y, const std::array<int, 5>& c) {
    const std::uint8_t* row = &img.pixels[std::size_t(y) * std::size_t(img.width)];
    long sum[2] = {0, 0}, n[2] = {0, 0};
    int at = x - (c[0] + c[1] + c[2] + c[3] + c[4]);
    for (std::size_t r = 0; r < 5; ++r)
        for (int k = 0; k < c[r]; ++k, ++at)
            sum[r & 1] += row[at], ++n[r & 1];
    return int(sum[1] / n[1] - sum[0] / n[0]);
}

struct Seen {
    int x, y, size; // centre, and width (7 modules), in the scanned picture's pixels
};

// Counts the candidates, up to `enough`; `seen` is set to them (a pattern is crossed by several rows:
// each is counted once).
int scan(const GreyImage& img, const GreyImage& stats, int row_step, double min_module, int enough,
         std::vector<Seen>& seen) {
    seen.clear();
    if (img.width < 21 || img.height < 21)
        return 0;
    const Thresholds t(img, stats);
    int found = 0;
    std::vector<std::uint8_t> bits;
    for (int y = row_step / 2; y < img.height; y += row_step) {
        t.binarise_row(y, bits);
        // The row as alternating runs, dark first (light before the first dark pixel is skipped), found
        // with memchr: most of a frame with no code is long light runs. Each dark run from the fifth on
        // ends a window of five runs (dark, light, dark, light, dark) that is tested, then the window
        // slides by two runs (the third dark run may start the next pattern).
        const std::uint8_t* b = bits.data();
        const auto next = [&](int from, std::uint8_t value) {
            const void* at = std::memchr(b + from, value, std::size_t(img.width - from));
            return at ? int(static_cast<const std::uint8_t*>(at) - b) : img.width;
        };
        std::array<int, 5> c{};
        int runs = 0; // runs held in c, the latest last
        for (int x = next(0, 1); x < img.width;) {
            const int dark_end = next(x, 0); // past the last pixel counts as light
            c[std::size_t(runs++)] = dark_end - x;
            x = dark_end;
            if (runs == 5) {
                if (finder_ratio(c, min_module) && row_contrast(img, x, y, c) >= kMinContrast) {
                    const int total = c[0] + c[1] + c[2] + c[3] + c[4];
                    const int cx = x - c[4] - c[3] - c[2] / 2;
                    const bool again = std::any_of(seen.begin(), seen.end(), [&](const Seen& o) {
                        return std::abs(o.x - cx) < o.size && std::abs(o.y - y) < o.size;
                    });
                    if (!again && confirmed_down(img, t, cx, y, total, min_module)) {
                        seen.push_back({cx, y, total});
                        if (++found >= enough)
                            return found;
                    }
                }
                c = {c[2], c[3], c[4], 0, 0};
                runs = 3;
            }
            if (x >= img.width)
                break;
            const int light_end = next(x, 1);
            if (light_end >= img.width)
                break; // no dark run after this one: nothing more ends a window on this row
            c[std::size_t(runs++)] = light_end - x;
            x = light_end;
        }
    }
    return found;
}

} // namespace

int finder_candidates(const GreyImage& img, int enough) {
    if (img.empty())
        return 0;
    return finder_candidates(img, downscale_half(img), enough);
}

int finder_candidates(const GreyImage& img, const GreyImage& half, int enough) {
    if (img.empty())
        return 0;
    // Full resolution for small codes (modules of 2 px and more: below that, sensor noise makes finder
    // look-alikes everywhere and no decoder pass reads the code anyway), then half and quarter size
    // for big codes whose 3-module centre fills a whole block neighbourhood at full size.
    const GreyImage quarter = downscale_half(half);
    std::vector<Seen> seen;
    int found = scan(img, half, 3, 2.0, enough, seen); // a 3-module centre of 2 px modules spans 6 rows
    if (found >= enough)
        return found;
    found = std::max(found, scan(half, quarter, 1, 2.0, enough, seen));
    if (found >= enough)
        return found;
    return std::max(found, scan(quarter, quarter, 1, 1.5, enough, seen));
}

std::optional<FrameRegion> fine_code_region(const GreyImage& img, const GreyImage& half) {
    // Modules up to 4.5 px: 2.25 px and less on the half-size copy, where that pass starts to miss
    // codes (rendered badges of 4 px modules read there, 3 px ones often not).
    constexpr int kFineSize = 31;            // a finder pattern's width, 7 modules of 4.5 px
    constexpr int kMarginModules = 40;       // a finder's centre to the far side of a badge's code
    constexpr double kMostOfFrame = 1 / 3.0; // spread wider: fine textures, not one code
    std::vector<Seen> seen;
    scan(img, half, 3, 2.0, std::numeric_limits<int>::max(), seen);
    int x0 = img.width, y0 = img.height, x1 = -1, y1 = -1, module = 0;
    for (const auto& s : seen)
        if (s.size <= kFineSize) {
            x0 = std::min(x0, s.x), y0 = std::min(y0, s.y);
            x1 = std::max(x1, s.x), y1 = std::max(y1, s.y);
            module = std::max(module, (s.size + 6) / 7);
        }
    if (x1 < 0)
        return std::nullopt;
    const int margin = kMarginModules * module;
    FrameRegion r;
    r.x = std::max(0, x0 - margin);
    r.y = std::max(0, y0 - margin);
    r.width = std::min(img.width, x1 + margin + 1) - r.x;
    r.height = std::min(img.height, y1 + margin + 1) - r.y;
    if (double(r.width) * r.height > kMostOfFrame * img.width * img.height)
        return std::nullopt;
    return r;
}

} // namespace accueil::kiosk
