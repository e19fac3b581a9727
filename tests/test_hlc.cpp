#include "hlc.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace accueil;

TEST_CASE("HLC stamps strictly increase while the wall clock stands still or goes back") {
    std::int64_t wall = 1'000'000;
    Hlc clock([&] { return wall; });
    const auto a = clock.now();
    const auto b = clock.now();
    CHECK(b > a);
    CHECK(HlcStamp::millis(b) == 1'000'000);
    CHECK(HlcStamp::counter(b) == 1);
    wall = 500'000; // the wall clock jumps an hour back (NTP, a dead RTC battery)
    const auto c = clock.now();
    CHECK(c > b);
    CHECK(HlcStamp::millis(c) == 1'000'000);
    wall = 2'000'000;
    const auto d = clock.now();
    CHECK(HlcStamp::millis(d) == 2'000'000);
    CHECK(HlcStamp::counter(d) == 0);
}

TEST_CASE("HLC counter overflow borrows the next millisecond instead of wrapping") {
    Hlc clock([] { return std::int64_t(10); }, HlcStamp::pack(10, 0xFFFF));
    const auto s = clock.now();
    CHECK(HlcStamp::millis(s) == 11);
    CHECK(HlcStamp::counter(s) == 0);
}

TEST_CASE("HLC refuses remote stamps far in the future and follows sane ones") {
    std::int64_t wall = 1'000'000'000;
    Hlc clock([&] { return wall; });
    const auto before = clock.now();
    const auto from_2038 = HlcStamp::pack(2'145'916'800'000, 0);
    CHECK_FALSE(clock.receive(from_2038));
    CHECK(clock.last() == before);
    const auto slightly_ahead = HlcStamp::pack(wall + 60'000, 3);
    CHECK(clock.receive(slightly_ahead));
    CHECK(clock.now() > slightly_ahead);
}

TEST_CASE("HLC persists across restarts even when the wall clock went backwards") {
    test::TempDir dir;
    const auto path = dir.file("kiosk.db");
    std::int64_t wall = test::kSept28At0912;
    std::uint64_t last = 0;
    {
        Store store = Store::create(path, test::demo_spec(), [&] { return wall; });
        WriteTransaction tx(store.db());
        last = store.append(EventKind::AttendeeCreated, "X", {{"last_name", "A"}}).hlc;
        tx.commit();
    }
    wall -= test::kOneDayMs; // the machine restarts with a clock a day behind
    Store store = Store::open(path, [&] { return wall; });
    WriteTransaction tx(store.db());
    const auto next = store.append(EventKind::AttendeeCreated, "Y", {{"last_name", "B"}}).hlc;
    tx.commit();
    CHECK(next > last);
}
