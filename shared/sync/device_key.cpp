#include "sync/device_key.hpp"

#include "database.hpp"

namespace accueil::sync {

std::optional<SigningKey> stored_device_key(Store& store) {
    const auto hex = store.meta("sync.device_seed");
    if (!hex)
        return std::nullopt;
    const auto seed = public_key_from_hex(*hex); // 32 bytes in hex, the same shape as a public key
    if (!seed)
        return std::nullopt;
    return SigningKey::from_seed(*seed);
}

void save_device_key(Store& store, const SigningKey& key) {
    store.set_meta("sync.device_seed", to_hex(key.seed().data(), key.seed().size()));
}

SigningKey device_key_of(Store& store) {
    if (auto k = stored_device_key(store))
        return *k;
    WriteTransaction tx(store.db());
    if (auto k = stored_device_key(store)) // made by another process meanwhile
        return *k;
    const SigningKey key = SigningKey::generate();
    save_device_key(store, key);
    tx.commit();
    return key;
}

} // namespace accueil::sync
