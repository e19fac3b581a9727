#pragma once
// Device roles and the origins a store accepts events from. The central
// store (the organisers') may say anything; a desk may edit attendees and register walk-ins; a kiosk
// may only check people in under its own name, undo its own check-ins, and record what a verified
// signed badge says of a person it did not know yet.
#include "badge/event_keys.hpp"
#include "store.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil::sync {

enum class Role { Central, Kiosk, Desk };
const char* to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);

struct Peer {
    Role role = Role::Kiosk;
    std::string name;             // device name ("Accueil 2"); central's is empty
    std::optional<PublicKey> key; // Ed25519 device key: verifies its bundles
    bool revoked = false;         // cut off by the organisers: its bundles are refused
};

// Every origin this store accepts events from, with its role: the sync_peers table, plus the central
// origin (on a kiosk: the server it joined, `sync.server_origin`; on the central store: itself).
std::map<Origin, Peer> known_peers(Store& store);

// Whether this store is a kiosk or desk that joined a server (it has a server address).
bool is_joined_device(Store& store);
// This store's own role: the one the server gave at join, or Central for a store that joined nothing
// (the organisers' machine, a local-only demo).
Role own_role(Store& store);

// The server's list for kiosks ([{origin, role, name}]) and back; a malformed list throws InputError.
nlohmann::json peers_to_json(const std::map<Origin, Peer>& peers);
std::map<Origin, Peer> peers_from_json(const nlohmann::json& j);

// Records (or updates) an origin's role. Call inside a WriteTransaction.
void record_peer(SQLite::Database& db, const Origin& origin, const Peer& peer);
// Kiosk side: whether the stored list already says what `peers` says (origin, role, name), so the
// agent writes, and locks the kiosk's database, only when the server's list changed.
bool peers_unchanged(SQLite::Database& db, const std::map<Origin, Peer>& peers);
// Kiosk side: the server's list replaces ours. Call inside a WriteTransaction.
void replace_peers(SQLite::Database& db, const std::map<Origin, Peer>& peers);

} // namespace accueil::sync
