#pragma once
// The organisers' web page and its API in `accueil-sync serve` (issue 11): static files, login by
// password or one-time link, the figures as JSON and as a stream of server-sent events. A session
// cookie grants only these routes, a device's token never grants them (sync/app/server.cpp keeps
// the kiosks' /v1 routes to Bearer tokens).
#include "http_server.hpp"
#include "store.hpp"
#include "web_access.hpp"
#include "web_hub.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace accueil::sync::web {

class WebService {
public:
    // Reads the figures through its own connection to `page_db` (the kiosks' merges keep theirs: reads
    // here never wait for a merge's lock, nor a merge for them): the SQLite store itself, or the page's
    // copy of a PostgreSQL store (page_replica.hpp). Sessions, links and the password are `access`'s.
    WebService(const std::string& page_db, std::unique_ptr<AccessTable> access,
               std::function<std::int64_t()> now, FiguresHub& hub);
    void install(http::Server& server);

private:
    http::Response login(const http::Request& req);
    http::Response logout(const http::Request& req);
    http::Response link(const http::Request& req);
    http::Response figures(const http::Request& req);
    http::Response expected(const http::Request& req);
    http::Response stream(const http::Request& req);
    // Runs `work` for a request with a valid session (401 otherwise), under the connections' mutex,
    // with the statement check after it.
    http::Response with_session(const http::Request& req, const std::function<http::Response()>& work);
    // Runs `work` on the access table under the mutex, between its before and after checks.
    template <class Work> auto with_access(Work work);

    std::function<std::int64_t()> now_;
    FiguresHub& hub_;
    std::mutex mutex_;
    Store store_;
    std::unique_ptr<AccessTable> access_;
    LoginThrottle throttle_;
};

} // namespace accueil::sync::web
