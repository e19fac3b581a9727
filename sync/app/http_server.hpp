#pragma once
// The central server's HTTP(S) transport (issue 9): libmicrohttpd with a few epoll threads doing all
// the socket I/O, and a few worker threads running the handlers. Bounded everywhere: request bodies
// (checked while they arrive, chunked or not), connections per IP and in all, idle time per
// connection. A handler never runs on an I/O thread, so a slow merge delays no other connection's
// reading and writing; the connection waits suspended meanwhile (libmicrohttpd's suspend/resume,
// which is also what streaming responses, such as server-sent events, use).
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct MHD_Connection;

namespace accueil::sync::http {

struct Request {
    std::string method; // "GET", "POST"
    std::string path;   // without the query string
    std::string body;
    std::string peer;                           // the client's IPv4 address
    std::map<std::string, std::string> headers; // names in lower case
    std::map<std::string, std::string> query;   // arguments of the query string, decoded

    // A header's value, "" when absent; `name` in any case (cpp-httplib's name for it, kept so the
    // handlers written for it read the same).
    std::string get_header_value(std::string name) const;
    // A query argument's value, "" when absent.
    std::string query_value(const std::string& name) const;
};

// The body of a streaming response (server-sent events): text queued by any thread and sent as it
// comes, until the client leaves or close() is called. While nothing is queued the connection waits
// suspended (libmicrohttpd neither polls nor times it out then), so an idle stream costs no CPU.
class Stream {
public:
    // Queues `text`; false once the stream has ended (the client left, it was closed, the server is
    // stopping, or the client stopped reading and too much piled up): forget the stream then.
    bool send(std::string_view text);
    // Ends the response once what is queued has gone.
    void close();
    bool ended() const;

    static constexpr std::size_t kMaxPendingBytes = 1u << 20;

private:
    friend struct StreamAccess;
    mutable std::mutex mutex_;
    std::string pending_;
    bool ended_ = false;   // nothing more is accepted
    bool closing_ = false; // close() asked: end once pending_ is sent
    bool suspended_ = false;
    MHD_Connection* connection_ = nullptr; // while the response is being sent
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    // Test hook: the headers (with the body's length) go out, then the connection breaks instead of
    // the body, as when an answer is lost on the way back.
    bool abort_mid_response = false;
    std::vector<std::pair<std::string, std::string>> headers; // more headers (Set-Cookie, Location...)
    // When set, `body` goes out first, then whatever the stream is sent, with no length announced.
    std::shared_ptr<Stream> stream;
};

using Handler = std::function<Response(const Request&)>;

struct Limits {
    std::size_t max_body_bytes = 16u << 20; // larger: 413 (Content-Length) or the connection closed
    unsigned per_ip_connections = 32;
    unsigned connections = 1000;
    unsigned idle_timeout_s = 10; // a connection with no traffic for this long is closed
    // A new connection must have sent its first request's headers by then (slowloris). Also makes up
    // for libmicrohttpd 0.9.75 never releasing a TLS connection that times out before its handshake
    // ends; shorter than idle_timeout_s, so it acts first.
    unsigned first_request_timeout_s = 8;
    unsigned io_threads = 2; // epoll threads: accept, TLS, reading and writing
    unsigned workers = 4;    // threads running handlers
    unsigned streams = 200;  // streaming responses open at once; more: 503
};

struct TlsPem {
    std::string cert; // PEM text, not paths
    std::string key;
};

// Who listens on a TCP port of this machine, as far as /proc tells (the socket's inode in
// /proc/net/tcp and tcp6, then the process whose descriptors hold it). `pid` is 0 when no process of
// ours could be seen holding it: one of another user (its descriptors are not readable without root),
// or in another network namespace; `uid` is the socket's owner then.
struct PortHolder {
    int pid = 0;
    std::string command; // its command line, arguments separated by spaces
    unsigned uid = 0;
};
// Nothing when no socket listens on `port` at an address that conflicts with `host` (the same, or
// either is a wildcard). `proc_root` is "/proc" but for tests.
std::optional<PortHolder> find_port_holder(const std::string& host, int port,
                                           const std::string& proc_root = "/proc");

// Why an address could not be listened on; what() is one English line, `why` lets the caller say it
// in the person's words.
struct ListenError : std::runtime_error {
    enum class Why { BadHost, InUse, NotHere, NotAllowed, Other };
    ListenError(Why why, std::string host, int port, std::string detail);
    Why why;
    std::string host;
    int port;
    std::string detail;               // strerror's text
    std::optional<PortHolder> holder; // InUse: who listens there, when /proc tells
};

// A TCP socket bound to an IPv4 host ("127.0.0.1", "0.0.0.0", a name) and port, listening only once
// Server::listen serves it. Bound before anything else is done, so a second server on an address in
// use stops before it touches its database (on Linux, bind() already fails when another socket listens
// there); listening comes last, so nothing connects before the server can answer. Bound exclusively:
// no SO_REUSEPORT (which would let two servers share the port and take turns answering), and
// SO_REUSEADDR only so that a restart may reuse a port whose old connections linger (it never lets a
// second socket listen on an address). libmicrohttpd is given this socket; its own default
// (MHD_OPTION_LISTENING_ADDRESS_REUSE unset) would also set SO_REUSEADDR alone, but we would not learn
// why a bind failed. Throws ListenError.
class Listener {
public:
    Listener(const std::string& host, int port);
    ~Listener();
    Listener(Listener&& other) noexcept;
    Listener& operator=(Listener&&) = delete;
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    void listen();
    // The descriptor, given up by the caller (-1 afterwards).
    int release();
    std::string where() const { return host_ + ":" + std::to_string(port_); }

private:
    int fd_ = -1;
    std::string host_, ip_;
    int port_ = 0;
};

class Server {
public:
    explicit Server(Limits limits = {});
    ~Server(); // finishes the handlers under way, then closes every connection
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Routes are all added before listen(); unknown paths get 404, a known path with another method
    // 405. Every refusal of the transport has a JSON {"error": "..."} body.
    void route(const std::string& method, const std::string& path, Handler handler);

    // Serves on the listener's address from now on, in the background; plain HTTP when `tls` is
    // null. Throws ListenError when another socket took the address since it was bound, StoreError
    // when the certificate or key cannot be used.
    void listen(Listener listener, const TlsPem* tls);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace accueil::sync::http
