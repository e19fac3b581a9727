#pragma once
// The one reading of JSON that crosses a trust boundary (request bodies, bundles, event payloads).
// Checked before any tree is built: size, nesting depth (a payload nested 300,000 deep once crashed
// the server in a recursive copy) and duplicate keys (SQLite's json_extract keeps the first of two
// "day" keys and simdjson the last, so a payload with both counted differently after a rebuild).
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace accueil::sync {

struct JsonLimits {
    std::size_t max_bytes = 64 * 1024;
    std::size_t max_depth = 8;
};

// The parsed value, or nothing with `error` saying what is wrong in one sentence.
std::optional<nlohmann::json> parse_strict_json(std::string_view text, const JsonLimits& limits,
                                                std::string& error);

} // namespace accueil::sync
