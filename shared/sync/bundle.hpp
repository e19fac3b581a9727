#pragma once
// Bundles: journal events on a USB stick when there is no network at all (DESIGN.md §4). One file,
// a header line, the events as JSON and a BLAKE2b-256 checksum line; a file that does not check out
// (corrupt, truncated, another version) is refused whole.
#include "sync/protocol.hpp"

#include <string>
#include <vector>

namespace accueil::sync {

struct Bundle {
    Origin origin{};   // the database that wrote it
    std::string kiosk; // its kiosk name, for people
    std::int64_t created_ms = 0;
    std::vector<JournalEvent> events;
};

std::string encode_bundle(const Bundle& b);
// Throws InputError("<where>", reason) on any damage; never returns a partial bundle.
Bundle decode_bundle(const std::string& bytes, const std::string& where);

// Written to a temporary file, flushed to disk, then renamed: a pulled stick never holds half a file.
void write_bundle_file(const std::string& path, const Bundle& b);
Bundle read_bundle_file(const std::string& path);

} // namespace accueil::sync
