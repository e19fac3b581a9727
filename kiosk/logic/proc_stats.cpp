#include "proc_stats.hpp"

#include <elf.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
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
    // The colour buffer llvmpipe shares with the X server: shmget is called by swrast_dri.so when the
    // window is made current (a breakpoint on shmget under Xvfb shows it, 1280x832x4 bytes for a
    // 1280x800 window); nothing of the kiosk's makes System V shared memory (libcairo could, for an X
    // surface: the kiosk's cairo draws only PDF and PNG badges).
    if (path.substr(0, 5) == "/SYSV")
        return true;
    // Mesa's on-disk shader cache, which the driver maps (~/.cache/mesa_shader_cache/).
    if (path.find("/mesa_shader_cache/") != std::string_view::npos)
        return true;
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

std::optional<ElfLinks> read_elf_links(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const auto read_at = [&](std::uint64_t offset, void* to, std::size_t size) {
        in.seekg(std::streamoff(offset));
        return bool(in.read(static_cast<char*>(to), std::streamsize(size)));
    };
    Elf64_Ehdr eh{};
    if (!read_at(0, &eh, sizeof eh) || std::string_view(reinterpret_cast<char*>(eh.e_ident), 4) != ELFMAG ||
        eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr))
        return std::nullopt;
    std::vector<Elf64_Shdr> sections(eh.e_shnum);
    if (sections.empty() || !read_at(eh.e_shoff, sections.data(), sections.size() * sizeof(Elf64_Shdr)))
        return std::nullopt;
    for (const auto& dyn : sections) {
        if (dyn.sh_type != SHT_DYNAMIC || dyn.sh_link >= sections.size())
            continue;
        const Elf64_Shdr& strtab = sections[dyn.sh_link];
        std::string strings(strtab.sh_size, '\0');
        std::vector<Elf64_Dyn> entries(dyn.sh_size / sizeof(Elf64_Dyn));
        if (!read_at(strtab.sh_offset, strings.data(), strings.size()) ||
            !read_at(dyn.sh_offset, entries.data(), entries.size() * sizeof(Elf64_Dyn)))
            return std::nullopt;
        const auto text = [&](std::uint64_t at) {
            return at < strings.size() ? std::string(strings.c_str() + at) : std::string();
        };
        ElfLinks out;
        for (const auto& e : entries) {
            if (e.d_tag == DT_NEEDED)
                out.needed.push_back(text(e.d_un.d_val));
            else if (e.d_tag == DT_SONAME)
                out.soname = text(e.d_un.d_val);
        }
        return out;
    }
    return std::nullopt;
}

namespace {
// Marks as the driver's every mapped library that only the driver's files need (see memory_shares).
// A library mapped under several names (a symlink's target) is found by its DT_SONAME, else its file
// name. Repeated to a fixed point: libxml2 is needed by libLLVM only, libicuuc by libxml2 only.
// Libraries GLFW 3.3 loads itself with dlopen (the names libglfw.so.3 holds), which no DT_NEEDED shows:
// one the driver needs too (libGLX_mesa needs libXxf86vm) still serves the window: the program's.
bool opened_by_glfw(const std::string& path) {
    const std::string name = path.substr(path.rfind('/') + 1);
    for (std::string_view lib : {"libXxf86vm.so", "libXi.so", "libXrandr.so", "libXcursor.so",
                                 "libXinerama.so", "libX11-xcb.so", "libXrender.so", "libXext.so"})
        if (name.rfind(lib, 0) == 0)
            return true;
    return false;
}

void add_driver_dependencies(std::vector<MappingRss>& rows, const LinksOf& links) {
    std::map<std::string, ElfLinks> files;      // path -> links, every mapped ELF file
    std::map<std::string, std::string> by_name; // soname or file name -> path
    for (const auto& row : rows) {
        if (row.path.empty() || row.path.front() != '/' || files.count(row.path))
            continue;
        if (auto l = links(row.path)) {
            by_name[row.path.substr(row.path.rfind('/') + 1)] = row.path;
            if (!l->soname.empty())
                by_name[l->soname] = row.path;
            files.emplace(row.path, std::move(*l));
        }
    }
    std::map<std::string, std::set<std::string>> needed_by; // path -> paths of the files needing it
    for (const auto& [path, l] : files)
        for (const auto& name : l.needed)
            if (auto it = by_name.find(name); it != by_name.end() && it->second != path)
                needed_by[it->second].insert(path);
    std::set<std::string> driver;
    for (const auto& row : rows)
        if (row.driver)
            driver.insert(row.path);
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& [path, users] : needed_by)
            if (!driver.count(path) && !opened_by_glfw(path) &&
                std::all_of(users.begin(), users.end(),
                            [&](const std::string& u) { return driver.count(u) > 0; })) {
                driver.insert(path);
                grew = true;
            }
    }
    for (auto& row : rows)
        row.driver = row.driver || driver.count(row.path) > 0;
}
} // namespace

MemoryShares memory_shares(std::istream& smaps, const LinksOf& links) {
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
    for (auto& row : rows)
        row.driver = is_gl_driver_mapping(row.path);
    if (links)
        add_driver_dependencies(rows, links);
    for (auto& row : rows) {
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
    return memory_shares(in, read_elf_links);
}

} // namespace accueil::kiosk
