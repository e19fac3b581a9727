// accueil-bench: prints the figures the budgets of DESIGN.md §9 are checked against. Never asserts.
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

void bench_store(); // bench_store.cpp: import, search, check-in, rebuild

int main(int argc, char** argv) {
    const std::vector<std::pair<std::string, std::function<void()>>> all = {
        {"store", bench_store},
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
