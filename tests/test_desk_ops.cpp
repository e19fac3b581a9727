// The welcome desk's store operations (kiosk/logic/desk_ops.hpp) against a real store of the demo
// event with the demo roster, on an event day: what a volunteer does at the desk, checked on the
// inputs the desk machine receives and on the store afterwards; then the desk worker's thread.
#include "attendee_notes.hpp"
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "capture.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "desk.hpp"
#include "desk_machine.hpp"
#include "desk_ops.hpp"
#include "desk_worker.hpp"
#include "event_calendar.hpp"
#include "store.hpp"
#include "sync/devices.hpp"

#include "support/demo_event.hpp"
#include "support/demo_roster_import.hpp"
#include "support/desk_sync.hpp"
#include "support/kiosk_strings.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>

using namespace accueil;
using namespace accueil::kiosk;

namespace {

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kT = test::kSept28At0912; // the desk's "now": an ordinary event day, 09:12

// The demo event's store at the desk "Bureau 1": the demo roster plus a few people the tests name,
// with the event's key file `<db>.key` beside it (as `accueil keys init` leaves it) unless told not to.
struct Desk {
    explicit Desk(bool with_key = true, std::size_t roster = 200)
        : store(Store::create(path, test::demo_spec(), [this] { return now; })) {
        if (with_key)
            key = init_event_key(store, default_key_path(path), "2022");
        store.set_kiosk_name("Bureau 1");
        test::import_demo_roster(store, roster);
        eglantine = add({.first_name = "Églantine",
                         .last_name = "Quévreux",
                         .email = "eglantine.quevreux@example.org",
                         .organisation = "Atelier Kerbiriou",
                         .category = "Orateur",
                         .source = "import"});
        // Misspelt at registration: the desk fixes it.
        jean = add({.first_name = "Jean",
                    .last_name = "Tregiuer",
                    .organisation = "Atelier Kerbiriou",
                    .category = "Participant",
                    .days = {"2022-09-28", "2022-09-29"},
                    .source = "import"});
        ophelie = add({.first_name = "Ophélie",
                       .last_name = "Ravenel",
                       .category = "Participant",
                       .days = {"2022-09-27"},
                       .source = "import"});
    }

    Attendee add(Attendee a) {
        WriteTransaction tx(store.db());
        a = create_attendee(store, std::move(a));
        tx.commit();
        return a;
    }
    Attendee load(const std::string& id) {
        auto a = load_attendee(store.db(), id);
        REQUIRE(a);
        return *a;
    }
    int journal_rows() { return store.db().execAndGet("SELECT count(*) FROM journal").getInt(); }
    int attendee_rows() { return store.db().execAndGet("SELECT count(*) FROM attendees").getInt(); }

    test::TempDir dir;
    std::string path = dir.file("desk.db");
    std::int64_t now = kT - 2 * 60 * kMinute; // the store's clock: journal stamps, history times
    Store store;
    std::optional<SigningKey> key;
    Attendee eglantine, jean, ophelie;
};

template <class T> T as(const DeskInput& in) {
    const T* p = std::get_if<T>(&in);
    INFO("the input is alternative " << in.index());
    REQUIRE(p);
    return *p;
}

// "field:key, ..." (Catch prints FieldError as {?}).
std::string errors_text(const std::vector<FieldError>& errors) {
    std::string out;
    for (const auto& e : errors)
        out += (out.empty() ? "" : ", ") + e.field + ":" + e.message_key;
    return out;
}

std::vector<std::string> ids_of(const std::vector<PersonSummary>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows)
        out.push_back(r.id);
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

const PersonSummary& row_of(const std::vector<PersonSummary>& rows, const std::string& id) {
    const auto it =
        std::find_if(rows.begin(), rows.end(), [&](const PersonSummary& p) { return p.id == id; });
    REQUIRE(it != rows.end());
    return *it;
}

int count_kind(const PersonDetail& p, const std::string& kind) {
    return int(std::count_if(p.history.begin(), p.history.end(),
                             [&](const HistoryItem& h) { return h.kind == kind; }));
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Everything a refused action must leave as it was: the journal, the person, the note, and the
// database files themselves (the main file and its write-ahead log).
struct Snapshot {
    int journal = 0, attendees = 0;
    Attendee person;
    std::optional<std::string> note;
    std::string main_file, wal_file;
    bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(Desk& d, const std::string& id) {
    return {d.journal_rows(),   d.attendee_rows(),          d.load(id), attendee_note(d.store.db(), id),
            file_bytes(d.path), file_bytes(d.path + "-wal")};
}

// The form the desk machine builds for a person's edit (kiosk/logic/desk_machine.cpp start_form):
// their page opened, Edit tapped, the given fields typed, Save tapped; what it asks the worker to do.
DeskDoSave edit_form(Desk& d, const std::string& id,
                     const std::vector<std::pair<FormField, std::string>>& typed) {
    DeskMachine m(test::kiosk_strings());
    m.handle(DeskReady{desk_setup(d.store, kT, false)}, kT);
    const auto p = person_detail(d.store, id, kT);
    REQUIRE(p);
    m.handle(DeskPerson{*p}, kT);
    m.handle(DeskTap{DeskAct::Edit}, kT);
    REQUIRE(m.screen() == DeskScreen::Edit);
    for (const auto& [field, text] : typed)
        m.handle(DeskTap{DeskAct::FieldEdited, int(field), text}, kT);
    for (const auto& e : m.handle(DeskTap{DeskAct::Save}, kT))
        if (const auto* save = std::get_if<DeskDoSave>(&e))
            return *save;
    FAIL("the machine asked for no save");
    return {};
}

PersonForm walk_in_form(std::string first, std::string last, std::string email = {}) {
    return {std::move(first), std::move(last), std::move(email), "", "Participant", "", {"2022-09-28"}};
}

} // namespace

TEST_CASE("Desk search: accents not typed, organisations, today's status per row, the limit", "[desk_ops]") {
    Desk d;
    // Three letters without the accent find "Églantine".
    const auto egl = desk_search(d.store, "egl", 12, kT);
    REQUIRE(egl.size() < 12); // every match is listed, so hers must be among them
    CHECK(row_of(egl, d.eglantine.id).first_name == "Églantine");
    CHECK(ids_of(desk_search(d.store, "quevr", 12, kT)) == std::vector<std::string>{d.eglantine.id});
    CHECK(desk_search(d.store, "QUÉVR", 12, kT).size() == 1);

    // The organisation finds its people.
    auto org = ids_of(desk_search(d.store, "kerbiriou", 12, kT));
    std::sort(org.begin(), org.end());
    std::vector<std::string> expected{d.eglantine.id, d.jean.id};
    std::sort(expected.begin(), expected.end());
    CHECK(org == expected);

    // Today's status: arrived (when, where), not yet, not registered today.
    REQUIRE(as<DeskCheckedIn>(desk_check_in(d.store, d.eglantine.id, kT)).info.verdict == Verdict::Admitted);
    const auto rows = desk_search(d.store, "kerbiriou", 12, kT + 30 * kMinute);
    const PersonSummary& in = row_of(rows, d.eglantine.id);
    CHECK(in.arrived_today);
    CHECK(in.arrived_hh_mm == "09:12");
    CHECK(in.arrived_device == "Bureau 1");
    CHECK(in.may_enter_today);
    CHECK(in.organisation == "Atelier Kerbiriou");
    CHECK(in.category == "Orateur");
    CHECK(in.source == "import");
    const PersonSummary& not_yet = row_of(rows, d.jean.id);
    CHECK_FALSE(not_yet.arrived_today);
    CHECK(not_yet.arrived_hh_mm.empty());
    CHECK(not_yet.may_enter_today);
    CHECK(not_yet.days == std::vector<std::string>{"2022-09-28", "2022-09-29"});
    const auto off = desk_search(d.store, "ravenel", 12, kT);
    REQUIRE(off.size() == 1);
    CHECK_FALSE(off[0].may_enter_today);
    CHECK_FALSE(off[0].arrived_today);
    // The next day, yesterday's arrival is not today's.
    CHECK_FALSE(
        row_of(desk_search(d.store, "quevreux", 12, kT + test::kOneDayMs), d.eglantine.id).arrived_today);

    // The limit bounds the rows.
    CHECK(desk_search(d.store, "ma", 3, kT).size() == 3);
    CHECK(desk_search(d.store, "ma", 12, kT).size() > 3);
    CHECK(desk_search(d.store, "zzqx", 12, kT).empty());
}

TEST_CASE("Desk check-in, a second check-in, undo, then a new check-in", "[desk_ops]") {
    Desk d;
    const std::string id = d.jean.id;
    d.now = kT;
    const auto first = as<DeskCheckedIn>(desk_check_in(d.store, id, kT));
    CHECK(first.info.verdict == Verdict::Admitted);
    CHECK(first.info.first_name == "Jean");
    CHECK(first.person.summary.id == id);
    CHECK(first.person.summary.arrived_today);
    REQUIRE_FALSE(first.person.history.empty());
    CHECK(first.person.history[0] == HistoryItem{"28/09 09:12", "arrival", "Bureau 1", "2022-09-28"});

    d.now = kT + 20 * kMinute;
    const auto again = as<DeskCheckedIn>(desk_check_in(d.store, id, kT + 20 * kMinute));
    CHECK(again.info.verdict == Verdict::AlreadyCheckedIn);
    CHECK(again.info.first_hh_mm == "09:12");
    CHECK(again.info.first_kiosk == "Bureau 1");
    CHECK(count_kind(again.person, "arrival") == 1);

    d.now = kT + 25 * kMinute;
    const auto undone = as<DeskUndone>(desk_undo(d.store, id, kT + 25 * kMinute));
    CHECK(undone.count == 1);
    CHECK_FALSE(undone.person.summary.arrived_today);
    REQUIRE(undone.person.history.size() >= 2);
    CHECK(undone.person.history[0].kind == "undo");
    CHECK(undone.person.history[0].detail == "2022-09-28");
    CHECK(undone.person.history[0].device == "Bureau 1");
    CHECK(undone.person.history[1] == HistoryItem{"28/09 09:12", "arrival", "Bureau 1", "2022-09-28 ✗"});
    CHECK_FALSE(row_of(desk_search(d.store, "kerbiriou", 12, kT + 26 * kMinute), id).arrived_today);

    d.now = kT + 30 * kMinute;
    const auto back = as<DeskCheckedIn>(desk_check_in(d.store, id, kT + 30 * kMinute));
    CHECK(back.info.verdict == Verdict::Admitted);
    CHECK(back.person.summary.arrived_hh_mm == "09:42");

    // Nothing to undo: Ophélie never came; an unknown id is a failure, not a crash.
    const int journal = d.journal_rows();
    CHECK(as<DeskUndone>(desk_undo(d.store, d.ophelie.id, kT)).count == 0);
    CHECK(d.journal_rows() == journal);
    CHECK(std::holds_alternative<DeskFailure>(desk_undo(d.store, "ZZZZZZZZZZZZ", kT)));
    CHECK(std::holds_alternative<DeskFailure>(desk_check_in(d.store, "ZZZZZZZZZZZZ", kT)));
    CHECK(d.journal_rows() == journal);

    // Someone registered for another day only is told so, and nothing is recorded.
    CHECK(as<DeskCheckedIn>(desk_check_in(d.store, d.ophelie.id, kT)).info.verdict == Verdict::NotToday);
}

TEST_CASE("Desk edit: a spelling fix journals that field only, and the search finds the new spelling",
          "[desk_ops]") {
    Desk d;
    const Attendee before = d.load(d.jean.id);
    CHECK(desk_search(d.store, "tregiu", 12, kT).size() == 1);
    const int journal = d.journal_rows();
    d.now = kT;
    const auto saved =
        as<DeskSaved>(desk_save(d.store, edit_form(d, d.jean.id, {{FormField::LastName, "Tréguier"}}), kT));
    CHECK_FALSE(saved.created);
    CHECK(saved.badge_code.empty());
    CHECK(saved.person.summary.last_name == "Tréguier");
    CHECK(d.journal_rows() == journal + 1);
    Attendee expected = before;
    expected.last_name = "Tréguier";
    CHECK(d.load(d.jean.id) == expected);
    REQUIRE_FALSE(saved.person.history.empty());
    CHECK(saved.person.history[0] == HistoryItem{"28/09 09:12", "edit", "Bureau 1", "last_name"});
    CHECK(ids_of(desk_search(d.store, "tregu", 12, kT)) == std::vector<std::string>{d.jean.id});
    CHECK(desk_search(d.store, "tregiu", 12, kT).empty());
}

TEST_CASE("Desk edit: saving the form unchanged journals nothing, whatever the person's days and category",
          "[desk_ops]") {
    Desk d;
    // One person of each attendance pattern and category of the imported roster: every day (none
    // listed), all three listed, one day, the main days; organisers, speakers, volunteers ...
    SQLite::Statement q(d.store.db(), "SELECT min(id) FROM attendees GROUP BY days, category");
    std::vector<std::string> ids;
    while (q.executeStep())
        ids.push_back(q.getColumn(0).getString());
    REQUIRE(ids.size() >= 10);
    for (const auto& id : ids) {
        const Attendee before = d.load(id);
        CAPTURE(id, before.full_name(), join_days(before.days), before.category);
        const int journal = d.journal_rows();
        const auto saved = as<DeskSaved>(desk_save(d.store, edit_form(d, id, {}), kT));
        CHECK(d.journal_rows() == journal);
        CHECK(d.load(id) == before);
        CHECK(saved.person.summary.id == id);
    }
}

TEST_CASE("Desk edit: the attention note set, changed and cleared through the form's note field",
          "[desk_ops]") {
    Desk d;
    const std::string id = d.eglantine.id;
    d.now = kT;
    int journal = d.journal_rows();
    auto saved =
        as<DeskSaved>(desk_save(d.store, edit_form(d, id, {{FormField::Note, "Fauteuil roulant"}}), kT));
    CHECK(saved.person.note == "Fauteuil roulant");
    CHECK(saved.person.summary.has_note);
    CHECK(attendee_note(d.store.db(), id) == "Fauteuil roulant");
    CHECK(d.load(id).has_note);
    CHECK(count_kind(saved.person, "note") == 1);
    CHECK(d.journal_rows() > journal);

    // The form opens with the note in it; a change keeps the others fields as they were.
    const DeskDoSave form = edit_form(d, id, {{FormField::Note, "Salle accessible, fauteuil roulant "}});
    CHECK(form.form.first_name == "Églantine");
    journal = d.journal_rows();
    saved = as<DeskSaved>(desk_save(d.store, form, kT));
    CHECK(saved.person.note == "Salle accessible, fauteuil roulant");
    CHECK(attendee_note(d.store.db(), id) == "Salle accessible, fauteuil roulant");
    CHECK(count_kind(saved.person, "note") == 2);
    CHECK(d.journal_rows() == journal + 1); // the text only: has_note stays true

    // Saved again unchanged: nothing journalled.
    journal = d.journal_rows();
    as<DeskSaved>(desk_save(d.store, edit_form(d, id, {}), kT));
    CHECK(d.journal_rows() == journal);

    // Cleared with blanks.
    saved = as<DeskSaved>(desk_save(d.store, edit_form(d, id, {{FormField::Note, "  \n"}}), kT));
    CHECK(saved.person.note.empty());
    CHECK_FALSE(saved.person.summary.has_note);
    CHECK_FALSE(attendee_note(d.store.db(), id));
    CHECK_FALSE(d.load(id).has_note);
    CHECK(count_kind(saved.person, "note") == 3);
}

TEST_CASE("Desk edit: a form with errors is refused with each field's message, the store untouched",
          "[desk_ops]") {
    Desk d;
    const std::string id = d.jean.id;
    {
        WriteTransaction tx(d.store.db());
        set_attendee_note(d.store, id, "Interprète LSF");
        tx.commit();
    }
    const DeskDoSave good = edit_form(d, id, {});
    REQUIRE(good.form.note == "Interprète LSF");
    struct Case {
        const char* what;
        std::function<void(PersonForm&)> change;
        std::vector<FieldError> errors;
    };
    const std::vector<Case> cases = {
        {"blank last name",
         [](PersonForm& f) { f.last_name = "   "; },
         {{"last_name", "desk.error.required"}}},
        {"bad e-mail", [](PersonForm& f) { f.email = "jean@"; }, {{"email", "desk.error.email"}}},
        {"no day", [](PersonForm& f) { f.days.clear(); }, {{"days", "desk.error.days_none"}}},
        {"a day outside the event",
         [](PersonForm& f) {
             f.days = {"2022-09-28", "2022-10-01"};
         },
         {{"days", "desk.error.day"}}},
        {"a 600-character note",
         [](PersonForm& f) { f.note = std::string(600, 'n'); },
         {{"note", "desk.error.too_long"}}},
        {"a 501-character note in é",
         [](PersonForm& f) {
             f.note.clear();
             for (int i = 0; i < 501; ++i)
                 f.note += "é";
         },
         {{"note", "desk.error.too_long"}}},
        {"a control character in the note",
         [](PersonForm& f) { f.note = "bip\x07"; },
         {{"note", "desk.error.invalid_text"}}},
        {"a note that is not UTF-8",
         [](PersonForm& f) { f.note = "caf\xE9"; },
         {{"note", "desk.error.invalid_text"}}},
        {"two errors at once",
         [](PersonForm& f) {
             f.first_name.clear();
             f.email = "jean at example.org";
         },
         {{"first_name", "desk.error.required"}, {"email", "desk.error.email"}}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        DeskDoSave request = good;
        c.change(request.form);
        const Snapshot before = snapshot(d, id);
        const auto refused = as<DeskFormRefused>(desk_save(d.store, request, kT));
        CHECK(errors_text(refused.errors) == errors_text(c.errors));
        CHECK(snapshot(d, id) == before);
        // The same form as a walk-in is refused the same way and creates nobody.
        request.attendee_id.clear();
        request.force = true;
        CHECK(errors_text(as<DeskFormRefused>(desk_save(d.store, request, kT)).errors) ==
              errors_text(c.errors));
        CHECK(snapshot(d, id) == before);
    }
    // A note of exactly the limit, with blanks around it, is fine (the blanks are trimmed).
    DeskDoSave limit = good;
    limit.form.note = " " + std::string(kMaxNoteChars, 'n') + "\n";
    CHECK(as<DeskSaved>(desk_save(d.store, limit, kT)).person.note == std::string(kMaxNoteChars, 'n'));
    // An unknown attendee: a failure, nothing written.
    const int journal = d.journal_rows();
    DeskDoSave unknown = good;
    unknown.attendee_id = "ZZZZZZZZZZZZ";
    CHECK(std::holds_alternative<DeskFailure>(desk_save(d.store, unknown, kT)));
    CHECK(d.journal_rows() == journal);
}

TEST_CASE("Desk walk-in: likely duplicates stop it, forced, it is created, checked in and given a badge",
          "[desk_ops]") {
    const bool with_key = GENERATE(true, false);
    CAPTURE(with_key);
    Desk d(with_key);
    const Snapshot before = snapshot(d, d.eglantine.id);

    // The same folded name (typed without accents, in capitals), and the same e-mail in another case.
    for (const PersonForm& form : {walk_in_form("eglantine", "QUEVREUX"),
                                   walk_in_form("E.", "Q.", "Eglantine.QUEVREUX@Example.org")}) {
        CAPTURE(form.first_name);
        const auto dup = as<DeskDuplicates>(desk_save(d.store, DeskDoSave{"", form, false}, kT));
        CHECK(contains(ids_of(dup.rows), d.eglantine.id));
        CHECK(row_of(dup.rows, d.eglantine.id).organisation == "Atelier Kerbiriou");
        CHECK(snapshot(d, d.eglantine.id) == before);
    }

    d.now = kT + kMinute;
    const auto saved = as<DeskSaved>(
        desk_save(d.store, DeskDoSave{"", walk_in_form("eglantine", "QUEVREUX"), true}, kT + kMinute));
    CHECK(saved.created);
    CHECK(d.attendee_rows() == before.attendees + 1);
    const PersonSummary& p = saved.person.summary;
    CHECK(p.id != d.eglantine.id);
    CHECK(p.source == "walk-in");
    CHECK(p.first_name == "eglantine");
    CHECK(p.days == std::vector<std::string>{"2022-09-28"});
    CHECK(p.arrived_today);
    CHECK(p.arrived_hh_mm == "09:13");
    CHECK(p.arrived_device == "Bureau 1");
    CHECK(d.load(p.id).source == "walk-in");
    CHECK(count_kind(saved.person, "created") == 1);
    CHECK(count_kind(saved.person, "arrival") == 1);
    REQUIRE_FALSE(saved.badge_code.empty());
    CHECK(saved.badge_signed == with_key);
    if (with_key) {
        const auto check =
            verify_badge_code(saved.badge_code, d.store.event().uid, load_event_keys(d.store.db()));
        REQUIRE(check);
        CHECK(badge_attendee_id(*check.payload) == p.id);
    } else {
        CHECK(saved.badge_code == p.id);
    }
    // The badge finds them at any check-in: here, already in.
    const CheckinResult r = check_in(d.store, saved.badge_code, kT + 2 * kMinute);
    REQUIRE(r.attendee);
    CHECK(r.attendee->id == p.id);
    CHECK(r.verdict == Verdict::AlreadyCheckedIn);
    // And the desk's alerts say the walk-in may be Églantine.
    const auto alerts = desk_alerts(d.store, kT + 3 * kMinute).alerts;
    const auto it = std::find_if(alerts.begin(), alerts.end(),
                                 [&](const DeskAlert& a) { return a.kind == "possible-duplicate"; });
    REQUIRE(it != alerts.end());
    CHECK(it->attendee_id == p.id);
    CHECK(it->detail == "Églantine Quévreux (Atelier Kerbiriou)");
}

TEST_CASE("Desk reprint: a new badge version admits, the old badge is a replaced one", "[desk_ops]") {
    Desk d;
    REQUIRE(d.key);
    const std::string old_code = badge_code_for(d.eglantine, d.store.event(), *d.key);
    d.now = kT;
    const auto saved = as<DeskSaved>(desk_reprint(d.store, d.eglantine.id, kT));
    CHECK_FALSE(saved.created);
    CHECK(saved.badge_signed);
    CHECK(saved.person.badge_version == 2);
    CHECK(d.load(d.eglantine.id).badge_version == 2);
    CHECK(count_kind(saved.person, "reprint") == 1);
    REQUIRE(saved.badge_code != old_code);

    const auto in = as<DeskCheckedIn>(desk_scan(d.store, saved.badge_code, kT + kMinute));
    CHECK(in.info.verdict == Verdict::Admitted);
    CHECK(in.person.summary.id == d.eglantine.id);

    const auto old = as<DeskCodeVerdict>(desk_scan(d.store, old_code, kT + 2 * kMinute));
    CHECK(old.verdict == Verdict::ReplacedBadge);
    REQUIRE(old.person);
    CHECK(old.person->summary.id == d.eglantine.id);
    REQUIRE_FALSE(old.person->history.empty());
    CHECK(old.person->history[0].kind == "replaced-badge");
    CHECK(old.person->history[0].detail == "v1");
    // An unknown person: a failure (the worker reports it), nothing written.
    const int journal = d.journal_rows();
    CHECK_THROWS(desk_reprint(d.store, "ZZZZZZZZZZZZ", kT));
    CHECK(d.journal_rows() == journal);
}

TEST_CASE("Desk reprint without a badge key is refused and changes nothing", "[desk_ops]") {
    Desk d(false);
    CHECK_FALSE(desk_setup(d.store, kT, false).can_sign);
    const Snapshot before = snapshot(d, d.eglantine.id);
    const auto refused = as<DeskFormRefused>(desk_reprint(d.store, d.eglantine.id, kT));
    CHECK(errors_text(refused.errors) == "badge:desk.error.no_key");
    CHECK(snapshot(d, d.eglantine.id) == before);
    CHECK(d.load(d.eglantine.id).badge_version == 1);
}

TEST_CASE("Desk scan: unknown code, forged or altered badge, valid badge, ticket code", "[desk_ops]") {
    Desk d;
    REQUIRE(d.key);
    const DeskSetup setup = desk_setup(d.store, kT, true);
    CHECK(setup.can_sign);
    CHECK(setup.device_name == "Bureau 1");
    CHECK(setup.today == "2022-09-28");
    CHECK(setup.days.size() == 3);

    const int journal = d.journal_rows();
    const auto unknown = as<DeskCodeVerdict>(desk_scan(d.store, "NOBODY-1234", kT));
    CHECK(unknown.verdict == Verdict::UnknownCode);
    CHECK_FALSE(unknown.person);

    const std::string good = badge_code_for(d.jean, d.store.event(), *d.key);
    std::string altered = good;
    char& c = altered[altered.size() / 2];
    c = c == 'A' ? 'B' : 'A';
    const std::string forged = badge_code_for(d.jean, d.store.event(), SigningKey::generate());
    for (const std::string& bad : {altered, forged}) {
        const auto v = as<DeskCodeVerdict>(desk_scan(d.store, bad, kT));
        CHECK(v.verdict == Verdict::InvalidBadge);
        CHECK_FALSE(v.person);
    }
    CHECK(d.journal_rows() == journal);
    CHECK_FALSE(row_of(desk_search(d.store, "kerbiriou", 12, kT), d.jean.id).arrived_today);

    const auto in = as<DeskCheckedIn>(desk_scan(d.store, good, kT));
    CHECK(in.info.verdict == Verdict::Admitted);
    CHECK(in.person.summary.id == d.jean.id);
    CHECK(in.person.summary.arrived_today);
    CHECK(as<DeskCheckedIn>(desk_scan(d.store, good, kT + kMinute)).info.verdict ==
          Verdict::AlreadyCheckedIn);

    // A roster ticket code (the import's "Code" column) opens and admits its person too.
    SQLite::Statement q(d.store.db(), "SELECT id, ext_code FROM attendees WHERE ext_code <> '' LIMIT 1");
    REQUIRE(q.executeStep());
    const std::string ticket_holder = q.getColumn(0).getString();
    const auto ticket = as<DeskCheckedIn>(desk_scan(d.store, q.getColumn(1).getString(), kT));
    CHECK(ticket.person.summary.id == ticket_holder);
}

TEST_CASE("Desk alerts: one person checked in the same day at the desk and at an offline kiosk",
          "[desk_ops]") {
    Desk d;
    Store kiosk = sync::create_joining_store(d.dir.file("kiosk.db"));
    test::join_offline(d.store, kiosk, "Accueil 2", sync::Role::Kiosk);
    test::pull_as(d.store, kiosk, sync::Role::Kiosk);

    // The desk admits Jean at 09:12; the kiosk, offline, admits him again at 09:15, then syncs.
    REQUIRE(as<DeskCheckedIn>(desk_check_in(d.store, d.jean.id, kT)).info.verdict == Verdict::Admitted);
    REQUIRE(check_in(kiosk, d.jean.id, kT + 3 * kMinute).verdict == Verdict::Admitted);
    CHECK(desk_alerts(d.store, kT + 4 * kMinute).alerts.empty());
    const auto r = test::push_from(d.store, kiosk);
    INFO((r.ok() ? std::string() : r.rejected.front().reason));
    REQUIRE(r.ok());

    const auto alerts = desk_alerts(d.store, kT + 5 * kMinute).alerts;
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].kind == "double-checkin");
    CHECK(alerts[0].attendee_id == d.jean.id);
    CHECK(alerts[0].name == "Jean Tregiuer");
    CHECK(alerts[0].devices == "Bureau 1, Accueil 2");
    CHECK(alerts[0].when == "09:15");
    // The desk's row still shows the first arrival.
    // A copy: row_of returns into the search result, a temporary.
    const PersonSummary row = row_of(desk_search(d.store, "kerbiriou", 12, kT + 5 * kMinute), d.jean.id);
    CHECK(row.arrived_hh_mm == "09:12");
    CHECK(row.arrived_device == "Bureau 1");
    // Another day has no such alert; undoing the check-ins ends it.
    CHECK(desk_alerts(d.store, kT + test::kOneDayMs).alerts.empty());
    CHECK(as<DeskUndone>(desk_undo(d.store, d.jean.id, kT + 6 * kMinute)).count == 2);
    CHECK(desk_alerts(d.store, kT + 7 * kMinute).alerts.empty());
}

// ---- The worker thread ---------------------------------------------------------------------------

namespace {

// What the worker posts, kept for the test thread, which waits on a condition (never a sleep).
class Inbox {
public:
    void post(DeskInput in) {
        {
            std::lock_guard lock(mutex_);
            items_.push_back(std::move(in));
        }
        cv_.notify_all();
    }
    void print(DeskPrintJob job) {
        {
            std::lock_guard lock(mutex_);
            prints_.push_back(std::move(job));
        }
        cv_.notify_all();
    }
    // The first posted T that `pred` accepts, waiting for it at most 30 s (sanitizer builds are slow).
    template <class T, class Pred> std::optional<T> wait_for(Pred pred) {
        std::unique_lock lock(mutex_);
        std::optional<T> found;
        cv_.wait_for(lock, std::chrono::seconds(30), [&] {
            for (const auto& i : items_)
                if (const T* t = std::get_if<T>(&i); t && pred(*t)) {
                    found = *t;
                    return true;
                }
            return false;
        });
        return found;
    }
    std::optional<DeskPrintJob> wait_print() {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !prints_.empty(); });
        return prints_.empty() ? std::nullopt : std::optional(prints_.front());
    }
    std::vector<DeskInput> items() {
        std::lock_guard lock(mutex_);
        return items_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<DeskInput> items_;
    std::vector<DeskPrintJob> prints_;
};

constexpr auto anything = [](const auto&) { return true; };

// The worker reads the real clock: an event of yesterday, today and tomorrow (Paris) around it.
std::string event_around_now(const std::string& path, std::vector<std::string>& ids) {
    const std::int64_t now = wall_ms();
    const std::string today = local_day(now, "Europe/Paris");
    Store s = Store::create(path, EventSpec{"Desk worker",
                                            "Europe/Paris",
                                            {{local_day(now - test::kOneDayMs, "Europe/Paris"), ""},
                                             {today, ""},
                                             {local_day(now + test::kOneDayMs, "Europe/Paris"), ""}}});
    s.set_kiosk_name("Bureau 2");
    test::import_demo_roster(s, 100);
    WriteTransaction tx(s.db());
    for (const char* last : {"Quévreux", "Quentin"})
        ids.push_back(create_attendee(s, Attendee{.first_name = "Églantine", .last_name = last}).id);
    tx.commit();
    return today;
}

} // namespace

TEST_CASE("Desk worker: searches and check-ins answered on its thread", "[desk_ops][worker]") {
    test::TempDir dir;
    std::vector<std::string> ids;
    event_around_now(dir.file("desk.db"), ids);
    Inbox inbox;
    DeskWorker worker(
        dir.file("desk.db"), true, [&](DeskInput in) { inbox.post(std::move(in)); },
        [&](DeskPrintJob j) { inbox.print(std::move(j)); });

    const auto ready = inbox.wait_for<DeskReady>(anything);
    REQUIRE(ready);
    CHECK(ready->setup.device_name == "Bureau 2");
    CHECK(ready->setup.has_printer);
    CHECK(ready->setup.days.size() == 3);

    worker.submit(DeskSearch{"quevr"});
    const auto results = inbox.wait_for<DeskResults>([](const DeskResults& r) { return r.query == "quevr"; });
    REQUIRE(results);
    CHECK(ids_of(results->rows) == std::vector<std::string>{ids[0]});

    worker.submit(DeskDoCheckIn{ids[0]});
    const auto in = inbox.wait_for<DeskCheckedIn>(anything);
    REQUIRE(in);
    CHECK(in->info.verdict == Verdict::Admitted);
    CHECK(in->person.summary.id == ids[0]);
    CHECK(in->person.summary.arrived_device == "Bureau 2");

    // Two keystrokes back to back: the newest query is always answered (the older one may be skipped).
    worker.submit(DeskSearch{"que"});
    worker.submit(DeskSearch{"quev"});
    const auto newest = inbox.wait_for<DeskResults>([](const DeskResults& r) { return r.query == "quev"; });
    REQUIRE(newest);
    CHECK(contains(ids_of(newest->rows), ids[0]));
    CHECK(row_of(newest->rows, ids[0]).arrived_today);
    for (const auto& i : inbox.items())
        if (const auto* r = std::get_if<DeskResults>(&i))
            CHECK((r->query == "quevr" || r->query == "que" || r->query == "quev"));

    // A person's page, and a badge sent to the printer with the person as stored now.
    worker.submit(DeskOpen{ids[1]});
    const auto page = inbox.wait_for<DeskPerson>(anything);
    REQUIRE(page);
    CHECK(page->person.summary.last_name == "Quentin");
    worker.submit(DeskDoPrint{ids[1], "CODE"});
    const auto job = inbox.wait_print();
    REQUIRE(job);
    CHECK(job->attendee.id == ids[1]);
    CHECK(job->code == "CODE");
    CHECK(job->event.name == "Desk worker");

    // An unknown person: a failure posted, and the worker goes on.
    worker.submit(DeskOpen{"ZZZZZZZZZZZZ"});
    CHECK(inbox.wait_for<DeskFailure>(anything));
    worker.submit(DeskDoUndo{ids[0]});
    const auto undone = inbox.wait_for<DeskUndone>(anything);
    REQUIRE(undone);
    CHECK(undone->count == 1);
}

TEST_CASE("Desk worker: a database that does not exist is a failure posted, never a crash or a new file",
          "[desk_ops][worker]") {
    test::TempDir dir;
    const std::string missing = dir.file("absent.db");
    Inbox inbox;
    {
        DeskWorker worker(
            missing, false, [&](DeskInput in) { inbox.post(std::move(in)); },
            [&](DeskPrintJob j) { inbox.print(j); });
        worker.submit(DeskSearch{"dup"});
        const auto failure = inbox.wait_for<DeskFailure>(anything);
        REQUIRE(failure);
        CHECK(failure->what.find("cannot open the database") != std::string::npos);
        worker.submit(DeskDoCheckIn{"ZZZZZZZZZZZZ"});
    } // stopped while it waits to try again
    for (const auto& i : inbox.items())
        CHECK(std::holds_alternative<DeskFailure>(i));
    CHECK_FALSE(std::filesystem::exists(missing));
}
