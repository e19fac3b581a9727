#pragma once
// The thread that owns the kiosk's Store: check-ins (a durable SQLite commit each), masked name
// searches and the sync status. A busy or locked database is retried until it answers, so no scan is
// lost; the verdict goes to the UI only after the commit. When the store cannot be opened or fails
// (unreadable, removed, corrupt), the worker says so (WorkerState, the kiosk goes out of order), drops
// what was queued (those people were sent to the desk) and opens it again after a bounded back-off.
#include "identity_question.hpp"
#include "machine.hpp"
#include "mailbox.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

namespace accueil {
class Store;
}

namespace accueil::kiosk {

struct RefreshSync {};
using WorkerJob =
    std::variant<StartCheckin, StartCheckinAttendee, StartSearch, RefreshSync, CheckPin, PrintBadge>;

// What the worker does with each job, callable without a thread (tests, benchmarks).
VerdictInfo verdict_info(const CheckinResult& r, const std::string& timezone);
// Masked matches for the self-service search: first name + last initial, and the identity question
// (identity_question.hpp: the whole last name among invented ones). The question is the same for the
// same person and event whatever is typed; `salt` changes it (0 on kiosks; tests vary it). `roster`:
// the roster's words (roster_words), read from the store when not given.
std::vector<Match> masked_search(Store& store, const std::string& query, std::size_t limit,
                                 std::uint32_t salt, const RosterWords* roster = nullptr);
RosterWords roster_words(Store& store);
SyncState read_sync_state(Store& store);
// True for SQLITE_BUSY and SQLITE_LOCKED (another process holds the write lock): worth a retry.
bool is_busy_error(const std::exception& e);

struct WorkerOptions {
    int min_backoff_ms = 1000;  // the first new attempt after the store failed
    int max_backoff_ms = 30000; // doubling up to this
};

class CheckinWorker {
public:
    // Opens the store on the worker thread; a failure is reported as WorkerState{running = false}, and
    // WorkerState{running = true} once it is open again.
    // `print` receives, on the worker thread, each badge a person asked to print (PrintBadge): the person
    // as stored, their badge code (badge_code_of: the attendee id on a kiosk, which holds no badge key)
    // and the event.
    using PrintFn = std::function<void(Attendee, std::string, EventInfo)>;
    CheckinWorker(std::string db_path, Mailbox& mailbox, WorkerOptions options = {}, PrintFn print = {});
    ~CheckinWorker();
    CheckinWorker(const CheckinWorker&) = delete;
    CheckinWorker& operator=(const CheckinWorker&) = delete;

    void submit(WorkerJob job);
    bool busy() const { return busy_.load(); }
    // The event's time zone and kiosk name once the store is open (empty before).
    std::string timezone() const;
    std::string kiosk_name() const;
    bool wait_ready(int timeout_ms); // true once the store is open
    bool running() const;            // the store is open and jobs are answered

private:
    void run();
    // Opens the store and answers jobs until stopped; throws when it fails. On the first run, a missing
    // file is a kiosk not set up: jobs are answered without a store until an enrolment makes one.
    void serve(bool first_run);
    void went_down(const std::string& what);
    void process(std::optional<Store>& store, const WorkerJob& job);
    void join(std::optional<Store>& store, const std::string& code, std::uint64_t job); // an enrolment code
    bool adopt_new_file(std::optional<Store>& store); // the file now exists (made by a join): open it
    // Tells the UI whether the store holds an event (SetupState) when that changed, or when a check-in
    // (`refused_job`) was not done because it does not.
    void report_setup(Store* store, std::uint64_t refused_job = 0);
    void not_set_up(const WorkerJob& job, Store* store);

    std::string db_path_;
    Mailbox& mailbox_;
    PrintFn print_;
    WorkerOptions opt_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<WorkerJob> jobs_;
    bool stop_ = false;
    bool ready_ = false;
    bool down_ = false; // the store failed: jobs are refused until it opens again
    std::string timezone_, kiosk_name_;
    std::atomic<bool> busy_{false};
    SyncState last_sync_{};
    std::optional<SetupState> last_setup_;
    bool adopt_failed_ = false; // adopt_new_file() said why it could not open the file
    RosterWords roster_;        // for the identity question, read again when the database changed
    std::int64_t roster_version_ = -1;
    std::thread thread_;
};

} // namespace accueil::kiosk
