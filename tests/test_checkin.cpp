#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "figures.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace accueil;

namespace {
struct CheckinFixture {
    test::TempDir dir;
    Store store = Store::create(dir.file("c.db"), test::demo_spec());
    Attendee lea, off_only;
    CheckinFixture() {
        store.set_kiosk_name("Accueil 1");
        WriteTransaction tx(store.db());
        lea = create_attendee(store, Attendee{.first_name = "Léa",
                                              .last_name = "Dupré",
                                              .category = "Participant",
                                              .ext_code = "PRETIX-7Q2"});
        off_only = create_attendee(store, Attendee{.first_name = "Zoé",
                                                   .last_name = "Martin",
                                                   .category = "Intervenant",
                                                   .days = {"2022-09-27"}});
        tx.commit();
    }
    int count(const char* sql) { return store.db().execAndGet(sql).getInt(); }
};
} // namespace

TEST_CASE_METHOD(CheckinFixture, "First scan admits, the second says when and where") {
    const auto first = check_in(store, "PRETIX-7Q2", test::kSept28At0912);
    CHECK(first.verdict == Verdict::Admitted);
    REQUIRE(first.attendee);
    CHECK(first.attendee->first_name == "Léa");
    CHECK(first.day == "2022-09-28");
    const auto second = check_in(store, "PRETIX-7Q2", test::kSept28At0912 + 60'000);
    CHECK(second.verdict == Verdict::AlreadyCheckedIn);
    CHECK(second.first_at_ms == test::kSept28At0912);
    CHECK(second.first_kiosk == "Accueil 1");
    CHECK(describe(second, "Europe/Paris") ==
          "already checked in: Léa Dupré (Participant), at 09:12 at Accueil 1 on 2022-09-28");
    CHECK(count("SELECT count(*) FROM checkins") == 1);
    // The next day is a new day.
    CHECK(check_in(store, "PRETIX-7Q2", test::kSept28At0912 + test::kOneDayMs).verdict == Verdict::Admitted);
}

TEST_CASE_METHOD(CheckinFixture, "Attendee ids work as codes, typed loosely") {
    std::string loose = lea.id;
    for (auto& c : loose)
        c = char(std::tolower(c));
    CHECK(check_in(store, "  " + loose + "\n", test::kSept28At0912).verdict == Verdict::Admitted);
}

TEST_CASE_METHOD(CheckinFixture,
                 "Not registered for today, outside the event, unknown codes: nothing stored") {
    const int journal_before = count("SELECT count(*) FROM journal");
    CHECK(check_in(store, off_only.id, test::kSept28At0912).verdict == Verdict::NotToday);
    CHECK(check_in(store, lea.id, test::kSept28At0912 + 30 * test::kOneDayMs).verdict == Verdict::NotToday);
    const auto unknown = check_in(store, "NOPE-123", test::kSept28At0912);
    CHECK(unknown.verdict == Verdict::UnknownCode);
    CHECK_FALSE(unknown.attendee);
    CHECK(check_in(store, "", test::kSept28At0912).verdict == Verdict::UnknownCode);
    CHECK(count("SELECT count(*) FROM journal") == journal_before);
    CHECK(count("SELECT count(*) FROM checkins") == 0);
}

TEST_CASE_METHOD(CheckinFixture, "Undo cancels through the journal and allows a new check-in") {
    REQUIRE(check_in(store, lea.id, test::kSept28At0912).verdict == Verdict::Admitted);
    CHECK(undo_checkins(store, lea.id, "2022-09-28") == 1);
    CHECK(undo_checkins(store, lea.id, "2022-09-28") == 0);
    CHECK(count("SELECT count(*) FROM checkins WHERE undone = 0") == 0);
    CHECK(check_in(store, lea.id, test::kSept28At0912 + 5000).verdict == Verdict::Admitted);
    CHECK(count("SELECT count(*) FROM checkins") == 2);
    CHECK(count("SELECT count(*) FROM journal WHERE kind = 5") == 1);
}

TEST_CASE_METHOD(CheckinFixture, "Figures count people, per day and per category") {
    check_in(store, lea.id, test::kSept28At0912);
    check_in(store, lea.id, test::kSept28At0912 + 1000);
    check_in(store, off_only.id, test::kSept28At0912 - test::kOneDayMs);
    FiguresOptions at;
    at.now_ms = test::kSept28At0912 + 60'000;
    const auto f = compute_figures(store, at);
    CHECK(f.attendees == 2);
    CHECK(f.day == "2022-09-28");
    REQUIRE(f.days.size() == 3);
    CHECK(f.days[0].arrived == 1);
    CHECK(f.days[1].arrived == 1);
    CHECK(f.days[2].arrived == 0);
    CHECK(f.days[0].registered == 2);
    CHECK(f.days[1].registered == 1);
    CHECK(f.duplicates == 0); // the second scan was refused, not recorded
    REQUIRE(f.categories.size() == 2);
    CHECK(f.categories[0].category == "Intervenant"); // a tie: by name
    CHECK(f.categories[0].registered == 1);
    CHECK(f.categories[1].category == "Participant");
    CHECK(f.categories[1].days[1].arrived == 1);
}
