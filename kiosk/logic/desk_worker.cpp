#include "desk_worker.hpp"

#include "capture.hpp"
#include "checkin_worker.hpp"
#include "desk_ops.hpp"
#include "event_calendar.hpp"
#include "store.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace accueil::kiosk {

DeskWorker::DeskWorker(std::string db_path, bool has_printer, std::function<void(DeskInput)> post,
                       std::function<void(DeskPrintJob)> print)
    : db_path_(std::move(db_path)), has_printer_(has_printer), post_(std::move(post)),
      print_(std::move(print)) {
    thread_ = std::thread([this] { run(); });
}

DeskWorker::~DeskWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void DeskWorker::submit(DeskJob job) {
    {
        std::lock_guard lock(mutex_);
        // Only the newest query matters: a search still waiting is replaced by the next keystroke's.
        if (std::holds_alternative<DeskSearch>(job))
            std::erase_if(jobs_, [](const DeskJob& j) { return std::holds_alternative<DeskSearch>(j); });
        jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
}

void DeskWorker::run() {
    std::optional<Store> store;
    int backoff_ms = 1000;
    for (;;) {
        if (!store) {
            try {
                store.emplace(Store::open(db_path_));
                post_(DeskReady{desk_setup(*store, wall_ms(), has_printer_)});
                backoff_ms = 1000;
            } catch (const std::exception& e) {
                spdlog::error("desk: cannot open {}: {}", db_path_, e.what());
                post_(DeskFailure{std::string("cannot open the database: ") + e.what()});
                std::unique_lock lock(mutex_);
                if (cv_.wait_for(lock, std::chrono::milliseconds(backoff_ms), [this] { return stop_; }))
                    return;
                backoff_ms = std::min(backoff_ms * 2, 30000);
                jobs_.clear(); // nobody waits for answers to requests made while the store was gone
                continue;
            }
        }
        DeskJob job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
            if (stop_)
                return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        const std::int64_t now = wall_ms();
        // The sync agent holds the write lock for moments: a busy store is waited for (5 s at most),
        // never reported as a failure.
        for (int attempt = 0;; ++attempt) {
            try {
                Store& s = *store;
                std::visit(
                    [&](const auto& j) {
                        using T = std::decay_t<decltype(j)>;
                        if constexpr (std::is_same_v<T, DeskSearch>)
                            post_(DeskResults{j.query, desk_search(s, j.query, 12, now)});
                        else if constexpr (std::is_same_v<T, DeskOpen>) {
                            if (auto p = person_detail(s, j.attendee_id, now))
                                post_(DeskPerson{std::move(*p)});
                            else
                                post_(DeskFailure{"open: no attendee " + j.attendee_id});
                        } else if constexpr (std::is_same_v<T, DeskResolve>)
                            post_(desk_scan(s, j.code, j.at_ms ? j.at_ms : now));
                        else if constexpr (std::is_same_v<T, DeskDoCheckIn>)
                            post_(desk_check_in(s, j.attendee_id, now));
                        else if constexpr (std::is_same_v<T, DeskDoUndo>)
                            post_(desk_undo(s, j.attendee_id, now));
                        else if constexpr (std::is_same_v<T, DeskDoSave>)
                            post_(desk_save(s, j, now));
                        else if constexpr (std::is_same_v<T, DeskDoReprint>)
                            post_(desk_reprint(s, j.attendee_id, now));
                        else if constexpr (std::is_same_v<T, DeskDoPrint>) {
                            if (auto a = load_attendee(s.db(), j.attendee_id))
                                print_({std::move(*a), j.badge_code, s.event()});
                        } else if constexpr (std::is_same_v<T, DeskLoadAlerts>)
                            post_(desk_alerts(s, now));
                        else
                            post_(DeskClock{local_hh_mm(now, s.event().timezone), read_sync_state(s)});
                    },
                    job);
                break;
            } catch (const std::exception& e) {
                if (is_busy_error(e) && attempt < 100) {
                    std::unique_lock lock(mutex_);
                    if (cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stop_; }))
                        return;
                    continue;
                }
                // The action failed as a whole (its transaction rolled back): say so, keep the store.
                post_(DeskFailure{e.what()});
                break;
            }
        }
    }
}

} // namespace accueil::kiosk
