#include "sync/bundle.hpp"

#include "output_file.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "sync/peers.hpp"
#include "sync/strict_json.hpp"

#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace accueil::sync {

namespace {
constexpr const char* kMagic = "accueil-bundle 2\n";
constexpr const char* kSigLabel = "ed25519 "; // then the public key and the signature, in hex

std::optional<Signature> signature_from_hex(std::string_view hex) {
    Signature s{};
    if (hex.size() != 2 * s.size())
        return std::nullopt;
    const auto a = public_key_from_hex(hex.substr(0, 64)), b = public_key_from_hex(hex.substr(64));
    if (!a || !b)
        return std::nullopt;
    std::copy(a->begin(), a->end(), s.begin());
    std::copy(b->begin(), b->end(), s.begin() + 32);
    return s;
}
} // namespace

std::string encode_bundle(const Bundle& b, const SigningKey& key) {
    const nlohmann::json body = {{"protocol", kProtocolVersion},
                                 {"origin", to_hex(b.origin)},
                                 {"kiosk", b.kiosk},
                                 {"created_ms", b.created_ms},
                                 {"events", events_to_json(b.events)}};
    std::string out = kMagic;
    out += body.dump();
    out += '\n';
    const Signature sig = key.sign(reinterpret_cast<const std::uint8_t*>(out.data()), out.size());
    out += kSigLabel;
    out += to_hex(key.public_key());
    out += ' ';
    out += to_hex(sig.data(), sig.size());
    out += '\n';
    return out;
}

Bundle decode_bundle(const std::string& bytes, const std::string& where) {
    const std::string magic = kMagic;
    if (bytes.compare(0, magic.size(), magic) != 0) {
        if (bytes.starts_with("accueil-bundle "))
            throw InputError(where, i18n::tr("bundle.other_version"));
        throw InputError(where, i18n::tr("bundle.not_a_bundle"));
    }
    if (bytes.size() > kMaxBundleBytes)
        throw InputError(where,
                         i18n::tr("bundle.too_large", {{"mb", std::to_string(kMaxBundleBytes >> 20)}}));
    // The signature line is the last line; anything missing after it means a truncated copy.
    if (bytes.size() < magic.size() + 2 || bytes.back() != '\n')
        throw InputError(where, i18n::tr("bundle.truncated"));
    const auto last = bytes.rfind('\n', bytes.size() - 2);
    if (last == std::string::npos || last < magic.size())
        throw InputError(where, i18n::tr("bundle.truncated"));
    const std::string_view content(bytes.data(), last + 1);
    const std::string sig_line = bytes.substr(last + 1, bytes.size() - last - 2);
    const std::string label = kSigLabel;
    const auto space = sig_line.find(' ', label.size());
    const auto key =
        sig_line.starts_with(label) && space != std::string::npos
            ? public_key_from_hex(std::string_view(sig_line).substr(label.size(), space - label.size()))
            : std::nullopt;
    const auto sig = key ? signature_from_hex(std::string_view(sig_line).substr(space + 1)) : std::nullopt;
    if (!key || !sig)
        throw InputError(where, i18n::tr("bundle.truncated"));
    if (sodium_init() < 0)
        throw StoreError("libsodium could not start");
    if (crypto_sign_verify_detached(sig->data(), reinterpret_cast<const unsigned char*>(content.data()),
                                    content.size(), key->data()) != 0)
        throw InputError(where, i18n::tr("bundle.altered"));
    std::string why;
    const auto parsed = parse_strict_json(content.substr(magic.size()), {kMaxBundleBytes, 6}, why);
    if (!parsed)
        throw InputError(where, i18n::tr("bundle.malformed", {{"detail", why}}));
    const auto& body = *parsed;
    Bundle b;
    b.signer = *key;
    try {
        check_protocol(body);
        const auto origin = origin_from_hex(text_field(body, "origin"));
        if (!origin)
            throw InputError("", "bundle does not name its origin");
        b.origin = *origin;
        b.kiosk = text_field(body, "kiosk").substr(0, 100);
        b.created_ms = integer_field(body, "created_ms", 0);
        if (!body.contains("events"))
            throw InputError("", "bundle holds no \"events\"");
        b.events = events_from_json(body["events"]);
    } catch (const InputError& e) {
        throw InputError(where, i18n::tr("bundle.malformed", {{"detail", e.what()}}));
    } catch (const nlohmann::json::exception& e) {
        throw InputError(where, i18n::tr("bundle.malformed", {{"detail", e.what()}}));
    }
    return b;
}

void verify_bundle_signer(Store& store, const Bundle& b, const std::string& where) {
    verify_bundle_signer(known_peers(store), b, where);
}

void verify_bundle_signer(const std::map<Origin, Peer>& peers, const Bundle& b, const std::string& where) {
    const auto it = peers.find(b.origin);
    if (it == peers.end() || !it->second.key)
        throw InputError(
            where, i18n::tr("bundle.unknown_device", {{"device", b.kiosk}, {"origin", to_hex(b.origin)}}));
    if (*it->second.key != b.signer)
        throw InputError(where, i18n::tr("bundle.forged", {{"device", it->second.name}}));
    if (it->second.revoked)
        throw InputError(where, i18n::tr("bundle.revoked", {{"device", it->second.name}}));
}

void write_bundle_file(const std::string& path, const Bundle& b, const SigningKey& key) {
    write_file_atomically(path, encode_bundle(b, key));
}

Bundle read_bundle_file(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxBundleBytes)
        throw InputError(path, i18n::tr("bundle.too_large", {{"mb", std::to_string(kMaxBundleBytes >> 20)}}));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, i18n::tr("bundle.unreadable"));
    std::ostringstream ss;
    ss << in.rdbuf();
    return decode_bundle(ss.str(), path);
}

} // namespace accueil::sync
