#include "agent.hpp"

#include "client.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "made_file.hpp"
#include "report/report_tables.hpp"
#include "server.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/join_exit.hpp"
#include "sync/link_state.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"

#include <spdlog/spdlog.h>

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
    throw InputError("", i18n::tr("agent.not_joined", {{"path", kiosk.path()}}));
}

void sleep_ms(std::int64_t ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!g_stop && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min<std::int64_t>(ms, 50)));
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
            r.away = reply.away();
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
            r.error = i18n::tr("agent.error.unreadable", {{"detail", e.what()}});
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
        // What the server holds of other origins need never be sent. Our own origin is acknowledged
        // only by pushes, where the server compares contents: a cloned database must not take its
        // twin's acknowledgements for its own.
        VersionVector others = server_vector;
        others.erase(kiosk.origin());
        // Raised in the merge's own transaction (one commit, one fsync per batch instead of two), and
        // only when the batch is accepted.
        const auto delay = test_hook("ACCUEIL_SYNC_TEST_APPLY_DELAY_MS");
        opt.before_commit = [&kiosk, &others, delay, some = !events.empty()] {
            raise_acked(kiosk.db(), others);
            if (delay > 0 && some)
                std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        };
        const auto m = merge_events(kiosk, events, opt);
        if (!m.ok()) {
            r.error = i18n::tr("agent.error.pull_refused", {{"detail", m.rejected.front().reason}});
            return false;
        }
        r.pulled += std::int64_t(m.applied);
        const auto own = server_vector.find(kiosk.origin());
        if (own != server_vector.end() && own->second > local_vector(kiosk)[kiosk.origin()])
            spdlog::warn("{}", i18n::tr("agent.server_ahead"));
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
                r.error = i18n::tr("agent.error.unreadable", {{"detail", e.what()}});
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
            spdlog::warn("{}", i18n::tr("agent.push_refused", {{"count", std::to_string(rejected.size())},
                                                               {"detail", rejected.front().reason}}));
            continue;
        }
        r.error = reply.error;
        r.away = reply.away();
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
    record_link_state(kiosk, r.reached, r.pending, r.error);
    return r;
}

namespace {
// Started at boot beside a kiosk that is not set up yet (`agent --wait`, what a service unit uses):
// waits for its database and its enrolment (scanned on the kiosk, or `accueil-sync join`) instead of
// failing. Nothing when stopped first.
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
            spdlog::info("{}", i18n::tr("agent.waiting", {{"path", db}}));
        told = true;
        sleep_ms(1000);
    }
    return std::nullopt;
}

// While the server is away: GET /v1/hello on a short leash, at most once a second (1 to 1.2 s apart, so
// ten kiosks do not come back in step), until something answers. Meanwhile the count of arrivals to
// send, which the kiosk shows, follows its new check-ins (PRAGMA data_version moves when the kiosk
// commits). True when answered (the caller runs a round at once), false when the agent is stopped.
bool probe_until_answered(Store& kiosk, const std::string& error, std::mt19937& rng) {
    const Link link = enrolled_link(kiosk);
    Client probe(link.url, link.fingerprint, "");
    probe.set_timeouts(1, 2);
    std::uniform_int_distribution<int> jitter(0, 200);
    PendingWatch pending(kiosk, error);
    while (!g_stop) {
        const auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000 + jitter(rng));
        for (auto now = std::chrono::steady_clock::now(); !g_stop && now < next;
             now = std::chrono::steady_clock::now()) {
            sleep_ms(std::min<std::int64_t>(
                200, std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1));
            pending.look();
        }
        if (g_stop)
            break;
        const Reply reply = probe.hello();
        if (!reply.away())
            return true;
    }
    return false;
}

// Without --wait the agent was started by a person: a mistyped path or a kiosk that has not joined
// is said at once, instead of waiting for an enrolment that will never come (issue 12).
Store open_joined(const std::string& db) {
    if (!std::filesystem::exists(db))
        throw InputError("", i18n::tr("agent.no_database", {{"path", db}}));
    Store kiosk = Store::open(db, sync_wall_ms);
    enrolled_link(kiosk);
    return kiosk;
}
} // namespace

int run_agent(const AgentOptions& o) {
    std::optional<Store> opened;
    if (o.wait) {
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        opened = wait_for_enrolment(o.db);
        if (!opened)
            return 0;
    } else {
        opened = open_joined(o.db);
    }
    Store& kiosk = *opened;
    if (o.once) {
        std::signal(SIGINT, SIG_DFL); // one round: a signal stops it as any command
        std::signal(SIGTERM, SIG_DFL);
        const auto r = sync_round(kiosk);
        std::cout << "accueil-sync: "
                  << i18n::tr(r.refused ? "agent.once_refused" : "agent.once",
                              {{"sent", std::to_string(r.pushed)},
                               {"received", std::to_string(r.pulled)},
                               {"pending", std::to_string(r.pending)},
                               {"refused", std::to_string(r.refused)}})
                  << "\n";
        if (!r.error.empty())
            std::cerr << "accueil-sync: " << r.error << "\n";
        return r.complete && r.refused == 0 ? 0 : 1;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::mt19937 rng{std::random_device{}()};
    double backoff = 1.0;
    spdlog::info("agent started for {} (device \"{}\"), server {}", o.db, kiosk.kiosk_name(),
                 enrolled_link(kiosk).url);
    // One line when something changes, never one per retry: the first contact, each new reason for
    // failing, and the recovery.
    bool contacted = false;
    std::int64_t failures = 0;
    std::string last_error;
    // The last round came right after a probe was answered: if it finds the server away again, the
    // probe cannot be trusted (something answers /v1/hello but not the round) and backoff applies.
    bool after_probe = false;
    while (!g_stop) {
        RoundResult r;
        try {
            r = sync_round(kiosk);
        } catch (const SQLite::Exception& e) {
            r.error = i18n::tr("agent.error.database", {{"detail", e.what()}});
        } catch (const StoreError& e) {
            r.error = e.what();
        }
        if (r.reached) {
            if (!contacted)
                spdlog::info("{} (first contact: {} sent, {} received, {} still to send)",
                             i18n::tr("agent.online"), r.pushed, r.pulled, r.pending);
            else if (failures > 0)
                spdlog::info("{} (again, after {} failed attempt(s))", i18n::tr("agent.online"), failures);
            contacted = true;
            failures = 0;
            last_error.clear();
        } else {
            ++failures;
            if (r.error != last_error)
                spdlog::warn("{}", i18n::tr("agent.offline", {{"reason", r.error}}));
            last_error = r.error;
        }
        if (!r.reached && r.away && !after_probe) {
            // No answer at all: nothing to protect on the server's side, and the check-ins recorded
            // meanwhile should arrive as soon as the network is back, not after a backoff grown to a
            // minute (issue 14). The round runs again once a probe is answered.
            after_probe = probe_until_answered(kiosk, r.error, rng);
            continue;
        }
        after_probe = false;
        if (!r.reached) {
            // Jittered exponential backoff where the server answered (refused, busy, another
            // certificate...), so ten kiosks do not hammer a server that is struggling.
            std::uniform_real_distribution<double> jitter(0.5, 1.0);
            sleep_ms(std::int64_t(backoff * jitter(rng) * 1000));
            backoff = std::min(o.max_backoff_s, backoff * 2);
            continue;
        }
        backoff = 1.0;
        // Online: wake within ~200 ms of a local commit (PRAGMA data_version changes when another
        // connection writes), and pull at least once a second for other kiosks' arrivals.
        const std::int64_t seen = data_version(kiosk);
        for (int i = 0; i < 5 && !g_stop && data_version(kiosk) == seen; ++i)
            sleep_ms(200);
    }
    return 0;
}

namespace {

int say_failure(JoinExit code, const std::string& message) {
    std::cerr << "accueil-sync: " << message << "\n";
    return static_cast<int>(code);
}

// A refused or unanswered request of the join, as the exit code and sentence the kiosk and the person
// at the terminal get (shared/sync/join_exit.hpp).
int join_failure(const Reply& reply, const std::string& server, const std::string& db) {
    const i18n::Args where{{"server", server}, {"path", db}, {"detail", reply.detail}};
    if (reply.status == 0)
        return reply.certificate
                   ? say_failure(JoinExit::WrongCertificate, i18n::tr("joining.wrong_certificate", where))
                   : say_failure(JoinExit::ServerUnreachable, i18n::tr("joining.unreachable", where));
    if (reply.retry_later())
        return say_failure(JoinExit::ServerUnreachable, i18n::tr("joining.server_busy", where));
    if (reply.status == 426)
        return say_failure(JoinExit::BadInput, i18n::tr("joining.other_version", where));
    switch (join_refusal_from_string(reply.reason).value_or(JoinRefusal::None)) {
    case JoinRefusal::UnknownCode:
        return say_failure(JoinExit::CodeRefused, i18n::tr("joining.code_unknown", where));
    case JoinRefusal::ExpiredCode:
        return say_failure(JoinExit::CodeRefused, i18n::tr("joining.code_expired", where));
    case JoinRefusal::CentralItself:
        return say_failure(JoinExit::BadInput, i18n::tr("joining.central_itself", where));
    case JoinRefusal::OriginTaken:
        return say_failure(JoinExit::BadInput,
                           i18n::tr("joining.origin_taken",
                                    {{"server", server}, {"name", text_field(reply.body, "name", "")}}));
    case JoinRefusal::None:
    case JoinRefusal::ReplacesUnknown:
        break;
    }
    // An older server's refusal of the secret has no reason word.
    return say_failure(reply.status == 403 ? JoinExit::CodeRefused : JoinExit::BadInput,
                       i18n::tr("joining.refused", where));
}

std::string count_text(Store& store, const char* sql) {
    const std::int64_t n = store.db().execAndGet(sql).getInt64();
    return report::format_count(n,
                                i18n::process_lang() == i18n::Lang::Fr ? report::Lang::Fr : report::Lang::En);
}

} // namespace

int join_server(const std::string& text, const std::string& db, bool replace) {
    const auto code = parse_enrolment_code(text);
    if (!code) {
        std::string trimmed = text;
        trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
        return trimmed.starts_with("accueil1:")
                   ? say_failure(JoinExit::DamagedCode, i18n::tr("joining.damaged_code"))
                   : say_failure(JoinExit::NotACode, i18n::tr("joining.not_a_code"));
    }
    const std::string server = code->url();
    std::optional<MadeFile> made;
    std::optional<Store> opened;
    try {
        if (std::filesystem::exists(db)) {
            opened = Store::open(db, sync_wall_ms);
        } else {
            made.emplace(db);
            try {
                opened = create_joining_store(db, sync_wall_ms);
            } catch (const FileExists&) {
                made->keep(); // made by someone else meanwhile: not ours to remove
                throw;
            }
        }
    } catch (const StoreError& e) {
        return say_failure(JoinExit::StoreProblem,
                           i18n::tr("joining.store_problem", {{"path", db}, {"detail", e.what()}}));
    } catch (const SQLite::Exception& e) {
        return say_failure(JoinExit::StoreProblem,
                           i18n::tr("joining.store_problem", {{"path", db}, {"detail", e.what()}}));
    }
    Store& kiosk = *opened;

    const auto old = stored_link(kiosk);
    const std::string code_hash = secret_hash(code->token);
    if (old) {
        const i18n::Args where{{"server", old->url}, {"name", kiosk.kiosk_name()}};
        if (kiosk.meta("sync.enrol_code").value_or("") == code_hash) {
            // The same code again (a second scan, a script run twice): already done.
            std::cout << "accueil-sync: " << i18n::tr("joining.already_same_code", where) << "\n";
            return static_cast<int>(JoinExit::Joined);
        }
        if (!replace)
            return say_failure(JoinExit::AlreadyJoined, i18n::tr("joining.already_joined", where));
    }

    // The device key: the saved one, or one made now and saved only with the enrolment.
    const auto saved_key = stored_device_key(kiosk);
    const SigningKey device_key = saved_key ? *saved_key : SigningKey::generate();
    json request{{"protocol", kProtocolVersion},
                 {"secret", code->token},
                 {"origin", to_hex(kiosk.origin())},
                 {"device_key", to_hex(device_key.public_key())}};
    if (old)
        request["replaces"] = old->token; // revoked by the server with this join, when it is its own
    Client client(server, code->fingerprint, "");
    auto reply = client.post("/v1/join", request);
    std::string left;
    if (old && reply.status == 409 && reply.reason == to_string(JoinRefusal::ReplacesUnknown)) {
        // The old device belongs to another central store: it is told first (by the old device's own
        // token), and the code is used only once it no longer lists this kiosk as active.
        Client previous(old->url, old->fingerprint, old->token);
        const auto gone =
            previous.post("/v1/leave", {{"protocol", kProtocolVersion}, {"origin", to_hex(kiosk.origin())}});
        // 401: that server does not know the token (its database was made again); 403: revoked already.
        if (!gone.ok() && gone.status != 401 && gone.status != 403) {
            const JoinExit why = gone.status == 0     ? (gone.certificate ? JoinExit::WrongCertificate
                                                                          : JoinExit::ServerUnreachable)
                                 : gone.retry_later() ? JoinExit::ServerUnreachable
                                                      : JoinExit::BadInput;
            return say_failure(
                why, i18n::tr("joining.leave_failed",
                              {{"server", old->url}, {"name", kiosk.kiosk_name()}, {"detail", gone.error}}));
        }
        left = old->url;
        request.erase("replaces");
        reply = client.post("/v1/join", request);
    }
    if (!reply.ok())
        return join_failure(reply, server, db);

    const std::string token = text_field(reply.body, "token");
    const std::string name = text_field(reply.body, "name");
    const std::string server_origin = text_field(reply.body, "server");
    const std::string server_key = text_field(reply.body, "server_key");
    const std::string role = text_field(reply.body, "role", "kiosk");
    if (token.size() != 64 || !origin_from_hex(server_origin) || !public_key_from_hex(server_key))
        return say_failure(JoinExit::BadInput, i18n::tr("joining.unreadable_answer", {{"server", server}}));
    const std::string old_name = kiosk.kiosk_name();
    {
        WriteTransaction tx(kiosk.db());
        if (!saved_key)
            save_device_key(kiosk, device_key);
        // Another central store: what the previous one acknowledged means nothing to it.
        if (kiosk.meta("sync.server_origin").value_or("") != server_origin)
            reset_acked(kiosk.db());
        // Pinned now: the central's origin is the only one that may define the event and its keys,
        // and its key signs the bundles it hands out.
        kiosk.set_meta("sync.server_origin", server_origin);
        kiosk.set_meta("sync.server_key", server_key);
        kiosk.set_meta("sync.role", role);
        kiosk.set_meta("sync.server", server);
        kiosk.set_meta("sync.fingerprint", code->fingerprint);
        kiosk.set_meta("sync.token", token);
        // Only its hash: the same code shown again is recognised, and answered "already done".
        kiosk.set_meta("sync.enrol_code", code_hash);
        if (!name.empty())
            kiosk.set_meta("kiosk_name", name);
        tx.commit();
    }
    if (made)
        made->keep();
    if (old) {
        const std::string replaced = text_field(reply.body, "replaced", "");
        std::cout << "accueil-sync: "
                  << i18n::tr("joining.replaced", {{"name", replaced.empty() ? old_name : replaced},
                                                   {"server", left.empty() ? old->url : left}})
                  << "\n";
    }
    const auto r = sync_round(kiosk);
    const i18n::Args joined{{"server", server},
                            {"name", name},
                            {"role", i18n::tr(role == "desk" ? "enrol.role_desk" : "enrol.role_kiosk")},
                            {"event", kiosk.event().name},
                            {"people", count_text(kiosk, "SELECT count(*) FROM attendees")},
                            {"arrivals", count_text(kiosk, "SELECT count(*) FROM checkin_days")},
                            {"path", db},
                            {"detail", r.error}};
    if (!r.reached)
        return say_failure(JoinExit::JoinedNotSynced, i18n::tr("joining.joined_not_synced", joined));
    std::cout << "accueil-sync: " << i18n::tr("joining.joined", joined) << "\n";
    return static_cast<int>(JoinExit::Joined);
}

} // namespace accueil::sync
