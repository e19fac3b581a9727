#pragma once
// Hybrid logical clock: 48-bit milliseconds and a 16-bit counter in one 64-bit stamp.
// It never goes backwards, even when the wall clock does; the owner persists `last()` with each event.
#include <cstdint>
#include <functional>
#include <optional>

namespace accueil {

using WallClock = std::function<std::int64_t()>; // milliseconds since the Unix epoch
std::int64_t system_wall_ms();

struct HlcStamp {
    static std::uint64_t pack(std::int64_t ms, std::uint16_t counter) {
        return (std::uint64_t(ms) << 16) | counter;
    }
    static std::int64_t millis(std::uint64_t stamp) { return std::int64_t(stamp >> 16); }
    static std::uint16_t counter(std::uint64_t stamp) { return std::uint16_t(stamp & 0xFFFF); }
};

class Hlc {
public:
    // A remote stamp further ahead of our wall clock than this is not trusted (a kiosk set to 2038).
    static constexpr std::int64_t kMaxDriftMs = 5 * 60 * 1000;

    explicit Hlc(WallClock wall = system_wall_ms, std::uint64_t last = 0)
        : wall_(std::move(wall)), last_(last) {}

    // A stamp for a local event: strictly greater than every stamp seen so far.
    std::uint64_t now();
    // Folds a remote stamp in; returns false (and changes nothing) when it is too far in the future.
    bool receive(std::uint64_t remote);
    bool trusted(std::uint64_t remote) const;
    std::uint64_t last() const { return last_; }
    void restore(std::uint64_t last) { last_ = last > last_ ? last : last_; }

private:
    WallClock wall_;
    std::uint64_t last_;
};

} // namespace accueil
