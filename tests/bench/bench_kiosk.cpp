// Kiosk figures: the real kiosk's cold start to its scan screen under Xvfb on a store of 1,700 people,
// a 1280x720 camera frame to a decoded code through the kiosk's own decode_frame, and a decoded code
// to a verdict with its durable commit, through the check-in worker's code (and through the worker
// thread itself, mailbox included).
#include "bench_util.hpp"

#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "badge/qr_render.hpp"
#include "capture.hpp"
#include "checkin.hpp"
#include "checkin_worker.hpp"
#include "demo_roster.hpp"
#include "frame_pipeline.hpp"
#include "import/roster_import.hpp"
#include "mailbox.hpp"
#include "store.hpp"
#include "support/child_process.hpp"

#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

using namespace accueil;
using namespace accueil::bench;
namespace fs = std::filesystem;

namespace {

constexpr int kFrameW = 1280, kFrameH = 720;
constexpr std::int64_t kSept28At0930 = 1664350200000; // an ordinary day of the demo event, in Paris

// A printed badge held up to the webcam: the QR picture pasted off-centre into a grey frame, with a
// little sensor noise.
kiosk::GreyImage badge_frame(const std::string& code, int module_px, unsigned seed) {
    const auto qr = render_qr(encode_qr(code), module_px);
    kiosk::GreyImage f;
    f.width = kFrameW;
    f.height = kFrameH;
    f.pixels.assign(std::size_t(kFrameW) * kFrameH, 128);
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0, 6);
    const int x0 = 200 + int(rng() % 400), y0 = std::max(0, (kFrameH - qr.height) / 2 - 40 + int(rng() % 80));
    for (int y = 0; y < kFrameH; ++y)
        for (int x = 0; x < kFrameW; ++x) {
            double v = 128;
            if (x >= x0 && y >= y0 && x < x0 + qr.width && y < y0 + qr.height)
                v = qr.pixels[std::size_t(y - y0) * std::size_t(qr.width) + std::size_t(x - x0)] ? 225 : 30;
            f.pixels[std::size_t(y) * kFrameW + std::size_t(x)] =
                std::uint8_t(std::clamp(v + noise(rng), 0.0, 255.0));
        }
    return f;
}

struct Frame {
    kiosk::GreyImage image;
    std::string expected; // empty: nothing to read
    std::string also;     // another code the picture holds, as right a read as `expected`
    std::string name;     // shown when it is misread
};

// ZXing::ReadBarcode with default hints, QR only, on the whole frame once: what every decode figure
// is compared with (tests/test_kiosk_pipeline.cpp's plain_call).
bool plain_zxing_call(const kiosk::GreyImage& img) {
    ZXing::ImageView view(img.pixels.data(), img.width, img.height, ZXing::ImageFormat::Lum);
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    return ZXing::ReadBarcode(view, hints).isValid();
}

struct DecodeTimes {
    std::vector<double> kiosk, plain; // µs per frame, the kiosk's decode_frame and the plain call
    std::size_t read = 0, wrong = 0, with_code = 0;
};

// Each frame through the kiosk's decode_frame and, right after it, through the plain call, so that both
// see the same load on the machine.
DecodeTimes time_decodes(const std::string& what, const std::vector<Frame>& frames, int rounds) {
    DecodeTimes t;
    for (int round = 0; round < rounds; ++round)
        for (const auto& f : frames) {
            auto start = Clock::now();
            const auto r = kiosk::decode_frame(f.image);
            t.kiosk.push_back(seconds_since(start) * 1e6);
            start = Clock::now();
            plain_zxing_call(f.image);
            t.plain.push_back(seconds_since(start) * 1e6);
            if (round == 0 && !f.expected.empty()) {
                ++t.with_code;
                const bool right = r.text && (*r.text == f.expected || *r.text == f.also);
                t.read += right;
                if (r.text && !right) {
                    ++t.wrong;
                    std::printf("%-52s misread %s: read \"%s\"\n", "", f.name.c_str(),
                                kiosk::escape_code_text(*r.text).c_str());
                }
            }
        }
    std::printf("%-52s p50 %9.1f µs   p99 %9.1f µs   (n=%zu; plain ZXing call p50 %.1f µs, p99 %.1f µs)\n",
                what.c_str(), percentile(t.kiosk, 50), percentile(t.kiosk, 99), t.kiosk.size(),
                percentile(t.plain, 50), percentile(t.plain, 99));
    if (t.with_code)
        std::printf("%-52s %zu of %zu read, %zu misread\n", "", t.read, t.with_code, t.wrong);
    return t;
}

std::string ms_text(const char* what, double micros) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s %.2f ms", what, micros / 1000);
    return buf;
}

// What a kiosk's camera sees most of the day: a hall with nobody at the kiosk. A wall with soft light
// and a poster, a tiled floor, a few people walking across at different speeds, and a webcam's sensor
// noise. `frames` consecutive frames at 15 fps.
std::vector<kiosk::GreyImage> moving_hall(int frames, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<float> bg(std::size_t(kFrameW) * kFrameH);
    const int floor_y = kFrameH * 3 / 5;
    for (int y = 0; y < kFrameH; ++y)
        for (int x = 0; x < kFrameW; ++x) {
            double v;
            if (y < floor_y) // the wall: a lamp's soft pool of light
                v = 150 + 25 * std::exp(-((x - 500.0) * (x - 500.0) + (y - 80.0) * (y - 80.0)) / 200000.0) +
                    6 * std::sin(x / 90.0) * std::sin(y / 70.0);
            else { // the floor: 96 px tiles with darker joints, darker towards the camera
                v = 120 - 30.0 * (y - floor_y) / (kFrameH - floor_y);
                if ((x % 96) < 3 || ((y - floor_y) % 48) < 2)
                    v -= 14;
            }
            if (x > 850 && x < 1050 && y > 90 && y < 330) // a poster: a title band and a picture
                v = (y < 140) ? 60 : (x > 880 && x < 1020 && y > 160 && y < 300) ? 200 : 230;
            bg[std::size_t(y) * kFrameW + std::size_t(x)] = float(v);
        }
    struct Person {
        double x, vx;
        int y, width, height;
        float coat, trousers, face;
    };
    std::vector<Person> people;
    for (int i = 0; i < 4; ++i) {
        const double scale = 0.6 + 0.15 * i; // farther people are smaller
        people.push_back(Person{double(rng() % kFrameW), (i % 2 ? -1.0 : 1.0) * (6 + rng() % 14) * scale,
                                floor_y + int(40 * scale), int(130 * scale), int(480 * scale),
                                float(40 + rng() % 80), float(30 + rng() % 40), float(170 + rng() % 40)});
    }
    std::normal_distribution<float> sensor(0, 4);
    std::vector<float> noise(std::size_t(kFrameW) * kFrameH + 4096);
    for (auto& n : noise)
        n = sensor(rng);
    std::vector<kiosk::GreyImage> out;
    for (int f = 0; f < frames; ++f) {
        std::vector<float> img = bg;
        for (auto& p : people) {
            p.x += p.vx;
            if (p.x < -p.width)
                p.x += kFrameW + 2 * p.width;
            if (p.x > kFrameW + p.width)
                p.x -= kFrameW + 2 * p.width;
            const int top = p.y - p.height, head = p.height / 7;
            for (int y = std::max(0, top); y < std::min(kFrameH, p.y); ++y) {
                const int dy = y - top;
                // Head, coat, trousers: an ellipse-ish outline, shaded on one side.
                double half =
                    dy < head ? head * 0.45 * std::sqrt(std::max(0.0, 1 - std::pow(2.0 * dy / head - 1, 2)))
                    : dy < p.height * 3 / 5 ? p.width / 2.0
                                            : p.width / 2.8;
                const float tone = dy < head ? p.face : dy < p.height * 3 / 5 ? p.coat : p.trousers;
                for (int x = std::max(0, int(p.x - half)); x < std::min(kFrameW, int(p.x + half)); ++x)
                    img[std::size_t(y) * kFrameW + std::size_t(x)] = tone + float(12 * (x - p.x) / p.width);
            }
        }
        kiosk::GreyImage g;
        g.width = kFrameW;
        g.height = kFrameH;
        g.pixels.resize(img.size());
        const std::size_t shift = rng() % 4096;
        for (std::size_t i = 0; i < img.size(); ++i)
            g.pixels[i] = std::uint8_t(std::clamp(img[i] + noise[i + shift], 0.0f, 255.0f));
        out.push_back(std::move(g));
    }
    return out;
}

void bench_decode(const std::vector<std::string>& codes, const std::vector<kiosk::GreyImage>& hall) {
    std::vector<Frame> badges;
    unsigned seed = 1;
    for (int module_px : {3, 4, 6})
        for (std::size_t i = 0; i < 8 && i < codes.size(); ++i)
            badges.push_back({badge_frame(codes[i], module_px, seed++), codes[i], "", "badge"});
    const auto b = time_decodes("1280×720 frame, rendered badge → code", badges, 5);
    budget("1280×720 frame, rendered badge → code", percentile(b.kiosk, 99) / 1000, "ms p99",
           std::to_string(b.read) + " of " + std::to_string(b.with_code) + " read", "≤ 10 and all read",
           percentile(b.kiosk, 99) <= 10000 && b.read == b.with_code);

    // The repository's real photographs (tests/data/qr-photos, see its NOTICE.md; ACCUEIL_ASSETS_DIR is
    // <checkout>/assets). NAME.also.txt is a second code the same picture holds (a "double QR").
    std::vector<Frame> photos;
    const fs::path root = fs::path(ACCUEIL_ASSETS_DIR) / ".." / "tests" / "data" / "qr-photos";
    auto text_of = [](const fs::path& p) {
        std::ifstream txt(p, std::ios::binary);
        std::ostringstream text;
        text << txt.rdbuf();
        return text.str();
    };
    for (const char* folder : {"qrcode-2", "qrcode-3", "qrcode-5"})
        for (const auto& file : kiosk::list_pictures((root / folder).string()))
            if (const auto img = kiosk::load_grey_image(file)) {
                fs::path also = file;
                also.replace_extension(".also.txt");
                photos.push_back({kiosk::camera_frame(*img, kFrameW, kFrameH),
                                  text_of(fs::path(file).replace_extension(".txt")),
                                  fs::exists(also) ? text_of(also) : std::string(), file});
            }
    if (photos.empty())
        std::printf("%-52s (absent: %s)\n", "real QR photos", root.string().c_str());
    else {
        const auto p = time_decodes("1280×720 frame, real QR photo → code", photos, 3);
        // At least 74 of 90: what the pipeline read when issue #14 set this budget
        // (tests/test_kiosk_pipeline.cpp pins which ones).
        budget("1280×720 frame, real QR photo → code", percentile(p.kiosk, 99) / 1000, "ms p99",
               std::to_string(p.read) + " of " + std::to_string(p.with_code) + " read, " +
                   std::to_string(p.wrong) + " misread; " +
                   ms_text("plain call p99", percentile(p.plain, 99)),
               "≤ 10 with ≥ 74 read and 0 misread",
               percentile(p.kiosk, 99) <= 10000 && p.read >= 74 && p.wrong == 0);
    }

    // What a kiosk sees most of the time: nobody at the kiosk (people walking past, an empty hall), and
    // white noise, the worst case for the finder-pattern search.
    std::vector<Frame> empty;
    for (const auto& h : hall)
        empty.push_back({h, "", "", "hall"});
    const auto e = time_decodes("1280×720 frame, empty hall, people walking past", empty, 2);
    const double hall_ratio = percentile(e.kiosk, 50) / percentile(e.plain, 50);
    budget("1280×720 frames with no code (hall, people walking)", hall_ratio, "× plain call",
           ms_text("kiosk decode p50", percentile(e.kiosk, 50)) + " vs " +
               ms_text("plain ZXing call p50", percentile(e.plain, 50)),
           "≤ 1", hall_ratio <= 1);
    kiosk::GreyImage noise;
    noise.width = kFrameW;
    noise.height = kFrameH;
    noise.pixels.resize(std::size_t(kFrameW) * kFrameH);
    std::mt19937 rng(5);
    for (auto& px : noise.pixels)
        px = std::uint8_t(100 + rng() % 60);
    const auto n = time_decodes("1280×720 frame, white noise (worst case)", {{noise, "", "", "noise"}}, 30);
    const double noise_ratio = percentile(n.kiosk, 99) / percentile(n.plain, 99);
    budget("1280×720 white-noise frame, p99", noise_ratio, "× plain call",
           ms_text("kiosk decode p99", percentile(n.kiosk, 99)) + " vs " +
               ms_text("plain ZXing call p99", percentile(n.plain, 99)),
           "≤ 1.5", noise_ratio <= 1.5);
}

// The kiosk's CPU while its camera films the moving empty hall at 15 fps: the frames go through
// kiosk::Capture from the camera's place (frame dropping, still-scene skipping, decode, preview), and
// the process's CPU time (all threads, getrusage) is divided by the wall time.
void bench_idle_cpu(const std::vector<kiosk::GreyImage>& hall) {
    constexpr int kFps = 15, kFrames = 150; // 10 s
    kiosk::Mailbox mailbox;
    kiosk::CaptureOptions opt;
    std::mutex m;
    std::condition_variable cv;
    int fed = 0;
    const auto t0 = Clock::now();
    opt.frames = [&](kiosk::GreyImage& f) {
        int n;
        {
            std::lock_guard lock(m);
            n = fed;
        }
        if (n >= kFrames)
            return false;
        std::this_thread::sleep_until(t0 + std::chrono::microseconds(n * 1000000 / kFps));
        f = hall[std::size_t(n) % hall.size()];
        std::lock_guard lock(m);
        ++fed;
        cv.notify_all();
        return true;
    };
    auto cpu_seconds = [] {
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
               double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    const double cpu0 = cpu_seconds();
    std::uint64_t decoded = 0, skipped = 0, dropped = 0;
    bool handled = false;
    {
        kiosk::Capture capture(opt, mailbox);
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return fed >= kFrames; });
        lock.unlock();
        // Until the capture has done with every frame it was fed (the last one's decode included).
        handled = capture.wait_frames_handled(kFrames, std::chrono::seconds(30));
        decoded = capture.frames_decoded();
        skipped = capture.frames_skipped();
        dropped = capture.frames_dropped();
    }
    const double wall = seconds_since(t0), cpu = cpu_seconds() - cpu0;
    const double percent = 100 * cpu / wall;
    std::printf("%-52s %.1f %% of one core   (%d frames at %d fps in %.2f s: %llu decoded, %llu skipped "
                "as still, %llu dropped%s)\n",
                "kiosk CPU, camera filming a moving empty hall", percent, kFrames, kFps, wall,
                (unsigned long long)decoded, (unsigned long long)skipped, (unsigned long long)dropped,
                handled ? "" : "; NOT all handled within 30 s");
    budget("kiosk CPU, camera filming a moving empty hall", percent, "% of one core",
           "CPU time of the process over " + std::to_string(int(wall)) + " s wall at 15 fps", "≤ 15",
           percent <= 15 && handled);
}

// From exec to the scan screen drawn with the store open (`accueil-kiosk --exit-when-ready` prints the
// steady clock then), full screen on a 1280x800 Xvfb, no camera, no sound: the figure a kiosk restarted
// by systemd after a crash or a power cut is judged on. The first run is reported apart (files not yet
// in the page cache, fonts and Mesa's shader cache cold).
void bench_cold_start(const std::string& db, const fs::path& dir) {
    const std::string bin = std::string(ACCUEIL_BIN_DIR) + "/accueil-kiosk";
    if (!fs::exists("/usr/bin/Xvfb") || !fs::exists(bin)) {
        std::printf("%-52s (absent: /usr/bin/Xvfb or %s)\n", "kiosk cold start to the scan screen",
                    bin.c_str());
        return;
    }
    test::Process xvfb(
        {"/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"},
        (dir / "xvfb").string());
    if (!test::wait_until([&] { return !test::last_line(xvfb.out()).empty(); }, std::chrono::seconds(20))) {
        std::printf("%-52s (Xvfb did not start)\n", "kiosk cold start to the scan screen");
        return;
    }
    const std::string display = ":" + test::last_line(xvfb.out());
    std::vector<double> starts, exits;
    double first = 0;
    constexpr int kRuns = 9;
    for (int run = 0; run < kRuns; ++run) {
        const auto t0 = Clock::now();
        test::Process kiosk({bin, "--db", db, "--camera", "none", "--no-sound", "--exit-when-ready"},
                            (dir / "kiosk").string(), {{"DISPLAY", display}});
        const int status = kiosk.wait();
        const double exit_s = seconds_since(t0);
        const std::string out = kiosk.out();
        long long ready_ns = 0;
        if (status != 0 || std::sscanf(out.c_str(), "ready %lld", &ready_ns) != 1) {
            std::printf("%-52s failed (status %d): %s\n", "kiosk cold start to the scan screen", status,
                        kiosk.err().c_str());
            return;
        }
        const double ready_s =
            double(ready_ns -
                   std::chrono::duration_cast<std::chrono::nanoseconds>(t0.time_since_epoch()).count()) /
            1e9;
        if (run == 0)
            first = ready_s;
        else
            starts.push_back(ready_s), exits.push_back(exit_s);
    }
    std::printf("%-52s median %.3f s   max %.3f s   first run %.3f s   (n=%zu; budget ≤ 2 s)\n",
                "kiosk cold start to the scan screen (1,700 people)", percentile(starts, 50),
                percentile(starts, 100), first, starts.size());
    char first_run[64];
    std::snprintf(first_run, sizeof first_run, "first run %.3f s", first);
    budget("kiosk cold start to the scan screen, median", percentile(starts, 50), "s", first_run, "≤ 2",
           percentile(starts, 50) <= 2);
    std::printf("%-52s median %.3f s (start, scan screen, orderly teardown)\n", "  … to the process's exit",
                percentile(exits, 50));
}

void verdict_budget(const std::string& figure, const std::vector<double>& micros) {
    budget(figure, percentile(micros, 99) / 1000, "ms p99", ms_text("p50", percentile(micros, 50)), "≤ 5",
           percentile(micros, 99) <= 5000);
}

struct VerdictWaiter {
    std::mutex m;
    std::condition_variable cv;
    bool woken = false;
    void wake() {
        std::lock_guard lock(m);
        woken = true;
        cv.notify_all();
    }
};

} // namespace

void bench_kiosk() {
    const auto dir = fs::temp_directory_path() / "accueil-bench-kiosk";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string db = (dir / "kiosk.db").string();
    std::vector<std::string> codes;
    std::string timezone;
    {
        Store store =
            Store::create(db, EventSpec{"Numérique en Commun[s]",
                                        "Europe/Paris",
                                        {{"2022-09-27", "OFF"}, {"2022-09-28", ""}, {"2022-09-29", ""}}});
        std::ostringstream csv;
        write_demo_roster_csv(csv, DemoRosterOptions{1700, 2022, store.event().dates()});
        import_roster_bytes(store, csv.str(), "roster.csv", {});
        const SigningKey key = init_event_key(store, (dir / "kiosk.key").string(), "bench");
        SQLite::Statement q(store.db(), "SELECT " ACCUEIL_ATTENDEE_COLUMNS " FROM attendees ORDER BY num");
        while (q.executeStep())
            codes.push_back(badge_code_for(attendee_from_row(q), store.event(), key));
        timezone = store.event().timezone;
    }

    bench_cold_start(db, dir);
    const auto hall = moving_hall(45, 11);
    bench_decode(codes, hall);
    bench_idle_cpu(hall);

    // The worker's job body: check_in (verify, decide, append to the journal, commit with
    // synchronous=FULL) and the verdict as the screen needs it.
    {
        Store store = Store::open(db);
        std::vector<double> admitted, other;
        for (std::size_t i = 0; i < codes.size(); i += 2) {
            const auto start = Clock::now();
            const auto r = check_in(store, codes[i], kSept28At0930 + std::int64_t(i));
            const auto v = kiosk::verdict_info(r, timezone);
            (v.verdict == Verdict::Admitted ? admitted : other).push_back(seconds_since(start) * 1e6);
        }
        report_latency("code → verdict, admitted (durable commit)", admitted, "p99 ≤ 5 ms");
        report_latency("code → verdict, other verdicts (no write)", other, "p99 ≤ 5 ms");
        verdict_budget("code → verdict, admitted (durable commit)", admitted);
        verdict_budget("code → verdict, other verdicts (no write)", other);
    }

    // The same through the kiosk's worker thread: submit, commit, VerdictReady in the mailbox, UI woken.
    {
        kiosk::Mailbox mailbox;
        VerdictWaiter waiter;
        mailbox.set_wake([&] { waiter.wake(); });
        kiosk::CheckinWorker worker(db, mailbox);
        worker.wait_ready(10000);
        std::vector<double> admitted;
        std::size_t verdicts = 0;
        for (std::size_t i = 1; i < codes.size(); i += 2) {
            mailbox.drain();
            {
                std::lock_guard lock(waiter.m);
                waiter.woken = false;
            }
            const auto start = Clock::now();
            worker.submit(kiosk::StartCheckin{codes[i], kSept28At0930 + std::int64_t(i)});
            bool ready = false;
            while (!ready) {
                std::unique_lock lock(waiter.m);
                waiter.cv.wait(lock, [&] { return waiter.woken; });
                waiter.woken = false;
                lock.unlock();
                for (const auto& in : mailbox.drain().inputs)
                    if (const auto* v = std::get_if<kiosk::VerdictReady>(&in)) {
                        ready = true;
                        ++verdicts;
                        if (v->info.verdict == Verdict::Admitted)
                            admitted.push_back(seconds_since(start) * 1e6);
                    }
            }
        }
        report_latency("code → verdict via the worker thread, admitted", admitted, "p99 ≤ 5 ms");
        verdict_budget("code → verdict via the worker thread, admitted", admitted);
        std::printf("%-52s %zu verdicts, %zu admitted\n", "", verdicts, admitted.size());
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

static const accueil::bench::Register kRegistered{"kiosk", bench_kiosk};
