#pragma once
// The thread that owns the kiosk's Store: check-ins (a durable SQLite commit each), masked name
// searches and the sync status. A busy or locked database is retried until it answers, so no scan is
// lost; the verdict goes to the UI only after the commit.
#include "machine.hpp"
#include "mailbox.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

namespace accueil {
class Store;
}

namespace accueil::kiosk {

struct RefreshSync {};
using WorkerJob = std::variant<StartCheckin, StartCheckinAttendee, StartSearch, RefreshSync>;

// What the worker does with each job, callable without a thread (tests, benchmarks).
VerdictInfo verdict_info(const CheckinResult& r, const std::string& timezone);
// Masked matches for the self-service search: first name + last initial, and the e-mail question.
std::vector<Match> masked_search(Store& store, const std::string& query, std::size_t limit,
                                 std::uint32_t seed);
SyncState read_sync_state(Store& store);
// True for SQLITE_BUSY and SQLITE_LOCKED (another process holds the write lock): worth a retry.
bool is_busy_error(const std::exception& e);

class CheckinWorker {
public:
    // Opens the store on the worker thread; a failure to open is reported as a Failure input.
    CheckinWorker(std::string db_path, Mailbox& mailbox);
    ~CheckinWorker();
    CheckinWorker(const CheckinWorker&) = delete;
    CheckinWorker& operator=(const CheckinWorker&) = delete;

    void submit(WorkerJob job);
    bool busy() const { return busy_.load(); }
    // The event's time zone and kiosk name once the store is open (empty before).
    std::string timezone() const;
    std::string kiosk_name() const;
    bool wait_ready(int timeout_ms); // true once the store is open

private:
    void run();
    void process(Store& store, const WorkerJob& job);
    void join(Store& store, const std::string& code); // an enrolment code was scanned

    std::string db_path_;
    Mailbox& mailbox_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<WorkerJob> jobs_;
    bool stop_ = false;
    bool ready_ = false;
    std::string timezone_, kiosk_name_;
    std::atomic<bool> busy_{false};
    std::uint32_t searches_ = 0;
    SyncState last_sync_{};
    std::thread thread_;
};

} // namespace accueil::kiosk
