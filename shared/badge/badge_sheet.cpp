#include "badge_sheet.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "qr_render.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <date/date.h>
#include <pango/pangocairo.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>

namespace accueil {

namespace {
constexpr double kPtPerMm = 72.0 / 25.4;
constexpr const char* kFontFamily = "DejaVu Sans";

struct Rgb {
    double r, g, b;
};

// Okabe-Ito colours: distinguishable by most colour-blind people; the band names the category anyway.
constexpr Rgb kPalette[] = {
    {0.902, 0.624, 0.000}, // orange
    {0.337, 0.706, 0.914}, // sky blue
    {0.000, 0.620, 0.451}, // bluish green
    {0.941, 0.894, 0.259}, // yellow
    {0.000, 0.447, 0.698}, // blue
    {0.835, 0.369, 0.000}, // vermilion
    {0.800, 0.475, 0.655}, // reddish purple
    {0.600, 0.600, 0.600}, // grey
};

Rgb category_colour(const std::string& key) {
    std::uint32_t h = 2166136261u; // FNV-1a: the same category gets the same colour on every run
    for (unsigned char c : key)
        h = (h ^ c) * 16777619u;
    return kPalette[h % (sizeof kPalette / sizeof kPalette[0])];
}

bool dark_background(const Rgb& c) {
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b < 0.5;
}

enum class Align { Left, Centre };

// One reusable Pango layout per sheet: creating layouts per text would dominate a 1,700-badge run.
class TextWriter {
public:
    explicit TextWriter(cairo_t* cr) : cr_(cr), layout_(pango_cairo_create_layout(cr)) {
        // Metrics independent of the output device, so the PDF and a PNG lay out identically.
        cairo_font_options_t* fo = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(pango_layout_get_context(layout_), fo);
        // User units are millimetres: glyph positions rounded to whole units would be 1 mm apart.
        pango_context_set_round_glyph_positions(pango_layout_get_context(layout_), FALSE);
        pango_layout_context_changed(layout_);
        cairo_font_options_destroy(fo);
        desc_ = pango_font_description_new();
        pango_font_description_set_family(desc_, kFontFamily);
    }
    ~TextWriter() {
        pango_font_description_free(desc_);
        g_object_unref(layout_);
    }
    TextWriter(const TextWriter&) = delete;
    TextWriter& operator=(const TextWriter&) = delete;

    // Draws `text` in the box starting at (x, y), `width` wide, at the largest size from `max_mm` down
    // to `min_mm` that fits in `max_lines`; below that, ellipsised. Returns the height used (mm).
    double draw(const std::string& text, bool bold, double max_mm, double min_mm, double x, double y,
                double width, int max_lines, Align align) {
        if (text.empty())
            return 0;
        pango_font_description_set_weight(desc_, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_text(layout_, text.c_str(), int(text.size()));
        pango_layout_set_alignment(layout_, align == Align::Centre ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
        pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_ellipsize(layout_, PANGO_ELLIPSIZE_NONE);
        pango_layout_set_height(layout_, -1);
        double size = max_mm;
        for (int attempt = 0; attempt < 6; ++attempt) {
            set_size(size);
            // Unwrapped first: a single line that fits needs no more work.
            pango_layout_set_width(layout_, -1);
            PangoRectangle ink, logical;
            pango_layout_get_extents(layout_, &ink, &logical);
            const double natural = double(logical.width) / PANGO_SCALE;
            if (natural <= width)
                break;
            pango_layout_set_width(layout_, int(width * PANGO_SCALE));
            if (max_lines > 1 && pango_layout_get_line_count(layout_) <= max_lines && !word_broken())
                break;
            if (size <= min_mm)
                break;
            // Shrink in proportion to the overflow (one line), or by a step when wrapping may help.
            const double shrink = max_lines == 1 ? width / natural * 0.98 : 0.88;
            size = std::max(min_mm, size * std::min(shrink, 0.95));
        }
        pango_layout_set_width(layout_, int(width * PANGO_SCALE));
        if (pango_layout_get_line_count(layout_) > max_lines) {
            pango_layout_set_ellipsize(layout_, PANGO_ELLIPSIZE_END);
            pango_layout_set_height(layout_, -max_lines);
        }
        PangoRectangle ink, logical;
        pango_layout_get_extents(layout_, &ink, &logical);
        cairo_move_to(cr_, x, y);
        pango_cairo_show_layout(cr_, layout_);
        return double(logical.height) / PANGO_SCALE;
    }

private:
    void set_size(double mm) {
        pango_font_description_set_absolute_size(desc_, mm * PANGO_SCALE);
        pango_layout_set_font_description(layout_, desc_);
    }
    // A word cut in the middle (wrapped inside a word) reads badly on a name: shrink instead.
    bool word_broken() {
        const char* text = pango_layout_get_text(layout_);
        int n = 0;
        const PangoLogAttr* attrs = pango_layout_get_log_attrs_readonly(layout_, &n);
        PangoLayoutIter* it = pango_layout_get_iter(layout_);
        bool broken = false;
        while (pango_layout_iter_next_line(it)) {
            const int byte = pango_layout_iter_get_index(it);
            const long ch = g_utf8_pointer_to_offset(text, text + byte);
            if (ch < n && !attrs[ch].is_line_break)
                broken = true;
        }
        pango_layout_iter_free(it);
        return broken;
    }

    cairo_t* cr_;
    PangoLayout* layout_;
    PangoFontDescription* desc_;
};

const char* kWeekdays[] = {"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."};
const char* kMonths[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
                         "juil.", "août",  "sept.", "oct.", "nov.", "déc."};

std::string french_date(const std::string& iso) {
    const int y = std::atoi(iso.substr(0, 4).c_str());
    const unsigned m = unsigned(std::atoi(iso.substr(5, 2).c_str()));
    const unsigned d = unsigned(std::atoi(iso.substr(8, 2).c_str()));
    const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok())
        return iso;
    const date::weekday wd{date::sys_days{ymd}};
    return std::string(kWeekdays[wd.c_encoding()]) + " " + std::to_string(d) + " " + kMonths[m - 1];
}

// The symbol as a 1-bit mask, one pixel per module, scaled without interpolation: in the PDF it is a
// small stencil image (a few hundred bytes) with perfectly sharp modules, where one rectangle per run
// of modules would cost thousands of numbers per badge to write and compress.
void draw_qr(cairo_t* cr, const QrSymbol& qr, double x, double y, double size) {
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> mask(
        cairo_image_surface_create(CAIRO_FORMAT_A1, qr.width, qr.width), cairo_surface_destroy);
    cairo_surface_flush(mask.get());
    unsigned char* data = cairo_image_surface_get_data(mask.get());
    const int stride = cairo_image_surface_get_stride(mask.get());
    for (int row = 0; row < qr.width; ++row) {
        auto* words = reinterpret_cast<std::uint32_t*>(data + row * stride);
        for (int col = 0; col < qr.width; ++col)
            if (qr.dark(col, row)) {
                // Cairo's A1 pixels are bits of native 32-bit words, first pixel in the low bit on
                // little-endian machines and in the high bit on big-endian ones.
                const int bit = std::endian::native == std::endian::little ? col % 32 : 31 - col % 32;
                words[col / 32] |= std::uint32_t(1) << bit;
            }
    }
    cairo_surface_mark_dirty(mask.get());
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, size / qr.width, size / qr.width);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_pattern_t* pattern = cairo_pattern_create_for_surface(mask.get());
    cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST);
    cairo_mask(cr, pattern);
    cairo_pattern_destroy(pattern);
    cairo_restore(cr);
}

void draw_crop_marks(cairo_t* cr, double x, double y, double w, double h) {
    constexpr double gap = 1.0, len = 2.5;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.15);
    for (double cx : {x, x + w})
        for (double cy : {y, y + h}) {
            const double sx = cx == x ? -1 : 1, sy = cy == y ? -1 : 1;
            cairo_move_to(cr, cx + sx * gap, cy);
            cairo_line_to(cr, cx + sx * (gap + len), cy);
            cairo_move_to(cr, cx, cy + sy * gap);
            cairo_line_to(cr, cx, cy + sy * (gap + len));
        }
    cairo_stroke(cr);
}

void draw_band(cairo_t* cr, TextWriter& text, const Attendee& a, double x, double y, double w, double h) {
    const Rgb c = category_colour(a.category_key.empty() ? a.category : a.category_key);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    const std::string name = a.category.empty() ? a.category_key : a.category;
    if (dark_background(c))
        cairo_set_source_rgb(cr, 1, 1, 1);
    else
        cairo_set_source_rgb(cr, 0, 0, 0);
    const double size = h * 0.5;
    text.draw(name, true, size, size * 0.6, x + 2, y + (h - size * 1.17) / 2, w - 4, 1, Align::Centre);
}

// Draws one badge with its top-left corner at (x, y) in mm. Returns the QR placement.
BadgePlacement draw_badge(cairo_t* cr, TextWriter& text, const EventInfo& event, const BadgeToPrint& b,
                          double x, double y, double w, double h) {
    const QrSymbol qr = encode_qr(b.code);
    const Attendee& a = b.attendee;
    const int qr_modules = qr.width + 2 * kQrQuietModules;
    BadgePlacement p;
    p.x = x;
    p.y = y;
    p.width = w;
    p.height = h;
    p.qr_version = qr.version;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    const std::string days = badge_days_text(a, event);
    if (w > h) {
        // Landscape: text on the left, the QR (with its quiet zone) on the right, the band below.
        const double band = h * 0.15;
        const double box = std::min(h - band - 2.0, w * 0.56); // QR with its quiet zone
        const double bx = x + w - box - 0.5, by = y + (h - band - box) / 2;
        p.module_mm = box / qr_modules;
        p.qr_size = p.module_mm * qr.width;
        p.qr_x = bx + kQrQuietModules * p.module_mm;
        p.qr_y = by + kQrQuietModules * p.module_mm;
        draw_qr(cr, qr, p.qr_x, p.qr_y, p.qr_size);
        const double tx = x + 4, tw = p.qr_x - tx - 1.5;
        double ty = y + 3.5;
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        ty += text.draw(event.name, true, 2.9, 2.2, tx, ty, tw, 2, Align::Left);
        ty += text.draw(days, false, 2.5, 1.9, tx, ty, tw, 2, Align::Left) + 2.5;
        cairo_set_source_rgb(cr, 0, 0, 0);
        ty += text.draw(a.first_name, true, 8.5, 3.8, tx, ty, tw, 1, Align::Left);
        ty += text.draw(a.last_name, false, 5.0, 3.2, tx, ty, tw, 2, Align::Left) + 1.0;
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text.draw(a.organisation, false, 3.4, 2.5, tx, ty, tw, 2, Align::Left);
        draw_band(cr, text, a, x, y + h - band, w, band);
    } else {
        // Portrait: event and days on top, names, the QR centred, the band below.
        const double band = h * 0.11;
        const double box = std::min(w - 6.0, h * 0.47);
        const double bx = x + (w - box) / 2, by = y + h - band - box - 0.5;
        p.module_mm = box / qr_modules;
        p.qr_size = p.module_mm * qr.width;
        p.qr_x = bx + kQrQuietModules * p.module_mm;
        p.qr_y = by + kQrQuietModules * p.module_mm;
        draw_qr(cr, qr, p.qr_x, p.qr_y, p.qr_size);
        const double tx = x + 3, tw = w - 6;
        const double scale = w / 90.0;
        double ty = y + 3.5 * scale;
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        ty += text.draw(event.name, true, 3.4 * scale, 2.2, tx, ty, tw, 2, Align::Centre);
        ty += text.draw(days, false, 2.9 * scale, 1.9, tx, ty, tw, 2, Align::Centre) + 3.0 * scale;
        cairo_set_source_rgb(cr, 0, 0, 0);
        ty += text.draw(a.first_name, true, 11.0 * scale, 4.0, tx, ty, tw, 1, Align::Centre);
        ty += text.draw(a.last_name, false, 6.5 * scale, 3.2, tx, ty, tw, 2, Align::Centre) + 1.0;
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text.draw(a.organisation, false, 4.2 * scale, 2.5, tx, ty, tw, 2, Align::Centre);
        draw_band(cr, text, a, x, y + h - band, w, band);
    }
    return p;
}

void check_surface(cairo_surface_t* s, const std::string& path) {
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        throw InputError(path, i18n::tr("cli.picture.cannot_write_file",
                                        {{"detail", cairo_status_to_string(cairo_surface_status(s))}}));
}
} // namespace

std::optional<BadgeLayout> parse_badge_layout(std::string_view name) {
    if (name == "a4-8")
        return BadgeLayout::A4x8;
    if (name == "a6")
        return BadgeLayout::A6;
    if (name == "label-62mm")
        return BadgeLayout::Label62;
    return std::nullopt;
}

const char* to_string(BadgeLayout layout) {
    switch (layout) {
    case BadgeLayout::A4x8:
        return "a4-8";
    case BadgeLayout::A6:
        return "a6";
    case BadgeLayout::Label62:
        return "label-62mm";
    }
    return "a4-8";
}

SheetGeometry sheet_geometry(BadgeLayout layout) {
    SheetGeometry g;
    switch (layout) {
    case BadgeLayout::A4x8: {
        g.page_width = 210;
        g.page_height = 297;
        g.badge_width = 90;
        g.badge_height = 63;
        constexpr double gutter = 8;
        const double x0 = (g.page_width - 2 * g.badge_width - gutter) / 2;
        const double y0 = (g.page_height - 4 * g.badge_height - 3 * gutter) / 2;
        for (int row = 0; row < 4; ++row)
            for (int col = 0; col < 2; ++col)
                g.slots.emplace_back(x0 + col * (g.badge_width + gutter),
                                     y0 + row * (g.badge_height + gutter));
        break;
    }
    case BadgeLayout::A6:
        g.page_width = 105;
        g.page_height = 148;
        g.badge_width = 90;
        g.badge_height = 128;
        g.slots.emplace_back(7.5, 10);
        break;
    case BadgeLayout::Label62:
        g.page_width = 62;
        g.page_height = 100;
        g.badge_width = 62;
        g.badge_height = 100;
        g.slots.emplace_back(0, 0);
        g.crop_marks = false; // the label printer cuts; marks would land on the label edge
        break;
    }
    return g;
}

std::string badge_days_text(const Attendee& a, const EventInfo& event) {
    std::string out;
    for (const auto& d : event.days) {
        if (!a.may_enter(d.date))
            continue;
        if (!out.empty())
            out += " · ";
        out += french_date(d.date);
        if (!d.label.empty())
            out += " (" + d.label + ")";
    }
    return out;
}

std::vector<BadgePlacement> write_badge_sheet(const std::string& pdf_path, const EventInfo& event,
                                              const std::vector<BadgeToPrint>& badges, BadgeLayout layout,
                                              const SheetProgress& progress) {
    const SheetGeometry g = sheet_geometry(layout);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_pdf_surface_create(pdf_path.c_str(), g.page_width * kPtPerMm, g.page_height * kPtPerMm),
        cairo_surface_destroy);
    check_surface(surface.get(), pdf_path);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                   ("Badges — " + event.name).c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "accueil");
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
    cairo_scale(cr.get(), kPtPerMm, kPtPerMm); // user units are millimetres
    std::vector<BadgePlacement> placements;
    placements.reserve(badges.size());
    {
        TextWriter text(cr.get());
        for (std::size_t i = 0; i < badges.size(); ++i) {
            const std::size_t slot = i % g.slots.size();
            if (slot == 0 && i > 0)
                cairo_show_page(cr.get());
            const auto [x, y] = g.slots[slot];
            auto p = draw_badge(cr.get(), text, event, badges[i], x, y, g.badge_width, g.badge_height);
            p.page = int(i / g.slots.size());
            if (g.crop_marks)
                draw_crop_marks(cr.get(), x, y, g.badge_width, g.badge_height);
            placements.push_back(p);
            if (progress)
                progress(i + 1, badges.size());
        }
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    check_surface(surface.get(), pdf_path);
    return placements;
}

void write_badge_png(const std::string& png_path, const EventInfo& event, const BadgeToPrint& badge,
                     BadgeLayout layout, double dpi) {
    const SheetGeometry g = sheet_geometry(layout);
    const double px_per_mm = dpi / 25.4;
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(std::lround(g.badge_width * px_per_mm)),
                                   int(std::lround(g.badge_height * px_per_mm))),
        cairo_surface_destroy);
    check_surface(surface.get(), png_path);
    {
        std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
        cairo_scale(cr.get(), px_per_mm, px_per_mm);
        TextWriter text(cr.get());
        draw_badge(cr.get(), text, event, badge, 0, 0, g.badge_width, g.badge_height);
    }
    cairo_surface_flush(surface.get());
    const auto status = cairo_surface_write_to_png(surface.get(), png_path.c_str());
    if (status != CAIRO_STATUS_SUCCESS)
        throw InputError(png_path,
                         i18n::tr("cli.picture.cannot_write", {{"detail", cairo_status_to_string(status)}}));
}

} // namespace accueil
