#include "organiser_password.hpp"

#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "text_fold.hpp"

#include <sodium.h>

#include <algorithm>

namespace accueil {

namespace {
// Argon2id over 19 MiB, 2 passes: still memory-hard, but lighter than libsodium's "interactive"
// setting (64 MiB), which took 0.5 to 1.6 s per hash and per check on this project's shared 2-core
// build machine depending on its load (an old kiosk laptop is busy too: camera, drawing); this one
// took 0.12 to 0.45 s there. A 4-digit PIN falls to a patient offline attacker whatever the setting:
// the hash only keeps a copied disk from giving the secret away at once, and the throttles guard the
// live doors. The setting is written into each hash string, so changing it later still verifies older
// hashes.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19 * 1024 * 1024;
static_assert(kOpsLimit >= crypto_pwhash_OPSLIMIT_MIN && kMemLimit >= crypto_pwhash_MEMLIMIT_MIN);

void ensure_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok)
        throw StoreError("libsodium could not be initialised");
}

void validate_password(std::string_view password) {
    if (password.size() > kPasswordMaxBytes)
        throw InputError("",
                         i18n::tr("central.password.too_long", {{"max", std::to_string(kPasswordMaxBytes)}}));
    if (!is_valid_utf8(password) || has_control_characters(password))
        throw InputError("", i18n::tr("central.password.not_text"));
    if (utf8_length(password) < kPasswordMinChars)
        throw InputError(
            "", i18n::tr("central.password.too_short", {{"min", std::to_string(kPasswordMinChars)}}));
}
} // namespace

std::string argon2id_hash(std::string_view secret) {
    ensure_sodium();
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, secret.data(), secret.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw StoreError("not enough memory to hash a secret (Argon2id)");
    return hash;
}

bool argon2id_verify(const std::string& hash, std::string_view secret) {
    ensure_sodium();
    return crypto_pwhash_str_verify(hash.c_str(), secret.data(), secret.size()) == 0;
}

std::int64_t growing_lock_ms(int wrong_in_a_row, int free_attempts, std::int64_t first_ms,
                             std::int64_t max_ms) {
    if (wrong_in_a_row < free_attempts)
        return 0;
    std::int64_t ms = first_ms;
    for (int i = free_attempts; i < wrong_in_a_row && ms < max_ms; ++i)
        ms *= 2;
    return std::min(ms, max_ms);
}

std::string organiser_password_hash(std::string_view password) {
    validate_password(password);
    return argon2id_hash(password);
}

void set_organiser_password(Store& store, std::string_view password) {
    const std::string hash = organiser_password_hash(password); // before the transaction: no lock held
    WriteTransaction tx(store.db());
    store.set_meta(kPasswordHashKey, hash);
    tx.commit();
}

bool has_organiser_password(Store& store) {
    return store.meta(kPasswordHashKey).has_value();
}

bool check_organiser_password(Store& store, std::string_view password) {
    const auto hash = store.meta(kPasswordHashKey);
    return hash && password.size() <= kPasswordMaxBytes && argon2id_verify(*hash, password);
}

} // namespace accueil
