#pragma once
// Every file of assets/web/ (the organisers' page, issue 11), embedded into accueil-sync at build time
// by sync/embed_web_assets.cmake: the server needs no files beside it, and no network.
#include <cstddef>
#include <span>
#include <string_view>

namespace accueil::sync::web {

struct WebAsset {
    std::string_view path; // relative to assets/web/, "/" separated: "index.html", "app.js"
    std::string_view data;
};

std::span<const WebAsset> web_assets();

} // namespace accueil::sync::web
