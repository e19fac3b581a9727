#pragma once
// Helpers shared by the kiosk tests: QR codes rendered and degraded like a camera would see them, and
// running the kiosk binary.
#include "frame_pipeline.hpp"

#include <qrencode.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>

namespace accueil::test {

// A QR symbol (EC level M), `module_px` pixels per module, with a 4-module quiet zone.
inline kiosk::GreyImage render_qr(const std::string& text, int module_px) {
    QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (!qr)
        throw std::runtime_error("qrencode failed");
    const int quiet = 4, n = qr->width, side = (n + 2 * quiet) * module_px;
    kiosk::GreyImage img;
    img.width = img.height = side;
    img.pixels.assign(std::size_t(side) * std::size_t(side), 255);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (qr->data[y * n + x] & 1)
                for (int dy = 0; dy < module_px; ++dy)
                    for (int dx = 0; dx < module_px; ++dx)
                        img.pixels[std::size_t((quiet + y) * module_px + dy) * std::size_t(side) +
                                   std::size_t((quiet + x) * module_px + dx)] = 0;
    QRcode_free(qr);
    return img;
}

// What a cheap webcam does to a badge: lower contrast, a light gradient, blur, sensor noise, a slight
// rotation.
inline kiosk::GreyImage degrade(const kiosk::GreyImage& in, double angle_deg, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0, 9);
    const double a = angle_deg * 3.14159265358979 / 180, c = std::cos(a), s = std::sin(a);
    const double cx = in.width / 2.0, cy = in.height / 2.0;
    kiosk::GreyImage out = in;
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x) {
            // Rotate about the centre, with a 3x3 box blur at the source position.
            const double sx = c * (x - cx) + s * (y - cy) + cx, sy = -s * (x - cx) + c * (y - cy) + cy;
            double sum = 0;
            int n = 0;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const int xx = int(sx) + dx, yy = int(sy) + dy;
                    sum += (xx < 0 || yy < 0 || xx >= in.width || yy >= in.height)
                               ? 255
                               : in.pixels[std::size_t(yy) * std::size_t(in.width) + std::size_t(xx)];
                    ++n;
                }
            double v = 60 + (sum / n) * 0.6; // washed out: 60..213
            v += 30.0 * x / in.width;        // uneven light
            v += noise(rng);
            out.pixels[std::size_t(y) * std::size_t(in.width) + std::size_t(x)] =
                std::uint8_t(std::clamp(v, 0.0, 255.0));
        }
    return out;
}

struct Run {
    int status = -1;
    std::string out;
};

// Runs a shell command, capturing its standard output.
inline Run run_command(const std::string& cmd) {
    Run r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

inline std::string quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s)
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

inline std::string kiosk_binary() {
    return std::string(ACCUEIL_BIN_DIR) + "/accueil-kiosk";
}

} // namespace accueil::test
