#pragma once
// The event's badge-signing keys. The organiser's machine holds the Ed25519 private
// key in a file only its owner can read; the public keys travel as KeyAdded journal events, so every
// kiosk learns them with the event data and verifies badges offline. Several keys may be valid at
// once, so a key can be rotated without reprinting every badge.
#include "journal.hpp"
#include "store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

using PublicKey = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;

// The short key id a badge code names: the first two bytes of the public key, big-endian. Two keys
// may share an id; verification then tries each of them.
std::uint16_t key_id_of(const PublicKey& key);

struct EventKey {
    PublicKey public_key{};
    std::uint16_t key_id = 0;
    std::string label;
    std::int64_t added_ms = 0;
};

// Every public key of the event, oldest first.
std::vector<EventKey> load_event_keys(SQLite::Database& db);

// The private half: a 32-byte seed from which libsodium derives the key pair. Wiped on destruction.
class SigningKey {
public:
    static SigningKey generate();
    static SigningKey from_seed(const std::array<std::uint8_t, 32>& seed);
    SigningKey(const SigningKey&);
    SigningKey& operator=(const SigningKey&);
    ~SigningKey();

    const PublicKey& public_key() const { return public_; }
    std::uint16_t key_id() const { return key_id_of(public_); }
    Signature sign(const std::uint8_t* data, std::size_t size) const;
    const std::array<std::uint8_t, 32>& seed() const { return seed_; }

private:
    SigningKey() = default;
    std::array<std::uint8_t, 32> seed_{};
    std::array<std::uint8_t, 64> secret_{}; // libsodium's expanded secret key (seed + public key)
    PublicKey public_{};
};

// Writes a new key file readable by its owner only (mode 0600, created exclusively: an existing file
// is never overwritten). Throws InputError when the file exists or cannot be written.
void write_key_file(const std::string& path, const SigningKey& key);
// Reads a key file, refusing one that its group or others may access (InputError with the chmod to
// run), one owned by another user, or one that is malformed.
SigningKey read_key_file(const std::string& path);

// Journals a KeyAdded event for the public key (call inside a WriteTransaction). Returns false when
// the event already lists this key.
bool add_event_key(Store& store, const PublicKey& key, const std::string& label);

// `accueil keys init`: creates the key pair, writes the private key file, journals the public key.
// Refuses when the key file already exists. Returns the new key.
SigningKey init_event_key(Store& store, const std::string& key_path, const std::string& label);

// The private key of `key_path`, checked to be one of the event's keys (InputError otherwise).
SigningKey load_signing_key(Store& store, const std::string& key_path);

// The default key file of a database: "<db>.key" beside it.
std::string default_key_path(const std::string& db_path);

// Projection of a KeyAdded event into `event_keys` (called by Projector::apply). Idempotent.
void project_key_added(SQLite::Database& db, const JournalEvent& e);

std::string to_hex(const PublicKey& key);
std::optional<PublicKey> public_key_from_hex(std::string_view hex);

} // namespace accueil
