#pragma once
// Printable badges (Cairo + Pango, fonts from fonts-dejavu-core): PDF sheets with crop marks in three
// layouts, and single badges as PNG. Each badge shows the first name large, the last name, the
// organisation, the event name and the attendee's days, the signed QR code (modules of about 1 mm,
// enough for a laptop webcam at 40 cm) and the category as a coloured band that also names it in
// text, so colour is never the only cue.
#include "attendee.hpp"
#include "event_calendar.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

enum class BadgeLayout {
    A4x8,    // "a4-8": eight 90 x 63 mm badges on an A4 page, crop marks in the gutters
    A6,      // "a6": one 90 x 128 mm badge centred on an A6 page, crop marks
    Label62, // "label-62mm": one 62 x 100 mm badge per page, for 62 mm label printers (no crop marks)
};
std::optional<BadgeLayout> parse_badge_layout(std::string_view name);
const char* to_string(BadgeLayout layout);

struct BadgeToPrint {
    Attendee attendee;
    std::string code; // the signed badge code (badge_code.hpp)
};

// Where a badge landed, in millimetres from the page's top-left corner.
struct BadgePlacement {
    int page = 0; // 0-based
    double x = 0, y = 0, width = 0, height = 0;
    double qr_x = 0, qr_y = 0, qr_size = 0; // the symbol without its quiet zone
    int qr_version = 0;
    double module_mm = 0;
};

struct SheetGeometry {
    double page_width = 0, page_height = 0; // mm
    double badge_width = 0, badge_height = 0;
    std::vector<std::pair<double, double>> slots; // badge top-left corners on a page
    bool crop_marks = true;
};
SheetGeometry sheet_geometry(BadgeLayout layout);

// Called after each badge: (done, total).
using SheetProgress = std::function<void(std::size_t, std::size_t)>;

// Writes the PDF (every badge, in order). Throws InputError when a code cannot be encoded or the file
// cannot be written. Returns every placement.
std::vector<BadgePlacement> write_badge_sheet(const std::string& pdf_path, const EventInfo& event,
                                              const std::vector<BadgeToPrint>& badges, BadgeLayout layout,
                                              const SheetProgress& progress = {});

// One badge as a PNG picture at `dpi`, drawn exactly as on the sheet.
void write_badge_png(const std::string& png_path, const EventInfo& event, const BadgeToPrint& badge,
                     BadgeLayout layout, double dpi = 300);

// The line of days printed on a badge: "mar. 27 sept. (OFF) · mer. 28 sept." (every event day when
// the attendee's list is empty).
std::string badge_days_text(const Attendee& a, const EventInfo& event);

} // namespace accueil
