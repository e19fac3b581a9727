#include "proc_stats.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace accueil::kiosk {

double process_cpu_seconds() {
    std::ifstream in("/proc/self/stat");
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

} // namespace accueil::kiosk
