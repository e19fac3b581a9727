#pragma once
// Each store's Ed25519 device key: made when a kiosk joins (its public half goes to
// the server with the join) or when the central store first needs it; signs the bundles it writes.
// The seed lives in the database's meta table, which only its owner may read.
#include "badge/event_keys.hpp"
#include "store.hpp"

namespace accueil::sync {

// This store's key, made and saved (in its own transaction) on first use.
SigningKey device_key_of(Store& store);
// The saved key, or nothing; and saving one (inside the caller's WriteTransaction). `join` makes its key
// in memory and saves it only with the enrolment, so a refused join leaves the database as it was.
std::optional<SigningKey> stored_device_key(Store& store);
void save_device_key(Store& store, const SigningKey& key);

} // namespace accueil::sync
