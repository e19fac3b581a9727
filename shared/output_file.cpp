#include "output_file.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace accueil {

void write_file_atomically(const std::string& path, std::string_view data) {
    if (path.empty())
        throw InputError("", i18n::tr("central.file.none"));
    // mkstemp in the target's folder: rename is atomic only within one file system, and a unique name
    // keeps two runs from writing into the same temporary file.
    std::string pattern = path + ".part-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw InputError(path, i18n::tr("central.file.cannot_create", {{"detail", std::strerror(errno)}}));
    const std::string tmp(name.data());
    // mkstemp makes the file 0600; the umask the program set decides nothing more.
    const int err = write_all_and_sync(fd, data);
    const bool closed = ::close(fd) == 0;
    if (err != 0 || !closed) {
        ::unlink(tmp.c_str());
        throw InputError(path,
                         i18n::tr("central.file.cannot_write", {{"detail", std::strerror(err ? err : EIO)}}));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw InputError(path, i18n::tr("central.file.cannot_replace", {{"detail", std::strerror(err)}}));
    }
}

int write_all_and_sync(int fd, std::string_view data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        done += std::size_t(n);
    }
    return ::fsync(fd) == 0 ? 0 : errno;
}

void require_directory(const std::string& dir) {
    std::error_code ec;
    if (dir.empty() || !std::filesystem::is_directory(dir, ec))
        throw InputError(dir, i18n::tr("central.file.no_folder"));
}

void require_parent_directory(const std::string& file_path) {
    const auto parent = std::filesystem::path(file_path).parent_path();
    require_directory(parent.empty() ? "." : parent.string());
}

} // namespace accueil
