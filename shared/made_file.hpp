#pragma once
// A database file a command is making: removed with its -wal, -shm and -journal companions unless the
// command completed and kept it, so a failed join or move leaves nothing behind. Declare it before the
// connection to the file, which then closes first.
#include <filesystem>
#include <string>
#include <system_error>

namespace accueil {

class MadeFile {
public:
    explicit MadeFile(std::string path) : path_(std::move(path)) {}
    MadeFile(const MadeFile&) = delete;
    MadeFile& operator=(const MadeFile&) = delete;
    ~MadeFile() {
        if (keep_)
            return;
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::filesystem::remove(path_ + suffix, ec);
    }
    void keep() { keep_ = true; }

private:
    std::string path_;
    bool keep_ = false;
};

} // namespace accueil
