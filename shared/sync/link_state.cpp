#include "sync/link_state.hpp"

#include "database.hpp"
#include "sync/merge.hpp"

namespace accueil::sync {

void record_link_state(Store& kiosk, bool online, std::int64_t pending, const std::string& error) {
    const std::string on = online ? "1" : "0";
    const std::int64_t now = kiosk.wall_ms();
    const bool stale_contact =
        online && now - std::stoll(kiosk.meta("sync.last_contact").value_or("0")) >= 5000;
    if (kiosk.meta("sync.online") == on && kiosk.meta("sync.pending") == std::to_string(pending) &&
        kiosk.meta("sync.error").value_or("") == error && !stale_contact)
        return;
    WriteTransaction tx(kiosk.db());
    kiosk.set_meta("sync.online", on);
    kiosk.set_meta("sync.pending", std::to_string(pending));
    kiosk.set_meta("sync.error", error);
    if (online)
        kiosk.set_meta("sync.last_contact", std::to_string(now));
    tx.commit();
}

std::int64_t data_version(Store& kiosk) {
    return kiosk.db().execAndGet("PRAGMA data_version").getInt64();
}

// The first look always counts: a check-in committed after the caller's last count but before this
// watch began leaves nothing for data_version to show.
PendingWatch::PendingWatch(Store& kiosk, std::string error) : kiosk_(kiosk), error_(std::move(error)) {}

void PendingWatch::look() {
    try {
        if (const auto v = data_version(kiosk_); v != seen_) {
            seen_ = v;
            record_link_state(kiosk_, false, count_unacked(kiosk_), error_);
        }
    } catch (const SQLite::Exception&) {
        seen_ = -1;
    }
}

} // namespace accueil::sync
