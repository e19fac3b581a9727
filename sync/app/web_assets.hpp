#pragma once
// Every file of assets/web/ (the organisers' page, issue 11), embedded into accueil-sync at build time
// by shared/embed_files.cmake: the server needs no files beside it, and no network.
#include "embedded_file.hpp"

#include <cstddef>
#include <span>
#include <string_view>

namespace accueil::sync::web {

using WebAsset = EmbeddedFile; // path relative to assets/web/: "index.html", "app.js"

std::span<const WebAsset> web_assets();

} // namespace accueil::sync::web
