#pragma once
// The central server's WAL checkpoints, on a thread of their own. With SQLite's automatic checkpoint
// the commit that crosses 1,000 WAL pages copies them back into the database file and waits for it,
// so one kiosk's push pays for everybody's pages; here commits only append to the WAL and this thread
// copies pages back every `period` (PASSIVE: it never blocks writers or readers).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace accueil::sync {

class WalCheckpointer {
public:
    // The caller turns automatic checkpoints off on its own connection (PRAGMA wal_autocheckpoint=0).
    explicit WalCheckpointer(std::string db_path,
                             std::chrono::milliseconds period = std::chrono::milliseconds(500));
    ~WalCheckpointer(); // one last checkpoint, then the thread ends
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

private:
    void run();

    std::string path_;
    std::chrono::milliseconds period_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace accueil::sync
