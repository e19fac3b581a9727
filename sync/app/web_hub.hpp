#pragma once
// The figures hub of the organisers' live page (issue 11): keeps the open event streams and pushes the
// organisers' figures (shared/figures.hpp) to all of them at most every 500 ms after the store changed.
// Changes are told by the server's own merges (notify) and seen from other processes writing the same
// file (PRAGMA data_version, polled once a second on the hub's own connection, after the refresh of
// a PostgreSQL store's copy); every 15 s a ping
// comment keeps streams (and the proxies on the way) alive and finds clients that left.
#include "http_server.hpp"
#include "store.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace accueil::sync::web {

// One server-sent event carrying figures as JSON on one line.
std::string figures_event(const std::string& figures_json);

struct HubTiming {
    std::int64_t min_interval_ms = 500; // between two computations
    std::int64_t poll_ms = 1000;        // PRAGMA data_version
    std::int64_t ping_ms = 15'000;      // ": ping" comment
    std::int64_t refresh_ms = 30'000;   // recomputed anyway: devices go offline with time alone
};

class FiguresHub {
public:
    // Opens its own connection to `db`; `now` gives FiguresOptions::now_ms. `refresh`, when set, brings
    // `db` up to date first at each poll and soon after notify() (the page's copy of a PostgreSQL store,
    // page_replica.hpp; at most once per min_interval_ms for notifications); its failures are logged
    // once each and the figures stay as they were.
    FiguresHub(const std::string& db, std::function<std::int64_t()> now, HubTiming timing = {},
               std::function<void()> refresh = {});
    ~FiguresHub(); // stops the thread; the streams are closed by the transport
    FiguresHub(const FiguresHub&) = delete;
    FiguresHub& operator=(const FiguresHub&) = delete;

    void notify(); // the store changed (a merge applied events): push soon
    void add(std::shared_ptr<http::Stream> stream);
    std::size_t streams();

private:
    void run();
    std::string compute();

    Store store_; // used by the hub's thread only (after construction)
    std::function<std::int64_t()> now_;
    HubTiming timing_;
    std::function<void()> refresh_;
    std::string refresh_error_; // the last failure logged
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    bool changed_ = false;
    std::vector<std::shared_ptr<http::Stream>> streams_;
    std::thread thread_;
};

} // namespace accueil::sync::web
