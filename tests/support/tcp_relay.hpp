#pragma once
// A TCP relay on 127.0.0.1 between kiosk agents and their server, for the tests and the benchmark of a
// network cut (issue 14): while connected it forwards bytes both ways; `cut()` drops every forwarded
// connection and from then on accepts each new one and closes it at once, so the server keeps running
// and every attempt of an agent is counted (with the first line it sent, when it sent one in time).
// Given several servers it is the one address in front of them (issue 15): each connection goes to one
// picked at random, or to the next one when that one does not answer, as a load balancer would.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace accueil::test {

class TcpRelay {
public:
    struct Seen {
        std::chrono::steady_clock::time_point at;
        bool during_cut = false;
        std::string first_line; // "GET /v1/hello HTTP/1.1"; empty when cut before it came
    };

    explicit TcpRelay(int target_port) : TcpRelay(std::vector<int>{target_port}) {}
    explicit TcpRelay(std::vector<int> target_ports)
        : targets_(std::move(target_ports)), served_(targets_.size(), 0) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a = loopback(0);
        socklen_t len = sizeof a;
        if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listen_fd_, 64) != 0 ||
            ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            throw std::runtime_error("tcp relay: cannot listen on 127.0.0.1");
        port_ = ntohs(a.sin_port);
        set_nonblocking(listen_fd_);
        thread_ = std::thread([this] { run(); });
    }
    ~TcpRelay() {
        stop_ = true;
        thread_.join();
        for (auto& p : pairs_)
            close_pair(p);
        for (auto& d : doomed_)
            ::close(d.fd);
        ::close(listen_fd_);
    }
    TcpRelay(const TcpRelay&) = delete;
    TcpRelay& operator=(const TcpRelay&) = delete;

    int port() const { return port_; }
    // Connections forwarded to each target so far, in the constructor's order.
    std::vector<std::size_t> served() const {
        std::lock_guard lock(mutex_);
        return served_;
    }
    // Takes effect within one turn of the relay's loop (≤ 20 ms); `wait_applied` waits for it.
    void cut() { set_cut(true); }
    void restore() { set_cut(false); }

    std::vector<Seen> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }
    std::size_t seen_during_cut() const {
        std::lock_guard lock(mutex_);
        std::size_t n = 0;
        for (const auto& s : seen_)
            n += s.during_cut;
        return n;
    }

private:
    struct Pair {
        int client = -1, server = -1;
        std::string to_server, to_client; // read from one side, not yet written to the other
        bool client_eof = false, server_eof = false;
        std::size_t index = 0;   // in seen_
        bool line_done = false;  // its first line is recorded
        std::string first_bytes; // until the first line ends
    };

    static sockaddr_in loopback(int port) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(std::uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return a;
    }
    static void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }
    static void close_pair(Pair& p) {
        if (p.client >= 0)
            ::close(p.client);
        if (p.server >= 0)
            ::close(p.server);
        p.client = p.server = -1;
    }

    // A side with nothing to read or write is left out (-1): a closed socket would wake poll for ever.
    static pollfd watch(int fd, bool read, bool write) {
        const short events = short((read ? POLLIN : 0) | (write ? POLLOUT : 0));
        return {events ? fd : -1, events, 0};
    }

    void set_cut(bool on) {
        cut_ = on;
        // Applied by the loop, which owns the connections; waited for (the loop notifies), so the
        // caller's next step happens after it.
        while (applied_ != on)
            applied_.wait(!on);
    }

    void accept_all() {
        for (;;) {
            const int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd < 0)
                return;
            const bool cut = applied_;
            std::size_t index = 0;
            {
                std::lock_guard lock(mutex_);
                index = seen_.size();
                seen_.push_back({std::chrono::steady_clock::now(), cut, ""});
            }
            if (cut) {
                // The network is gone: the attempt ends here, once its first line is read (what it
                // was: a probe or a round), or after 200 ms.
                set_nonblocking(fd);
                doomed_.push_back({fd, index, std::chrono::steady_clock::now(), ""});
                continue;
            }
            const int up = connect_to_a_target();
            if (up < 0) {
                ::close(fd);
                continue;
            }
            set_nonblocking(fd);
            set_nonblocking(up);
            Pair p;
            p.client = fd;
            p.server = up;
            p.index = index;
            pairs_.push_back(std::move(p));
        }
    }

    // A connection to a target picked at random, the next ones tried in turn; -1 when none answers.
    int connect_to_a_target() {
        const std::size_t first = std::uniform_int_distribution<std::size_t>(0, targets_.size() - 1)(random_);
        for (std::size_t n = 0; n < targets_.size(); ++n) {
            const std::size_t i = (first + n) % targets_.size();
            const int up = ::socket(AF_INET, SOCK_STREAM, 0);
            const sockaddr_in target = loopback(targets_[i]);
            if (::connect(up, reinterpret_cast<const sockaddr*>(&target), sizeof target) == 0) {
                std::lock_guard lock(mutex_);
                ++served_[i];
                return up;
            }
            ::close(up);
        }
        return -1;
    }

    // Reads what `from` has into `buffer` (only when it is empty: the slower side sets the pace).
    static bool pump_in(int from, std::string& buffer, bool& eof) {
        char buf[65536];
        const auto n = ::recv(from, buf, sizeof buf, 0);
        if (n > 0) {
            buffer.append(buf, std::size_t(n));
            return true;
        }
        if (n == 0) {
            eof = true;
            return true;
        }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }
    static bool pump_out(int to, std::string& buffer) {
        const auto n = ::send(to, buffer.data(), buffer.size(), MSG_NOSIGNAL);
        if (n > 0) {
            buffer.erase(0, std::size_t(n));
            return true;
        }
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    }

    struct Doomed {
        int fd;
        std::size_t index;
        std::chrono::steady_clock::time_point at;
        std::string bytes;
    };

    void read_doomed() {
        for (auto it = doomed_.begin(); it != doomed_.end();) {
            char buf[512];
            const auto n = ::recv(it->fd, buf, sizeof buf, 0);
            if (n > 0)
                it->bytes.append(buf, std::size_t(n));
            const auto end = it->bytes.find("\r\n");
            const bool waited = std::chrono::steady_clock::now() - it->at > std::chrono::milliseconds(200);
            if (end != std::string::npos || n == 0 || waited || it->bytes.size() >= 200) {
                {
                    std::lock_guard lock(mutex_);
                    seen_[it->index].first_line = it->bytes.substr(0, end);
                }
                ::close(it->fd);
                it = doomed_.erase(it);
            } else {
                ++it;
            }
        }
    }

    void record_first_line(Pair& p) {
        if (p.line_done)
            return;
        p.first_bytes += p.to_server;
        const auto end = p.first_bytes.find("\r\n");
        if (end == std::string::npos && p.first_bytes.size() < 200)
            return;
        p.line_done = true;
        std::lock_guard lock(mutex_);
        seen_[p.index].first_line = p.first_bytes.substr(0, end);
    }

    void run() {
        while (!stop_) {
            if (cut_ != applied_) {
                if (cut_) // the cable is pulled: every connection through it breaks
                    for (auto& p : pairs_)
                        close_pair(p);
                pairs_.clear();
                applied_ = bool(cut_);
                applied_.notify_all();
            }
            std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
            for (const auto& p : pairs_) {
                fds.push_back(watch(p.client, p.to_server.empty() && !p.client_eof, !p.to_client.empty()));
                fds.push_back(watch(p.server, p.to_client.empty() && !p.server_eof, !p.to_server.empty()));
            }
            const std::size_t polled = pairs_.size(); // accept_all appends after these
            for (const auto& d : doomed_)
                fds.push_back({d.fd, POLLIN, 0});
            ::poll(fds.data(), fds.size(), 20);
            if (fds[0].revents & POLLIN)
                accept_all();
            read_doomed();
            std::size_t i = 1;
            auto it = pairs_.begin();
            for (std::size_t n = 0; n < polled; ++n, i += 2) {
                Pair& p = *it;
                const short c = fds[i].revents, s = fds[i + 1].revents;
                bool ok = true;
                if (c & (POLLIN | POLLHUP | POLLERR) && p.to_server.empty() && !p.client_eof) {
                    ok = pump_in(p.client, p.to_server, p.client_eof) && ok;
                    record_first_line(p);
                }
                if (s & (POLLIN | POLLHUP | POLLERR) && p.to_client.empty() && !p.server_eof)
                    ok = pump_in(p.server, p.to_client, p.server_eof) && ok;
                if (!p.to_server.empty())
                    ok = pump_out(p.server, p.to_server) && ok;
                if (!p.to_client.empty())
                    ok = pump_out(p.client, p.to_client) && ok;
                // One side closed and all it sent is through: the other side is told (end of stream).
                if (p.client_eof && p.to_server.empty())
                    ::shutdown(p.server, SHUT_WR);
                if (p.server_eof && p.to_client.empty())
                    ::shutdown(p.client, SHUT_WR);
                const bool done = p.client_eof && p.server_eof && p.to_server.empty() && p.to_client.empty();
                if (!ok || done) {
                    close_pair(p);
                    it = pairs_.erase(it);
                } else {
                    ++it;
                }
            }
        }
    }

    std::vector<int> targets_;
    std::vector<std::size_t> served_;
    std::minstd_rand random_{2026}; // the loop's only
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false}, cut_{false}, applied_{false};
    std::list<Pair> pairs_; // the loop's only, as doomed_
    std::list<Doomed> doomed_;
    mutable std::mutex mutex_;
    std::vector<Seen> seen_;
    std::thread thread_;
};

} // namespace accueil::test
