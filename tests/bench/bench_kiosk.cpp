// Kiosk figures: the real kiosk's cold start to its scan screen under Xvfb on a store of 1,700 people,
// a 1280x720 camera frame to a decoded code through the kiosk's own decode_frame, and a decoded code
// to a verdict with its durable commit, through the check-in worker's code (and through the worker
// thread itself, mailbox included).
#include "bench_util.hpp"

#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "badge/qr_render.hpp"
#include "checkin.hpp"
#include "checkin_worker.hpp"
#include "demo_roster.hpp"
#include "frame_pipeline.hpp"
#include "import/roster_import.hpp"
#include "mailbox.hpp"
#include "store.hpp"
#include "support/child_process.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

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

// A photograph scaled (bilinear) to the frame's height, centred, cropped or padded with grey to 1280x720.
kiosk::GreyImage camera_sized(const kiosk::GreyImage& in) {
    kiosk::GreyImage f;
    f.width = kFrameW;
    f.height = kFrameH;
    f.pixels.assign(std::size_t(kFrameW) * kFrameH, 128);
    const double k = double(kFrameH) / in.height;
    const int w = int(in.width * k);
    const int x0 = (kFrameW - w) / 2;
    for (int y = 0; y < kFrameH; ++y)
        for (int x = std::max(0, x0); x < std::min(kFrameW, x0 + w); ++x) {
            const double sx = std::clamp((x - x0 + 0.5) / k - 0.5, 0.0, in.width - 1.0);
            const double sy = std::clamp((y + 0.5) / k - 0.5, 0.0, in.height - 1.0);
            const int ix = std::min(int(sx), in.width - 2 < 0 ? 0 : in.width - 2);
            const int iy = std::min(int(sy), in.height - 2 < 0 ? 0 : in.height - 2);
            const double fx = sx - ix, fy = sy - iy;
            auto at = [&](int xx, int yy) {
                return double(in.pixels[std::size_t(std::min(yy, in.height - 1)) * std::size_t(in.width) +
                                        std::size_t(std::min(xx, in.width - 1))]);
            };
            const double v = (at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx) * (1 - fy) +
                             (at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx) * fy;
            f.pixels[std::size_t(y) * kFrameW + std::size_t(x)] = std::uint8_t(std::clamp(v, 0.0, 255.0));
        }
    return f;
}

struct Frame {
    kiosk::GreyImage image;
    std::string expected; // empty: nothing to read
    std::string name;     // shown when it is misread
};

void time_decodes(const std::string& what, const std::vector<Frame>& frames, int rounds) {
    std::vector<double> micros;
    std::size_t read = 0, wrong = 0, with_code = 0;
    for (int round = 0; round < rounds; ++round)
        for (const auto& f : frames) {
            const auto start = Clock::now();
            const auto r = kiosk::decode_frame(f.image);
            micros.push_back(seconds_since(start) * 1e6);
            if (round == 0 && !f.expected.empty()) {
                ++with_code;
                read += r.text && *r.text == f.expected;
                if (r.text && *r.text != f.expected) {
                    ++wrong;
                    std::printf("%-52s misread %s: read \"%s\"\n", "", f.name.c_str(),
                                kiosk::escape_code_text(*r.text).c_str());
                }
            }
        }
    report_latency(what, micros, "p99 ≤ 10 ms");
    if (with_code)
        std::printf("%-52s %zu of %zu read, %zu misread\n", "", read, with_code, wrong);
}

void bench_decode(const std::vector<std::string>& codes) {
    std::vector<Frame> badges;
    unsigned seed = 1;
    for (int module_px : {3, 4, 6})
        for (std::size_t i = 0; i < 8 && i < codes.size(); ++i)
            badges.push_back({badge_frame(codes[i], module_px, seed++), codes[i], "badge"});
    time_decodes("1280×720 frame, rendered badge → code", badges, 5);

    std::vector<Frame> photos;
    // The team's test data beside the checkout (ACCUEIL_ASSETS_DIR is <checkout>/assets).
    const fs::path root = fs::path(ACCUEIL_ASSETS_DIR) / ".." / ".." / "shared" / "testdata" / "qr-photos";
    for (const char* folder : {"qrcode-2", "qrcode-3", "qrcode-5"})
        for (const auto& file : kiosk::list_pictures((root / folder).string()))
            if (const auto img = kiosk::load_grey_image(file)) {
                std::ifstream txt(fs::path(file).replace_extension(".txt"), std::ios::binary);
                std::ostringstream text;
                text << txt.rdbuf();
                photos.push_back({camera_sized(*img), text.str(), file});
            }
    if (photos.empty())
        std::printf("%-52s (absent: %s)\n", "real QR photos", root.string().c_str());
    else
        time_decodes("1280×720 frame, real QR photo → code", photos, 3);

    // What a kiosk sees most of the time: nobody, so every pass runs and finds nothing. An empty hall
    // (smooth light, sensor noise), and white noise, the worst case for the finder-pattern search.
    kiosk::GreyImage hall, noise;
    hall.width = noise.width = kFrameW;
    hall.height = noise.height = kFrameH;
    hall.pixels.resize(std::size_t(kFrameW) * kFrameH);
    noise.pixels.resize(hall.pixels.size());
    std::mt19937 rng(5);
    std::normal_distribution<double> sensor(0, 6);
    for (int y = 0; y < kFrameH; ++y)
        for (int x = 0; x < kFrameW; ++x) {
            const std::size_t i = std::size_t(y) * kFrameW + std::size_t(x);
            hall.pixels[i] = std::uint8_t(
                std::clamp(90 + 60.0 * y / kFrameH + 30.0 * x / kFrameW + sensor(rng), 0.0, 255.0));
            noise.pixels[i] = std::uint8_t(100 + rng() % 60);
        }
    time_decodes("1280×720 frame, empty hall", {{hall, "", "hall"}}, 60);
    time_decodes("1280×720 frame, white noise (worst case)", {{noise, "", "noise"}}, 30);
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
    std::printf("%-52s median %.3f s (start, scan screen, orderly teardown)\n", "  … to the process's exit",
                percentile(exits, 50));
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
    bench_decode(codes);

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
        std::printf("%-52s %zu verdicts, %zu admitted\n", "", verdicts, admitted.size());
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

static const accueil::bench::Register kRegistered{"kiosk", bench_kiosk};
