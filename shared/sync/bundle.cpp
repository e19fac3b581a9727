#include "sync/bundle.hpp"

#include "errors.hpp"

#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace accueil::sync {

namespace {
constexpr const char* kMagic = "accueil-bundle 1\n";
constexpr const char* kSumLabel = "blake2b-256 ";

std::string checksum(std::string_view data) {
    if (sodium_init() < 0)
        throw StoreError("libsodium could not start");
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                       nullptr, 0);
    return to_hex(out, sizeof out);
}
} // namespace

std::string encode_bundle(const Bundle& b) {
    const nlohmann::json body = {{"protocol", kProtocolVersion},
                                 {"origin", to_hex(b.origin)},
                                 {"kiosk", b.kiosk},
                                 {"created_ms", b.created_ms},
                                 {"events", events_to_json(b.events)}};
    std::string out = kMagic;
    out += body.dump();
    out += '\n';
    const std::string sum = checksum(out);
    out += kSumLabel;
    out += sum;
    out += '\n';
    return out;
}

Bundle decode_bundle(const std::string& bytes, const std::string& where) {
    const std::string magic = kMagic;
    if (bytes.compare(0, magic.size(), magic) != 0) {
        if (bytes.starts_with("accueil-bundle "))
            throw InputError(where, "bundle of another format version; nothing merged");
        throw InputError(where, "not an accueil bundle; nothing merged");
    }
    // The checksum line is the last line; anything missing after it means a truncated copy.
    if (bytes.size() < magic.size() + 2 || bytes.back() != '\n')
        throw InputError(where, "bundle is truncated (no checksum line); nothing merged");
    const auto last = bytes.rfind('\n', bytes.size() - 2);
    if (last == std::string::npos || last < magic.size())
        throw InputError(where, "bundle is truncated (no checksum line); nothing merged");
    const std::string_view content(bytes.data(), last + 1);
    const std::string sum_line = bytes.substr(last + 1, bytes.size() - last - 2);
    if (!sum_line.starts_with(kSumLabel))
        throw InputError(where, "bundle is truncated or damaged (no checksum line); nothing merged");
    if (sum_line.substr(std::string(kSumLabel).size()) != checksum(content))
        throw InputError(where, "bundle is damaged (checksum mismatch); nothing merged");
    const auto body = nlohmann::json::parse(content.substr(magic.size()), nullptr, false);
    if (body.is_discarded())
        throw InputError(where, "bundle body is not valid JSON; nothing merged");
    Bundle b;
    try {
        check_protocol(body);
        const auto origin = origin_from_hex(body.value("origin", ""));
        if (!origin)
            throw InputError("", "bundle does not name its origin");
        b.origin = *origin;
        b.kiosk = body.value("kiosk", "");
        b.created_ms = body.value("created_ms", std::int64_t(0));
        if (!body.contains("events"))
            throw InputError("", "bundle holds no \"events\"");
        b.events = events_from_json(body["events"]);
    } catch (const InputError& e) {
        throw InputError(where, std::string(e.what()) + "; nothing merged");
    } catch (const nlohmann::json::exception& e) {
        throw InputError(where, std::string("bundle is malformed (") + e.what() + "); nothing merged");
    }
    return b;
}

void write_bundle_file(const std::string& path, const Bundle& b) {
    const std::string data = encode_bundle(b);
    const std::string tmp = path + ".part";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw InputError(path, "cannot write the bundle here");
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::write(fd, data.data() + done, data.size() - done);
        if (n <= 0) {
            ::close(fd);
            std::remove(tmp.c_str());
            throw InputError(path, "cannot write the bundle (disk full or stick removed?)");
        }
        done += std::size_t(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
        std::remove(tmp.c_str());
        throw InputError(path, "cannot flush the bundle to the disk");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw InputError(path, "cannot write the bundle (" + ec.message() + ")");
    }
}

Bundle read_bundle_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot read this file");
    std::ostringstream ss;
    ss << in.rdbuf();
    return decode_bundle(ss.str(), path);
}

} // namespace accueil::sync
