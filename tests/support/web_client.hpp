#pragma once
// Speaking to the organisers' web routes of `accueil-sync serve --insecure` (issue 11) over plain
// sockets: one request with chosen headers from a chosen loopback address, and a server-sent event
// stream read as it comes (HTTP/1.0, so the stream is not chunked).
#include "sockets.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <vector>

#include <poll.h>

namespace accueil::test {

struct WebReply {
    int status = 0;   // 0: no complete answer
    std::string head; // status line and headers
    std::string body;

    // A header's value ("" when absent), `name` in any case.
    std::string header(const std::string& name) const {
        auto lower = [](std::string s) {
            std::transform(s.begin(), s.end(), s.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            return s;
        };
        const std::string h = lower(head), wanted = "\r\n" + lower(name) + ":";
        const auto at = h.find(wanted);
        if (at == std::string::npos)
            return "";
        auto begin = at + wanted.size();
        while (begin < head.size() && head[begin] == ' ')
            ++begin;
        return head.substr(begin, head.find("\r\n", begin) - begin);
    }
};

inline WebReply web_request(int port, const std::string& method, const std::string& target,
                            const std::vector<std::string>& headers = {}, const std::string& body = "",
                            const std::string& from = "127.0.0.1") {
    WebReply r;
    Socket s = connect_from(from, port);
    if (!s.ok())
        return r;
    s.set_timeouts(std::chrono::seconds(10));
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (method == "POST")
        req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    for (const auto& h : headers)
        req += h + "\r\n";
    if (!s.send_all(req + "\r\n" + body))
        return r;
    const std::string resp = s.read_all(std::chrono::seconds(10));
    const auto split = resp.find("\r\n\r\n");
    if (resp.size() < 12 || split == std::string::npos)
        return r;
    r.status = std::stoi(resp.substr(9, 3));
    r.head = resp.substr(0, split);
    r.body = resp.substr(split + 4);
    return r;
}

// The session cookie of a login's answer ("accueil_session=..."), for a Cookie header.
inline std::string session_cookie_of(const WebReply& r) {
    const std::string set = r.header("Set-Cookie");
    return set.substr(0, set.find(';'));
}

// An open GET /api/stream: reads what has arrived and splits it into events.
class EventStream {
public:
    EventStream(int port, const std::string& cookie, const std::string& from = "127.0.0.1")
        : socket_(connect_from(from, port)) {
        if (socket_.ok())
            socket_.send_all("GET /api/stream HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
                             (cookie.empty() ? std::string() : "Cookie: " + cookie + "\r\n") + "\r\n");
    }
    int fd() const { return socket_.fd(); }
    bool ok() const { return socket_.ok(); }

    // Reads what is there within `wait` (nothing more once the server closed).
    void poll_for(std::chrono::milliseconds wait) {
        pollfd p{socket_.fd(), POLLIN, 0};
        if (::poll(&p, 1, int(wait.count())) <= 0)
            return;
        read_available();
    }
    void read_available() {
        char buf[65536];
        const auto n = ::recv(socket_.fd(), buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0)
            raw_.append(buf, std::size_t(n));
        else if (n == 0)
            closed_ = true;
    }
    bool closed() const { return closed_; }
    const std::string& raw() const { return raw_; }
    int status() const { return raw_.size() >= 12 ? std::stoi(raw_.substr(9, 3)) : 0; }

    // The data lines of the complete "figures" events received so far.
    std::vector<std::string> figures() const {
        std::vector<std::string> out;
        const std::string mark = "event: figures\ndata: ";
        for (auto at = raw_.find(mark); at != std::string::npos; at = raw_.find(mark, at + 1)) {
            const auto end = raw_.find("\n\n", at + mark.size());
            if (end == std::string::npos)
                break;
            out.push_back(raw_.substr(at + mark.size(), end - at - mark.size()));
        }
        return out;
    }

    // How many complete "figures" events have arrived (counted as they come: cheap to call often).
    std::size_t count() {
        const std::string mark = "event: figures\ndata: ";
        for (;;) {
            const auto at = raw_.find(mark, scanned_);
            const auto end = at == std::string::npos ? at : raw_.find("\n\n", at + mark.size());
            if (end == std::string::npos)
                return counted_;
            ++counted_;
            scanned_ = end + 2;
        }
    }

private:
    Socket socket_;
    std::string raw_;
    bool closed_ = false;
    std::size_t scanned_ = 0, counted_ = 0;
};

} // namespace accueil::test
