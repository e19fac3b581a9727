// libFuzzer target: the badge code parser and verifier must refuse any input cleanly (no crash, no
// undefined behaviour, no exception) and accept only canonical codes.
#include "badge/badge_code.hpp"

#include <cstdlib>
#include <string_view>

using namespace accueil;

namespace {
const std::vector<EventKey>& keys() {
    static const std::vector<EventKey> k = [] {
        std::array<std::uint8_t, 32> seed{};
        for (std::size_t i = 0; i < seed.size(); ++i)
            seed[i] = std::uint8_t(i * 7 + 1);
        const auto key = SigningKey::from_seed(seed);
        return std::vector<EventKey>{EventKey{key.public_key(), key.key_id(), "fuzz", 0}};
    }();
    return k;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = parse_badge_code(text);
    if (parsed) {
        // Canonical: what parses re-encodes to exactly the same bytes and text.
        if (encode_badge_payload(parsed.badge->payload) != parsed.badge->signed_part)
            std::abort();
        auto all = parsed.badge->signed_part;
        all.insert(all.end(), parsed.badge->signature.begin(), parsed.badge->signature.end());
        if (base32_encode(all.data(), all.size()) != text)
            std::abort();
    }
    (void)verify_badge_code(text, "fuzz-event", keys());
    (void)looks_like_badge_code(text);
    return 0;
}
