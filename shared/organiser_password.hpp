#pragma once
// The organisers' web password (issue 11): `accueil-sync password` sets it, the live page's login
// checks it. Kept in the central database's meta table as an Argon2id hash (libsodium's
// crypto_pwhash_str), never in clear. Also the Argon2id hashing and the growing lock-out shared with
// the organiser PIN (shared/organiser_pin.hpp), so both secrets are kept and throttled alike.
//
// Hashing and checking are slow on purpose (a tenth of a second or more): never on a thread that
// draws or does a server's socket I/O.
#include "store.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace accueil {

inline constexpr const char* kPasswordHashKey = "web.password_hash";
inline constexpr std::size_t kPasswordMinChars = 10;   // characters (UTF-8 code points)
inline constexpr std::size_t kPasswordMaxBytes = 1024; // longer is refused, not truncated

// Argon2id string (algorithm, settings and salt included) of `secret`. Throws StoreError when libsodium
// cannot be initialised or runs out of memory.
std::string argon2id_hash(std::string_view secret);
// Constant-time comparison with a string made by argon2id_hash (false for a damaged one).
bool argon2id_verify(const std::string& hash, std::string_view secret);

// How long a lock-out lasts after the `wrong_in_a_row`-th wrong attempt: none before `free_attempts`,
// then `first_ms`, doubling with each further wrong attempt, never more than `max_ms`.
std::int64_t growing_lock_ms(int wrong_in_a_row, int free_attempts, std::int64_t first_ms,
                             std::int64_t max_ms);

// InputError (clear message) unless 10 characters to 1024 bytes of valid UTF-8 with no control
// character; then the hash to keep (any store keeps it under kPasswordHashKey). Slow (see above).
std::string organiser_password_hash(std::string_view password);
// The same checks (nothing stored when they fail); then replaces any previous password.
void set_organiser_password(Store& store, std::string_view password);
bool has_organiser_password(Store& store);
// True only for the right password (false when none is set). Slow (see above); reads, never writes.
bool check_organiser_password(Store& store, std::string_view password);

} // namespace accueil
