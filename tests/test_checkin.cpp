#include "attendee_ops.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "figures.hpp"
#include "i18n/catalogue.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace accueil;

namespace {
// The process language for one test (tests run under LANG=C.UTF-8: English), restored after it.
struct ScopedLang {
    i18n::Lang saved = i18n::process_lang();
    explicit ScopedLang(i18n::Lang l) { i18n::set_process_lang(l); }
    ~ScopedLang() { i18n::set_process_lang(saved); }
};

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
          "already checked in: Léa Dupré (Participant), at 09:12 on 2022-09-28, at \"Accueil 1\"");
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

TEST_CASE_METHOD(CheckinFixture, "A day outside the event is said to be so, with the event's days") {
    const int journal_before = count("SELECT count(*) FROM journal");
    const auto r = check_in(store, lea.id, test::kSept28At0912 + 30 * test::kOneDayMs);
    CHECK(r.verdict == Verdict::NotToday);
    CHECK(r.day == "2022-10-28");
    CHECK(r.event_days == std::vector<std::string>{"2022-09-27 (OFF)", "2022-09-28", "2022-09-29"});
    CHECK(describe(r, "Europe/Paris") ==
          "not an event day: 2022-10-28 is not one of the event's days (2022-09-27 (OFF), 2022-09-28, "
          "2022-09-29); nothing was recorded. Check the date (the computer's clock, or --at)");
    // Registered, just not for that event day: the person's days, not the event's.
    const auto off = check_in(store, off_only.id, test::kSept28At0912);
    CHECK(off.event_days.empty());
    CHECK(describe(off, "Europe/Paris") ==
          "not registered for 2022-09-28: Zoé Martin (Intervenant) (registered "
          "for 2022-09-27)");
    CHECK(count("SELECT count(*) FROM journal") == journal_before);
}

TEST_CASE_METHOD(CheckinFixture, "Verdicts read in French when the process speaks French") {
    const ScopedLang french(i18n::Lang::Fr);
    CHECK(describe(check_in(store, "PRETIX-7Q2", test::kSept28At0912), "Europe/Paris") ==
          "arrivée enregistrée : Léa Dupré (Participant), 2022-09-28");
    CHECK(
        describe(check_in(store, "PRETIX-7Q2", test::kSept28At0912 + 60'000), "Europe/Paris") ==
        "arrivée déjà enregistrée : Léa Dupré (Participant), à 09:12 le 2022-09-28, au poste « Accueil 1 »");
    CHECK(describe(check_in(store, off_only.id, test::kSept28At0912), "Europe/Paris") ==
          "pas d'inscription pour le 2022-09-28 : Zoé Martin (Intervenant) (inscription pour : 2022-09-27)");
    CHECK_THAT(describe(check_in(store, lea.id, test::kSept28At0912 + 30 * test::kOneDayMs), "Europe/Paris"),
               Catch::StartsWith("pas un jour de l'événement : le 2022-10-28 n'en fait pas partie (jours : "
                                 "2022-09-27 (OFF), 2022-09-28, 2022-09-29)"));
    CHECK_THAT(describe(check_in(store, "NOPE-123", test::kSept28At0912), "Europe/Paris"),
               Catch::StartsWith("code inconnu : "));
    // A code shaped like a badge whose characters a badge never has: why, in French too.
    const auto forged = check_in(store, "A" + std::string(140, '1'), test::kSept28At0912);
    REQUIRE(forged.verdict == Verdict::InvalidBadge);
    CHECK(describe(forged, "Europe/Paris") == "badge non valide (ce n'est pas un code de badge : il contient "
                                              "des caractères qu'un badge n'a jamais)");
}
