#include "organiser_pin.hpp"

#include "database.hpp"
#include "errors.hpp"
#include "organiser_password.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace accueil {

namespace {
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
    return growing_lock_ms(wrong_in_a_row, kPinFreeAttempts, kPinFirstLockMs, kPinMaxLockMs);
}

void wipe_pin(std::string& pin) {
    sodium_memzero(pin.data(), pin.size());
}

void set_organiser_pin(Store& store, std::string_view pin) {
    validate_pin(pin);
    const std::string hash =
        argon2id_hash(pin); // before the transaction: the write lock is not held meanwhile
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
    // Outside any transaction: verifying takes a tenth of a second or more and must not hold the
    // write lock the check-in path needs.
    const bool right = argon2id_verify(*hash, pin);

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
