#include "organiser_pin.hpp"

#include "database.hpp"
#include "errors.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace accueil {

namespace {
// Argon2id over 19 MiB, 2 passes: still memory-hard, but lighter than libsodium's "interactive"
// setting (64 MiB), which took 0.5 to 1.6 s per hash and per check on this project's shared 2-core
// build machine depending on its load (an old kiosk laptop is busy too: camera, drawing); this one
// took 0.12 to 0.45 s there. A 4-digit PIN
// falls to a patient offline attacker whatever the setting: the hash only keeps a copied disk from
// giving the PIN away at once, and the throttle below guards the kiosk itself. The setting is written
// into each hash string, so changing it later still verifies older hashes.
constexpr unsigned long long kPinOpsLimit = 2;
constexpr std::size_t kPinMemLimit = 19 * 1024 * 1024;
static_assert(kPinOpsLimit >= crypto_pwhash_OPSLIMIT_MIN && kPinMemLimit >= crypto_pwhash_MEMLIMIT_MIN);

void ensure_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok)
        throw StoreError("libsodium could not be initialised");
}

void validate_pin(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 12 ||
        !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw InputError("", "the organiser PIN must be 4 to 12 digits (0-9), nothing else");
}

std::int64_t meta_int(Store& store, const char* key) {
    const auto v = store.meta(key);
    if (!v)
        return 0;
    try {
        return std::stoll(*v);
    } catch (const std::exception&) {
        return 0; // a damaged counter starts again rather than locking the organisers out for good
    }
}

void clear_counters(Store& store) {
    SQLite::Statement q(store.db(), "DELETE FROM meta WHERE key IN (?, ?)");
    q.bind(1, kPinFailuresKey);
    q.bind(2, kPinLockedUntilKey);
    q.exec();
}
} // namespace

std::int64_t pin_lock_ms(int wrong_in_a_row) {
    if (wrong_in_a_row < kPinFreeAttempts)
        return 0;
    std::int64_t ms = kPinFirstLockMs;
    for (int i = kPinFreeAttempts; i < wrong_in_a_row && ms < kPinMaxLockMs; ++i)
        ms *= 2;
    return std::min(ms, kPinMaxLockMs);
}

void wipe_pin(std::string& pin) {
    sodium_memzero(pin.data(), pin.size());
}

void set_organiser_pin(Store& store, std::string_view pin) {
    validate_pin(pin);
    ensure_sodium();
    char hash[crypto_pwhash_STRBYTES];
    // Hashed before the transaction: the write lock is not held during the slow part.
    if (crypto_pwhash_str_alg(hash, pin.data(), pin.size(), kPinOpsLimit, kPinMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw StoreError("not enough memory to hash the organiser PIN");
    WriteTransaction tx(store.db());
    store.set_meta(kPinHashKey, hash);
    clear_counters(store);
    tx.commit();
}

bool has_organiser_pin(Store& store) {
    return store.meta(kPinHashKey).has_value();
}

bool clear_organiser_pin(Store& store) {
    WriteTransaction tx(store.db());
    const bool had = has_organiser_pin(store);
    SQLite::Statement q(store.db(), "DELETE FROM meta WHERE key = ?");
    q.bind(1, kPinHashKey);
    q.exec();
    clear_counters(store);
    tx.commit();
    return had;
}

PinCheck check_organiser_pin(Store& store, std::string_view pin, std::int64_t now_ms) {
    PinCheck r;
    const auto hash = store.meta(kPinHashKey);
    if (!hash)
        return r; // NoPinSet
    r.wrong_in_a_row = int(meta_int(store, kPinFailuresKey));
    const std::int64_t locked_until = meta_int(store, kPinLockedUntilKey);
    if (now_ms < locked_until) {
        r.result = PinCheck::Result::Locked;
        r.locked_until_ms = locked_until;
        return r;
    }
    ensure_sodium();
    // Outside any transaction: verifying takes a tenth of a second or more and must not hold the
    // write lock the check-in path needs.
    const bool right = crypto_pwhash_str_verify(hash->c_str(), pin.data(), pin.size()) == 0;

    WriteTransaction tx(store.db());
    if (right) {
        clear_counters(store);
        r = PinCheck{PinCheck::Result::Ok, 0, 0};
    } else {
        // Re-read inside the transaction: another attempt may have counted since.
        r.result = PinCheck::Result::Wrong;
        r.wrong_in_a_row = int(meta_int(store, kPinFailuresKey)) + 1;
        store.set_meta(kPinFailuresKey, std::to_string(r.wrong_in_a_row));
        if (const auto lock = pin_lock_ms(r.wrong_in_a_row); lock > 0) {
            r.locked_until_ms = now_ms + lock;
            store.set_meta(kPinLockedUntilKey, std::to_string(r.locked_until_ms));
        }
    }
    tx.commit();
    return r;
}

} // namespace accueil
