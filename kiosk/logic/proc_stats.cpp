#include "proc_stats.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace accueil::kiosk {

namespace {
std::string proc_file(int pid, const char* name) {
    return "/proc/" + (pid > 0 ? std::to_string(pid) : std::string("self")) + "/" + name;
}
} // namespace

double process_cpu_seconds(int pid) {
    std::ifstream in(proc_file(pid, "stat"));
    std::string line;
    std::getline(in, line);
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const auto close = line.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 3; rest >> field; ++i) {
        if (i == 14)
            utime = std::stoll(field);
        if (i == 15) {
            stime = std::stoll(field);
            break;
        }
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

namespace {
std::int64_t status_kib(const std::string& key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0)
            return std::stoll(line.substr(key.size() + 1));
    return 0;
}
} // namespace

std::int64_t resident_kib() {
    return status_kib("VmRSS");
}
std::int64_t peak_resident_kib() {
    return status_kib("VmHWM");
}

bool is_gl_driver_mapping(std::string_view path) {
    const auto slash = path.rfind('/');
    if (slash == std::string_view::npos)
        return false; // "[heap]", "[anon]", "[stack]"…: not a file
    const std::string_view dir = path.substr(0, slash), name = path.substr(slash + 1);
    const auto starts = [&](std::string_view prefix) { return name.substr(0, prefix.size()) == prefix; };
    // Debian's Mesa keeps its drivers in …/dri/ (swrast_dri.so, kms_swrast_dri.so…).
    if (dir.size() >= 4 && dir.substr(dir.size() - 4) == "/dri")
        return true;
    if (name.find("_dri.so") != std::string_view::npos)
        return true;
    for (std::string_view lib : {"libLLVM", "libgallium", "libGL.so", "libGLX", "libGLdispatch", "libEGL",
                                 "libglapi", "libgbm", "libOpenGL", "libvulkan_lvp"})
        if (starts(lib))
            return true;
    return false;
}

MemoryShares memory_shares(std::istream& smaps) {
    MemoryShares out;
    std::vector<MappingRss> rows; // one per mapping, in file order
    std::string line;
    while (std::getline(smaps, line)) {
        if (line.empty())
            continue;
        // A field is "Name:   value"; a mapping's header starts with its address range instead
        // ("7f1c…-7f1c… r-xp 00000000 fe:00 1234   /usr/lib/…").
        const std::string first = line.substr(0, line.find(' '));
        if (first.empty())
            continue;
        if (first.back() != ':') {
            // Six fields: range, permissions, offset, device, inode, then the path (may hold spaces).
            std::istringstream head(line);
            std::string skip;
            for (int i = 0; i < 5; ++i)
                head >> skip;
            std::string path;
            std::getline(head >> std::ws, path);
            rows.push_back(MappingRss{path.empty() ? "[anon]" : path, 0, false});
            continue;
        }
        if (first == "Rss:" && !rows.empty())
            rows.back().rss_kib = std::stoll(line.substr(4));
    }
    for (auto& row : rows) {
        row.driver = is_gl_driver_mapping(row.path);
        out.total_kib += row.rss_kib;
        if (row.driver)
            out.driver_kib += row.rss_kib;
        auto same = std::find_if(out.by_path.begin(), out.by_path.end(),
                                 [&](const MappingRss& m) { return m.path == row.path; });
        if (same == out.by_path.end())
            out.by_path.push_back(row);
        else
            same->rss_kib += row.rss_kib;
    }
    std::stable_sort(out.by_path.begin(), out.by_path.end(),
                     [](const MappingRss& a, const MappingRss& b) { return a.rss_kib > b.rss_kib; });
    return out;
}

MemoryShares memory_shares_of(int pid) {
    std::ifstream in(proc_file(pid, "smaps"));
    return memory_shares(in);
}

} // namespace accueil::kiosk
