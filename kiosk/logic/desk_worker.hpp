#pragma once
// The thread that owns the desk's Store: searches, person pages, check-ins, undos, edits, walk-ins,
// reprints and alerts (desk_ops.hpp), one at a time, each answered with the desk machine's next input.
// A search superseded by a newer keystroke before it started is skipped: only the latest query runs.
#include "desk_machine.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

namespace accueil::kiosk {

struct DeskRefresh {}; // the clock, the sync state and the alert count
using DeskJob = std::variant<DeskSearch, DeskOpen, DeskResolve, DeskDoCheckIn, DeskDoUndo, DeskDoSave,
                             DeskDoReprint, DeskDoPrint, DeskLoadAlerts, DeskRefresh>;

// What the printer needs about a person, read on the worker thread.
struct DeskPrintJob {
    Attendee attendee;
    std::string code;
    EventInfo event;
};

class DeskWorker {
public:
    // `post` receives every answer and `print` each badge to print (the person as stored now), both on
    // the worker thread. `has_printer` is said in DeskReady.
    DeskWorker(std::string db_path, bool has_printer, std::function<void(DeskInput)> post,
               std::function<void(DeskPrintJob)> print);
    ~DeskWorker();
    DeskWorker(const DeskWorker&) = delete;
    DeskWorker& operator=(const DeskWorker&) = delete;

    void submit(DeskJob job);

private:
    void run();

    std::string db_path_;
    bool has_printer_;
    std::function<void(DeskInput)> post_;
    std::function<void(DeskPrintJob)> print_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<DeskJob> jobs_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace accueil::kiosk
