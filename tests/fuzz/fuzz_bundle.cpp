// libFuzzer target: a bundle file (sync/bundle.hpp) as it comes off a USB stick. decode_bundle must
// refuse anything damaged with InputError and nothing else. A mutated file almost never keeps a valid
// signature, so each input is also decoded a second time re-signed with a fixed key: that way the
// body behind the signature (the strict JSON reading, the protocol check, the events) is fuzzed too.
// What decodes must encode again to the same bundle.
#include "errors.hpp"
#include "fuzz_fixture.hpp"
#include "sync/bundle.hpp"

#include <sodium.h>

#include <cstdlib>
#include <iostream>
#include <string>

using namespace accueil;

namespace {

const SigningKey& key() {
    static const SigningKey k = fuzz::key_of(fuzz::kDevices[0]);
    return k;
}

std::optional<sync::Bundle> decode(const std::string& bytes) {
    try {
        return sync::decode_bundle(bytes, "fuzz");
    } catch (const InputError&) {
        return std::nullopt;
    }
}

// The input without its last line when that line is a signature, signed again with key().
std::string resigned(std::string bytes) {
    if (!bytes.empty() && bytes.back() == '\n') {
        const auto last = bytes.rfind('\n', bytes.size() - 2);
        const auto start = last == std::string::npos ? 0 : last + 1;
        if (bytes.compare(start, 8, "ed25519 ") == 0)
            bytes.resize(start);
    }
    if (bytes.empty() || bytes.back() != '\n')
        bytes += '\n';
    const auto sig = key().sign(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return bytes + "ed25519 " + to_hex(key().public_key()) + " " + to_hex(sig.data(), sig.size()) + "\n";
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    (void)decode(bytes);
    const auto b = decode(resigned(bytes));
    if (!b)
        return 0;
    if (b->signer != key().public_key())
        std::abort();
    // Round trip: what was read can be written again and reads back the same.
    const auto again = decode(sync::encode_bundle(*b, key()));
    if (!again || again->origin != b->origin || again->kiosk != b->kiosk ||
        again->created_ms != b->created_ms || again->events != b->events) {
        std::cerr << "fuzz_bundle: a decoded bundle does not survive encode_bundle + decode_bundle\n";
        std::abort();
    }
    return 0;
}
