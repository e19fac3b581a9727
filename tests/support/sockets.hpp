#pragma once
// Raw TCP sockets for the tests and benchmarks of the server's limits (issue 9): idle or half-sent
// connections from chosen loopback addresses (all of 127.0.0.0/8 reaches a server on 127.0.0.1, so
// each address counts as another machine for the per-IP limit), and a process's memory and open
// files read from /proc.
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

namespace accueil::test {

// An open socket, closed when it goes out of scope.
class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    Socket(Socket&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Socket& operator=(Socket&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    ~Socket() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int fd() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

    // Sends everything (false when the peer closed or the send timed out).
    bool send_all(const std::string& data) const {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += std::size_t(n);
        }
        return true;
    }
    // Reads until the peer closes (or `timeout` passes between two reads).
    std::string read_all(std::chrono::milliseconds timeout) const {
        set_timeouts(timeout);
        std::string out;
        char buf[4096];
        for (;;) {
            const auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0)
                return out;
            out.append(buf, std::size_t(n));
        }
    }
    void set_timeouts(std::chrono::milliseconds t) const {
        timeval tv{};
        tv.tv_sec = long(t.count() / 1000);
        tv.tv_usec = long(t.count() % 1000) * 1000;
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    // True once the peer has closed the connection (end of stream or reset), without reading data.
    bool closed_by_peer() const {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0)
            return false;
        if (p.revents & (POLLHUP | POLLERR))
            return true;
        char c;
        const auto n = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

private:
    int fd_ = -1;
};

// A TCP connection to 127.0.0.1:port from `source` (another loopback address such as 127.0.0.7).
inline Socket connect_from(const std::string& source, int port) {
    Socket s(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (::bind(s.fd(), reinterpret_cast<sockaddr*>(&from), sizeof from) != 0)
        return Socket();
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(std::uint16_t(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(s.fd(), reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
        return Socket();
    return s;
}

// GET over a plain socket: (status, body); status 0 when there was no complete answer in time.
inline std::pair<int, std::string> http_get(int port, const std::string& path,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    Socket s = connect_from("127.0.0.1", port);
    if (!s.ok())
        return {0, ""};
    s.set_timeouts(timeout);
    if (!s.send_all("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        return {0, ""};
    const std::string resp = s.read_all(timeout);
    const auto split = resp.find("\r\n\r\n");
    if (resp.size() < 12 || split == std::string::npos)
        return {0, ""};
    return {std::stoi(resp.substr(9, 3)), resp.substr(split + 4)};
}

// The process whose command line holds every one of `needles` (0 when none).
inline pid_t pid_with_args(std::initializer_list<std::string> needles) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        bool all = !cmdline.empty();
        for (const auto& n : needles)
            all = all && cmdline.find(n) != std::string::npos;
        if (all)
            return pid_t(std::stol(name));
    }
    return 0;
}

// Resident memory of a process in KiB (VmRSS of /proc/PID/status), -1 when unknown.
inline long vm_rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

// Open file descriptors of a process (its sockets among them).
inline int open_fds(pid_t pid) {
    std::error_code ec;
    int n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++n;
    return n;
}

} // namespace accueil::test
