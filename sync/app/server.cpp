// CPPHTTPLIB_OPENSSL_SUPPORT comes from sync/CMakeLists.txt (it must precede httplib.h).
#include "server.hpp"

#include "database.hpp"
#include "errors.hpp"
#include "store.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/wal_checkpointer.hpp"
#include "tls.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

namespace accueil::sync {

using json = nlohmann::json;

std::int64_t sync_wall_ms() {
    static const std::int64_t offset = [] {
        const char* v = std::getenv("ACCUEIL_FAKE_CLOCK_OFFSET_MS");
        return v ? std::strtoll(v, nullptr, 10) : 0LL;
    }();
    return system_wall_ms() + offset;
}

std::int64_t test_hook(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::strtoll(v, nullptr, 10) : 0;
}

namespace {

// The first non-loopback IPv4 address: what kiosks on the LAN can reach when we listen on 0.0.0.0.
std::string lan_address() {
    ifaddrs* list = nullptr;
    std::string found = "127.0.0.1";
    if (getifaddrs(&list) != 0)
        return found;
    for (auto* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET)
            continue;
        char buf[INET_ADDRSTRLEN];
        const auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
        if (!inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf))
            continue;
        if (std::string(buf).starts_with("127."))
            continue;
        found = buf;
        break;
    }
    freeifaddrs(list);
    return found;
}

struct Refusal {
    int status;
    std::string message;
};

void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void refuse(httplib::Response& res, int status, const std::string& message) {
    reply(res, status, {{"error", message}});
}

class Service {
public:
    Service(Store store) : store_(std::move(store)), merger_(store_) {}

    void install(httplib::Server& svr) {
        svr.Post("/v1/join", [this](const httplib::Request& req, httplib::Response& res) {
            handle(req, res, false, [&](const json& body, const Device*) { join(body, res); });
        });
        svr.Post("/v1/push", [this](const httplib::Request& req, httplib::Response& res) {
            handle(req, res, true, [&](const json& body, const Device* d) { push(body, *d, res); });
        });
        svr.Post("/v1/pull", [this](const httplib::Request& req, httplib::Response& res) {
            handle(req, res, true, [&](const json& body, const Device* d) { pull(body, *d, res); });
        });
        svr.Get("/v1/hello", [](const httplib::Request&, httplib::Response& res) {
            reply(res, 200, {{"protocol", kProtocolVersion}, {"service", "accueil-sync"}});
        });
    }

private:
    template <typename F>
    void handle(const httplib::Request& req, httplib::Response& res, bool authenticated, F&& work) {
        // The protocol version is checked before anything else, on every request.
        const auto version = req.get_header_value(kProtocolHeader);
        if (version != std::to_string(kProtocolVersion))
            return refuse(res, 426,
                          version.empty()
                              ? "this is an accueil-sync server; the request does not say its "
                                "protocol version"
                              : "protocol version " + version +
                                    " is not supported (the server "
                                    "speaks version " +
                                    std::to_string(kProtocolVersion) +
                                    "); install the same accueil version on the server and the kiosks");
        const json body = json::parse(req.body, nullptr, false);
        if (body.is_discarded())
            return refuse(res, 400, "the body is not valid JSON");
        std::lock_guard lock(mutex_);
        try {
            check_protocol(body);
            std::optional<Device> device;
            if (authenticated) {
                const auto auth = req.get_header_value("Authorization");
                if (auth.rfind("Bearer ", 0) == 0)
                    device = authenticate(store_, auth.substr(7));
                if (!device)
                    return refuse(res, 401,
                                  "unknown device token; enrol this kiosk with `accueil-sync enroll`");
                if (device->revoked_ms)
                    return refuse(res, 403, "device \"" + device->name + "\" was revoked by the organisers");
            }
            work(body, device ? &*device : nullptr);
        } catch (const InputError& e) {
            refuse(res, 400, e.what());
        } catch (const json::exception& e) {
            refuse(res, 400, std::string("malformed request: ") + e.what());
        } catch (const SQLite::Exception& e) {
            // Disk full, I/O error: nothing was committed; the kiosk keeps its events and retries.
            refuse(res, 503, std::string("central database unavailable (") + e.what() + "); retry later");
        } catch (const StoreError& e) {
            refuse(res, 503, std::string("central store: ") + e.what() + "; retry later");
        }
    }

    static Origin sender_origin(const json& body) {
        const auto o = origin_from_hex(body.value("origin", ""));
        if (!o)
            throw InputError("", "the request does not give the kiosk's origin");
        return *o;
    }

    void join(const json& body, httplib::Response& res) {
        const auto secret = body.value("secret", "");
        const auto joined = join_device(store_, secret);
        if (!joined)
            return refuse(res, 403,
                          "unknown or already used enrolment code; ask for a new one "
                          "(accueil-sync enroll)");
        reply(res, 200,
              {{"token", joined->token}, {"name", joined->name}, {"server", to_hex(store_.origin())}});
    }

    void push(const json& body, const Device& device, httplib::Response& res) {
        const Origin origin = sender_origin(body);
        if (!body.contains("events"))
            throw InputError("", "the request has no \"events\"");
        const auto events = events_from_json(body["events"]);
        if (events.size() > kMaxBatchEvents)
            return refuse(res, 413,
                          "batch of " + std::to_string(events.size()) + " events; at most " +
                              std::to_string(kMaxBatchEvents));
        MergeOptions opt;
        opt.source = device.name;
        const auto delay = test_hook("ACCUEIL_SYNC_TEST_MERGE_DELAY_MS");
        if (delay > 0 && !events.empty())
            opt.before_commit = [delay] { std::this_thread::sleep_for(std::chrono::milliseconds(delay)); };
        const auto r = merger_.merge(events, opt);
        {
            // The kiosk counted this batch in its pending events: once committed, they are here.
            const std::int64_t pending = body.value("pending", std::int64_t(0));
            WriteTransaction tx(store_.db());
            touch_device(store_, device.name, origin,
                         r.ok() ? std::max<std::int64_t>(0, pending - std::int64_t(events.size())) : pending);
            tx.commit();
        }
        if (!r.ok())
            return reply(res, 409,
                         {{"error", std::to_string(r.rejected.size()) +
                                        " event(s) refused: " + r.rejected.front().reason},
                          {"rejected", rejections_to_json(r.rejected)}});
        reply(res, 200,
              {{"applied", r.applied}, {"known", r.already_known}, {"marks", vector_to_json(r.marks)}});
        // Test hook: the response of a committed batch is lost on the way back.
        if (dropped_ < test_hook("ACCUEIL_SYNC_TEST_DROP_RESPONSES") && !events.empty()) {
            ++dropped_;
            const std::size_t size = res.body.size();
            res.body.clear(); // httplib sends a provider's content only when the body is empty
            res.set_content_provider(size, "application/json",
                                     [](std::size_t, std::size_t, httplib::DataSink&) {
                                         return false; // aborts the connection mid-response
                                     });
        }
    }

    void pull(const json& body, const Device& device, httplib::Response& res) {
        const Origin origin = sender_origin(body);
        const auto theirs = vector_from_json(body.value("vector", json::object()));
        const std::size_t limit = std::clamp<std::int64_t>(body.value("limit", std::int64_t(kMaxBatchEvents)),
                                                           1, std::int64_t(kMaxBatchEvents));
        bool more = false;
        const auto events = events_missing(store_, theirs, limit, more, origin);
        {
            WriteTransaction tx(store_.db());
            touch_device(store_, device.name, origin, body.value("pending", std::int64_t(0)));
            tx.commit();
        }
        reply(res, 200,
              {{"events", events_to_json(events)},
               {"more", more},
               {"vector", vector_to_json(local_vector(store_))},
               {"server", to_hex(store_.origin())},
               // The latest stamp this server trusts: kiosks with a late clock adopt up to it.
               {"clock", HlcStamp::pack(store_.wall_ms() + Hlc::kMaxDriftMs, 0)}});
    }

    std::mutex mutex_; // one writer: SQLite serialises writes anyway, and merges must not interleave
    Store store_;
    Merger merger_;
    std::int64_t dropped_ = 0;
};

} // namespace

int serve(const ServeOptions& o) {
    const auto colon = o.listen.rfind(':');
    if (colon == std::string::npos)
        throw InputError("--listen", "expected HOST:PORT, e.g. 0.0.0.0:8443");
    const std::string host = o.listen.substr(0, colon);
    int port = 0;
    try {
        port = std::stoi(o.listen.substr(colon + 1));
    } catch (const std::exception&) {
        throw InputError("--listen", "expected HOST:PORT, e.g. 0.0.0.0:8443");
    }
    if (port <= 0 || port > 65535)
        throw InputError("--listen", "the port must be between 1 and 65535");

    Store store = Store::open(o.db, sync_wall_ms);
    store.db().exec("PRAGMA wal_autocheckpoint=0"); // the checkpointer below does it off the push path
    const WalCheckpointer checkpointer(o.db);
    if (o.max_db_pages > 0)
        store.db().exec("PRAGMA max_page_count=" + std::to_string(o.max_db_pages));

    std::unique_ptr<httplib::Server> svr;
    std::string fingerprint;
    if (o.insecure) {
        svr = std::make_unique<httplib::Server>();
    } else {
        const auto cert = ensure_certificate(o.db);
        fingerprint = certificate_fingerprint(cert.cert);
        svr = std::make_unique<httplib::SSLServer>(cert.cert.c_str(), cert.key.c_str());
        if (!svr->is_valid())
            throw StoreError(cert.cert + ": the TLS certificate or key cannot be used");
    }
    svr->set_payload_max_length(kMaxRequestBytes);
    svr->set_read_timeout(30, 0);
    svr->set_write_timeout(30, 0);
    svr->set_keep_alive_timeout(30);

    const std::string scheme = o.insecure ? "http" : "https";
    const std::string public_url =
        !o.public_url.empty()
            ? o.public_url
            : scheme + "://" + (host == "0.0.0.0" ? lan_address() : host) + ":" + std::to_string(port);
    {
        WriteTransaction tx(store.db());
        store.set_meta("sync.url", public_url);
        store.set_meta("sync.fingerprint", fingerprint);
        tx.commit();
    }

    Service service(std::move(store));
    service.install(*svr);

    // SIGINT/SIGTERM stop the server cleanly: blocked here, awaited by one thread.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::atomic<bool> stopping{false};
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        stopping = true;
        svr->stop();
    });

    if (!svr->bind_to_port(host.c_str(), port)) {
        pthread_kill(waiter.native_handle(), SIGTERM);
        waiter.join();
        throw InputError("--listen", "cannot listen on " + o.listen + " (address in use or not ours)");
    }
    std::cout << "accueil-sync: serving " << o.db << " at " << public_url
              << (fingerprint.empty() ? " (plain HTTP: tests only)" : " (certificate " + fingerprint + ")")
              << "\n"
              << std::flush;
    svr->listen_after_bind();
    if (!stopping) {
        pthread_kill(waiter.native_handle(), SIGTERM);
    }
    waiter.join();
    std::cout << "accueil-sync: stopped\n";
    return 0;
}

} // namespace accueil::sync
