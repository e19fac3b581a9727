#include "http_server.hpp"

#include "errors.hpp"

#include <nlohmann/json.hpp>

#include <microhttpd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace accueil::sync::http {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

Response error_response(int status, const std::string& message) {
    Response r;
    r.status = status;
    r.body = nlohmann::json{{"error", message}}.dump();
    return r;
}

// What libmicrohttpd keeps for one request (its "connection closure"), from the headers to the end.
struct Call {
    Request request;
    bool too_large = false;
    std::optional<Response> response; // set by a worker while the connection is suspended
};

// A fixed set of threads running jobs in order of arrival. post() is refused once stopping.
class Workers {
public:
    explicit Workers(unsigned n) {
        for (unsigned i = 0; i < n; ++i)
            threads_.emplace_back([this] { run(); });
    }
    ~Workers() { stop(); }

    bool post(std::function<void()> job) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return false;
            jobs_.push_back(std::move(job));
        }
        wake_.notify_one();
        return true;
    }
    // Runs every job already posted, then ends the threads.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_)
            if (t.joinable())
                t.join();
    }

private:
    void run() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
                if (jobs_.empty())
                    return;
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace

std::string Request::get_header_value(std::string name) const {
    const auto it = headers.find(lower(std::move(name)));
    return it == headers.end() ? std::string() : it->second;
}

std::string Request::query_value(const std::string& name) const {
    const auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
}

// The transport's side of a Stream: attaching it to a connection, feeding libmicrohttpd, ending it.
struct StreamAccess {
    // Wakes the connection when it waits for data. Called with the stream's mutex held; libmicrohttpd
    // only takes its own lock briefly, and never calls the reader with it held.
    static void wake(Stream& s) {
        if (s.suspended_ && s.connection_) {
            s.suspended_ = false;
            MHD_resume_connection(s.connection_);
        }
    }
    static void attach(Stream& s, MHD_Connection* connection) {
        std::lock_guard lock(s.mutex_);
        s.connection_ = connection;
    }
    // Ends a stream that will never be sent (refused), so whoever holds it lets it go.
    static void abandon(Stream& s) {
        std::lock_guard lock(s.mutex_);
        s.ended_ = true;
        s.pending_.clear();
    }
    // libmicrohttpd's content reader: what is queued, or the end, or (nothing queued) the connection
    // suspended until send() or close() resumes it: returning 0 without suspending would spin.
    static ssize_t read(Stream& s, char* buf, std::size_t max) {
        std::lock_guard lock(s.mutex_);
        if (!s.pending_.empty()) {
            const std::size_t n = std::min(max, s.pending_.size());
            std::memcpy(buf, s.pending_.data(), n);
            s.pending_.erase(0, n);
            return ssize_t(n);
        }
        if (s.ended_ && !s.closing_)
            return MHD_CONTENT_READER_END_WITH_ERROR; // cut: the client stopped reading
        if (s.closing_)
            return MHD_CONTENT_READER_END_OF_STREAM;
        s.suspended_ = true;
        MHD_suspend_connection(s.connection_);
        return 0;
    }
    // The response is gone (sent, or the connection closed): nothing more can be sent.
    static void detach(Stream& s) {
        std::lock_guard lock(s.mutex_);
        s.ended_ = true;
        s.connection_ = nullptr;
        s.suspended_ = false;
        s.pending_.clear();
    }
};

bool Stream::send(std::string_view text) {
    std::lock_guard lock(mutex_);
    if (ended_)
        return false;
    if (pending_.size() + text.size() > kMaxPendingBytes) {
        // A client that reads nothing must not make the server hold ever more: its stream is cut.
        ended_ = true;
        pending_.clear();
        StreamAccess::wake(*this);
        return false;
    }
    pending_.append(text);
    StreamAccess::wake(*this);
    return true;
}

void Stream::close() {
    std::lock_guard lock(mutex_);
    if (ended_)
        return;
    ended_ = closing_ = true;
    StreamAccess::wake(*this);
}

bool Stream::ended() const {
    std::lock_guard lock(mutex_);
    return ended_;
}

struct Server::Impl {
    Limits limits;
    std::map<std::pair<std::string, std::string>, Handler> routes; // (method, path)
    std::unique_ptr<Workers> workers;
    MHD_Daemon* daemon = nullptr;
    int listen_fd = -1;
    TlsPem tls; // libmicrohttpd keeps pointers to these strings while it runs

    // Connections that have not sent a request yet, and since when: the watchdog thread shuts down
    // the sockets of those over Limits::first_request_timeout_s. An entry leaves under `fresh_mutex`
    // before libmicrohttpd closes its socket, so the watchdog never touches a reused descriptor.
    struct Fresh {
        int fd;
        std::chrono::steady_clock::time_point since;
    };
    std::mutex fresh_mutex;
    std::unordered_map<MHD_Connection*, Fresh> fresh;
    std::condition_variable watchdog_wake;
    bool watchdog_stop = false;
    std::thread watchdog;

    // Streaming responses being sent: closed before the daemon stops (it refuses to stop with a
    // connection suspended), and counted against Limits::streams.
    struct StreamCall {
        Impl* impl;
        std::shared_ptr<Stream> stream;
    };
    std::mutex streams_mutex;
    std::condition_variable streams_gone;
    std::vector<std::shared_ptr<Stream>> streams;

    std::atomic<bool> running{false}; // runtime messages are printed, start-up ones only kept
    std::mutex log_mutex;
    std::string last_log;
    std::chrono::steady_clock::time_point last_printed{};

    ~Impl() {
        // Handlers under way finish and their connections are resumed before the daemon stops
        // (libmicrohttpd refuses to stop with a connection still suspended).
        if (workers)
            workers->stop();
        close_streams();
        if (watchdog.joinable()) {
            {
                std::lock_guard lock(fresh_mutex);
                watchdog_stop = true;
            }
            watchdog_wake.notify_all();
            watchdog.join();
        }
        if (daemon)
            MHD_stop_daemon(daemon);
        if (listen_fd >= 0)
            ::close(listen_fd);
    }

    void close_streams() {
        std::unique_lock lock(streams_mutex);
        for (const auto& stream : streams)
            stream->close();
        // Each ends once its client has taken what was queued; one that does not read is cut by the
        // idle timeout, so this wait is bounded too.
        streams_gone.wait_for(lock, std::chrono::seconds(limits.idle_timeout_s + 1),
                              [this] { return streams.empty(); });
    }

    static ssize_t read_stream(void* cls, std::uint64_t, char* buf, std::size_t max) {
        return StreamAccess::read(*static_cast<StreamCall*>(cls)->stream, buf, max);
    }
    static void stream_done(void* cls) {
        auto* call = static_cast<StreamCall*>(cls);
        StreamAccess::detach(*call->stream);
        {
            std::lock_guard lock(call->impl->streams_mutex);
            std::erase(call->impl->streams, call->stream);
        }
        call->impl->streams_gone.notify_all();
        delete call;
    }

    // A streaming response, or nothing when too many are open already.
    MHD_Response* stream_response(MHD_Connection* connection, const std::shared_ptr<Stream>& stream,
                                  const std::string& first) {
        {
            std::lock_guard lock(streams_mutex);
            if (streams.size() >= limits.streams)
                return nullptr;
            streams.push_back(stream);
        }
        if (!first.empty())
            stream->send(first);
        StreamAccess::attach(*stream, connection);
        auto* call = new StreamCall{this, stream};
        MHD_Response* response = MHD_create_response_from_callback(
            MHD_SIZE_UNKNOWN, 16 * 1024, &Impl::read_stream, call, &Impl::stream_done);
        if (!response)
            stream_done(call);
        return response;
    }

    // libmicrohttpd's messages: kept for start-up errors, printed at most once a second (a flood of
    // refused connections must not become a flood of lines).
    static void log(void* cls, const char* format, va_list args) {
        char line[512];
        std::vsnprintf(line, sizeof line, format, args);
        static_cast<Impl*>(cls)->note(line);
    }
    void note(std::string text) {
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        std::lock_guard lock(log_mutex);
        last_log = text;
        const auto now = std::chrono::steady_clock::now();
        if (running && now - last_printed >= std::chrono::seconds(1)) {
            last_printed = now;
            std::cerr << "accueil-sync: http: " << text << "\n";
        }
    }

    static void connection_event(void* cls, MHD_Connection* connection, void**,
                                 MHD_ConnectionNotificationCode code) {
        auto* self = static_cast<Impl*>(cls);
        std::lock_guard lock(self->fresh_mutex);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
            if (info)
                self->fresh[connection] = {info->connect_fd, std::chrono::steady_clock::now()};
        } else {
            self->fresh.erase(connection);
        }
    }

    void watch() {
        const auto limit = std::chrono::seconds(limits.first_request_timeout_s);
        std::unique_lock lock(fresh_mutex);
        while (!watchdog_stop) {
            watchdog_wake.wait_for(lock, std::chrono::milliseconds(250));
            const auto now = std::chrono::steady_clock::now();
            for (auto it = fresh.begin(); it != fresh.end();) {
                if (now - it->second.since < limit) {
                    ++it;
                    continue;
                }
                // libmicrohttpd sees the socket end and closes the connection itself.
                ::shutdown(it->second.fd, SHUT_RDWR);
                it = fresh.erase(it);
            }
        }
    }

    static void completed(void*, MHD_Connection*, void** closure, MHD_RequestTerminationCode) {
        delete static_cast<Call*>(*closure);
        *closure = nullptr;
    }

    static MHD_Result queue(MHD_Connection* connection, const Response& r, Impl* self = nullptr) {
        MHD_Response* response;
        if (r.stream) {
            response = self ? self->stream_response(connection, r.stream, r.body) : nullptr;
            if (!response) {
                StreamAccess::abandon(*r.stream);
                return queue(connection, error_response(503, "too many live connections; retry later"));
            }
        } else if (r.abort_mid_response) {
            // The length is announced, then the first read of the body fails: the connection breaks.
            response = MHD_create_response_from_callback(
                r.body.size(), 4096,
                [](void*, std::uint64_t, char*, std::size_t) -> ssize_t {
                    return MHD_CONTENT_READER_END_WITH_ERROR;
                },
                nullptr, nullptr);
        } else {
            response = MHD_create_response_from_buffer(r.body.size(), const_cast<char*>(r.body.data()),
                                                       MHD_RESPMEM_MUST_COPY);
        }
        if (!response)
            return MHD_NO;
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
        for (const auto& [name, value] : r.headers)
            MHD_add_response_header(response, name.c_str(), value.c_str());
        const MHD_Result ok = MHD_queue_response(connection, unsigned(r.status), response);
        MHD_destroy_response(response);
        return ok;
    }

    static MHD_Result header_into(void* cls, MHD_ValueKind, const char* key, const char* value) {
        static_cast<Request*>(cls)->headers[lower(key)] = value ? value : "";
        return MHD_YES;
    }
    static MHD_Result argument_into(void* cls, MHD_ValueKind, const char* key, const char* value) {
        static_cast<Request*>(cls)->query[key] = value ? value : "";
        return MHD_YES;
    }

    static MHD_Result access(void* cls, MHD_Connection* connection, const char* url, const char* method,
                             const char*, const char* upload, std::size_t* upload_size, void** closure) {
        auto* self = static_cast<Impl*>(cls);
        auto* call = static_cast<Call*>(*closure);

        if (!call) {
            // First call: the headers are in, nothing of the body has been read yet. Refusals made
            // here are answered at once and the body is never read.
            call = new Call;
            *closure = call;
            {
                std::lock_guard lock(self->fresh_mutex);
                self->fresh.erase(connection);
            }
            call->request.method = method;
            call->request.path = url;
            if (!self->routes.contains({call->request.method, call->request.path})) {
                const bool path_known = std::any_of(self->routes.begin(), self->routes.end(),
                                                    [&](const auto& r) { return r.first.second == url; });
                return queue(connection,
                             path_known
                                 ? error_response(405, std::string(method) + " is not allowed on " + url)
                                 : error_response(404, std::string("no such path: ") + url));
            }
            const char* length =
                MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (length && std::strtoull(length, nullptr, 10) > self->limits.max_body_bytes)
                return queue(connection, too_large(self->limits));
            return MHD_YES;
        }

        if (*upload_size > 0) {
            // A piece of the body (chunked bodies have no length up front): counted as it arrives.
            std::string& body = call->request.body;
            const std::size_t n = *upload_size;
            if (body.size() + n > self->limits.max_body_bytes) {
                // libmicrohttpd 0.9.75 cannot answer in the middle of a body: the connection is
                // closed, nothing more is read.
                self->note("request body over the limit (chunked upload); connection closed");
                return MHD_NO;
            }
            if (body.size() + n > body.capacity()) // grow by doubling, never past the limit
                body.reserve(
                    std::min(self->limits.max_body_bytes, std::max(body.size() + n, 2 * body.capacity())));
            body.append(upload, n);
            *upload_size = 0;
            return MHD_YES;
        }

        if (call->response) // the handler has run (the connection was resumed): send its answer
            return queue(connection, *call->response, self);

        // The whole request is in: it goes to a worker while the connection waits, suspended.
        MHD_get_connection_values(connection, MHD_HEADER_KIND, header_into, &call->request);
        MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, argument_into, &call->request);
        if (const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
            info && info->client_addr && info->client_addr->sa_family == AF_INET) {
            char ip[INET_ADDRSTRLEN] = "";
            const auto* in = reinterpret_cast<const sockaddr_in*>(info->client_addr);
            inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
            call->request.peer = ip;
        }
        MHD_suspend_connection(connection);
        const bool posted = self->workers->post([self, connection, call] {
            const auto& handler = self->routes.at({call->request.method, call->request.path});
            try {
                call->response = handler(call->request);
            } catch (const std::exception& e) {
                call->response = error_response(500, std::string("internal error: ") + e.what());
            }
            MHD_resume_connection(connection);
        });
        if (!posted) { // stopping: no handler will run any more
            call->response = error_response(503, "the server is stopping; retry later");
            MHD_resume_connection(connection);
        }
        return MHD_YES;
    }

    static Response too_large(const Limits& limits) {
        return error_response(413, "request body larger than " + std::to_string(limits.max_body_bytes >> 20) +
                                       " MB");
    }
};

Server::Server(Limits limits) : impl_(std::make_unique<Impl>()) {
    impl_->limits = limits;
}

Server::~Server() = default;

void Server::route(const std::string& method, const std::string& path, Handler handler) {
    impl_->routes[{method, path}] = std::move(handler);
}

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A listening socket of /proc/net/tcp or tcp6 on the port: its address (hex as written there), owner
// and inode.
struct ProcSocket {
    std::string address;
    unsigned uid = 0;
    unsigned long inode = 0;
};

std::vector<ProcSocket> listening_sockets(const std::string& table, int port) {
    std::vector<ProcSocket> out;
    std::istringstream lines(read_text(table));
    std::string line;
    std::getline(lines, line); // the column names
    char port_hex[8];
    std::snprintf(port_hex, sizeof port_hex, "%04X", unsigned(port));
    while (std::getline(lines, line)) {
        std::istringstream row(line);
        std::string slot, local, remote, state, queues, timer, retransmits;
        ProcSocket s;
        if (!(row >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> s.uid >> timer >>
              s.inode))
            continue;
        const auto colon = local.rfind(':');
        if (state != "0A" || colon == std::string::npos || local.substr(colon + 1) != port_hex)
            continue; // 0A: TCP_LISTEN
        s.address = local.substr(0, colon);
        out.push_back(std::move(s));
    }
    return out;
}

// The IPv4 address as /proc/net/tcp writes it (the 32 bits in host order, in hex), or "" for a name
// that does not resolve.
std::string proc_hex_ipv4(const std::string& host) {
    in_addr a{};
    if (inet_pton(AF_INET, host.c_str(), &a) != 1)
        return "";
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08X", unsigned(a.s_addr));
    return hex;
}

bool all_zeros(const std::string& hex) {
    return hex.find_first_not_of('0') == std::string::npos;
}

// The process holding the socket `inode` among those whose descriptors this account can read (not
// this one: a socket it inherited is not what stands in its way).
std::optional<std::pair<int, std::string>> process_with_socket(const std::string& proc_root,
                                                               unsigned long inode) {
    namespace fs = std::filesystem;
    const std::string target = "socket:[" + std::to_string(inode) + "]";
    const std::string self = std::to_string(::getpid());
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(proc_root, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos || name == self)
            continue;
        std::error_code fd_ec;
        for (const auto& fd : fs::directory_iterator(entry.path() / "fd", fd_ec)) {
            std::error_code link_ec;
            if (fs::read_symlink(fd.path(), link_ec).string() != target)
                continue;
            std::string command = read_text((entry.path() / "cmdline").string());
            while (!command.empty() && command.back() == '\0')
                command.pop_back();
            std::replace(command.begin(), command.end(), '\0', ' ');
            return std::make_pair(std::stoi(name), command);
        }
    }
    return std::nullopt;
}

const char* why_text(ListenError::Why why) {
    switch (why) {
    case ListenError::Why::BadHost:
        return "is not an IPv4 address or a known host name";
    case ListenError::Why::InUse:
        return "is already in use";
    case ListenError::Why::NotHere:
        return "is not an address of this machine";
    case ListenError::Why::NotAllowed:
        return "needs more rights (ports below 1024)";
    case ListenError::Why::Other:
        break;
    }
    return "cannot be listened on";
}

} // namespace

std::optional<PortHolder> find_port_holder(const std::string& host, int port, const std::string& proc_root) {
    const std::string ours = proc_hex_ipv4(host);
    std::vector<ProcSocket> found;
    for (const char* table : {"/net/tcp", "/net/tcp6"})
        for (auto& s : listening_sockets(proc_root + table, port)) {
            // IPv6 sockets stand in the way of IPv4 on "::" (all addresses of both) or on an IPv4
            // address written as IPv6 (::ffff:a.b.c.d); an address of their own does not.
            if (s.address.size() == 32) {
                if (all_zeros(s.address))
                    s.address = "00000000";
                else if (s.address.starts_with("0000000000000000FFFF0000"))
                    s.address = s.address.substr(24);
                else
                    continue;
            }
            // The same address, or either side listening on all of them.
            if (ours.empty() || all_zeros(ours) || all_zeros(s.address) || s.address == ours)
                found.push_back(std::move(s));
        }
    if (found.empty())
        return std::nullopt;
    PortHolder holder;
    holder.uid = found.front().uid;
    for (const auto& s : found)
        if (const auto p = process_with_socket(proc_root, s.inode)) {
            holder.pid = p->first;
            holder.command = p->second;
            holder.uid = s.uid;
            break;
        }
    return holder;
}

ListenError::ListenError(Why why_, std::string host_, int port_, std::string detail_)
    : std::runtime_error(host_ + ":" + std::to_string(port_) + " " + why_text(why_) +
                         (detail_.empty() ? "" : " (" + detail_ + ")")),
      why(why_), host(std::move(host_)), port(port_), detail(std::move(detail_)) {}

namespace {

// Why the address could not be taken, with who holds it when that is the reason.
ListenError address_error(int error, const std::string& host, const std::string& ip, int port) {
    const auto why = error == EADDRINUSE      ? ListenError::Why::InUse
                     : error == EADDRNOTAVAIL ? ListenError::Why::NotHere
                     : error == EACCES        ? ListenError::Why::NotAllowed
                                              : ListenError::Why::Other;
    ListenError e(why, host, port, std::strerror(error));
    if (why == ListenError::Why::InUse) {
        // The tests point this at a made-up /proc (a holder of another user).
        const char* proc = std::getenv("ACCUEIL_SYNC_TEST_PROC_ROOT");
        e.holder = find_port_holder(ip, port, proc ? proc : "/proc");
    }
    return e;
}

} // namespace

Listener::Listener(const std::string& host, int port) : host_(host), port_(port) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || !found)
        throw ListenError(ListenError::Why::BadHost, host, port, "");
    sockaddr_in addr = *reinterpret_cast<const sockaddr_in*>(found->ai_addr);
    freeaddrinfo(found);
    addr.sin_port = htons(std::uint16_t(port));
    char ip[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    ip_ = ip;
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0)
        throw ListenError(ListenError::Why::Other, host, port, std::strerror(errno));
    const int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
        return;
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw address_error(error, host, ip_, port);
}

Listener::~Listener() {
    if (fd_ >= 0)
        ::close(fd_);
}

Listener::Listener(Listener&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), host_(std::move(other.host_)), ip_(std::move(other.ip_)),
      port_(other.port_) {}

void Listener::listen() {
    if (::listen(fd_, 512) != 0)
        throw address_error(errno, host_, ip_, port_);
}

int Listener::release() {
    return std::exchange(fd_, -1);
}

void Server::listen(Listener listener, const TlsPem* tls) {
    Impl& m = *impl_;
    const std::string where = listener.where();
    listener.listen();
    m.listen_fd = listener.release();

    if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        throw StoreError("this libmicrohttpd was built without TLS support");
    m.workers = std::make_unique<Workers>(m.limits.workers);
    // libmicrohttpd owns the listening socket from here on (it closes it when it stops or fails).
    const int listen_fd = std::exchange(m.listen_fd, -1);
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    std::vector<MHD_OptionItem> options = {
        {MHD_OPTION_LISTEN_SOCKET, listen_fd, nullptr},
        {MHD_OPTION_THREAD_POOL_SIZE, m.limits.io_threads, nullptr},
        {MHD_OPTION_CONNECTION_LIMIT, m.limits.connections, nullptr},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, m.limits.per_ip_connections, nullptr},
        {MHD_OPTION_CONNECTION_TIMEOUT, m.limits.idle_timeout_s, nullptr},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, nullptr}, // headers and read buffer
        {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&Impl::completed), nullptr},
        {MHD_OPTION_NOTIFY_CONNECTION, reinterpret_cast<intptr_t>(&Impl::connection_event), &m},
        {MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&Impl::log), &m},
    };
    if (tls) {
        flags |= MHD_USE_TLS;
        m.tls = *tls;
        options.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, m.tls.cert.data()});
        options.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, m.tls.key.data()});
    }
    options.push_back({MHD_OPTION_END, 0, nullptr});
    m.daemon = MHD_start_daemon(flags, 0, nullptr, nullptr, &Impl::access, &m, MHD_OPTION_ARRAY,
                                options.data(), MHD_OPTION_END);
    if (!m.daemon) {
        std::lock_guard lock(m.log_mutex);
        if (tls)
            throw StoreError("the TLS certificate or key cannot be used (" + m.last_log + ")");
        throw StoreError("cannot start the HTTP server on " + where + " (" + m.last_log + ")");
    }
    m.running = true;
    m.watchdog = std::thread([&m] { m.watch(); });
}

} // namespace accueil::sync::http
