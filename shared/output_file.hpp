#pragma once
// Files written whole or not at all (the report, its CSV tables, the attendance export, USB bundles), so an
// interrupted run, a full disk or a pulled stick never leaves half a file where the last good one was.
#include <string>
#include <string_view>

namespace accueil {

// Writes `data` to a temporary file beside `path`, flushes it to the disk, then renames it over `path`.
// Throws InputError(path, reason) when the folder is missing or not writable, or the disk is full; no
// temporary file is left behind then.
void write_file_atomically(const std::string& path, std::string_view data);

// Writes all of `data` to `fd` (retrying short writes and EINTR), then fsync: 0, or the errno of what failed.
int write_all_and_sync(int fd, std::string_view data);

// Throws InputError(dir, reason) unless `dir` is an existing folder (the report never creates folders:
// a mistyped path is better said than silently made).
void require_directory(const std::string& dir);
// The same for the folder `file_path` would be written in (the current folder for a bare name).
void require_parent_directory(const std::string& file_path);

} // namespace accueil
