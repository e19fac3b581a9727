#include "sync/wal_checkpointer.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <csignal>
#include <pthread.h>

namespace accueil::sync {

WalCheckpointer::WalCheckpointer(std::string db_path, std::chrono::milliseconds period)
    : path_(std::move(db_path)), period_(period) {
    // The thread starts with every signal blocked (it inherits the mask), so SIGTERM keeps going to
    // the thread the program chose to handle it.
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &before);
    thread_ = std::thread([this] { run(); });
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

WalCheckpointer::~WalCheckpointer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void WalCheckpointer::run() {
    std::unique_ptr<SQLite::Database> db;
    std::unique_lock lock(mutex_);
    for (bool last = false; !last;) {
        last = wake_.wait_for(lock, period_, [this] { return stop_; });
        try {
            if (!db)
                db = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE, 1000);
            db->exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (const SQLite::Exception&) {
            // Busy or a disk problem: the WAL keeps every page safely; the next round tries again.
        }
    }
}

} // namespace accueil::sync
