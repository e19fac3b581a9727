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

class Server {
public:
    explicit Server(Limits limits = {});
    ~Server(); // finishes the handlers under way, then closes every connection
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Routes are all added before listen(); unknown paths get 404, a known path with another method
    // 405. Every refusal of the transport has a JSON {"error": "..."} body.
    void route(const std::string& method, const std::string& path, Handler handler);

    // Serves on an IPv4 host ("127.0.0.1", "0.0.0.0", a name) and port from now on, in the
    // background; plain HTTP when `tls` is null. Throws InputError when the address cannot be
    // listened on, StoreError when the certificate or key cannot be used.
    void listen(const std::string& host, int port, const TlsPem* tls);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace accueil::sync::http
