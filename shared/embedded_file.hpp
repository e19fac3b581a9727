#pragma once
// A file compiled into a program at build time by shared/embed_files.cmake: the programs need no
// files installed beside them (the organisers' page, the message catalogue).
#include <string_view>

namespace accueil {

struct EmbeddedFile {
    std::string_view path; // relative to the embedded folder, "/" separated: "index.html", "fr/cli.json"
    std::string_view data;
};

} // namespace accueil
