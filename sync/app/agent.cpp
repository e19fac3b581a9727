#include "agent.hpp"

#include "client.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "server.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <thread>

namespace accueil::sync {

using json = nlohmann::json;

namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) {
    g_stop = true;
}

struct Link {
    std::string url, fingerprint, token;
};

// Nothing until the kiosk has joined a server.
std::optional<Link> stored_link(Store& kiosk) {
    Link l{kiosk.meta("sync.server").value_or(""), kiosk.meta("sync.fingerprint").value_or(""),
           kiosk.meta("sync.token").value_or("")};
    if (l.url.empty() || l.token.empty())
        return std::nullopt;
    return l;
}

Link enrolled_link(Store& kiosk) {
    if (auto l = stored_link(kiosk))
        return *l;
    throw InputError(kiosk.path(), "this kiosk has not joined a server (accueil-sync join CODE --db ...)");
}

void sleep_ms(std::int64_t ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!g_stop && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min<std::int64_t>(ms, 50)));
}

// Writes the kiosk-visible state, only when it changed (or the last contact is a few seconds old),
// so an idle agent does not fsync the kiosk's disk every second.
void record_state(Store& kiosk, bool online, std::int64_t pending, const std::string& error) {
    const std::string on = online ? "1" : "0";
    const std::int64_t now = sync_wall_ms();
    const bool stale_contact =
        online && now - std::stoll(kiosk.meta("sync.last_contact").value_or("0")) >= 5000;
    if (kiosk.meta("sync.online") == on && kiosk.meta("sync.pending") == std::to_string(pending) &&
        kiosk.meta("sync.error").value_or("") == error && !stale_contact)
        return;
    WriteTransaction tx(kiosk.db());
    kiosk.set_meta("sync.online", on);
    kiosk.set_meta("sync.pending", std::to_string(pending));
    kiosk.set_meta("sync.error", error);
    if (online)
        kiosk.set_meta("sync.last_contact", std::to_string(now));
    tx.commit();
}

// Pulls until the server has nothing more for us. Returns false when the round must stop.
bool pull_all(Store& kiosk, Client& client, RoundResult& r) {
    for (;;) {
        const auto reply = client.post("/v1/pull", {{"protocol", kProtocolVersion},
                                                    {"origin", to_hex(kiosk.origin())},
                                                    {"pending", count_unacked(kiosk)},
                                                    {"vector", vector_to_json(local_vector(kiosk))},
                                                    {"limit", kMaxBatchEvents}});
        if (!reply.ok()) {
            r.error = reply.error;
            return false;
        }
        std::vector<JournalEvent> events;
        VersionVector server_vector;
        std::map<Origin, Peer> peers;
        VersionVector covered;
        try {
            if (reply.body.contains("covered")) // what the server withheld from us (notes, for a kiosk)
                covered = vector_from_json(reply.body.at("covered"));
            events = events_from_json(reply.body.at("events"));
            server_vector = vector_from_json(reply.body.at("vector"));
            peers = peers_from_json(reply.body.at("peers"));
        } catch (const std::exception& e) {
            r.error = std::string("unreadable answer from the server: ") + e.what();
            return false;
        }
        // A different server database (restored or replaced): what it acknowledged before means nothing.
        const std::string server = text_field(reply.body, "server");
        // The server says who writes under each origin; our own door checks its events with it.
        peers.erase(kiosk.origin());
        if (const auto central = origin_from_hex(server))
            peers.erase(*central);
        const bool new_server = kiosk.meta("sync.server_origin").value_or("") != server;
        if (new_server || !peers_unchanged(kiosk.db(), peers)) { // an idle agent writes nothing
            WriteTransaction tx(kiosk.db());
            if (new_server) {
                reset_acked(kiosk.db());
                kiosk.set_meta("sync.server_origin", server);
            }
            replace_peers(kiosk.db(), peers);
            tx.commit();
        }
        // The kiosk's clock may be wrong (a day behind): the guard belongs to the central server.
        MergeOptions opt;
        opt.channel = Channel::Pull;
        opt.guard_clock = false;
        opt.source = "server";
        opt.covered = std::move(covered);
        opt.trusted_until = std::uint64_t(std::max<std::int64_t>(0, integer_field(reply.body, "clock", 0)));
        const auto delay = test_hook("ACCUEIL_SYNC_TEST_APPLY_DELAY_MS");
        if (delay > 0 && !events.empty())
            opt.before_commit = [delay] { std::this_thread::sleep_for(std::chrono::milliseconds(delay)); };
        const auto m = merge_events(kiosk, events, opt);
        if (!m.ok()) {
            r.error = "events from the server refused here: " + m.rejected.front().reason;
            return false;
        }
        r.pulled += std::int64_t(m.applied);
        // What the server holds of other origins need never be sent. Our own origin is acknowledged
        // only by pushes, where the server compares contents: a cloned database must not take its
        // twin's acknowledgements for its own.
        const auto own = server_vector.find(kiosk.origin());
        if (own != server_vector.end()) {
            if (own->second > local_vector(kiosk)[kiosk.origin()])
                std::cerr << "accueil-sync: the server holds more events of this database than it has "
                             "(a restored backup or a copy?); its new events will be refused as conflicts\n";
            server_vector.erase(own);
        }
        {
            WriteTransaction tx(kiosk.db());
            raise_acked(kiosk.db(), server_vector);
            tx.commit();
        }
        if (!(reply.body.contains("more") && reply.body["more"] == true))
            return true;
    }
}

bool push_all(Store& kiosk, Client& client, RoundResult& r) {
    std::size_t batch = kMaxBatchEvents;
    for (;;) {
        const auto events = unacked_events(kiosk, batch);
        if (events.empty())
            return true;
        const auto reply = client.post("/v1/push", {{"protocol", kProtocolVersion},
                                                    {"origin", to_hex(kiosk.origin())},
                                                    {"pending", count_unacked(kiosk)},
                                                    {"events", events_to_json(events)}});
        if (reply.ok()) {
            VersionVector acked;
            try {
                acked = vector_from_json(reply.body.at("marks"));
            } catch (const std::exception& e) {
                r.error = std::string("unreadable answer from the server: ") + e.what();
                return false;
            }
            // Committed there: every event of this batch is known, even beyond a gap.
            for (const auto& e : events)
                acked[e.origin] = std::max(acked[e.origin], e.seq);
            WriteTransaction tx(kiosk.db());
            raise_acked(kiosk.db(), acked);
            tx.commit();
            r.pushed += std::int64_t(events.size());
            continue;
        }
        if (reply.status == 413 && batch > 1) {
            batch = std::max<std::size_t>(1, batch / 4);
            continue;
        }
        if (reply.status == 409 || reply.status == 413 || reply.status == 400 || reply.status == 422) {
            // Permanent refusal: into the dead-letter table for organisers, then go on with the rest.
            auto rejected = rejections_from_json(reply.body.value("rejected", json::array()));
            if (rejected.empty())
                for (const auto& e : events)
                    rejected.push_back({e.origin, e.seq, reply.error});
            WriteTransaction tx(kiosk.db());
            add_dead_letters(kiosk.db(), rejected, sync_wall_ms());
            tx.commit();
            r.refused += std::int64_t(rejected.size());
            std::cerr << "accueil-sync: " << rejected.size()
                      << " event(s) refused by the server: " << rejected.front().reason << "\n";
            continue;
        }
        r.error = reply.error;
        return false;
    }
}

} // namespace

RoundResult sync_round(Store& kiosk) {
    RoundResult r;
    const Link link = enrolled_link(kiosk);
    Client client(link.url, link.fingerprint, link.token);
    r.reached = pull_all(kiosk, client, r) && push_all(kiosk, client, r);
    r.pending = count_unacked(kiosk);
    r.complete = r.reached && r.pending == 0;
    record_state(kiosk, r.reached, r.pending, r.error);
    return r;
}

namespace {
// Started at boot beside a kiosk that is not set up yet: waits for its database and its enrolment
// (scanned on the kiosk, or `accueil-sync join`) instead of failing. Nothing when stopped first.
std::optional<Store> wait_for_enrolment(const std::string& db) {
    bool told = false;
    while (!g_stop) {
        try {
            if (std::filesystem::exists(db)) {
                Store kiosk = Store::open(db, sync_wall_ms);
                if (stored_link(kiosk))
                    return kiosk;
            }
        } catch (const std::exception&) {
            // Being created by the kiosk right now, or busy: look again in a second.
        }
        if (!told)
            std::cerr
                << "accueil-sync: " << db
                << " has not joined a server yet; waiting (scan the enrolment code on the kiosk, or run "
                   "accueil-sync join CODE --db ...)\n";
        told = true;
        sleep_ms(1000);
    }
    return std::nullopt;
}
} // namespace

int run_agent(const AgentOptions& o) {
    if (o.once) {
        Store kiosk = Store::open(o.db, sync_wall_ms);
        enrolled_link(kiosk); // refuse when not joined
        const auto r = sync_round(kiosk);
        std::cout << "accueil-sync: " << r.pushed << " sent, " << r.pulled << " received, " << r.pending
                  << " still to send" << (r.refused ? ", " + std::to_string(r.refused) + " refused" : "")
                  << "\n";
        if (!r.error.empty())
            std::cerr << "accueil-sync: " << r.error << "\n";
        return r.complete && r.refused == 0 ? 0 : 1;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    auto waited = wait_for_enrolment(o.db);
    if (!waited)
        return 0;
    Store& kiosk = *waited;
    std::mt19937 rng{std::random_device{}()};
    double backoff = 1.0;
    bool was_online = false;
    while (!g_stop) {
        RoundResult r;
        try {
            r = sync_round(kiosk);
        } catch (const SQLite::Exception& e) {
            r.error = std::string("kiosk database busy or failing: ") + e.what();
        } catch (const StoreError& e) {
            r.error = e.what();
        }
        if (r.reached != was_online || r.refused)
            std::cerr << "accueil-sync: " << (r.reached ? "online" : "offline: " + r.error) << "\n";
        was_online = r.reached;
        if (!r.reached) {
            // Jittered exponential backoff, so ten kiosks do not hammer a server that just came back.
            std::uniform_real_distribution<double> jitter(0.5, 1.0);
            sleep_ms(std::int64_t(backoff * jitter(rng) * 1000));
            backoff = std::min(o.max_backoff_s, backoff * 2);
            continue;
        }
        backoff = 1.0;
        // Online: wake within ~200 ms of a local commit (PRAGMA data_version changes when another
        // connection writes), and pull at least once a second for other kiosks' arrivals.
        const auto version = [&] { return kiosk.db().execAndGet("PRAGMA data_version").getInt64(); };
        const std::int64_t seen = version();
        for (int i = 0; i < 5 && !g_stop && version() == seen; ++i)
            sleep_ms(200);
    }
    return 0;
}

int join_server(const std::string& text, const std::string& db) {
    const auto code = parse_enrolment_code(text);
    if (!code)
        throw InputError("", "this is not an accueil enrolment code (it starts with accueil1:)");
    const bool fresh = !std::filesystem::exists(db);
    Store kiosk = fresh ? create_joining_store(db, sync_wall_ms) : Store::open(db, sync_wall_ms);
    const SigningKey device_key = device_key_of(kiosk);
    Client client(code->url(), code->fingerprint, "");
    const auto reply = client.post("/v1/join", {{"protocol", kProtocolVersion},
                                                {"secret", code->token},
                                                {"origin", to_hex(kiosk.origin())},
                                                {"device_key", to_hex(device_key.public_key())}});
    if (!reply.ok()) {
        // A fresh file stays: joining again with a new code reuses it.
        throw InputError("", "cannot join " + code->url() + ": " + reply.error);
    }
    const std::string token = text_field(reply.body, "token");
    const std::string name = text_field(reply.body, "name");
    const std::string server = text_field(reply.body, "server");
    const std::string server_key = text_field(reply.body, "server_key");
    if (token.size() != 64 || !origin_from_hex(server) || !public_key_from_hex(server_key))
        throw InputError("",
                         "the server's answer has no device token, origin or key (another accueil version?)");
    {
        WriteTransaction tx(kiosk.db());
        // Pinned now: the central's origin is the only one that may define the event and its keys,
        // and its key signs the bundles it hands out.
        kiosk.set_meta("sync.server_origin", server);
        kiosk.set_meta("sync.server_key", server_key);
        kiosk.set_meta("sync.role", text_field(reply.body, "role", "kiosk"));
        kiosk.set_meta("sync.server", code->url());
        kiosk.set_meta("sync.fingerprint", code->fingerprint);
        kiosk.set_meta("sync.token", token);
        if (!name.empty())
            kiosk.set_meta("kiosk_name", name);
        tx.commit();
    }
    const auto r = sync_round(kiosk);
    std::cout << "accueil-sync: joined " << code->url() << " as \"" << name << "\"; " << r.pulled
              << " events received" << (r.reached ? "" : " (" + r.error + ")") << "\n";
    return r.reached ? 0 : 1;
}

} // namespace accueil::sync
