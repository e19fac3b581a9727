#pragma once
// A real PostgreSQL for one test (issue 15): Debian's initdb and pg_ctl in a temporary directory,
// listening on a Unix socket there only (no TCP port, no system service), stopped and removed at the
// end. PostgreSQL refuses to run as root: under root the cluster belongs to the `postgres` user and
// its programs run through runuser. A missing program or a cluster that does not start throws, so the
// test fails saying why.
#include "child_process.hpp"
#include "temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <pwd.h>
#include <unistd.h>

namespace accueil::test {

struct PostgresOptions {
    bool durable = false; // fsync as in production (the benchmarks); tests do without
    bool tcp = false;     // also listen on 127.0.0.1 (TLS only goes over TCP)
    bool tls = false;     // with a self-signed certificate (openssl), so sslmode=require can connect
};

class TestPostgres {
public:
    explicit TestPostgres(PostgresOptions o = {}) {
        const std::string bin = ACCUEIL_PG_BINDIR;
        if (bin.empty() || !std::filesystem::exists(bin + "/initdb") ||
            !std::filesystem::exists(bin + "/pg_ctl"))
            throw std::runtime_error("PostgreSQL's initdb and pg_ctl were not found (\"" + bin +
                                     "\"): run deploy/install-deps.sh");
        dir_ = std::filesystem::path(home_.path()) / "pg";
        std::filesystem::create_directories(dir_);
        if (o.tls) {
            run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout " +
                    (dir_ / "server.key").string() + " -out " + (dir_ / "server.crt").string(),
                "openssl");
            // PostgreSQL refuses a key others may read.
            std::filesystem::permissions(
                dir_ / "server.key", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                std::filesystem::perm_options::replace);
        }
        if (::geteuid() == 0) {
            const passwd* pg = ::getpwnam("postgres");
            if (!pg)
                throw std::runtime_error(
                    "running as root, and there is no postgres user to run PostgreSQL as");
            for (const auto* name : {"", "server.key", "server.crt"}) {
                const auto path = dir_ / name;
                if (std::filesystem::exists(path) && ::chown(path.c_str(), pg->pw_uid, pg->pw_gid) != 0)
                    throw std::runtime_error("cannot give " + path.string() + " to the postgres user");
            }
            as_ = "/usr/sbin/runuser -u postgres -- ";
        }
        run(bin + "/initdb -D " + data() + " -A trust -U accueil -E UTF8 --locale=C --no-sync", "initdb");
        if (o.tcp)
            port_ = free_port();
        std::string options = "-c listen_addresses='" + std::string(o.tcp ? "127.0.0.1" : "") +
                              "' -c unix_socket_directories=" + dir_.string();
        if (o.tcp)
            options += " -p " + std::to_string(port_);
        if (o.tls)
            options += " -c ssl=on -c ssl_cert_file=" + (dir_ / "server.crt").string() +
                       " -c ssl_key_file=" + (dir_ / "server.key").string();
        if (!o.durable)
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        options_ = options;
        run(bin + "/pg_ctl -D " + data() + " -l " + (dir_ / "log").string() + " -w -t 60 -o \"" + options +
                "\" start",
            "pg_ctl start");
        started_ = true;
        run(bin + "/createdb -h " + dir_.string() + " -p " + std::to_string(port_) + " -U accueil accueil",
            "createdb");
    }
    ~TestPostgres() {
        if (started_)
            std::system(
                (as_ + ACCUEIL_PG_BINDIR "/pg_ctl -D " + data() + " -m immediate -w stop >/dev/null 2>&1")
                    .c_str());
    }
    TestPostgres(const TestPostgres&) = delete;
    TestPostgres& operator=(const TestPostgres&) = delete;

    // libpq's URL of database `db` on this cluster's socket.
    std::string url(const std::string& db = "accueil") const {
        return "postgresql://accueil@/" + db + "?host=" + dir_.string() + "&port=" + std::to_string(port_);
    }
    // The same over TCP (Options::tcp).
    std::string tcp_url(const std::string& db = "accueil") const {
        return "postgresql://accueil@127.0.0.1:" + std::to_string(port_) + "/" + db;
    }
    // Another empty database on the same cluster.
    std::string create_database(const std::string& name) const {
        run(std::string(ACCUEIL_PG_BINDIR) + "/createdb -h " + dir_.string() + " -p " +
                std::to_string(port_) + " -U accueil " + name,
            "createdb");
        return url(name);
    }
    const std::filesystem::path& dir() const { return dir_; }
    // Stops the cluster (every connection to it broken, as in a failover or an upgrade) and starts it
    // again with the same settings.
    void restart() const {
        run(std::string(ACCUEIL_PG_BINDIR) + "/pg_ctl -D " + data() + " -l " + (dir_ / "log").string() +
                " -w -t 60 -m fast -o \"" + options_ + "\" restart",
            "pg_ctl restart");
    }

private:
    std::string data() const { return (dir_ / "data").string(); }
    void run(const std::string& command, const char* what) const {
        const std::string log = (home_.path() / "command.log").string();
        if (std::system((as_ + command + " >" + log + " 2>&1").c_str()) != 0)
            throw std::runtime_error(std::string(what) + " failed: " + command + "\n" + slurp(log));
    }

    TempDir home_;
    std::filesystem::path dir_;
    std::string as_;
    std::string options_;
    bool started_ = false;
    int port_ = 5432; // names the socket file when there is no TCP
};

// Which engine holds the central store: the tests of the sync protocol and of the organisers' page
// run on both (issue 15); neither kiosks nor organisers must tell the difference.
enum class Backend { Sqlite, Postgres };
inline const char* to_string(Backend b) {
    return b == Backend::Sqlite ? "SQLite" : "PostgreSQL";
}

} // namespace accueil::test
