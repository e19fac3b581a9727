#include "hlc.hpp"

#include <chrono>

namespace accueil {

std::int64_t system_wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::uint64_t Hlc::now() {
    const std::int64_t wall = wall_();
    const std::int64_t last_ms = HlcStamp::millis(last_);
    if (wall > last_ms) {
        last_ = HlcStamp::pack(wall, 0);
    } else if (HlcStamp::counter(last_) == 0xFFFF) {
        // Counter exhausted within one millisecond: borrow the next millisecond rather than wrap.
        last_ = HlcStamp::pack(last_ms + 1, 0);
    } else {
        last_ += 1;
    }
    return last_;
}

bool Hlc::trusted(std::uint64_t remote) const {
    return HlcStamp::millis(remote) <= wall_() + kMaxDriftMs;
}

bool Hlc::receive(std::uint64_t remote) {
    if (!trusted(remote))
        return false;
    if (remote > last_)
        last_ = remote;
    return true;
}

} // namespace accueil
