#include "event_keys.hpp"

#include "output_file.hpp"

#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace accueil {

namespace {
constexpr const char* kKeyFileHeader = "accueil-event-key-v1";

void ensure_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok)
        throw std::runtime_error("libsodium could not be initialised");
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0)
        return std::nullopt;
    std::vector<std::uint8_t> out(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); ++i) {
        const char c = hex[i];
        unsigned v;
        if (c >= '0' && c <= '9')
            v = unsigned(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = unsigned(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v = unsigned(c - 'A' + 10);
        else
            return std::nullopt;
        out[i / 2] = std::uint8_t(out[i / 2] << 4 | v);
    }
    return out;
}
} // namespace

std::uint16_t key_id_of(const PublicKey& key) {
    return std::uint16_t(key[0] << 8 | key[1]);
}

std::string to_hex(const PublicKey& key) {
    return to_hex(key.data(), key.size());
}

std::optional<PublicKey> public_key_from_hex(std::string_view hex) {
    if (hex.size() != 64)
        return std::nullopt;
    auto bytes = from_hex(hex);
    if (!bytes)
        return std::nullopt;
    PublicKey k{};
    std::memcpy(k.data(), bytes->data(), k.size());
    return k;
}

std::vector<EventKey> load_event_keys(SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT public_key, label, added_ms FROM event_keys ORDER BY hlc, origin");
    std::vector<EventKey> keys;
    while (q.executeStep()) {
        const auto blob = q.getColumn(0);
        if (blob.getBytes() != int(PublicKey{}.size()))
            continue; // the projection never stores such a row; a hand-edited one is ignored
        EventKey k;
        std::memcpy(k.public_key.data(), blob.getBlob(), k.public_key.size());
        k.key_id = key_id_of(k.public_key);
        k.label = q.getColumn(1).getString();
        k.added_ms = q.getColumn(2).getInt64();
        keys.push_back(std::move(k));
    }
    return keys;
}

SigningKey SigningKey::from_seed(const std::array<std::uint8_t, 32>& seed) {
    ensure_sodium();
    SigningKey k;
    k.seed_ = seed;
    crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), k.seed_.data());
    return k;
}

SigningKey SigningKey::generate() {
    ensure_sodium();
    std::array<std::uint8_t, 32> seed{};
    randombytes_buf(seed.data(), seed.size());
    SigningKey k = from_seed(seed);
    sodium_memzero(seed.data(), seed.size());
    return k;
}

SigningKey::SigningKey(const SigningKey&) = default;
SigningKey& SigningKey::operator=(const SigningKey&) = default;

SigningKey::~SigningKey() {
    sodium_memzero(seed_.data(), seed_.size());
    sodium_memzero(secret_.data(), secret_.size());
}

Signature SigningKey::sign(const std::uint8_t* data, std::size_t size) const {
    Signature sig{};
    crypto_sign_detached(sig.data(), nullptr, data, size, secret_.data());
    return sig;
}

void write_key_file(const std::string& path, const SigningKey& key) {
    // O_EXCL: never overwrite a key (badges signed with it would become unverifiable to reprint);
    // mode 0600 from the start, so the secret is never readable by others, not even for a moment.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            throw InputError(path, i18n::tr("cli.keyfile.exists"));
        throw InputError(path, i18n::tr("cli.keyfile.cannot_create", {{"detail", std::strerror(errno)}}));
    }
    std::string text = std::string(kKeyFileHeader) + "\n" + to_hex(key.seed().data(), key.seed().size()) +
                       "\n" + to_hex(key.public_key()) + "\n";
    // The umask may have narrowed the mode further, never widened it; fchmod makes it exactly 0600.
    const int saved = ::fchmod(fd, 0600) == 0 ? write_all_and_sync(fd, text) : errno;
    const bool ok = saved == 0;
    ::close(fd);
    sodium_memzero(text.data(), text.size());
    if (!ok) {
        ::unlink(path.c_str());
        throw InputError(path, i18n::tr("cli.keyfile.cannot_write", {{"detail", std::strerror(saved)}}));
    }
}

SigningKey read_key_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw InputError(path, i18n::tr("cli.keyfile.cannot_open", {{"detail", std::strerror(errno)}}));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError(path, i18n::tr("cli.keyfile.not_regular"));
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        ::close(fd);
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
        throw InputError(path, i18n::tr("cli.keyfile.too_open", {{"mode", mode}, {"path", path}}));
    }
    if (st.st_uid != ::geteuid()) {
        ::close(fd);
        throw InputError(path, i18n::tr("cli.keyfile.other_owner"));
    }
    std::string text(std::size_t(std::min<off_t>(st.st_size, 4096)), '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += std::size_t(n);
    }
    ::close(fd);
    text.resize(done);
    // header \n seed-hex \n public-hex \n
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    sodium_memzero(text.data(), text.size());
    auto wipe = [&] {
        for (auto& l : lines)
            sodium_memzero(l.data(), l.size());
    };
    if (lines.size() < 2 || lines[0] != kKeyFileHeader) {
        wipe();
        throw InputError(path, i18n::tr("cli.keyfile.not_a_key"));
    }
    auto seed_bytes = from_hex(lines[1]);
    if (!seed_bytes || seed_bytes->size() != 32) {
        wipe();
        throw InputError(path, i18n::tr("cli.keyfile.bad_private"));
    }
    std::array<std::uint8_t, 32> seed{};
    std::memcpy(seed.data(), seed_bytes->data(), seed.size());
    sodium_memzero(seed_bytes->data(), seed_bytes->size());
    SigningKey key = SigningKey::from_seed(seed);
    sodium_memzero(seed.data(), seed.size());
    const bool public_matches = lines.size() < 3 || lines[2].empty() || lines[2] == to_hex(key.public_key());
    wipe();
    if (!public_matches)
        throw InputError(path, i18n::tr("cli.keyfile.mismatch"));
    return key;
}

bool add_event_key(Store& store, const PublicKey& key, const std::string& label) {
    SQLite::Statement q(store.db(), "SELECT 1 FROM event_keys WHERE public_key = ?");
    q.bind(1, key.data(), int(key.size()));
    if (q.executeStep())
        return false;
    store.append(EventKind::KeyAdded, "key",
                 {{"public_key", to_hex(key)}, {"label", label}, {"at", store.wall_ms()}});
    return true;
}

SigningKey init_event_key(Store& store, const std::string& key_path, const std::string& label) {
    SigningKey key = SigningKey::generate();
    write_key_file(key_path, key);
    try {
        WriteTransaction tx(store.db());
        add_event_key(store, key.public_key(), label);
        tx.commit();
    } catch (...) {
        // Without its public key in the event, the file is useless: do not leave it behind.
        ::unlink(key_path.c_str());
        throw;
    }
    return key;
}

SigningKey load_signing_key(Store& store, const std::string& key_path) {
    SigningKey key = read_key_file(key_path);
    for (const auto& k : load_event_keys(store.db()))
        if (k.public_key == key.public_key())
            return key;
    throw InputError(key_path, i18n::tr("cli.keyfile.not_the_events"));
}

std::string default_key_path(const std::string& db_path) {
    return db_path + ".key";
}

void project_key_added(SQLite::Database& db, const JournalEvent& e) {
    const auto p = nlohmann::json::parse(e.payload, nullptr, false);
    const auto key = p.is_object() ? public_key_from_hex(p.value("public_key", "")) : std::nullopt;
    if (!key)
        throw StoreError("journal event " + to_hex(e.origin) + "/" + std::to_string(e.seq) +
                         " adds a malformed badge key");
    SQLite::Statement s(db, "INSERT INTO event_keys (public_key, key_id, label, added_ms, hlc, origin) "
                            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    s.bind(1, key->data(), int(key->size()));
    s.bind(2, int(key_id_of(*key)));
    s.bind(3, p.value("label", ""));
    s.bind(4, p.value("at", std::int64_t(0)));
    s.bind(5, std::int64_t(e.hlc));
    s.bind(6, e.origin.data(), int(e.origin.size()));
    s.exec();
}

} // namespace accueil
