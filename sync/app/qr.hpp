#pragma once
// The enrolment code as a QR: in the terminal (UTF-8 half blocks) and as a PNG file.
#include <string>

namespace accueil::sync {

std::string qr_terminal(const std::string& text);
void qr_png(const std::string& text, const std::string& path);

} // namespace accueil::sync
