#pragma once
// The files of assets/lang/, compiled in by shared/embed_catalogue.cmake (generated source).
#include <span>
#include <string_view>

namespace accueil::i18n {

struct EmbeddedFile {
    std::string_view path; // "fr/kiosk.json"
    std::string_view text;
};

std::span<const EmbeddedFile> embedded_catalogue_files();

} // namespace accueil::i18n
