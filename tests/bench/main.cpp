// accueil-bench: prints the figures the performance budgets are checked against. Never asserts.
// `accueil-bench` runs every benchmark; `accueil-bench NAME...` only those (each file registers its
// own name: see Register in bench_util.hpp).
#include "bench_util.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    auto all = accueil::bench::registry();
    std::sort(all.begin(), all.end());
    int ran = 0;
    for (const auto& [name, run] : all) {
        bool wanted = argc < 2;
        for (int i = 1; i < argc; ++i)
            wanted = wanted || name == argv[i];
        if (!wanted)
            continue;
        std::printf("== %s\n", name.c_str());
        std::fflush(stdout);
        run();
        ++ran;
    }
    if (ran == 0) {
        std::fprintf(stderr, "accueil-bench: no benchmark of that name; known:");
        for (const auto& entry : all)
            std::fprintf(stderr, " %s", entry.first.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    return 0;
}
