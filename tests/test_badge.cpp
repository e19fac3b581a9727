// Badges: key files, signed codes, check-in of signed badges, QR pictures and printable sheets
// decoded back with ZXing (also after degrading the pictures).
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/badge_sheet.hpp"
#include "badge/event_keys.hpp"
#include "badge/qr_render.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/sync_peers.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace accueil;

namespace {
// A store whose wall clock the test sets, so two stores can be ordered in time.
struct FakeClock {
    std::shared_ptr<std::int64_t> now =
        std::make_shared<std::int64_t>(test::kSept28At0912 - 30 * test::kOneDayMs);
    WallClock wall() const {
        auto n = now;
        return [n] { return *n; };
    }
};

struct BadgeFixture {
    test::TempDir dir;
    FakeClock clock;
    Store store = Store::create(dir.file("central.db"), test::demo_spec(), clock.wall());
    SigningKey key = init_event_key(store, dir.file("central.db.key"), "2022");
    Attendee lea, zoe;
    BadgeFixture() {
        store.set_kiosk_name("Accueil 1");
        WriteTransaction tx(store.db());
        lea = create_attendee(store, Attendee{.first_name = "Léa",
                                              .last_name = "Dupré",
                                              .organisation = "Coopérative Œuvre & Cœur",
                                              .category = "Orateur·ice",
                                              .ext_code = "PRETIX-7Q2"});
        zoe = create_attendee(store, Attendee{.first_name = "Zoé",
                                              .last_name = "N'Diaye",
                                              .category = "Bénévole",
                                              .days = {"2022-09-28"}});
        tx.commit();
    }
    std::string code_of(const Attendee& a) { return badge_code_for(a, store.event(), key); }
    int count(const char* sql) { return store.db().execAndGet(sql).getInt(); }
    int journal_size() { return count("SELECT count(*) FROM journal"); }
};

std::string flip_char_bit(std::string s, std::size_t i, int bit) {
    s[i] = char(std::uint8_t(s[i]) ^ (1u << bit));
    return s;
}
} // namespace

TEST_CASE("Base32 is strict: one spelling per byte string") {
    const std::vector<std::uint8_t> bytes = {0x01, 0xFF, 0x00, 0x7A, 0x42};
    const auto text = base32_encode(bytes.data(), bytes.size());
    CHECK(text == "AH7QA6SC");
    CHECK(base32_decode(text) == bytes);
    CHECK_FALSE(base32_decode("ah7qa6sc"));   // lower case
    CHECK_FALSE(base32_decode("AH7QA6SC==")); // padding
    CHECK(base32_encode(bytes.data(), 2) == "AH7Q");
    CHECK_FALSE(base32_decode("AH7R"));    // the same bytes with non-zero trailing bits
    CHECK_FALSE(base32_decode("AH7QA6S")); // a length no encoder produces
    CHECK(base32_decode("")->empty());
}

TEST_CASE("Attendee ids map to 60 bits and back") {
    for (int i = 0; i < 100; ++i) {
        const auto id = random_attendee_id();
        const auto v = attendee_id_value(id);
        REQUIRE(v);
        CHECK(*v >> 60 == 0);
        CHECK(attendee_id_text(*v) == id);
    }
    CHECK_FALSE(attendee_id_value("0123456789AU")); // U is not Crockford
    CHECK_FALSE(attendee_id_value("0123"));
}

TEST_CASE_METHOD(BadgeFixture, "A badge code round-trips, is compact and verifies") {
    const auto code = code_of(lea);
    INFO(code);
    CHECK(looks_like_badge_code(code));
    CHECK(code.size() >= kBadgeCodeMinChars);
    CHECK(code.size() <= kBadgeCodeMaxChars);
    CHECK(code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == std::string::npos);
    const auto check = verify_badge_code(code, store.event().uid, load_event_keys(store.db()));
    REQUIRE(check);
    CHECK(badge_attendee_id(*check.payload) == lea.id);
    CHECK(check.payload->badge_version == 1);
    CHECK(check.payload->category_key == "orateur-ice");
    CHECK(check.payload->day_count == 0);
    CHECK(badge_days(*check.payload, store.event()).empty());
    // Zoé may come on the 28th only: the mask names it.
    const auto zcheck = verify_badge_code(code_of(zoe), store.event().uid, load_event_keys(store.db()));
    REQUIRE(zcheck);
    CHECK(zcheck.payload->day_count == 3);
    CHECK(badge_days(*zcheck.payload, store.event()) == std::vector<std::string>{"2022-09-28"});
}

TEST_CASE("Longest possible code still fits the limits") {
    BadgePayload p;
    p.attendee = (std::uint64_t(1) << 60) - 1;
    p.badge_version = 65535;
    p.day_count = 64;
    p.day_mask = ~std::uint64_t(0);
    p.category_key = "abcdefghijklmnopqrstuvwxyz"; // cut to 12 bytes
    const auto code = make_badge_code(p, SigningKey::generate());
    CHECK(code.size() == kBadgeCodeMaxChars);
    const auto parsed = parse_badge_code(code);
    REQUIRE(parsed);
    CHECK(parsed.badge->payload.category_key == "abcdefghijkl");
    BadgePayload q;
    q.category_key = "";
    CHECK(make_badge_code(q, SigningKey::generate()).size() == kBadgeCodeMinChars);
    // A multi-byte character is never cut in half.
    q.category_key = "aaaaaaaaaaaé"; // 11 + 2 bytes
    const auto cut = parse_badge_code(make_badge_code(q, SigningKey::generate()));
    REQUIRE(cut);
    CHECK(cut.badge->payload.category_key == "aaaaaaaaaaa");
}

TEST_CASE_METHOD(BadgeFixture, "Every single-bit flip and every truncation of a valid code is refused") {
    const auto code = code_of(lea);
    const auto keys = load_event_keys(store.db());
    const auto& uid = store.event().uid;
    REQUIRE(verify_badge_code(code, uid, keys));
    // Bit flips of the decoded bytes, re-encoded: the signature or the parser refuses each one.
    const auto bytes = *base32_decode(code);
    int refused = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i)
        for (int bit = 0; bit < 8; ++bit) {
            auto altered = bytes;
            altered[i] ^= std::uint8_t(1u << bit);
            const auto text = base32_encode(altered.data(), altered.size());
            const auto check = verify_badge_code(text, uid, keys);
            CHECK_FALSE(check);
            refused += check ? 0 : 1;
        }
    CHECK(refused == int(bytes.size() * 8));
    // Bit flips of the text itself (what a misread would produce).
    for (std::size_t i = 0; i < code.size(); ++i)
        for (int bit = 0; bit < 8; ++bit)
            CHECK_FALSE(verify_badge_code(flip_char_bit(code, i, bit), uid, keys));
    // Every truncation, and every extension.
    for (std::size_t n = 0; n < code.size(); ++n)
        CHECK_FALSE(verify_badge_code(code.substr(0, n), uid, keys));
    CHECK_FALSE(verify_badge_code(code + "A", uid, keys));
    CHECK_FALSE(verify_badge_code(code + "AAAAAAAA", uid, keys));
    // At check-in: refused, nothing written.
    const int before = journal_size();
    for (std::size_t i = 0; i < code.size(); i += 7) {
        const auto r = check_in(store, flip_char_bit(code, i, 0), test::kSept28At0912);
        CHECK(r.verdict != Verdict::Admitted);
        CHECK((r.verdict == Verdict::InvalidBadge || r.verdict == Verdict::UnknownCode));
    }
    for (std::size_t n = kBadgeCodeMinChars; n < code.size(); ++n)
        CHECK(check_in(store, code.substr(0, n), test::kSept28At0912).verdict == Verdict::InvalidBadge);
    CHECK(journal_size() == before);
}

TEST_CASE_METHOD(BadgeFixture, "Other keys, other events and unknown key ids are refused") {
    const auto keys = load_event_keys(store.db());
    // Same key id, different key: a forger who copies the id.
    const auto other = SigningKey::generate();
    auto p = badge_payload_for(lea, store.event(), key.key_id());
    const auto forged = make_badge_code(p, other);
    CHECK(verify_badge_code(forged, store.event().uid, keys).error == BadgeError::BadSignature);
    // Its own key id: not one of the event's keys.
    if (other.key_id() != key.key_id())
        CHECK(verify_badge_code(badge_code_for(lea, store.event(), other), store.event().uid, keys).error ==
              BadgeError::UnknownKey);
    // Signed with this event's key but for another event uid.
    EventInfo elsewhere = store.event();
    elsewhere.uid = "0123456789abcdef";
    const auto foreign = badge_code_for(lea, elsewhere, key);
    CHECK(verify_badge_code(foreign, store.event().uid, keys).error == BadgeError::OtherEvent);
    const int before = journal_size();
    const auto r = check_in(store, foreign, test::kSept28At0912);
    CHECK(r.verdict == Verdict::InvalidBadge);
    CHECK(r.badge_problem == "badge of another event");
    CHECK(describe(r, "Europe/Paris") == "invalid badge (badge of another event)");
    CHECK(check_in(store, forged, test::kSept28At0912).verdict == Verdict::InvalidBadge);
    CHECK(journal_size() == before);
    // No key at all (a kiosk that never received one) refuses every badge.
    CHECK(verify_badge_code(code_of(lea), store.event().uid, {}).error == BadgeError::UnknownKey);
}

TEST_CASE_METHOD(BadgeFixture, "Check-in of signed badges: usual verdicts, replaced badges") {
    const auto code = code_of(lea);
    const auto first = check_in(store, code, test::kSept28At0912);
    CHECK(first.verdict == Verdict::Admitted);
    REQUIRE(first.attendee);
    CHECK(first.attendee->id == lea.id);
    CHECK_FALSE(first.created_from_badge);
    CHECK(check_in(store, code, test::kSept28At0912 + 1000).verdict == Verdict::AlreadyCheckedIn);
    // Zoé's badge outside her day.
    CHECK(check_in(store, code_of(zoe), test::kSept28At0912 + test::kOneDayMs).verdict == Verdict::NotToday);
    // The ticket code still works by lookup.
    CHECK(check_in(store, "PRETIX-7Q2", test::kSept28At0912 + test::kOneDayMs).verdict == Verdict::Admitted);
    // Reprint: version 2 supersedes version 1.
    Attendee v2 = lea;
    v2.badge_version = 2;
    {
        WriteTransaction tx(store.db());
        update_attendee(store, lea, v2);
        tx.commit();
    }
    const int before = journal_size();
    const auto off_day = test::kSept28At0912 - test::kOneDayMs;
    const auto old = check_in(store, code, off_day);
    CHECK(old.verdict == Verdict::ReplacedBadge);
    CHECK(describe(old, "Europe/Paris") == "replaced badge: Léa Dupré (Orateur·ice) has a newer badge");
    // Recorded for the desks' alerts (shared/desk.hpp), and nothing else.
    CHECK(journal_size() == before + 1);
    CHECK(read_journal(store.db()).back().kind == EventKind::ReplacedBadgeScanned);
    CHECK(check_in(store, code_of(v2), off_day).verdict == Verdict::Admitted);
}

TEST_CASE("A kiosk that never heard of an attendee admits a signed badge and learns the attendee") {
    test::TempDir dir;
    FakeClock kiosk_clock, central_clock;
    *central_clock.now = *kiosk_clock.now + 1000;
    // The kiosk's own event definition is older than the central one, which therefore wins below.
    Store kiosk = Store::create(dir.file("kiosk.db"), test::demo_spec(), kiosk_clock.wall());
    Store central = Store::create(dir.file("central.db"), test::demo_spec(), central_clock.wall());
    const auto key = init_event_key(central, dir.file("central.db.key"), "");
    Attendee early;
    {
        WriteTransaction tx(central.db());
        early = create_attendee(central,
                                Attendee{.first_name = "Anne", .last_name = "Old", .category = "Bénévole"});
        tx.commit();
    }
    test::trust(kiosk, central, sync::Role::Central);
    auto sync_to_kiosk = [&] { REQUIRE(test::merge_in(kiosk, read_journal(central.db())).ok()); };
    sync_to_kiosk(); // the kiosk's last contact
    REQUIRE(kiosk.event().uid == central.event().uid);
    REQUIRE(load_event_keys(kiosk.db()).size() == 1);

    // Registered afterwards, badge printed centrally.
    *central_clock.now += 3600'000;
    Attendee late;
    {
        WriteTransaction tx(central.db());
        late = create_attendee(central, Attendee{.first_name = "Élodie",
                                                 .last_name = "Brûlé",
                                                 .email = "e@example.org",
                                                 .category = "Bénévole",
                                                 .days = {"2022-09-28", "2022-09-29"}});
        tx.commit();
    }
    const auto code = badge_code_for(late, central.event(), key);

    *kiosk_clock.now = test::kSept28At0912;
    // Not on one of the badge's days: refused, nothing created.
    const int journal_before = int(read_journal(kiosk.db()).size());
    CHECK(check_in(kiosk, code, test::kSept28At0912 - test::kOneDayMs).verdict == Verdict::NotToday);
    CHECK(int(read_journal(kiosk.db()).size()) == journal_before);

    const auto r = check_in(kiosk, code, test::kSept28At0912);
    CHECK(r.verdict == Verdict::Admitted);
    CHECK(r.created_from_badge);
    const auto made = load_attendee(kiosk.db(), late.id);
    REQUIRE(made);
    CHECK(made->source == "badge");
    CHECK(made->category == "Bénévole"); // the display text of a known category
    CHECK(made->category_key == "benevole");
    CHECK(made->days == std::vector<std::string>{"2022-09-28", "2022-09-29"});
    CHECK(describe(r, "Europe/Paris") ==
          "admitted: attendee " + late.id +
              " (Bénévole), 2022-09-28 (new here: created from the signed badge)");
    CHECK(check_in(kiosk, code, test::kSept28At0912 + 60'000).verdict == Verdict::AlreadyCheckedIn);

    // The real record arrives later: its names fill the blanks, the check-in stays.
    sync_to_kiosk();
    const auto merged = load_attendee(kiosk.db(), late.id);
    REQUIRE(merged);
    CHECK(merged->first_name == "Élodie");
    CHECK(merged->last_name == "Brûlé");
    CHECK(merged->email == "e@example.org");
    CHECK(kiosk.db().execAndGet("SELECT count(*) FROM checkins WHERE undone = 0").getInt() == 1);
    // A rebuild from the journal gives the same state.
    rebuild_projections(kiosk.db());
    CHECK(load_attendee(kiosk.db(), late.id) == merged);
    CHECK(load_event_keys(kiosk.db()).size() == 1);
}

TEST_CASE_METHOD(BadgeFixture, "A newer badge than the kiosk knows raises the attendee's badge version") {
    Attendee v3 = lea;
    v3.badge_version = 3;
    CHECK(check_in(store, code_of(v3), test::kSept28At0912).verdict == Verdict::Admitted);
    CHECK(load_attendee(store.db(), lea.id)->badge_version == 3);
    CHECK(check_in(store, code_of(lea), test::kSept28At0912 + test::kOneDayMs).verdict ==
          Verdict::ReplacedBadge);
}

TEST_CASE_METHOD(BadgeFixture, "Rotated keys: badges of every listed key verify") {
    const auto second = init_event_key(store, dir.file("second.key"), "rotation");
    CHECK(load_event_keys(store.db()).size() == 2);
    CHECK(check_in(store, badge_code_for(lea, store.event(), second), test::kSept28At0912).verdict ==
          Verdict::Admitted);
    CHECK(check_in(store, code_of(zoe), test::kSept28At0912).verdict == Verdict::Admitted);
    // Adding the same key twice changes nothing.
    WriteTransaction tx(store.db());
    CHECK_FALSE(add_event_key(store, second.public_key(), "again"));
    tx.commit();
}

TEST_CASE_METHOD(BadgeFixture, "Key files: owner-only, never overwritten, checked against the event") {
    const auto path = dir.file("central.db.key");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const auto again = load_signing_key(store, path);
    CHECK(again.public_key() == key.public_key());
    // Refuses to overwrite.
    CHECK_THROWS_AS(init_event_key(store, path, ""), InputError);
    CHECK(load_event_keys(store.db()).size() == 1);
    // Readable by the group or others: refused, with the fix in the message.
    for (mode_t mode : {0640, 0604, 0620, 0660, 0644}) {
        REQUIRE(::chmod(path.c_str(), mode) == 0);
        try {
            read_key_file(path);
            FAIL("a key file with mode " << std::oct << mode << " was accepted");
        } catch (const InputError& e) {
            CHECK_THAT(e.what(), Catch::Contains("chmod 600"));
        }
    }
    REQUIRE(::chmod(path.c_str(), 0400) == 0);
    CHECK_NOTHROW(read_key_file(path));
    // A key that is not the event's.
    const auto stray = dir.file("stray.key");
    write_key_file(stray, SigningKey::generate());
    CHECK_THROWS_AS(load_signing_key(store, stray), InputError);
    // Missing, damaged files.
    CHECK_THROWS_AS(read_key_file(dir.file("missing.key")), InputError);
    const auto damaged = dir.file("damaged.key");
    { std::ofstream(damaged) << "accueil-event-key-v1\nnot hex\n"; }
    ::chmod(damaged.c_str(), 0600);
    CHECK_THROWS_AS(read_key_file(damaged), InputError);
    { std::ofstream(damaged, std::ios::trunc) << "hello\n"; }
    CHECK_THROWS_AS(read_key_file(damaged), InputError);
    CHECK(default_key_path("/x/event.db") == "/x/event.db.key");
}

TEST_CASE("The code parser survives random and mutated input (replay fuzzing for g++ builds)") {
    std::mt19937_64 rng(20220928);
    const auto key = SigningKey::generate();
    BadgePayload p;
    p.attendee = 12345;
    p.day_count = 3;
    p.day_mask = 5;
    p.category_key = "participant";
    const auto valid = make_badge_code(p, key);
    const std::vector<EventKey> keys = {EventKey{key.public_key(), key.key_id(), "", 0}};
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=a0 \n\xC3\xA9";
    int accepted = 0;
    for (int i = 0; i < 200'000; ++i) {
        std::string s;
        switch (i % 4) {
        case 0: { // random bytes of any length
            s.resize(rng() % 200);
            for (auto& c : s)
                c = char(rng());
            break;
        }
        case 1: { // random base32-ish text of badge length
            s.resize(kBadgeCodeMinChars + rng() % (kBadgeCodeMaxChars - kBadgeCodeMinChars + 1));
            for (auto& c : s)
                c = alphabet[rng() % alphabet.size()];
            s[0] = 'A';
            break;
        }
        default: { // a valid code with a few mutations
            s = valid;
            const int n = 1 + int(rng() % 4);
            for (int k = 0; k < n; ++k) {
                const std::size_t at = rng() % s.size();
                switch (rng() % 3) {
                case 0:
                    s[at] = alphabet[rng() % alphabet.size()];
                    break;
                case 1:
                    s.erase(at, 1);
                    break;
                default:
                    s.insert(at, 1, alphabet[rng() % alphabet.size()]);
                }
            }
        }
        }
        const auto parsed = parse_badge_code(s);
        if (parsed) {
            // Whatever parses re-encodes to the same bytes (the format is canonical).
            CHECK(encode_badge_payload(parsed.badge->payload) == parsed.badge->signed_part);
        }
        const auto check = verify_badge_code(s, "uid", keys);
        if (check)
            ++accepted;
        if (check && s != valid)
            FAIL("a mutated code verified: " << s);
    }
    INFO("accepted " << accepted);
    CHECK(accepted >= 0);
}

// ---------------------------------------------------------------------------------------------------
// Pictures: QR files, PDF sheets rasterised by poppler, decoded by ZXing, degraded.

namespace {
struct Grey {
    int w = 0, h = 0;
    std::vector<std::uint8_t> px;
    std::uint8_t at(int x, int y) const {
        if (x < 0 || y < 0 || x >= w || y >= h)
            return 255; // paper around the picture
        return px[std::size_t(y) * std::size_t(w) + std::size_t(x)];
    }
    double bilinear(double x, double y) const {
        const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
        const double fx = x - x0, fy = y - y0;
        return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
               fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
};

std::optional<std::string> decode_qr(const Grey& g) {
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(true);
    hints.setTryRotate(true);
    const auto r = ZXing::ReadBarcode({g.px.data(), g.w, g.h, ZXing::ImageFormat::Lum}, hints);
    if (!r.isValid())
        return std::nullopt;
    return r.text();
}

// Binary PGM (P5), as pdftoppm -gray writes it.
std::optional<Grey> read_pgm(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    int w = 0, h = 0, maxval = 0;
    in >> magic >> w >> h >> maxval;
    in.get();
    if (magic != "P5" || w <= 0 || h <= 0 || maxval != 255)
        return std::nullopt;
    Grey g{w, h, std::vector<std::uint8_t>(std::size_t(w) * std::size_t(h))};
    in.read(reinterpret_cast<char*>(g.px.data()), std::streamsize(g.px.size()));
    if (!in)
        return std::nullopt;
    return g;
}

Grey crop(const Grey& g, int x, int y, int w, int h) {
    Grey out{w, h, std::vector<std::uint8_t>(std::size_t(w) * std::size_t(h))};
    for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i)
            out.px[std::size_t(j) * std::size_t(w) + std::size_t(i)] = g.at(x + i, y + j);
    return out;
}

Grey box_blur(const Grey& g, int radius) {
    Grey tmp = g, out = g;
    const int n = 2 * radius + 1;
    for (int y = 0; y < g.h; ++y)
        for (int x = 0; x < g.w; ++x) {
            int sum = 0;
            for (int k = -radius; k <= radius; ++k)
                sum += g.at(x + k, y);
            tmp.px[std::size_t(y) * std::size_t(g.w) + std::size_t(x)] = std::uint8_t(sum / n);
        }
    for (int y = 0; y < g.h; ++y)
        for (int x = 0; x < g.w; ++x) {
            int sum = 0;
            for (int k = -radius; k <= radius; ++k)
                sum += tmp.at(x, y + k);
            out.px[std::size_t(y) * std::size_t(g.w) + std::size_t(x)] = std::uint8_t(sum / n);
        }
    return out;
}

// Resamples through an inverse mapping (output pixel -> source position).
template <class Map> Grey remap(const Grey& g, int w, int h, Map map) {
    Grey out{w, h, std::vector<std::uint8_t>(std::size_t(w) * std::size_t(h))};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto [sx, sy] = map(double(x), double(y));
            out.px[std::size_t(y) * std::size_t(w) + std::size_t(x)] =
                std::uint8_t(std::clamp(g.bilinear(sx, sy), 0.0, 255.0));
        }
    return out;
}

Grey rotate(const Grey& g, double degrees) {
    const double a = degrees * M_PI / 180, c = std::cos(a), s = std::sin(a);
    const int w = int(std::abs(g.w * c) + std::abs(g.h * s)) + 2,
              h = int(std::abs(g.w * s) + std::abs(g.h * c)) + 2;
    return remap(g, w, h, [&](double x, double y) {
        const double dx = x - w / 2.0, dy = y - h / 2.0;
        return std::pair{c * dx + s * dy + g.w / 2.0, -s * dx + c * dy + g.h / 2.0};
    });
}

// A badge seen from below at an angle: the top edge narrower than the bottom one (a homography).
Grey perspective(const Grey& g, double top_shrink) {
    // Inverse map: output row v (0..1) narrows by top_shrink at the top, rows compressed projectively.
    const int w = g.w, h = g.h;
    return remap(g, w, h, [&](double x, double y) {
        const double v = y / h;
        const double k = 1 - top_shrink * (1 - v); // width factor of this row
        const double sy =
            h * (v * (1 - top_shrink / 2)) / (1 - top_shrink / 2 * (1 - v) * 2 + top_shrink * v * 0);
        const double sx = (x - w / 2.0) / k + w / 2.0;
        return std::pair{sx, std::clamp(sy, -1.0, double(h))};
    });
}

Grey add_noise(const Grey& g, double sigma, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0, sigma);
    Grey out = g;
    for (auto& p : out.px)
        p = std::uint8_t(std::clamp(p + n(rng), 0.0, 255.0));
    return out;
}

Grey low_contrast(const Grey& g, int lo, int hi) {
    Grey out = g;
    for (auto& p : out.px)
        p = std::uint8_t(lo + p * (hi - lo) / 255);
    return out;
}

Grey scale(const Grey& g, double f) {
    const int w = int(g.w * f), h = int(g.h * f);
    // Area average: what a camera sensor does, unlike point sampling.
    Grey out{w, h, std::vector<std::uint8_t>(std::size_t(w) * std::size_t(h))};
    const double inv = 1 / f;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            double sum = 0;
            int n = 0;
            for (int j = int(y * inv); j < int((y + 1) * inv); ++j)
                for (int i = int(x * inv); i < int((x + 1) * inv); ++i, ++n)
                    sum += g.at(i, j);
            out.px[std::size_t(y) * std::size_t(w) + std::size_t(x)] = std::uint8_t(n ? sum / n : 255);
        }
    return out;
}

Grey jpeg(const Grey& g, int quality) {
    std::vector<std::uint8_t> bytes;
    stbi_write_jpg_to_func(
        [](void* ctx, void* data, int size) {
            auto* v = static_cast<std::vector<std::uint8_t>*>(ctx);
            v->insert(v->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
        },
        &bytes, g.w, g.h, 1, g.px.data(), quality);
    int w = 0, h = 0, n = 0;
    std::uint8_t* px = stbi_load_from_memory(bytes.data(), int(bytes.size()), &w, &h, &n, 1);
    REQUIRE(px != nullptr);
    Grey out{w, h, std::vector<std::uint8_t>(px, px + std::size_t(w) * std::size_t(h))};
    stbi_image_free(px);
    return out;
}

bool have_tool(const char* name) {
    return std::system((std::string("command -v ") + name + " >/dev/null 2>&1").c_str()) == 0;
}

std::string run_output(const std::string& command) {
    std::string out;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
            out.append(buf, n);
        ::pclose(p);
    }
    return out;
}

// 100 attendees with the names French sheets must get right.
std::vector<Attendee> roster(Store& store, int n) {
    static const char* firsts[] = {
        "Œnone",  "Élodie", "François", "Zoé",  "Anaïs",    "Maël", "Jean-Noël", "Chloé",
        "Gaëlle", "Hervé",  "Noémie",   "Loïc", "Bérénice", "Cœur", "Ève",       "Maximilien-Alexandre"};
    static const char* lasts[] = {"Dupré",  "N'Diaye",  "D’Alembert", "Lefèvre",
                                  "Brûlé",  "Œhmichen", "Garçon",     "de La Fontaine-Saint-Exupéry",
                                  "Müller", "Ngô",      "Façade",     "Hœrnig"};
    static const char* orgs[] = {"Coopérative Œuvre & Cœur",
                                 "Mairie de Besançon",
                                 "",
                                 "Association des Élèves Ingénieurs de l’École Polytechnique Fédérale",
                                 "Fédération française d’aïkido",
                                 "La Poste"};
    static const char* cats[] = {"Participant", "Orateur·ice",  "Bénévole",
                                 "Presse",      "Organisation", "Exposant"};
    std::vector<Attendee> out;
    WriteTransaction tx(store.db());
    for (int i = 0; i < n; ++i) {
        Attendee a;
        a.first_name = firsts[i % 16];
        a.last_name = lasts[(i * 7) % 12];
        a.organisation = orgs[(i * 5) % 6];
        a.category = cats[i % 6]; // every category appears
        if (i % 4 == 1)
            a.days = {"2022-09-28"};
        if (i % 4 == 2)
            a.days = {"2022-09-27", "2022-09-29"};
        out.push_back(create_attendee(store, a));
    }
    tx.commit();
    return out;
}
} // namespace

TEST_CASE_METHOD(BadgeFixture, "QR symbols stay at version 7 or less at level M, and files decode") {
    // Every possible code length.
    for (std::size_t cat = 0; cat <= kBadgeCategoryMaxBytes; ++cat)
        for (int days : {0, 3, 8, 9, 64}) {
            BadgePayload p;
            p.attendee = 1;
            p.day_count = std::uint8_t(days);
            p.category_key = std::string(cat, 'x');
            const auto qr = encode_qr(make_badge_code(p, key));
            CHECK(qr.version <= 7);
        }
    const auto code = code_of(lea);
    const auto qr = encode_qr(code);
    INFO("typical code: " << code.size() << " characters, QR version " << qr.version);
    CHECK(qr.version <= 6);
    const auto png = dir.file("lea.png");
    write_qr_png(qr, png);
    int w = 0, h = 0, n = 0;
    std::uint8_t* px = stbi_load(png.c_str(), &w, &h, &n, 1);
    REQUIRE(px != nullptr);
    CHECK(w == (qr.width + 2 * kQrQuietModules) * 8);
    // The quiet zone is white.
    for (int i = 0; i < w * kQrQuietModules * 8; ++i)
        CHECK(px[i] == 255);
    Grey g{w, h, std::vector<std::uint8_t>(px, px + std::size_t(w) * std::size_t(h))};
    stbi_image_free(px);
    CHECK(decode_qr(g) == code);
    const auto svg = qr_svg(qr);
    CHECK(svg.find("viewBox=\"0 0 " + std::to_string(qr.width + 8) + " ") != std::string::npos);
    CHECK(svg.find("<path") != std::string::npos);
    write_qr_svg(qr, dir.file("lea.svg"));
    CHECK(std::filesystem::file_size(dir.file("lea.svg")) == svg.size());
    CHECK_THROWS_AS(write_qr_png(qr, dir.file("no/such/dir.png")), InputError);
    CHECK_THROWS_AS(write_qr_svg(qr, dir.file("no/such/dir.svg")), InputError);
    // A single badge as a picture decodes too.
    write_badge_png(dir.file("badge.png"), store.event(), {lea, code}, BadgeLayout::A6, 150);
    px = stbi_load(dir.file("badge.png").c_str(), &w, &h, &n, 1);
    REQUIRE(px != nullptr);
    Grey badge{w, h, std::vector<std::uint8_t>(px, px + std::size_t(w) * std::size_t(h))};
    stbi_image_free(px);
    CHECK(decode_qr(badge) == code);
}

TEST_CASE("Layouts have names and fit their pages") {
    for (auto layout : {BadgeLayout::A4x8, BadgeLayout::A6, BadgeLayout::Label62}) {
        CHECK(parse_badge_layout(to_string(layout)) == layout);
        const auto g = sheet_geometry(layout);
        for (const auto& [x, y] : g.slots) {
            CHECK(x >= 0);
            CHECK(y >= 0);
            CHECK(x + g.badge_width <= g.page_width);
            CHECK(y + g.badge_height <= g.page_height);
        }
    }
    CHECK(sheet_geometry(BadgeLayout::A4x8).slots.size() == 8);
    CHECK_FALSE(parse_badge_layout("a5"));
}

TEST_CASE_METHOD(BadgeFixture,
                 "Round trip: a 100-badge PDF, rasterised, decoded, verified, degraded pictures") {
    // A missing tool fails the test rather than skipping it (deploy/install-deps.sh installs it).
    INFO("pdftoppm is not installed (Debian package poppler-utils)");
    REQUIRE(have_tool("pdftoppm"));
    const auto people = roster(store, 100);
    std::vector<BadgeToPrint> badges;
    for (const auto& a : people)
        badges.push_back({a, code_of(a)});
    const auto pdf = dir.file("badges.pdf");
    std::size_t progress_calls = 0, last_done = 0;
    const auto placements = write_badge_sheet(pdf, store.event(), badges, BadgeLayout::A4x8,
                                              [&](std::size_t done, std::size_t total) {
                                                  ++progress_calls;
                                                  last_done = done;
                                                  CHECK(total == 100);
                                              });
    CHECK(progress_calls == 100);
    CHECK(last_done == 100);
    REQUIRE(placements.size() == 100);
    CHECK(placements.back().page == 12);
    for (const auto& p : placements) {
        CHECK(p.qr_version <= 7);
        CHECK(p.module_mm >= 0.85); // about 2.5 camera pixels per module at 40 cm from a 720p webcam
    }

    // Text: French characters survive (extracted back from the PDF), one font family only.
    if (have_tool("pdftotext")) {
        const auto text = run_output("pdftotext -enc UTF-8 '" + pdf + "' -");
        for (const char* s : {"Œnone", "Cœur", "Élodie", "François", "Anaïs", "N'Diaye", "D’Alembert",
                              "Bénévole", "Orateur·ice", "mer. 28 sept.", "Commun[s]"}) {
            CAPTURE(s);
            CHECK(text.find(s) != std::string::npos);
        }
    }
    if (have_tool("pdffonts")) {
        const auto fonts = run_output("pdffonts '" + pdf + "'");
        CHECK(fonts.find("DejaVuSans") != std::string::npos);
        std::istringstream lines(fonts);
        std::string line;
        int listed = 0;
        std::getline(lines, line);
        std::getline(lines, line);
        while (std::getline(lines, line)) {
            ++listed;
            CHECK(line.find("DejaVuSans") != std::string::npos);
        }
        CHECK(listed >= 1);
    }

    constexpr int dpi = 150;
    const std::string prefix = dir.file("page");
    REQUIRE(std::system(
                ("pdftoppm -r " + std::to_string(dpi) + " -gray '" + pdf + "' '" + prefix + "'").c_str()) ==
            0);
    std::map<int, Grey> pages;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        const auto name = entry.path().filename().string();
        if (name.rfind("page-", 0) != 0)
            continue;
        const int number = std::stoi(name.substr(5, name.find('.') - 5)); // page-01.pgm, 1-based
        auto g = read_pgm(entry.path().string());
        REQUIRE(g);
        pages[number - 1] = std::move(*g);
    }
    REQUIRE(pages.size() == 13);

    const auto keys = load_event_keys(store.db());
    const double px_mm = dpi / 25.4;
    std::vector<Grey> crops;
    int decoded = 0;
    for (std::size_t i = 0; i < placements.size(); ++i) {
        const auto& p = placements[i];
        const Grey badge = crop(pages.at(p.page), int(p.x * px_mm), int(p.y * px_mm), int(p.width * px_mm),
                                int(p.height * px_mm));
        const auto text = decode_qr(badge);
        CHECK(text == badges[i].code);
        if (!text)
            continue;
        const auto check = verify_badge_code(*text, store.event().uid, keys);
        REQUIRE(check);
        CHECK(badge_attendee_id(*check.payload) == people[i].id);
        ++decoded;
        crops.push_back(badge);
    }
    CHECK(decoded == 100);

    // Degradations: decode rate of each, with a floor each must reach.
    struct Degradation {
        const char* name;
        std::function<Grey(const Grey&, std::size_t)> apply;
        double floor;
    };
    const double webcam = 2.6 / px_mm; // ~2.6 px/mm: a 720p webcam at 40 cm
    const std::vector<Degradation> degradations = {
        {"blur (box 5 px = 0.85 mm)", [](const Grey& g, std::size_t) { return box_blur(g, 2); }, 0.95},
        {"rotation 17°", [](const Grey& g, std::size_t) { return rotate(g, 17); }, 0.95},
        {"rotation 90° + 5°", [](const Grey& g, std::size_t) { return rotate(g, 95); }, 0.95},
        {"perspective (top 25% narrower)", [](const Grey& g, std::size_t) { return perspective(g, 0.25); },
         0.90},
        {"noise (sigma 25)", [](const Grey& g, std::size_t i) { return add_noise(g, 25, std::uint32_t(i)); },
         0.95},
        // Heavy noise's floor and the webcam mix's (the last line) sit well under what ZXing reaches: the
        // codes differ on every run (fresh key, fresh ids), and over 52 runs heavy noise read 60-66 of 100
        // and the webcam mix 81-91, so floors of 60 and 80 failed now and then on luck alone. A real loss
        // is far larger: modules 15% smaller (the webcam at 2.2 px/mm) read 0 of 100 in the webcam mix.
        {"heavy noise (sigma 40)",
         [](const Grey& g, std::size_t i) { return add_noise(g, 40, std::uint32_t(i)); }, 0.50},
        {"low contrast (grey 90..170)", [](const Grey& g, std::size_t) { return low_contrast(g, 90, 170); },
         0.95},
        // Reported, not required: ZXing's default binarizer gives up below about 60 grey levels of range.
        {"very low contrast (grey 110..170)",
         [](const Grey& g, std::size_t) { return low_contrast(g, 110, 170); }, 0.0},
        {"JPEG quality 20", [](const Grey& g, std::size_t) { return jpeg(g, 20); }, 0.95},
        {"webcam 40 cm (2.6 px/mm)", [&](const Grey& g, std::size_t) { return scale(g, webcam); }, 0.90},
        {"webcam 40 cm + blur + noise + JPEG 50",
         [&](const Grey& g, std::size_t i) {
             return jpeg(add_noise(box_blur(scale(g, webcam), 1), 12, std::uint32_t(i)), 50);
         },
         0.70},
    };
    for (const auto& d : degradations) {
        int ok = 0;
        for (std::size_t i = 0; i < crops.size(); ++i) {
            const auto text = decode_qr(d.apply(crops[i], i));
            if (text && verify_badge_code(*text, store.event().uid, keys))
                ++ok;
        }
        const double rate = double(ok) / double(crops.size());
        char line[160];
        std::snprintf(line, sizeof line, "decode rate %-40s %3d/%zu (%.0f%%, floor %.0f%%)", d.name, ok,
                      crops.size(), rate * 100, d.floor * 100);
        WARN(line);
        INFO(line); // so that a failure names its degradation
        CHECK(rate >= d.floor);
    }
}

TEST_CASE_METHOD(BadgeFixture, "Every layout renders, with long names and an empty organisation") {
    Attendee longest = lea;
    longest.first_name = "Marie-Bérénice-Éléonore-Françoise";
    longest.last_name = "de La Tour d’Auvergne-Lauraguais-Saint-Exupéry";
    longest.organisation = std::string(300, 'x');
    longest.category = "Catégorie au nom vraiment très long pour un bandeau";
    for (auto layout : {BadgeLayout::A4x8, BadgeLayout::A6, BadgeLayout::Label62}) {
        const auto pdf = dir.file(std::string("sheet-") + to_string(layout) + ".pdf");
        const auto placements =
            write_badge_sheet(pdf, store.event(), {{longest, code_of(lea)}, {zoe, code_of(zoe)}}, layout);
        REQUIRE(placements.size() == 2);
        CHECK(std::filesystem::file_size(pdf) > 1000);
        const auto png = dir.file(std::string("badge-") + to_string(layout) + ".png");
        write_badge_png(png, store.event(), {longest, code_of(lea)}, layout, 200);
        int w = 0, h = 0, n = 0;
        std::uint8_t* px = stbi_load(png.c_str(), &w, &h, &n, 1);
        REQUIRE(px != nullptr);
        Grey g{w, h, std::vector<std::uint8_t>(px, px + std::size_t(w) * std::size_t(h))};
        stbi_image_free(px);
        CHECK(decode_qr(g) == code_of(lea));
    }
    CHECK_THROWS_AS(write_badge_sheet(dir.file("no/such/dir.pdf"), store.event(), {{lea, code_of(lea)}},
                                      BadgeLayout::A4x8),
                    InputError);
}
