#pragma once
// The files of assets/lang/ ("fr/kiosk.json"...), compiled in by shared/embed_files.cmake.
#include "embedded_file.hpp"

#include <cstddef>
#include <span>

namespace accueil::i18n {

std::span<const EmbeddedFile> embedded_catalogue_files();

} // namespace accueil::i18n
