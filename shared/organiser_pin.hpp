#pragma once
// The organiser PIN: switching a self-service kiosk to desk mode on the spot asks for it. Kept in the
// device database's meta table as an Argon2id hash (libsodium's crypto_pwhash_str), never in clear;
// wrong attempts are counted in the same table, so restarting the kiosk does not reset the lock-out.
//
// Hashing and checking are deliberately slow (0.1 to 0.5 s, see kPinMemLimit in organiser_pin.cpp): a
// UI must call set_organiser_pin and check_organiser_pin on a worker thread, never on the thread that
// draws.
#include "store.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace accueil {

inline constexpr const char* kPinHashKey = "desk.pin_hash";
inline constexpr const char* kPinFailuresKey = "desk.pin_failures";        // wrong attempts in a row
inline constexpr const char* kPinLockedUntilKey = "desk.pin_locked_until"; // ms since the epoch

// Throttling: from the kPinFreeAttempts-th wrong attempt in a row, each wrong attempt locks the PIN
// for kPinFirstLockMs, doubling with every further wrong attempt, up to kPinMaxLockMs. A right PIN
// resets the count.
inline constexpr int kPinFreeAttempts = 5;
inline constexpr std::int64_t kPinFirstLockMs = 30'000;
inline constexpr std::int64_t kPinMaxLockMs = 600'000;

struct PinCheck {
    enum class Result {
        Ok,       // right PIN: the count of wrong attempts is reset
        Wrong,    // wrong PIN: counted; locked_until_ms > 0 when this attempt started a lock-out
        Locked,   // refused without looking at the PIN, even a right one, until locked_until_ms
        NoPinSet, // nothing to check against: `accueil pin set` first
    };
    Result result = Result::NoPinSet;
    std::int64_t locked_until_ms = 0; // 0: the next attempt is allowed at once
    int wrong_in_a_row = 0;

    bool ok() const { return result == Result::Ok; }
};

// 4 to 12 digits, else InputError (clear message, nothing stored). Replaces a previous PIN and resets
// the lock-out. Slow (see above).
void set_organiser_pin(Store& store, std::string_view pin);
bool has_organiser_pin(Store& store);
// Removes the PIN and its counters; false when there was none.
bool clear_organiser_pin(Store& store);
// Compares in constant time (crypto_pwhash_str_verify). Slow (see above) unless locked or unset.
PinCheck check_organiser_pin(Store& store, std::string_view pin, std::int64_t now_ms);

// Overwrites a PIN's bytes in memory (sodium_memzero: not optimised away) once it is no longer needed.
void wipe_pin(std::string& pin);

// How long the lock-out lasts after the `wrong_in_a_row`-th wrong attempt (0: none); exposed for tests.
std::int64_t pin_lock_ms(int wrong_in_a_row);

} // namespace accueil
