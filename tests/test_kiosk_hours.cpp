// The kiosk's opening hours without a window: the setting read (and refused in the person's language),
// open or closed at an instant and when that changes (across midnight, the days the clocks change in
// Europe/Paris), the state machine's closed screen (closing only at rest, a touch or a scan lights it
// for 30 s, the opening brings the camera and the backlight back), and the sysfs backlight (lowered,
// restored, a device it cannot write).
#include "backlight.hpp"
#include "event_calendar.hpp"
#include "machine.hpp"
#include "opening_hours.hpp"

#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "support/kiosk_strings.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace accueil;
using namespace accueil::kiosk;
namespace fs = std::filesystem;

namespace {

const std::string kParis = "Europe/Paris";

std::int64_t at(const std::string& local) {
    const auto t = parse_instant(local, kParis);
    REQUIRE(t);
    return *t;
}

std::string local(std::int64_t ms) {
    return local_day(ms, kParis) + "T" + local_hh_mm(ms, kParis);
}

// The message a refused setting gives, in a language.
std::string refusal(const std::string& text, i18n::Lang lang) {
    const i18n::Lang before = i18n::process_lang();
    i18n::set_process_lang(lang);
    std::string what;
    try {
        parse_opening_hours(text);
    } catch (const InputError& e) {
        what = e.what();
    }
    i18n::set_process_lang(before);
    return what;
}

template <class T> bool has(const std::vector<Effect>& effects, bool value) {
    for (const auto& e : effects)
        if (const auto* x = std::get_if<T>(&e)) {
            if constexpr (std::is_same_v<T, SetCamera>)
                return x->on == value;
            else
                return x->lit == value;
        }
    return false;
}

bool starts_checkin(const std::vector<Effect>& effects) {
    for (const auto& e : effects)
        if (std::holds_alternative<StartCheckin>(e))
            return true;
    return false;
}

} // namespace

TEST_CASE("Opening hours are read from HH:MM-HH:MM, across midnight and up to 24:00") {
    CHECK(parse_opening_hours("07:30-19:00") == OpeningHours{450, 1140});
    CHECK(parse_opening_hours("7:30 - 19:00") == OpeningHours{450, 1140});
    CHECK(parse_opening_hours("22:00-06:00") == OpeningHours{1320, 360});
    CHECK(parse_opening_hours("06:00-24:00") == OpeningHours{360, 1440});
    CHECK(parse_opening_hours("18:00-00:00") == OpeningHours{1080, 0});
    CHECK(hh_mm(450) == "07:30");
    CHECK(hh_mm(0) == "00:00");
}

TEST_CASE("A bad opening-hours setting is refused, naming the value, in French and in English") {
    const std::string bad =
        GENERATE("", "07:30", "07:30-", "-19:00", "7h30-19h00", "25:00-19:00", "07:60-19:00", "24:00-06:00",
                 "07:30-19:00-20:00", "07:30-19:0", "0730-1900", "a:bc-19:00", "07:30-19:00x");
    INFO("\"" << bad << "\"");
    const std::string fr = refusal(bad, i18n::Lang::Fr);
    const std::string en = refusal(bad, i18n::Lang::En);
    CHECK_THAT(fr, Catch::Contains("--open-hours « " + bad + " »") && Catch::Contains("attendu HH:MM-HH:MM"));
    CHECK_THAT(en,
               Catch::Contains("--open-hours \"" + bad + "\"") && Catch::Contains("expected HH:MM-HH:MM"));
}

TEST_CASE("Opening and closing at the same time is refused: always open is no setting at all") {
    CHECK_THAT(refusal("07:30-07:30", i18n::Lang::Fr), Catch::Contains("retirez --open-hours"));
    CHECK_THAT(refusal("00:00-24:00", i18n::Lang::En), Catch::Contains("leave --open-hours out"));
}

TEST_CASE("Open from the opening minute to the closing minute, local time") {
    const auto h = parse_opening_hours("07:30-19:00");
    CHECK_FALSE(is_open(h, at("2026-09-30T07:29"), kParis));
    CHECK(is_open(h, at("2026-09-30T07:30"), kParis));
    CHECK(is_open(h, at("2026-09-30T18:59"), kParis));
    CHECK_FALSE(is_open(h, at("2026-09-30T19:00"), kParis));
    CHECK(next_change(h, at("2026-09-30T12:00"), kParis) == at("2026-09-30T19:00"));
    CHECK(next_change(h, at("2026-09-30T19:00"), kParis) == at("2026-10-01T07:30"));
    CHECK(next_change(h, at("2026-09-30T03:00"), kParis) == at("2026-09-30T07:30"));
}

TEST_CASE("Opening hours across midnight") {
    const auto h = parse_opening_hours("22:00-06:00");
    CHECK(is_open(h, at("2026-09-30T23:00"), kParis));
    CHECK(is_open(h, at("2026-10-01T05:59"), kParis));
    CHECK_FALSE(is_open(h, at("2026-10-01T06:00"), kParis));
    CHECK_FALSE(is_open(h, at("2026-09-30T12:00"), kParis));
    CHECK(next_change(h, at("2026-09-30T23:00"), kParis) == at("2026-10-01T06:00"));
    CHECK(next_change(h, at("2026-09-30T12:00"), kParis) == at("2026-09-30T22:00"));
    const auto late = parse_opening_hours("06:00-24:00");
    CHECK(is_open(late, at("2026-09-30T23:59"), kParis));
    CHECK_FALSE(is_open(late, at("2026-10-01T00:00"), kParis));
    CHECK(next_change(late, at("2026-09-30T23:00"), kParis) == at("2026-10-01T00:00"));
}

TEST_CASE("The night the clocks go forward in Paris: the opening is an hour less away") {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST.
    const auto h = parse_opening_hours("07:30-19:00");
    const auto evening = at("2026-03-28T20:00");
    const auto opening = next_change(h, evening, kParis);
    CHECK(local(opening) == "2026-03-29T07:30");
    CHECK(opening - evening == (11 * 60 + 30 - 60) * 60000LL);
    // An opening inside the missing hour happens when the clocks jump.
    const auto gap = parse_opening_hours("02:30-19:00");
    const auto jump = next_change(gap, at("2026-03-29T01:00"), kParis);
    CHECK(local(jump) == "2026-03-29T03:00");
    CHECK(is_open(gap, jump, kParis));
    CHECK_FALSE(is_open(gap, jump - 1, kParis));
}

TEST_CASE("The night the clocks go back in Paris: the opening is an hour further, a repeated time twice") {
    // 25 October 2026: 03:00 CEST becomes 02:00 CET.
    const auto h = parse_opening_hours("07:30-19:00");
    const auto evening = at("2026-10-24T20:00");
    const auto opening = next_change(h, evening, kParis);
    CHECK(local(opening) == "2026-10-25T07:30");
    CHECK(opening - evening == (11 * 60 + 30 + 60) * 60000LL);
    // 02:30 happens twice, and the hours go by the clock on the wall: open at the first 02:30, closed
    // when the clocks go back to 02:00, open again at the second 02:30 until 04:00.
    const auto twice = parse_opening_hours("02:30-04:00");
    const auto first = next_change(twice, at("2026-10-25T00:00"), kParis);
    CHECK(first == at("2026-10-25T02:30")); // parse_instant takes the earlier of the two
    const auto back = next_change(twice, first, kParis);
    CHECK(back - first == 30 * 60000LL); // 03:00 CEST, which is 02:00 CET
    CHECK(local(back) == "2026-10-25T02:00");
    const auto second = next_change(twice, back, kParis);
    CHECK(second - first == 60 * 60000LL); // 02:30 CET
    const auto close = next_change(twice, second, kParis);
    CHECK(local(close) == "2026-10-25T04:00");
    CHECK(close - second == 90 * 60000LL);
}

TEST_CASE("next_change is exactly the next flip, minute by minute through both changes of clock") {
    for (const std::string text : {"07:30-19:00", "22:00-06:00", "02:30-03:15", "06:00-24:00"}) {
        const auto h = parse_opening_hours(text);
        for (const std::string start : {"2026-03-27T00:00", "2026-10-23T00:00"}) {
            std::int64_t t = at(start);
            const std::int64_t end = t + 4 * 24 * 3600 * 1000LL;
            while (t < end) {
                const bool open = is_open(h, t, kParis);
                const std::int64_t change = next_change(h, t, kParis);
                INFO(text << " from " << local(t) << " to " << local(change));
                REQUIRE(change > t);
                REQUIRE(is_open(h, change, kParis) != open);
                for (std::int64_t m = t + 60000; m < change; m += 60000)
                    REQUIRE(is_open(h, m, kParis) == open);
                t = change;
            }
        }
    }
}

namespace {
constexpr std::int64_t kT0 = 1790000000000; // any instant: the machine is told the hours by its host
}

TEST_CASE("Closed: the kiosk at rest goes dark, camera off, saying when it opens in both languages") {
    Machine m(test::kiosk_strings(), MachineOptions{});
    const auto fx = m.handle(HoursState{false, "07:30"}, kT0);
    CHECK(m.screen() == Screen::Closed);
    CHECK(has<SetCamera>(fx, false));
    CHECK(has<SetBacklight>(fx, false));
    const ViewModel vm = m.view(kT0);
    CHECK(vm.title == "Accueil fermé — ouvre à 07:30");
    CHECK(vm.sentence == "Closed — opens at 07:30");
    CHECK_THAT(vm.hint, Catch::Contains("Pas de scan") && Catch::Contains("No badge scanning"));
    CHECK_FALSE(vm.lit);
    // Nothing that changes by itself: an unchanged view is never drawn again.
    CHECK(vm.clock.empty());
    CHECK(vm.sync_text.empty());
    CHECK(vm.seconds_left == -1);
    CHECK(m.view(kT0 + 3600000) == vm);
    CHECK_FALSE(m.deadline());
    m.handle(SyncState{true, false, 3}, kT0 + 1000);
    CHECK(m.view(kT0 + 1000) == vm);
    // English first once the kiosk speaks English.
    m.handle(Tap{Intent::SwitchLanguage}, kT0);
    CHECK(m.view(kT0).title == "Closed — opens at 07:30");
    CHECK_FALSE(m.view(kT0).lit);
}

TEST_CASE("Closed: a touch, a key or a scan lights the screen for 30 s, and no badge is checked in") {
    Machine m(test::kiosk_strings(), MachineOptions{});
    m.handle(HoursState{false, "07:30"}, kT0);
    auto fx = m.handle(Tap{Intent::Ok}, kT0 + 1000);
    CHECK(has<SetBacklight>(fx, true));
    CHECK(m.screen() == Screen::Closed);
    CHECK(m.view(kT0 + 1000).lit);
    CHECK(m.deadline() == kT0 + 31000);
    // A second touch keeps it lit longer, without asking for the light again.
    fx = m.handle(Tap{Intent::NoBadge}, kT0 + 20000);
    CHECK(fx.empty());
    CHECK(m.deadline() == kT0 + 50000);
    CHECK(m.handle(Tick{}, kT0 + 49999).empty());
    fx = m.handle(Tick{}, kT0 + 50000);
    CHECK(has<SetBacklight>(fx, false));
    CHECK_FALSE(m.view(kT0 + 50000).lit);
    CHECK_FALSE(m.deadline());
    // A badge scanner typed a code: lit, not checked in, not kept for later.
    fx = m.handle(CodeDecoded{"NEC-0002", kT0 + 60000}, kT0 + 60000);
    CHECK_FALSE(starts_checkin(fx));
    CHECK(has<SetBacklight>(fx, true));
    CHECK(m.idle());
    fx = m.handle(HoursState{true, "07:30"}, kT0 + 70000);
    CHECK(m.screen() == Screen::Scan);
    CHECK(has<SetCamera>(fx, true));
    CHECK(has<SetBacklight>(fx, true));
    CHECK_FALSE(starts_checkin(m.handle(Tick{}, kT0 + 71000))); // the scan while closed is gone
    // Open again: a scan is a check-in.
    CHECK(starts_checkin(m.handle(CodeDecoded{"NEC-0003", kT0 + 72000}, kT0 + 72000)));
}

TEST_CASE("Closing waits for the person at the screen and for every scan already taken") {
    MachineOptions o;
    o.verdict_ms = 5000;
    Machine m(test::kiosk_strings(), o);
    m.handle(CodeDecoded{"NEC-0002", kT0}, kT0);
    REQUIRE(m.screen() == Screen::Checking);
    m.handle(CodeDecoded{"NEC-0003", kT0 + 100}, kT0 + 100); // the next person, queued
    auto fx = m.handle(HoursState{false, "07:30"}, kT0 + 200);
    CHECK(m.screen() == Screen::Checking);
    CHECK_FALSE(has<SetCamera>(fx, false));
    m.handle(VerdictReady{{Verdict::Admitted, "Léa", "", ""}}, kT0 + 300);
    CHECK(m.screen() == Screen::Verdict);
    fx = m.handle(Tick{}, kT0 + 2000); // the queued scan goes through
    CHECK(starts_checkin(fx));
    m.handle(VerdictReady{{Verdict::Admitted, "Inès", "", ""}}, kT0 + 2100);
    CHECK(m.handle(Tick{}, kT0 + 4000).empty());
    CHECK(m.screen() == Screen::Verdict);
    m.handle(Tick{}, kT0 + 2100 + 5000); // the verdict's time is up: back to scan, then closed
    fx = m.handle(Tick{}, kT0 + 2100 + 5001);
    CHECK(m.screen() == Screen::Closed);
    CHECK(has<SetCamera>(fx, false));

    // Opened before it could close: it never closes.
    Machine n(test::kiosk_strings(), o);
    n.handle(Tap{Intent::NoBadge}, kT0);
    n.handle(HoursState{false, "07:30"}, kT0);
    n.handle(HoursState{true, "07:30"}, kT0 + 1000);
    n.handle(Tap{Intent::Back}, kT0 + 2000);
    n.handle(Tick{}, kT0 + 3000);
    CHECK(n.screen() == Screen::Scan);
}

TEST_CASE("A kiosk not set up, or out of order, does not close: someone has to see it") {
    MachineOptions o;
    o.set_up = false;
    Machine m(test::kiosk_strings(), o);
    m.handle(HoursState{false, "07:30"}, kT0);
    m.handle(Tick{}, kT0 + 1000);
    CHECK(m.screen() == Screen::NotSetUp);

    Machine w(test::kiosk_strings(), MachineOptions{});
    w.handle(WorkerState{false, "disk gone"}, kT0);
    w.handle(HoursState{false, "07:30"}, kT0);
    w.handle(Tick{}, kT0 + 1000);
    CHECK(w.screen() == Screen::OutOfOrder);

    // The worker fails while closed: logged, still closed, out of order at the opening.
    Machine c(test::kiosk_strings(), MachineOptions{});
    c.handle(HoursState{false, "07:30"}, kT0);
    const auto fx = c.handle(WorkerState{false, "disk gone"}, kT0 + 1000);
    CHECK(c.screen() == Screen::Closed);
    CHECK(std::any_of(fx.begin(), fx.end(),
                      [](const Effect& e) { return std::holds_alternative<LogError>(e); }));
    c.handle(HoursState{true, "07:30"}, kT0 + 2000);
    CHECK(c.screen() == Screen::OutOfOrder);
}

namespace {
// A made-up /sys/class/backlight: one device with its brightness and maximum.
void make_device(const fs::path& root, const std::string& name, long brightness, long max) {
    fs::create_directories(root / name);
    std::ofstream(root / name / "brightness") << brightness << "\n";
    std::ofstream(root / name / "max_brightness") << max << "\n";
}
long brightness(const fs::path& root, const std::string& name) {
    std::ifstream in(root / name / "brightness");
    long v = -1;
    in >> v;
    return v;
}
} // namespace

TEST_CASE("The backlight goes to its minimum while closed and back as it was, at opening and at exit") {
    test::TempDir tmp;
    const fs::path root = tmp.path() / "backlight";
    make_device(root, "intel_backlight", 420, 1000);
    make_device(root, "acpi_video0", 0, 15); // left at 0 by a kiosk that crashed while closed
    {
        Backlight b(root.string());
        b.dim();
        CHECK(b.dimmed());
        CHECK(brightness(root, "intel_backlight") == 0);
        CHECK(brightness(root, "acpi_video0") == 0);
        b.dim(); // twice: what it saved is still the value before the first
        b.restore();
        CHECK(brightness(root, "intel_backlight") == 420);
        CHECK(brightness(root, "acpi_video0") == 15); // a kiosk in service needs its screen
        b.dim();
        CHECK(brightness(root, "intel_backlight") == 0);
    } // exit: restored
    CHECK(brightness(root, "intel_backlight") == 420);
}

TEST_CASE(
    "The backlight's root comes from ACCUEIL_KIOSK_TEST_BACKLIGHT_ROOT, and nothing there is no error") {
    test::TempDir tmp;
    const fs::path root = tmp.path() / "sys";
    make_device(root, "amdgpu_bl0", 200, 255);
    ::setenv("ACCUEIL_KIOSK_TEST_BACKLIGHT_ROOT", root.c_str(), 1);
    Backlight b;
    ::unsetenv("ACCUEIL_KIOSK_TEST_BACKLIGHT_ROOT");
    CHECK(b.root() == root.string());
    b.dim();
    CHECK(brightness(root, "amdgpu_bl0") == 0);
    b.restore();
    CHECK(brightness(root, "amdgpu_bl0") == 200);

    Backlight none((tmp.path() / "no-such-folder").string());
    none.dim();
    CHECK_FALSE(none.dimmed());
}

TEST_CASE("A backlight it cannot write is left alone, and the others still go dark") {
    test::TempDir tmp;
    const fs::path root = tmp.path() / "backlight";
    make_device(root, "a_locked", 300, 1000);
    // Not writable whoever runs the test (root included): a folder where the file should be.
    fs::remove(root / "a_locked" / "brightness");
    fs::create_directories(root / "a_locked" / "brightness");
    make_device(root, "b_ok", 80, 100);
    Backlight b(root.string());
    b.dim();
    CHECK(b.dimmed());
    CHECK(brightness(root, "b_ok") == 0);
    b.restore();
    CHECK(brightness(root, "b_ok") == 80);
    CHECK(fs::is_directory(root / "a_locked" / "brightness")); // untouched
}

TEST_CASE("The udev rule gives group video write access to every backlight's brightness") {
    std::ifstream in(std::string(ACCUEIL_SOURCE_DIR) + "/deploy/udev/60-accueil-backlight.rules");
    REQUIRE(in);
    std::vector<std::string> rules;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#')
            rules.push_back(line);
    REQUIRE(rules.size() == 1);
    const std::string& r = rules[0];
    CHECK_THAT(r, Catch::Contains("ACTION==\"add\"") && Catch::Contains("SUBSYSTEM==\"backlight\""));
    CHECK_THAT(r, Catch::Contains("RUN+=\"/bin/chgrp video /sys%p/brightness\""));
    CHECK_THAT(r, Catch::Contains("RUN+=\"/bin/chmod g+w /sys%p/brightness\""));
    // udev runs programs by their whole path: they must be there on Debian 12.
    CHECK(fs::exists("/bin/chgrp"));
    CHECK(fs::exists("/bin/chmod"));
}
