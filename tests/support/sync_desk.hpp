#pragma once
// The central store, its `accueil-sync serve` and kiosks joined to it by the real programs on
// 127.0.0.1 (a random free port), for the sync tests (test_sync_integration, test_sync_enrolment):
// running accueil-sync, speaking to the server as a bad kiosk would, reading what each store holds.
#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "child_process.hpp"
#include "database.hpp"
#include "db_text.hpp"
#include "demo_event.hpp"
#include "pg_connection.hpp"
#include "postgres.hpp"
#include "store.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace accueil::test {

inline const std::string kSync = std::string(ACCUEIL_BIN_DIR) + "/accueil-sync";

struct Ran {
    int code;
    std::string out, err;
};

// One HTTP/1.1 request over a plain socket (status, body), to speak to the server as a bad kiosk would.
inline std::pair<int, std::string> raw_post(int port, const std::string& path, const std::string& body,
                                            const std::vector<std::string>& headers) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(std::uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return {0, ""};
    }
    std::string req = "POST " + path +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      "Content-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n";
    for (const auto& h : headers)
        req += h + "\r\n";
    req += "\r\n" + body;
    std::size_t sent = 0;
    while (sent < req.size()) {
        const auto n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        sent += std::size_t(n);
    }
    std::string resp;
    char buf[4096];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        resp.append(buf, std::size_t(n));
    }
    ::close(fd);
    if (resp.size() < 12)
        return {0, ""};
    const auto split = resp.find("\r\n\r\n");
    return {std::stoi(resp.substr(9, 3)), split == std::string::npos ? "" : resp.substr(split + 4)};
}

// Check-ins as the organisers count them: (origin, seq, attendee, day, undone), one line each.
inline std::multiset<std::string> checkins_in(const std::string& db) {
    std::multiset<std::string> out;
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(d, "SELECT hex(origin), seq, attendee_id, day, undone FROM checkins");
    while (q.executeStep())
        out.insert(q.getColumn(0).getString() + "/" + q.getColumn(1).getString() + " " +
                   q.getColumn(2).getString() + " " + q.getColumn(3).getString() + " " +
                   q.getColumn(4).getString());
    return out;
}

inline std::string meta_in(const std::string& db, const std::string& key) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    SQLite::Statement q(d, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : "";
}

// The central store, its server process and kiosks joined to it.
struct Desk {
    test::TempDir dir;
    std::string central = dir.file("central.db");
    int port = free_port();
    bool tls = false;
    Backend backend = Backend::Sqlite;
    std::unique_ptr<TestPostgres> pg; // on PostgreSQL: its cluster, and the store's URL
    std::string store;
    std::unique_ptr<Process> server;
    std::vector<std::string> kiosks;
    std::vector<std::string> people;
    int logs = 0;

    explicit Desk(bool https = false, int roster = 40, Backend engine = Backend::Sqlite)
        : tls(https), backend(engine) {
        Store c = Store::create(central, test::demo_spec());
        WriteTransaction tx(c.db());
        for (int i = 0; i < roster; ++i)
            people.push_back(create_attendee(c, Attendee{.first_name = "Prénom" + std::to_string(i),
                                                         .last_name = "Nom" + std::to_string(i),
                                                         .category = "Participant"})
                                 .id);
        tx.commit();
        if (backend == Backend::Postgres) {
            // As an organisation moves an event there: the real `migrate`.
            pg = std::make_unique<TestPostgres>();
            store = pg->url();
            const auto r = run({"migrate", "--from", central, "--to", store});
            INFO(r.out << r.err);
            REQUIRE(r.code == 0);
        }
    }

    // The central store on a command line: `--db FILE` or `--store URL`.
    std::vector<std::string> at() const {
        return backend == Backend::Sqlite ? std::vector<std::string>{"--db", central}
                                          : std::vector<std::string>{"--store", store};
    }
    std::vector<std::string> with_store(std::vector<std::string> args) const {
        for (auto& a : at())
            args.push_back(a);
        return args;
    }

    // A count on the central store, whichever engine: `sql` names tables both have (journal, sync_*).
    long central_count(const std::string& sql) {
        if (backend == Backend::Sqlite)
            return count_in(central, sql);
        auto c = pg::Connection::open(store);
        return long(c.exec(sql).int64(0, 0));
    }

    // The rows `sql` reads on the central store, as text, whichever engine (to compare before and after).
    std::string central_text(const std::string& sql) {
        if (backend == Backend::Sqlite) {
            SQLite::Database d(central, SQLite::OPEN_READONLY, 5000);
            return dump_queries(d, {sql.c_str()});
        }
        auto c = pg::Connection::open(store);
        const auto r = c.exec(sql);
        std::string out;
        for (int i = 0; i < r.rows(); ++i) {
            for (int j = 0; j < r.columns(); ++j)
                out += (r.null(i, j) ? "NULL" : r.text(i, j)) + "|";
            out += "\n";
        }
        return out;
    }

    // The central store's hybrid logical clock, as it last saved it.
    std::uint64_t central_clock() {
        if (backend == Backend::Sqlite)
            return Store::open(central).clock().last();
        return std::uint64_t(central_count("SELECT value::bigint FROM accueil_meta WHERE key = 'hlc'"));
    }

    // Check-ins as checkins_in() reads them on SQLite (the `checkins` view), read from the journal on
    // PostgreSQL: (origin, seq, attendee, day, undone).
    std::multiset<std::string> central_checkins() {
        if (backend == Backend::Sqlite)
            return checkins_in(central);
        auto c = pg::Connection::open(store);
        const auto r = c.exec(
            "SELECT upper(encode(j.origin, 'hex')) || '/' || j.seq || ' ' || j.entity || ' ' || "
            "coalesce(j.payload::jsonb->>'day', '') || ' ' || CASE WHEN EXISTS (SELECT 1 FROM journal u "
            "WHERE u.kind = 5 AND u.payload::jsonb->>'origin' = encode(j.origin, 'hex') AND "
            "(u.payload::jsonb->>'seq')::bigint = j.seq) THEN '1' ELSE '0' END FROM journal j WHERE j.kind = "
            "4");
        std::multiset<std::string> out;
        for (int i = 0; i < r.rows(); ++i)
            out.insert(r.text(i, 0));
        return out;
    }

    std::string log(const std::string& what) { return dir.file(what + "-" + std::to_string(logs++)); }

    Ran run(const std::vector<std::string>& args, const Env& env = {}) {
        std::vector<std::string> full{kSync};
        full.insert(full.end(), args.begin(), args.end());
        Process p(full, log("run"), env);
        const int code = p.wait();
        return {code, p.out(), p.err()};
    }

    // `env` with TMPDIR in this desk's folder: what a server keeps there (the organisers' page's copy
    // of a PostgreSQL store, holding names) goes with the test even when the server is killed -9.
    Env in_own_tmp(Env env) const {
        const std::string tmp = dir.file("tmp");
        std::filesystem::create_directories(tmp);
        env.insert(env.begin(), {"TMPDIR", tmp});
        return env;
    }

    void start_server(const Env& env = {}, std::vector<std::string> extra = {}) {
        std::vector<std::string> args =
            with_store({kSync, "serve", "--listen", "127.0.0.1:" + std::to_string(port)});
        if (!tls)
            args.push_back("--insecure");
        args.insert(args.end(), extra.begin(), extra.end());
        server = std::make_unique<Process>(args, log("server"), in_own_tmp(env));
        REQUIRE(wait_until([&] { return server->out().find("serving") != std::string::npos; },
                           std::chrono::seconds(10)));
    }
    void stop_server() {
        server->signal(SIGTERM);
        CHECK(server->wait() == 0);
        server.reset();
    }

    std::string enroll(const std::string& name, const std::string& role = "kiosk") {
        auto args = with_store({"enroll", "--name", name, "--role", role});
        if (backend == Backend::Postgres) // no file to put the picture beside
            args.insert(args.end(), {"--png", dir.file("enrol.png")});
        const auto r = run(args);
        REQUIRE(r.code == 0);
        return last_line(r.out);
    }

    // Enrols and joins a new kiosk; returns its database path.
    std::string add_kiosk(const std::string& name, const Env& env = {}, const std::string& role = "kiosk") {
        const std::string db = dir.file("kiosk" + std::to_string(kiosks.size()) + ".db");
        const auto r = run({"join", enroll(name, role), "--db", db}, env);
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
        kiosks.push_back(db);
        return db;
    }

    std::unique_ptr<Process> agent(const std::string& db, const Env& env = {}) {
        return std::make_unique<Process>(
            std::vector<std::string>{kSync, "agent", "--db", db, "--max-backoff", "0.5"}, log("agent"), env);
    }
    Ran once(const std::string& db, const Env& env = {}) { return run({"agent", "--once", "--db", db}, env); }

    bool converged(std::size_t expected_checkins) {
        const auto ref = central_checkins();
        if (ref.size() != expected_checkins)
            return false;
        for (const auto& k : kiosks)
            if (checkins_in(k) != ref)
                return false;
        return true;
    }
    // The final check of every test.
    void require_converged(std::size_t expected_checkins) {
        const auto ref = central_checkins();
        CHECK(ref.size() == expected_checkins);
        for (const auto& k : kiosks) {
            INFO(k);
            CHECK(checkins_in(k) == ref);
        }
    }
};

// The kiosk app's part: check someone in on a kiosk database, as the kiosk process would.
inline int check_in_on(const std::string& db, const std::vector<std::string>& ids,
                       std::int64_t offset_ms = 0) {
    Store k = Store::open(db, [offset_ms] { return system_wall_ms() + offset_ms; });
    int admitted = 0;
    for (const auto& id : ids)
        admitted += check_in(k, id, test::kSept28At0912 + admitted * 1000).verdict == Verdict::Admitted;
    return admitted;
}

inline std::vector<std::string> slice(const std::vector<std::string>& v, std::size_t from, std::size_t n) {
    return {v.begin() + long(from), v.begin() + long(std::min(v.size(), from + n))};
}

} // namespace accueil::test
