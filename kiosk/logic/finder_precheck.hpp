#pragma once
// A cheap test run before the decoder's passes: does the picture hold anything that looks like a QR
// finder pattern (the three nested squares in a code's corners)? Most frames a kiosk sees hold nobody's
// badge, and on such frames every ZXing pass runs to the end and finds nothing; this test costs a
// fraction of one pass and lets decode_frame stop there.
//
// It must never say "no" where a decoder pass can read a code (tests/test_kiosk_pipeline.cpp checks it
// on every real photograph), so it errs on the side of "maybe": one finder pattern confirmed across and
// down is enough, at three scales (small codes at full resolution, big blurry ones on reduced copies).
#include "frame_pipeline.hpp"

#include <optional>

namespace accueil::kiosk {

// How many places in the picture look like a finder pattern (a dark-light-dark-light-dark run in the
// proportions 1:1:3:1:1 along a row, with a real code's contrast, confirmed along the column through
// its centre), at the scale where most are found, counting at most `enough` of them.
int finder_candidates(const GreyImage& img, int enough = 1);
// The same with the picture's half-size copy (downscale_half) already made: decode_frame reads it too.
int finder_candidates(const GreyImage& img, const GreyImage& half, int enough);

// Where a code too fine for the half-size copy may be: the finder-pattern candidates of modules up to
// 4.5 px at full resolution, with room around them for a badge's whole code. Nothing when there are
// none, or when they spread over more than a third of the frame (fine print or texture, not one code).
struct FrameRegion {
    int x = 0, y = 0, width = 0, height = 0;
};
std::optional<FrameRegion> fine_code_region(const GreyImage& img, const GreyImage& half);

inline bool may_hold_qr(const GreyImage& img) {
    return finder_candidates(img, 1) > 0;
}

} // namespace accueil::kiosk
