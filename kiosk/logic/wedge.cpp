#include "wedge.hpp"

namespace accueil::kiosk {

std::vector<std::string> utf8_characters(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = 1;
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80)
            ++n;
        out.push_back(text.substr(i, n));
        i += n;
    }
    return out;
}

std::optional<std::string> KeyboardWedge::flush() {
    std::optional<std::string> code;
    if (burst_chars_ >= opt_.min_chars)
        code = burst_;
    else
        typed_ += burst_; // too short to be a scan: a person typing
    burst_.clear();
    burst_chars_ = 0;
    return code;
}

std::optional<std::string> KeyboardWedge::key(const std::string& ch, std::int64_t t) {
    std::optional<std::string> code;
    if (!burst_.empty() && t - last_ms_ > opt_.max_gap_ms)
        code = flush();
    burst_ += ch;
    ++burst_chars_;
    last_ms_ = t;
    return code;
}

std::optional<std::string> KeyboardWedge::enter(std::int64_t t) {
    if (burst_.empty())
        return std::nullopt;
    if (t - last_ms_ > opt_.max_gap_ms) {
        // A person pressed Enter after typing: nothing was scanned.
        flush();
        return std::nullopt;
    }
    return flush();
}

std::optional<std::string> KeyboardWedge::poll(std::int64_t t) {
    if (burst_.empty() || t - last_ms_ < opt_.end_pause_ms)
        return std::nullopt;
    return flush();
}

std::string KeyboardWedge::take_typed() {
    std::string out;
    out.swap(typed_);
    return out;
}

} // namespace accueil::kiosk
