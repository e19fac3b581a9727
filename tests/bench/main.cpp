// accueil-bench: prints the figures the performance budgets are checked against. Never asserts.
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

void bench_store();     // bench_store.cpp: import, search, check-in, rebuild
void bench_badge();     // bench_badge.cpp: verify, QR size, PDF sheet
void bench_sync();      // bench_sync.cpp: central merge throughput
void bench_kiosk();     // bench_kiosk.cpp: camera frame -> code, code -> verdict with durable commit
void bench_push_load(); // bench_push_load.cpp: push times with 200 idle sockets and 20 kiosks pushing
void bench_desk();      // bench_desk.cpp: desk search keystroke -> results ready to draw, 100,000 attendees

int main(int argc, char** argv) {
    const std::vector<std::pair<std::string, std::function<void()>>> all = {
        {"store", bench_store}, {"badge", bench_badge},    {"sync", bench_sync},
        {"kiosk", bench_kiosk}, {"push", bench_push_load}, {"desk", bench_desk},
    };
    for (const auto& [name, run] : all) {
        bool wanted = argc < 2;
        for (int i = 1; i < argc; ++i)
            wanted = wanted || name == argv[i];
        if (!wanted)
            continue;
        std::printf("== %s\n", name.c_str());
        std::fflush(stdout);
        run();
    }
    return 0;
}
