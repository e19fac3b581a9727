// The organiser PIN: hashed with Argon2id in the meta table, wrong attempts throttled across restarts,
// bad PINs refused with nothing stored, and the real `accueil pin` command.
#include "errors.hpp"
#include "organiser_pin.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

using namespace accueil;
using Result = PinCheck::Result;

namespace {
constexpr std::int64_t kNow = 1'664'348'400'000; // 2022-09-28 09:00 Paris

struct PinFixture {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    Store store = Store::create(path, test::demo_spec());

    void wrong_times(int n, std::int64_t at) {
        for (int i = 0; i < n; ++i)
            REQUIRE(check_organiser_pin(store, "0000", at).result == Result::Wrong);
    }
};
} // namespace

TEST_CASE_METHOD(PinFixture, "A set PIN is accepted, a wrong one refused") {
    CHECK_FALSE(has_organiser_pin(store));
    CHECK(check_organiser_pin(store, "2468", kNow).result == Result::NoPinSet);

    const auto t0 = std::chrono::steady_clock::now();
    set_organiser_pin(store, "2468");
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    WARN("crypto_pwhash_str (Argon2id, 19 MiB, 2 passes) took " << ms.count() << " ms");
    CHECK(has_organiser_pin(store));

    CHECK(check_organiser_pin(store, "2468", kNow).ok());
    const auto wrong = check_organiser_pin(store, "2469", kNow);
    CHECK(wrong.result == Result::Wrong);
    CHECK(wrong.wrong_in_a_row == 1);
    CHECK(wrong.locked_until_ms == 0);
    CHECK(check_organiser_pin(store, "", kNow).result == Result::Wrong);
    CHECK(check_organiser_pin(store, "24680", kNow).result == Result::Wrong);
    CHECK(check_organiser_pin(store, "2468", kNow).ok());

    set_organiser_pin(store, "13579");
    CHECK(check_organiser_pin(store, "2468", kNow).result == Result::Wrong);
    CHECK(check_organiser_pin(store, "13579", kNow).ok());
}

TEST_CASE_METHOD(PinFixture, "The stored hash is Argon2id and does not contain the PIN") {
    set_organiser_pin(store, "918273645");
    const auto hash = store.meta(kPinHashKey);
    REQUIRE(hash);
    CHECK_THAT(*hash, Catch::StartsWith("$argon2id$"));
    CHECK(hash->find("918273645") == std::string::npos);
    // A fresh salt each time: the same PIN never gives the same string.
    set_organiser_pin(store, "918273645");
    CHECK(*store.meta(kPinHashKey) != *hash);
}

TEST_CASE_METHOD(PinFixture, "Malformed PINs are refused with a clear message and the store unchanged") {
    set_organiser_pin(store, "1234");
    const auto before = *store.meta(kPinHashKey);
    for (const char* bad : {"", "123", "1234567890123", "12a4", "12 34", "١٢٣٤", "-1234", "12345\n"}) {
        INFO(bad);
        CHECK_THROWS_WITH(set_organiser_pin(store, bad), Catch::Contains("4 to 12 digits"));
        CHECK(*store.meta(kPinHashKey) == before);
    }
    CHECK(check_organiser_pin(store, "1234", kNow).ok());

    PinFixture fresh; // and on a store without a PIN, nothing appears
    CHECK_THROWS_AS(set_organiser_pin(fresh.store, "12"), InputError);
    CHECK_FALSE(has_organiser_pin(fresh.store));
}

TEST_CASE("The lock-out grows from 30 s, doubling, up to 10 minutes") {
    for (int n = 0; n < kPinFreeAttempts; ++n)
        CHECK(pin_lock_ms(n) == 0);
    CHECK(pin_lock_ms(5) == 30'000);
    CHECK(pin_lock_ms(6) == 60'000);
    CHECK(pin_lock_ms(7) == 120'000);
    CHECK(pin_lock_ms(9) == 480'000);
    CHECK(pin_lock_ms(10) == 600'000);
    CHECK(pin_lock_ms(1000) == 600'000);
}

TEST_CASE_METHOD(PinFixture,
                 "Wrong attempts lock the PIN, even against the right one, until the time passes") {
    set_organiser_pin(store, "2468");
    wrong_times(4, kNow);
    const auto fifth = check_organiser_pin(store, "0000", kNow);
    CHECK(fifth.result == Result::Wrong);
    CHECK(fifth.locked_until_ms == kNow + 30'000);

    // Locked: the right PIN is refused without being looked at, and refusals do not lengthen the lock.
    auto locked = check_organiser_pin(store, "2468", kNow + 1'000);
    CHECK(locked.result == Result::Locked);
    CHECK(locked.locked_until_ms == kNow + 30'000);
    CHECK(check_organiser_pin(store, "0000", kNow + 29'999).result == Result::Locked);

    // The lock survives a restart of the kiosk: it lives in the database.
    {
        Store again = Store::open(path);
        CHECK(check_organiser_pin(again, "2468", kNow + 29'999).result == Result::Locked);
    }

    // After the lock, another wrong attempt locks for twice as long at once.
    const auto sixth = check_organiser_pin(store, "0000", kNow + 30'000);
    CHECK(sixth.result == Result::Wrong);
    CHECK(sixth.wrong_in_a_row == 6);
    CHECK(sixth.locked_until_ms == kNow + 30'000 + 60'000);
    CHECK(check_organiser_pin(store, "2468", kNow + 89'999).result == Result::Locked);

    // Once it passes, the right PIN opens and resets the count.
    CHECK(check_organiser_pin(store, "2468", kNow + 90'000).ok());
    const auto fresh_wrong = check_organiser_pin(store, "0000", kNow + 90'001);
    CHECK(fresh_wrong.wrong_in_a_row == 1);
    CHECK(fresh_wrong.locked_until_ms == 0);
}

TEST_CASE_METHOD(PinFixture, "Setting a new PIN or clearing it lifts a lock-out") {
    set_organiser_pin(store, "2468");
    wrong_times(5, kNow);
    REQUIRE(check_organiser_pin(store, "2468", kNow + 1).result == Result::Locked);
    set_organiser_pin(store, "8642");
    CHECK(check_organiser_pin(store, "8642", kNow + 1).ok());

    wrong_times(5, kNow);
    CHECK(clear_organiser_pin(store));
    CHECK_FALSE(has_organiser_pin(store));
    CHECK_FALSE(store.meta(kPinFailuresKey));
    CHECK_FALSE(store.meta(kPinLockedUntilKey));
    CHECK(check_organiser_pin(store, "8642", kNow + 1).result == Result::NoPinSet);
    CHECK_FALSE(clear_organiser_pin(store));
}

TEST_CASE_METHOD(PinFixture, "accueil pin set and clear, the PIN read from standard input") {
    using test::run_bin;
    { Store close_it = std::move(store); } // the CLI opens the file itself
    const std::string pin_file = dir.file("pin.txt");
    std::ofstream(pin_file) << "482916\n";

    auto r = run_bin("accueil", "pin set --db " + path + " < " + pin_file);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("organiser PIN set"));
    CHECK(r.output.find("482916") == std::string::npos);
    {
        Store s = Store::open(path);
        CHECK(check_organiser_pin(s, "482916", kNow).ok());
        CHECK(check_organiser_pin(s, "482917", kNow).result == Result::Wrong);
    }

    std::ofstream(pin_file) << "48a9\r\n";
    r = run_bin("accueil", "pin set --db " + path + " < " + pin_file);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::StartsWith("accueil: the organiser PIN must be 4 to 12 digits"));
    r = run_bin("accueil", "pin set --db " + path + " < /dev/null");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("no PIN on standard input"));
    {
        Store s = Store::open(path);
        CHECK(check_organiser_pin(s, "482916", kNow).ok()); // the refused ones changed nothing
    }

    r = run_bin("accueil", "pin clear --db " + path);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("organiser PIN removed"));
    r = run_bin("accueil", "pin clear --db " + path);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("no organiser PIN was set"));
    {
        Store s = Store::open(path);
        CHECK_FALSE(has_organiser_pin(s));
    }

    r = run_bin("accueil", "pin clear --db " + dir.file("missing.db"));
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.output, Catch::StartsWith("accueil: "));
}
