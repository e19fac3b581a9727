#pragma once
// Bundles: journal events on a USB stick when there is no network at all. One file:
// a header line, the events as JSON, and a last line with the Ed25519 signature of everything before
// it by the device that wrote it. A file that does not check out (corrupt, truncated, another
// version, a signature that does not verify) is refused whole; whether the signer may be believed is
// the store's question (verify_bundle_signer), asked before anything is merged.
// Attention notes (shared/attendee_notes.hpp): a bundle holds what its writer's journal holds, so one
// written by a desk or the central store may carry note texts; such bundles are meant for the central
// store. Merged into a store that joined as a kiosk, the notes are passed over and never written
// (sync/merge.cpp), but the stick itself still holds them: hand kiosks only bundles from kiosks.
#include "badge/event_keys.hpp"
#include "store.hpp"
#include "sync/peers.hpp"
#include "sync/protocol.hpp"

#include <map>

#include <string>
#include <vector>

namespace accueil::sync {

struct Bundle {
    Origin origin{};   // the database that wrote and signed it
    std::string kiosk; // its kiosk name, for people
    std::int64_t created_ms = 0;
    std::vector<JournalEvent> events;
    PublicKey signer{}; // set by decode_bundle: the key whose signature verified
};

// A bundle file is at most this large (a day of a busy kiosk is a few MB).
constexpr std::size_t kMaxBundleBytes = 256u << 20;

std::string encode_bundle(const Bundle& b, const SigningKey& key);
// Throws InputError("<where>", reason) on any damage; never returns a partial bundle.
Bundle decode_bundle(const std::string& bytes, const std::string& where);
// Throws InputError unless the signer is a device this store knows by that key and has not revoked
// (on a kiosk: the central store whose key was pinned at join).
void verify_bundle_signer(Store& store, const Bundle& b, const std::string& where);
// The same against a store's list of peers (known_peers, or the PostgreSQL store's).
void verify_bundle_signer(const std::map<Origin, Peer>& peers, const Bundle& b, const std::string& where);

// Written owner-only to a temporary file, flushed to disk, then renamed: a pulled stick never holds
// half a file.
void write_bundle_file(const std::string& path, const Bundle& b, const SigningKey& key);
Bundle read_bundle_file(const std::string& path);

} // namespace accueil::sync
