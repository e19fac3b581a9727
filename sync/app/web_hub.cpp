#include "web_hub.hpp"

#include "figures.hpp"
#include "web_access.hpp"

#include <chrono>
#include <iostream>

namespace accueil::sync::web {

std::string figures_event(const std::string& figures_json) {
    return "event: figures\ndata: " + figures_json + "\n\n";
}

namespace {
// Figures without the moment they were computed: what tells two computations apart.
std::string without_time(const std::string& figures_json) {
    auto j = nlohmann::json::parse(figures_json);
    j.erase("generated_ms");
    return j.dump();
}
} // namespace

FiguresHub::FiguresHub(const std::string& db, std::function<std::int64_t()> now, HubTiming timing,
                       std::function<void()> refresh)
    : store_(Store::open(db, now)), now_(std::move(now)), timing_(timing), refresh_(std::move(refresh)) {
    thread_ = std::thread([this] { run(); });
}

FiguresHub::~FiguresHub() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void FiguresHub::notify() {
    {
        std::lock_guard lock(mutex_);
        changed_ = true;
    }
    wake_.notify_all();
}

void FiguresHub::add(std::shared_ptr<http::Stream> stream) {
    std::lock_guard lock(mutex_);
    streams_.push_back(std::move(stream));
}

std::size_t FiguresHub::streams() {
    std::lock_guard lock(mutex_);
    std::erase_if(streams_, [](const auto& s) { return s->ended(); });
    return streams_.size();
}

std::string FiguresHub::compute() {
    FiguresOptions options;
    options.now_ms = now_();
    std::string text;
    try {
        text = to_json(compute_figures(store_, options)).dump();
    } catch (const std::exception& e) {
        std::cerr << "accueil-sync: figures not computed: " << e.what() << "\n";
    }
    check_no_open_reads(store_);
    return text;
}

void FiguresHub::run() {
    using Clock = std::chrono::steady_clock;
    using ms = std::chrono::milliseconds;
    std::int64_t version = -1;
    auto next_poll = Clock::now();
    auto next_ping = Clock::now() + ms(timing_.ping_ms);
    auto next_refresh = Clock::now() + ms(timing_.refresh_ms);
    auto earliest_compute = Clock::now();
    auto next_copy = Clock::now();
    bool dirty = false;
    std::string last_sent;
    std::unique_lock lock(mutex_);
    while (!stop_) {
        auto until = std::min({next_poll, next_ping, next_refresh});
        if (dirty && !streams_.empty())
            until = std::min(until, earliest_compute);
        wake_.wait_until(lock, until, [&] { return stop_ || changed_; });
        if (stop_)
            break;
        // The exchange first: short-circuited behind a true `dirty` (no one watching, so nothing computed),
        // `changed_` stayed set and the wait above returned at once, a spinning core until a page opened.
        const bool notified = std::exchange(changed_, false);
        dirty = notified || dirty;
        std::vector<std::shared_ptr<http::Stream>> targets = streams_;
        lock.unlock();

        auto now = Clock::now();
        if (refresh_ && (now >= next_poll || (notified && now >= next_copy))) {
            try {
                refresh_();
                refresh_error_.clear();
            } catch (const std::exception& e) {
                if (refresh_error_ != e.what()) // said once, not every second while the store is away
                    std::cerr << "accueil-sync: the organisers' page could not read the store: " << e.what()
                              << "\n";
                refresh_error_ = e.what();
            }
            now = Clock::now();
            next_copy = now + ms(timing_.min_interval_ms);
            next_poll = std::min(next_poll, now); // the copy's changes are seen below at once
        }
        if (now >= next_poll) {
            // Commits by other connections (another process's merge or check-in, this server's own
            // kiosk routes) change it; our own reads do not.
            std::int64_t v = version;
            try {
                v = store_.db().execAndGet("PRAGMA data_version").getInt64();
            } catch (const std::exception& e) {
                std::cerr << "accueil-sync: figures hub: " << e.what() << "\n";
            }
            dirty = dirty || (version >= 0 && v != version);
            version = v;
            next_poll = now + ms(timing_.poll_ms);
        }
        if (now >= next_refresh) {
            dirty = true;
            next_refresh = now + ms(timing_.refresh_ms);
        }
        std::string message;
        if (dirty && !targets.empty() && now >= earliest_compute) {
            // Only computed while someone watches: a new stream gets fresh figures when it opens.
            const std::string figures = compute();
            // The same figures again (a kiosk's pull only touched its last contact) are not resent.
            if (!figures.empty() && without_time(figures) != last_sent) {
                last_sent = without_time(figures);
                message = figures_event(figures);
            }
            dirty = false;
            earliest_compute = Clock::now() + ms(timing_.min_interval_ms);
        }
        if (now >= next_ping) {
            message += ": ping\n\n";
            next_ping = now + ms(timing_.ping_ms);
        }
        if (!message.empty())
            for (const auto& s : targets)
                s->send(message);

        lock.lock();
        std::erase_if(streams_, [](const auto& s) { return s->ended(); });
    }
}

} // namespace accueil::sync::web
