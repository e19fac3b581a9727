#include "server.hpp"

#include "backup.hpp"
#include "central_backend.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "http_server.hpp"
#include "i18n/catalogue.hpp"
#include "page_replica.hpp"
#include "store.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"
#include "sync/strict_json.hpp"
#include "sync/wal_checkpointer.hpp"
#include "tls.hpp"
#include "web_access.hpp"
#include "web_hub.hpp"
#include "web_routes.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pwd.h>
#include <unistd.h>

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

// A request from a known device that it may not make (a token used for another database).
struct Forbidden : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void reply(http::Response& res, int status, const json& body) {
    res.status = status;
    res.content_type = "application/json";
    res.body = body.dump();
}

void refuse(http::Response& res, int status, const std::string& message) {
    reply(res, status, {{"error", message}});
}

class Service {
public:
    // `changed` is called after a merge that applied events (the organisers' live page), `joined`
    // after a device joined (a backup soon).
    Service(CentralBackend& central, std::function<void()> changed, std::function<void()> joined)
        : central_(central), changed_(std::move(changed)), joined_(std::move(joined)) {}

    // Handlers run on the transport's worker threads; mutex_ below keeps them one at a time.
    void install(http::Server& svr) {
        svr.route("POST", "/v1/join", [this](const http::Request& req) {
            http::Response res;
            handle(req, res, false, [&](const json& body, const Device*) { join(body, res); });
            return res;
        });
        svr.route("POST", "/v1/leave", [this](const http::Request& req) {
            http::Response res;
            handle(req, res, true, [&](const json&, const Device* d) { leave(*d, res); });
            return res;
        });
        svr.route("POST", "/v1/push", [this](const http::Request& req) {
            http::Response res;
            handle(req, res, true, [&](const json& body, const Device* d) { push(body, *d, res); });
            return res;
        });
        svr.route("POST", "/v1/pull", [this](const http::Request& req) {
            http::Response res;
            handle(req, res, true, [&](const json& body, const Device* d) { pull(body, *d, res); });
            return res;
        });
        svr.route("GET", "/v1/hello", [](const http::Request&) {
            http::Response res;
            reply(res, 200, {{"protocol", kProtocolVersion}, {"service", "accueil-sync"}});
            return res;
        });
    }

private:
    template <typename F>
    void handle(const http::Request& req, http::Response& res, bool authenticated, F&& work) {
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
        // The one strict reading (sync/strict_json.hpp): bounded depth, no duplicate keys.
        std::string why;
        const auto parsed = parse_strict_json(req.body, {kMaxRequestBytes, 6}, why);
        if (!parsed)
            return refuse(res, 400, "the body is " + why);
        const json& body = *parsed;
        std::lock_guard lock(mutex_);
        std::string device_name; // for the log
        try {
            central_.before_request();
            check_protocol(body);
            std::optional<Device> device;
            if (authenticated) {
                const auto auth = req.get_header_value("Authorization");
                if (auth.rfind("Bearer ", 0) == 0)
                    device = authenticate(central_.devices(), auth.substr(7));
                // A reason word beside the sentence: the kiosk says it in its own language.
                if (!device) {
                    spdlog::warn("{} refused: unknown device token (from {})", req.path, req.peer);
                    return reply(
                        res, 401,
                        {{"error", "unknown device token; enrol this kiosk with `accueil-sync enroll`"},
                         {"reason", "unknown_token"}});
                }
                if (device->revoked_ms) {
                    spdlog::warn("{} refused: device \"{}\" was revoked", req.path, device->name);
                    return reply(res, 403,
                                 {{"error", "device \"" + device->name + "\" was revoked by the organisers"},
                                  {"reason", "revoked"}});
                }
            }
            device_name = device ? device->name : "";
            work(body, device ? &*device : nullptr);
        } catch (const Forbidden& e) {
            refuse(res, 403, e.what());
        } catch (const InputError& e) {
            refuse(res, 400, e.what());
        } catch (const json::exception& e) {
            refuse(res, 400, std::string("malformed request: ") + e.what());
        } catch (const SQLite::Exception& e) {
            // Disk full, I/O error: nothing was committed; the kiosk keeps its events and retries.
            refuse(res, 503, std::string("central database unavailable (") + e.what() + "); retry later");
            spdlog::error("{} from \"{}\" failed on the central database: {}", req.path, device_name,
                          e.what());
        } catch (const StoreError& e) {
            refuse(res, 503, std::string("central store: ") + e.what() + "; retry later");
            spdlog::error("{} from \"{}\" failed on the central store: {}", req.path, device_name, e.what());
        }
        if (res.status == 400 || res.status == 403)
            spdlog::warn("{} from \"{}\" refused ({}): {}", req.path, device_name, res.status,
                         res.body.substr(0, 300));
        central_.after_request();
    }

    // The origin bound to the device's token at join: the only one it may speak for.
    static Origin device_origin(const json& body, const Device& device) {
        const Origin claimed = sender_origin(body);
        if (!device.origin)
            throw InputError(
                "", "this device joined before devices were bound to their database; enrol it again");
        if (claimed != *device.origin)
            throw Forbidden("this token belongs to another kiosk database (a copied token?)");
        return claimed;
    }

    static Origin sender_origin(const json& body) {
        const auto o = origin_from_hex(text_field(body, "origin"));
        if (!o)
            throw InputError("", "the request does not give the kiosk's origin");
        return *o;
    }

    void join(const json& body, http::Response& res) {
        JoinAttempt attempt;
        attempt.secret = text_field(body, "secret");
        attempt.origin = sender_origin(body);
        const auto device_key = public_key_from_hex(text_field(body, "device_key"));
        if (!device_key)
            throw InputError(
                "", "the request does not give the device's public key (update this kiosk's accueil)");
        attempt.device_key = *device_key;
        // `join --replace`: the token of the device this database was until now.
        attempt.replaces = text_field(body, "replaces", "");
        const auto r = join_device(central_.devices(), attempt);
        if (!r.joined) // logged by handle() with the reason
            return reply(res, r.refusal == JoinRefusal::ReplacesUnknown ? 409 : 403,
                         {{"error", r.why}, {"reason", to_string(r.refusal)}, {"name", r.other_name}});
        spdlog::info("device \"{}\" enrolled as {}{}", r.joined->name, to_string(r.joined->role),
                     r.replaced.empty() ? "" : " (replacing \"" + r.replaced + "\")");
        joined_();
        reply(res, 200,
              {{"token", r.joined->token},
               {"name", r.joined->name},
               {"role", to_string(r.joined->role)},
               {"replaced", r.replaced},
               {"server", to_hex(central_.origin())},
               {"server_key", to_hex(central_.signing_key().public_key())}});
    }

    // A device that joins another central store (`join --replace`) says it is gone: revoked here, by
    // its own token, so the organisers no longer see it as active.
    void leave(const Device& device, http::Response& res) {
        revoke_device(central_.devices(), device.name);
        spdlog::info("device \"{}\" left for another central store; revoked here", device.name);
        reply(res, 200, {{"left", device.name}});
    }

    void push(const json& body, const Device& device, http::Response& res) {
        const Origin origin = device_origin(body, device);
        if (!body.contains("events"))
            throw InputError("", "the request has no \"events\"");
        const auto events = events_from_json(body["events"]);
        if (events.size() > kMaxBatchEvents) {
            spdlog::warn("push from \"{}\" refused: batch of {} events, at most {}", device.name,
                         events.size(), kMaxBatchEvents);
            return refuse(res, 413,
                          "batch of " + std::to_string(events.size()) + " events; at most " +
                              std::to_string(kMaxBatchEvents));
        }
        MergeOptions opt;
        opt.channel = Channel::Push;
        opt.sender = origin;
        opt.source = device.name;
        const auto delay = test_hook("ACCUEIL_SYNC_TEST_MERGE_DELAY_MS");
        const std::int64_t pending = integer_field(body, "pending", 0);
        // The kiosk counted this batch in its pending events: once committed, they are here. Written
        // in the merge's transaction: one commit (one fsync) per push, the pushes being one at a time.
        opt.before_commit = [&, delay] {
            central_.devices().touch(device.name,
                                     std::max<std::int64_t>(0, pending - std::int64_t(events.size())));
            if (delay > 0 && !events.empty())
                std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        };
        const auto r = central_.merge(events, opt);
        if (r.applied > 0)
            changed_();
        if (!r.ok())
            touch(device.name, pending);
        if (!r.ok()) {
            spdlog::warn("push from \"{}\" refused: {} of {} event(s) ({})", device.name, r.rejected.size(),
                         events.size(), r.rejected.front().reason.substr(0, 300));
            return reply(res, 409,
                         {{"error", std::to_string(r.rejected.size()) +
                                        " event(s) refused: " + r.rejected.front().reason},
                          {"rejected", rejections_to_json(r.rejected)}});
        }
        reply(res, 200,
              {{"applied", r.applied}, {"known", r.already_known}, {"marks", vector_to_json(r.marks)}});
        // Test hook: the response of a committed batch is lost on the way back.
        if (dropped_ < test_hook("ACCUEIL_SYNC_TEST_DROP_RESPONSES") && !events.empty()) {
            ++dropped_;
            res.abort_mid_response = true; // the headers go out, the connection breaks before the body
        }
    }

    void pull(const json& body, const Device& device, http::Response& res) {
        const Origin origin = device_origin(body, device);
        const auto theirs = vector_from_json(body.value("vector", json::object()));
        const std::size_t limit = std::clamp<std::int64_t>(
            integer_field(body, "limit", std::int64_t(kMaxBatchEvents)), 1, std::int64_t(kMaxBatchEvents));
        // Attention notes never leave for a kiosk (shared/attendee_notes.hpp); `covered` lets its marks
        // pass over them.
        const auto batch = central_.events_for_peer(theirs, limit, device.role, origin);
        // A kiosk pulls every second and several times in a row while catching up: its contact is
        // written (a commit, an fsync, all pulls waiting) only when its pending count changed or the
        // last one is a second old.
        const std::int64_t pending = integer_field(body, "pending", 0);
        if (pending != device.pending || !device.last_contact_ms ||
            central_.wall_ms() - *device.last_contact_ms >= 1000)
            touch(device.name, pending);
        reply(res, 200,
              {{"events", events_to_json(batch.events)},
               {"more", batch.more},
               {"covered", vector_to_json(batch.covered)},
               {"vector", vector_to_json(central_.vector())},
               {"server", to_hex(central_.origin())},
               // Who writes under each origin, so the kiosk's own door checks what it receives.
               {"peers", peers_to_json(central_.peers())},
               // The latest stamp this server trusts: kiosks with a late clock adopt up to it.
               {"clock", HlcStamp::pack(central_.wall_ms() + Hlc::kMaxDriftMs, 0)}});
    }

    // The device's last contact and what it says it still has to send, in a transaction of its own.
    void touch(const std::string& name, std::int64_t pending) {
        auto& devices = central_.devices();
        devices.write([&] {
            devices.touch(name, pending);
            return true;
        });
    }

    // One request at a time per server: SQLite serialises writes anyway, a PostgreSQL store has one
    // connection per server (several servers share it through its locks), and merges must not interleave.
    std::mutex mutex_;
    CentralBackend& central_;
    std::function<void()> changed_;
    std::function<void()> joined_;
    std::int64_t dropped_ = 0;
};

// "{pid}: {command}" of the program that holds an address, or what can be said of it.
std::string holder_words(const http::PortHolder& h) {
    if (h.pid > 0)
        return i18n::tr("serve.holder.process", {{"pid", std::to_string(h.pid)}, {"command", h.command}});
    if (h.uid != ::geteuid()) {
        std::string user = std::to_string(h.uid);
        if (const passwd* pw = ::getpwuid(h.uid); pw && pw->pw_name)
            user = pw->pw_name;
        return i18n::tr("serve.holder.other_user", {{"user", user}});
    }
    return i18n::tr("serve.holder.unknown");
}

// Why the server cannot have its address, in the person's words.
InputError address_refused(const http::ListenError& e) {
    const std::string address = e.host + ":" + std::to_string(e.port);
    using Why = http::ListenError::Why;
    switch (e.why) {
    case Why::BadHost:
        return InputError("", i18n::tr("serve.bad_host", {{"host", e.host}}));
    case Why::InUse:
        if (e.holder && e.holder->pid > 0 &&
            e.holder->command.find("accueil-sync serve") != std::string::npos)
            return InputError("", i18n::tr("serve.already_serving", {{"address", address},
                                                                     {"pid", std::to_string(e.holder->pid)},
                                                                     {"command", e.holder->command}}));
        return InputError(
            "", i18n::tr("serve.in_use", {{"address", address},
                                          {"holder", e.holder ? holder_words(*e.holder)
                                                              : i18n::tr("serve.holder.unknown")}}));
    case Why::NotHere:
        return InputError("", i18n::tr("serve.not_here", {{"host", e.host}}));
    case Why::NotAllowed:
        return InputError("", i18n::tr("serve.not_allowed", {{"address", address}}));
    case Why::Other:
        break;
    }
    return InputError("", i18n::tr("serve.cannot_listen", {{"address", address}, {"detail", e.detail}}));
}

// The address is taken first, before the database is opened: a second server on it stops there,
// having changed nothing.
http::Listener take_address(const std::string& host, int port) {
    try {
        return http::Listener(host, port);
    } catch (const http::ListenError& e) {
        throw address_refused(e);
    }
}

} // namespace

int serve(const ServeOptions& o) {
    const auto colon = o.listen.rfind(':');
    int port = 0;
    if (colon != std::string::npos) {
        const std::string digits = o.listen.substr(colon + 1);
        if (!digits.empty() && digits.size() <= 5 &&
            digits.find_first_not_of("0123456789") == std::string::npos)
            port = std::stoi(digits);
    }
    if (colon == std::string::npos || colon == 0 || port <= 0 || port > 65535)
        throw InputError("", i18n::tr("serve.bad_listen", {{"listen", o.listen}}));
    const std::string host = o.listen.substr(0, colon);
    http::Listener listener = take_address(host, port);
    const bool on_postgres = !o.store.empty();
    if (!on_postgres && !std::filesystem::exists(o.db))
        throw InputError("", i18n::tr("central.no_database", {{"path", o.db}}));
    // Seen by `accueil-sync restore`, which refuses while it is held. Declared before every connection
    // to the database, so it is released after all of them (sync/app/backup.hpp says why).
    const auto hold = on_postgres ? std::nullopt : backup::DbHold::take(o.db, backup::DbHold::Kind::Shared);

    auto central = on_postgres ? postgres_central(o.store) : sqlite_central(o.db, o.max_db_pages);
    // SQLite's checkpoints off the push path; PostgreSQL does its own.
    std::optional<WalCheckpointer> checkpointer;
    if (!on_postgres)
        checkpointer.emplace(o.db);

    std::string fingerprint;
    std::string cert_where;
    std::optional<http::TlsPem> pem;
    if (!o.insecure) {
        const auto cert = central->certificate();
        cert_where = cert.where;
        fingerprint = certificate_fingerprint_of_pem(cert.cert);
        pem = http::TlsPem{cert.cert, cert.key};
    }

    const std::string scheme = o.insecure ? "http" : "https";
    const std::string public_url =
        !o.public_url.empty()
            ? o.public_url
            : scheme + "://" + (host == "0.0.0.0" ? lan_address() : host) + ":" + std::to_string(port);
    central->announce(public_url, fingerprint);

    // SIGINT/SIGTERM stop the server cleanly: blocked before any thread starts (every thread
    // inherits the mask), awaited below by this one.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    // On PostgreSQL, backups are the organisation's own (pg_dump, replicas).
    std::optional<backup::Scheduler> backups;
    if (!on_postgres)
        backups.emplace(o.db, backup::Policy{o.backup_dir, o.backup_every_s, o.backup_keep}, sync_wall_ms);
    {
        // The organisers' page has its own connections: its reads never hold the merges' lock.
        web::HubTiming timing;
        if (const auto ping = test_hook("ACCUEIL_SYNC_TEST_PING_MS"); ping > 0)
            timing.ping_ms = ping; // tests see pings keep a stream open past the idle timeout
        // On PostgreSQL the page reads a private copy of the store, refreshed by the hub's thread.
        std::optional<PageReplica> replica;
        if (on_postgres)
            replica.emplace(o.store);
        const std::string page_db = replica ? replica->file() : o.db;
        std::optional<web::FiguresHub> hub;
        std::optional<web::WebService> web_service;
        hub.emplace(page_db, sync_wall_ms, timing,
                    replica ? std::function<void()>([&replica] { replica->refresh(); }) : nullptr);
        std::unique_ptr<web::AccessTable> access;
        if (on_postgres)
            access = web::postgres_access(o.store);
        else
            access = std::make_unique<web::SqliteAccess>(Store::open(o.db, sync_wall_ms));
        web_service.emplace(page_db, std::move(access), sync_wall_ms, *hub);
        // Declared after the services: stopped (handlers under way finished) before they go.
        Service service(
            *central,
            [&hub] {
                if (hub)
                    hub->notify();
            },
            [&backups] {
                if (backups)
                    backups->soon();
            });
        http::Limits limits;
        limits.max_body_bytes = kMaxRequestBytes;
        http::Server svr(limits);
        service.install(svr);
        if (web_service)
            web_service->install(svr);
        try {
            svr.listen(std::move(listener), pem ? &*pem : nullptr);
        } catch (const http::ListenError& e) {
            throw address_refused(e); // another server started listening meanwhile
        } catch (const StoreError& e) {
            if (cert_where.empty())
                throw;
            throw StoreError(i18n::tr("serve.tls.damaged", {{"path", cert_where}, {"detail", e.what()}}));
        }
        const std::string backup_words =
            !backups ? "backups by PostgreSQL's own tools"
            : backups->enabled()
                ? "backups every " + std::to_string(o.backup_every_s) + " s into " + backups->dir() +
                      " (newest " + std::to_string(o.backup_keep) + " kept, plus each day's last)"
                : "no backups (--backup-every 0)";
        spdlog::info("server started on {} (address for kiosks {}{}), {} {}, {}", o.listen, public_url,
                     fingerprint.empty() ? ", plain HTTP" : ", certificate " + fingerprint,
                     on_postgres ? "store" : "database", central->where(), backup_words);
        // The person at the terminal reads this, in their language (the line above is the log's).
        std::cout << "accueil-sync: "
                  << i18n::tr("serve.started", {{"db", central->where()}, {"url", public_url}}) << "\n"
                  << (fingerprint.empty() ? i18n::tr("serve.plain_http")
                                          : i18n::tr("serve.fingerprint", {{"fingerprint", fingerprint}}))
                  << "\n"
                  << std::flush;
        int sig = 0;
        sigwait(&signals, &sig);
        spdlog::info("stopping on {}: finishing the requests under way",
                     sig == SIGTERM ? "SIGTERM" : "SIGINT");
    }
    // Every request has had its answer: this backup holds everything acknowledged.
    if (backups)
        backups->finish();
    spdlog::info("server stopped");
    std::cout << "accueil-sync: " << i18n::tr("serve.stopped") << "\n";
    return 0;
}

} // namespace accueil::sync
