// accueil-bench: prints the figures the performance budgets are checked against, and at the end which
// budgets held in this run. Never asserts. `accueil-bench` or `accueil-bench all` runs every benchmark;
// `accueil-bench NAME...` only those (each file registers its own name: see Register in bench_util.hpp).
// `--json` prints the budget lines as one JSON document on standard output, the usual text going to
// standard error.
#include "bench_util.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

void print_summary(std::FILE* out) {
    const auto& lines = accueil::bench::budget_lines();
    const auto held = std::count_if(lines.begin(), lines.end(), [](const auto& l) { return l.holds; });
    std::fprintf(out, "== summary: %zd of %zu budgets hold\n", held, lines.size());
    for (const auto& l : lines)
        std::fprintf(out, "  %s %-8s %s %.3g %s (budget %s)\n", l.holds ? "holds " : "MISSED",
                     l.bench.c_str(), accueil::bench::padded(l.figure, 50).c_str(), l.value, l.unit.c_str(),
                     l.limit.c_str());
}

std::string as_json(const std::vector<std::string>& ran) {
    nlohmann::json doc;
    doc["benchmarks"] = ran;
    auto& lines = doc["budgets"] = nlohmann::json::array();
    bool all_hold = true;
    for (const auto& l : accueil::bench::budget_lines()) {
        lines.push_back({{"bench", l.bench},
                         {"figure", l.figure},
                         {"value", l.value},
                         {"unit", l.unit},
                         {"comparison", l.comparison},
                         {"budget", l.limit},
                         {"holds", l.holds}});
        all_hold = all_hold && l.holds;
    }
    doc["all_hold"] = all_hold;
    return doc.dump(2);
}

} // namespace

int main(int argc, char** argv) {
    auto all = accueil::bench::registry();
    std::sort(all.begin(), all.end());
    bool json = false;
    std::vector<std::string> wanted;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--json")
            json = true;
        else if (arg != "all")
            wanted.emplace_back(arg);
    }
    for (const auto& name : wanted)
        if (std::none_of(all.begin(), all.end(), [&](const auto& e) { return e.first == name; })) {
            std::fprintf(stderr, "accueil-bench: no benchmark named \"%s\"; known: all", name.c_str());
            for (const auto& entry : all)
                std::fprintf(stderr, " %s", entry.first.c_str());
            std::fprintf(stderr, " (and --json)\n");
            return 2;
        }
    // With --json the benchmarks' own printing goes to standard error; the document alone to stdout.
    std::FILE* json_out = nullptr;
    if (json) {
        std::fflush(stdout);
        const int saved = dup(STDOUT_FILENO);
        if (saved < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0 || !(json_out = fdopen(saved, "w"))) {
            std::perror("accueil-bench: --json");
            return 1;
        }
    }
    std::vector<std::string> ran;
    for (const auto& [name, run] : all) {
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end())
            continue;
        std::printf("== %s\n", name.c_str());
        std::fflush(stdout);
        accueil::bench::current_bench() = name;
        run();
        std::fflush(stdout);
        ran.push_back(name);
    }
    print_summary(stdout);
    std::fflush(stdout);
    if (json_out) {
        std::fprintf(json_out, "%s\n", as_json(ran).c_str());
        std::fclose(json_out);
    }
    return 0;
}
