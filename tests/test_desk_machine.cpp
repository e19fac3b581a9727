// The welcome desk's state machine, without a window or a database: one GENERATE table of (scene,
// input → next screen, effects), then the flows a volunteer goes through end to end, and the words.
#include "desk_machine.hpp"
#include "desk_scenes.hpp"

#include "support/kiosk_strings.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace accueil;
using namespace accueil::kiosk;

namespace {

const Strings& strings() {
    return test::kiosk_strings();
}

std::string effect_name(const DeskEffect& e) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, DeskSearch>)
                return "search:" + x.query;
            else if constexpr (std::is_same_v<T, DeskOpen>)
                return "open:" + x.attendee_id;
            else if constexpr (std::is_same_v<T, DeskResolve>)
                return "resolve:" + x.code;
            else if constexpr (std::is_same_v<T, DeskDoCheckIn>)
                return "check-in:" + x.attendee_id;
            else if constexpr (std::is_same_v<T, DeskDoUndo>)
                return "undo:" + x.attendee_id;
            else if constexpr (std::is_same_v<T, DeskDoSave>)
                return std::string(x.attendee_id.empty() ? (x.force ? "create-anyway" : "create") : "save:") +
                       x.attendee_id;
            else if constexpr (std::is_same_v<T, DeskDoReprint>)
                return "reprint:" + x.attendee_id;
            else if constexpr (std::is_same_v<T, DeskDoPrint>)
                return "print:" + x.attendee_id;
            else if constexpr (std::is_same_v<T, DeskLoadAlerts>)
                return "load-alerts";
            else if constexpr (std::is_same_v<T, PlaySound>)
                return "sound";
            else if constexpr (std::is_same_v<T, LogError>)
                return "log";
            else if constexpr (std::is_same_v<T, DeskSpeak>)
                return "speak";
            else if constexpr (std::is_same_v<T, DeskStopSpeech>)
                return "stop-speech";
            else if constexpr (std::is_same_v<T, DeskRepeatSpeech>)
                return "repeat-speech";
            else
                return "leave";
        },
        e);
}

// The effects, without the speech stops every action sends (checked on their own below).
std::vector<std::string> names(const std::vector<DeskEffect>& effects) {
    std::vector<std::string> out;
    for (const auto& e : effects)
        if (!std::holds_alternative<DeskStopSpeech>(e))
            out.push_back(effect_name(e));
    return out;
}

DeskMachine at(const std::string& scene) {
    DeskMachine m(strings());
    REQUIRE(drive_to_desk_scene(m, scene));
    return m;
}

DeskKey key(DeskKey::Kind k, std::string text = {}) {
    return DeskKey{k, std::move(text)};
}

} // namespace

TEST_CASE("Desk machine: every scene × input that matters", "[desk]") {
    struct Row {
        const char* scene;
        DeskInput input;
        DeskScreen next;
        std::vector<std::string> effects;
    };
    using K = DeskKey;
    const auto row = GENERATE(values<Row>({
        // Search as you type: each keystroke searches from the second letter; Escape clears.
        {"search", key(K::Char, "é"), DeskScreen::Search, {}},
        {"search-results", key(K::Char, "p"), DeskScreen::Search, {"search:dup"}},
        {"search-results", key(K::Backspace), DeskScreen::Search, {}},
        {"search-results", key(K::Enter), DeskScreen::Search, {"open:A1"}}, // opens on DeskPerson
        {"search-results", key(K::Down), DeskScreen::Search, {}},
        {"search-results", DeskTap{DeskAct::OpenRow, 2}, DeskScreen::Search, {"open:A3"}},
        {"search-results", key(K::Escape), DeskScreen::Search, {}},
        {"search-results", DeskTap{DeskAct::WalkIn}, DeskScreen::WalkIn, {}},
        {"search", DeskCode{"AB12", 5}, DeskScreen::Search, {"resolve:AB12"}},
        {"search", DeskTap{DeskAct::Alerts}, DeskScreen::Alerts, {"load-alerts"}},
        // A person's page: Enter checks in; typing starts the next search; Escape goes back.
        {"person", key(K::Enter), DeskScreen::Person, {"check-in:A1"}},
        {"person", DeskTap{DeskAct::CheckIn}, DeskScreen::Person, {"check-in:A1"}},
        {"person", key(K::Char, "m"), DeskScreen::Search, {}},
        {"person", key(K::Escape), DeskScreen::Search, {}},
        {"person", DeskTap{DeskAct::Edit}, DeskScreen::Edit, {}},
        {"person", DeskTap{DeskAct::Reprint}, DeskScreen::Person, {"reprint:A1"}},
        {"person", DeskTap{DeskAct::Undo}, DeskScreen::Person, {}}, // not arrived: nothing to undo
        {"person", DeskCode{"OTHER", 5}, DeskScreen::Person, {"resolve:OTHER"}},
        {"person-arrived", key(K::Enter), DeskScreen::Person, {}}, // already in: no second check-in
        {"person-arrived", DeskTap{DeskAct::Undo}, DeskScreen::ConfirmUndo, {}},
        // Undo asks first.
        {"confirm-undo", key(K::Escape), DeskScreen::Person, {}},
        {"confirm-undo", key(K::Enter), DeskScreen::ConfirmUndo, {"undo:A1"}},
        {"confirm-undo", DeskUndone{1, sample_person(false, false)}, DeskScreen::Person, {}},
        // Forms: Enter saves, Escape cancels, a scan waits for the form.
        {"edit", key(K::Enter), DeskScreen::Edit, {"save:A1"}},
        {"edit", key(K::Escape), DeskScreen::Person, {}},
        {"edit", DeskCode{"AB12", 5}, DeskScreen::Edit, {}},
        {"edit", DeskFormRefused{{{"email", "desk.error.email"}}}, DeskScreen::Edit, {"sound"}},
        {"edit", DeskSaved{sample_person(false, true), false, "", true}, DeskScreen::Person, {}},
        {"walk-in", key(K::Enter), DeskScreen::WalkIn, {"create"}},
        {"walk-in", key(K::Escape), DeskScreen::Search, {}},
        {"walk-in", DeskDuplicates{{}}, DeskScreen::Duplicates, {}},
        {"walk-in",
         DeskSaved{sample_person(true, false), true, "CODE", true},
         DeskScreen::Badge,
         {"print:A1", "sound"}},
        {"duplicates", key(K::Enter), DeskScreen::Duplicates, {"open:A3"}},
        {"duplicates", DeskTap{DeskAct::CreateAnyway}, DeskScreen::Duplicates, {"create-anyway"}},
        {"duplicates", key(K::Escape), DeskScreen::WalkIn, {}},
        {"duplicates", DeskPerson{sample_person(false, false)}, DeskScreen::Person, {}},
        // Badges and printing.
        {"badge-printing", DeskPrint{1, "done", ""}, DeskScreen::Badge, {}},
        {"badge-offline", DeskTap{DeskAct::PrintAgain}, DeskScreen::Badge, {"print:A1"}},
        {"badge-done", key(K::Enter), DeskScreen::Person, {}},
        // Alerts open the person.
        {"alerts", key(K::Enter), DeskScreen::Alerts, {"open:A2"}},
        {"alerts", key(K::Escape), DeskScreen::Search, {}},
        // Failures are logged and said; the screen stays.
        {"person", DeskFailure{"disk full"}, DeskScreen::Person, {"log", "sound"}},
    }));
    CAPTURE(row.scene, row.input.index());
    DeskMachine m = at(row.scene);
    const auto effects = m.handle(row.input, 0);
    CHECK(desk_screen_key(m.screen()) == std::string(desk_screen_key(row.next)));
    CHECK(names(effects) == row.effects);
}

TEST_CASE("Desk flow: search, open, check in, then undo a mistaken check-in", "[desk]") {
    DeskMachine m(strings());
    m.handle(DeskReady{sample_desk_setup()}, 0);
    // Three letters of an accented name, typed without the accent.
    std::vector<std::string> searched;
    for (const char* c : {"e", "g", "l"})
        for (const auto& n : names(m.handle(DeskKey{DeskKey::Char, c}, 0)))
            searched.push_back(n);
    CHECK(searched == std::vector<std::string>{"search:eg", "search:egl"});
    m.handle(DeskResults{"eg", {sample_person().summary}}, 0); // stale: the volunteer typed on
    CHECK(m.view().rows.empty());
    m.handle(DeskResults{"egl", {sample_person().summary}}, 0);
    REQUIRE(m.view().rows.size() == 1);
    CHECK(m.view().rows[0].title == "Églantine Dupré");
    CHECK(m.view().rows[0].status == "Pas encore là");
    CHECK(names(m.handle(DeskKey{DeskKey::Enter}, 0)) == std::vector<std::string>{"open:A1"});
    m.handle(DeskPerson{sample_person()}, 0);
    CHECK(m.view().title == "Églantine Dupré");
    CHECK(names(m.handle(DeskKey{DeskKey::Enter}, 0)) == std::vector<std::string>{"check-in:A1"});
    const auto done =
        m.handle(DeskCheckedIn{{Verdict::Admitted, "Églantine", "", ""}, sample_person(true)}, 0);
    CHECK(names(done) == std::vector<std::string>{"sound", "speak"});
    CHECK(m.view().banner_title == "Arrivée enregistrée\u00a0: Églantine Dupré");
    CHECK(m.view().banner_tone == Tone::Success);
    // Spoken: the loudspeaker text never holds the name; the headphones text does.
    const auto& speak = std::get<DeskSpeak>(done[1]);
    CHECK(speak.public_text.find("Églantine") == std::string::npos);
    CHECK(speak.private_text.find("Églantine") != std::string::npos);
    // The page now offers the undo, which asks first.
    m.handle(DeskTap{DeskAct::Undo}, 0);
    CHECK(m.screen() == DeskScreen::ConfirmUndo);
    CHECK(m.view().banner_title == "Annuler l'arrivée d'aujourd'hui de Églantine Dupré\u202f?");
    CHECK(names(m.handle(DeskTap{DeskAct::ConfirmUndo}, 0)) == std::vector<std::string>{"undo:A1"});
    m.handle(DeskUndone{1, sample_person(false)}, 0);
    CHECK(m.screen() == DeskScreen::Person);
    CHECK(m.view().banner_title == "Arrivée annulée");
}

TEST_CASE("Desk flow: back from a person's page, their row shows what just happened to them", "[desk]") {
    DeskMachine m(strings());
    m.handle(DeskReady{sample_desk_setup()}, 0);
    for (const char* c : {"e", "g", "l"})
        m.handle(DeskKey{DeskKey::Char, c}, 0);
    m.handle(DeskResults{"egl", {sample_person().summary}}, 0);
    m.handle(DeskKey{DeskKey::Enter}, 0);
    m.handle(DeskPerson{sample_person()}, 0);
    m.handle(DeskKey{DeskKey::Enter}, 0);
    m.handle(DeskCheckedIn{{Verdict::Admitted, "Églantine", "", ""}, sample_person(true)}, 0);
    // Escape: the results of the search again, the row no longer "not here yet" (found live with
    // tests/test_desk_screens.cpp).
    m.handle(DeskKey{DeskKey::Escape}, 0);
    REQUIRE(m.screen() == DeskScreen::Search);
    REQUIRE(m.view().rows.size() == 1);
    CHECK(m.view().rows[0].status != "Pas encore là");
    CHECK(m.view().rows[0].tone == Tone::Success);
    // And the undo puts it back.
    m.handle(DeskKey{DeskKey::Enter}, 0);
    m.handle(DeskPerson{sample_person(true)}, 0);
    m.handle(DeskTap{DeskAct::Undo}, 0);
    m.handle(DeskTap{DeskAct::ConfirmUndo}, 0);
    m.handle(DeskUndone{1, sample_person(false)}, 0);
    m.handle(DeskKey{DeskKey::Escape}, 0);
    REQUIRE(m.view().rows.size() == 1);
    CHECK(m.view().rows[0].status == "Pas encore là");
}

TEST_CASE("Desk flow: a walk-in with errors beside the fields, then a likely duplicate", "[desk]") {
    DeskMachine m(strings());
    m.handle(DeskReady{sample_desk_setup()}, 0);
    for (char c : std::string("marc dup"))
        m.handle(DeskKey{DeskKey::Char, std::string(1, c)}, 0);
    m.handle(DeskTap{DeskAct::WalkIn}, 0);
    // The form starts from what was searched, for today only.
    CHECK(m.form().first_name == "marc");
    CHECK(m.form().last_name == "dup");
    CHECK(m.form().days == std::vector<std::string>{"2022-09-28"});
    m.handle(DeskTap{DeskAct::FieldEdited, int(FormField::LastName), "Dupont"}, 0);
    m.handle(DeskTap{DeskAct::FieldEdited, int(FormField::Email), "marc@"}, 0);
    m.handle(DeskTap{DeskAct::ToggleDay, 1}, 0); // no day left
    const auto sent = m.handle(DeskKey{DeskKey::Enter}, 0);
    REQUIRE(names(sent) == std::vector<std::string>{"create"});
    CHECK(std::get<DeskDoSave>(sent[1]).form.last_name == "Dupont");
    m.handle(DeskFormRefused{{{"email", "desk.error.email"}, {"days", "desk.error.days_none"}}}, 0);
    auto v = m.view();
    CHECK(v.fields[int(FormField::Email)].error == "E-mail incomplet (ex.\u00a0: nom@exemple.fr)");
    CHECK(v.fields[int(FormField::FirstName)].error.empty());
    CHECK(v.days_error == "Choisissez au moins un jour");
    // Fixing a field takes its message away.
    m.handle(DeskTap{DeskAct::FieldEdited, int(FormField::Email), "marc@example.org"}, 0);
    m.handle(DeskTap{DeskAct::ToggleDay, 1}, 0);
    v = m.view();
    CHECK(v.fields[int(FormField::Email)].error.empty());
    CHECK(v.days_error.empty());
    CHECK(v.days[1].on);
    // Likely duplicates come before any record is created.
    m.handle(DeskKey{DeskKey::Enter}, 0);
    PersonSummary twin = sample_person().summary;
    twin.id = "A7";
    twin.first_name = "Marc";
    twin.last_name = "Dupont";
    m.handle(DeskDuplicates{{twin}}, 0);
    CHECK(m.screen() == DeskScreen::Duplicates);
    CHECK(m.view().rows.at(0).title == "Marc Dupont");
    const auto anyway = m.handle(DeskTap{DeskAct::CreateAnyway}, 0);
    REQUIRE(names(anyway) == std::vector<std::string>{"create-anyway"});
    CHECK(std::get<DeskDoSave>(anyway[1]).form.email == "marc@example.org");
    PersonDetail created = sample_person(true);
    created.summary.first_name = "Marc";
    created.summary.last_name = "Dupont";
    CHECK(names(m.handle(DeskSaved{created, true, "CODE", true}, 0)) ==
          std::vector<std::string>{"print:A1", "sound"});
    CHECK(m.screen() == DeskScreen::Badge);
    CHECK(m.view().badge_code == "CODE");
    CHECK(m.view().banner_title == "Inscription et arrivée enregistrées\u00a0: Marc Dupont");
}

TEST_CASE("Desk flow: a spelling fix in the edit form", "[desk]") {
    DeskMachine m = at("person");
    m.handle(DeskTap{DeskAct::Edit}, 0);
    REQUIRE(m.screen() == DeskScreen::Edit);
    CHECK(m.view().fields[int(FormField::LastName)].value == "Dupré");
    // Every day of the event is shown chosen for a person registered for every day.
    for (const auto& d : m.view().days)
        CHECK(d.on);
    m.handle(DeskTap{DeskAct::FieldEdited, int(FormField::LastName), "Duprès"}, 0);
    const auto saved = m.handle(DeskTap{DeskAct::Save}, 0);
    REQUIRE(names(saved) == std::vector<std::string>{"save:A1"});
    CHECK(std::get<DeskDoSave>(saved[1]).form.last_name == "Duprès");
    PersonDetail after = sample_person();
    after.summary.last_name = "Duprès";
    m.handle(DeskSaved{after, false, "", true}, 0);
    CHECK(m.screen() == DeskScreen::Person);
    CHECK(m.view().title == "Églantine Duprès");
    CHECK(m.view().banner_title == "Modifications enregistrées");
}

TEST_CASE("Desk flow: a reprint, then the old badge scanned is refused", "[desk]") {
    DeskMachine m = at("person");
    CHECK(names(m.handle(DeskTap{DeskAct::Reprint}, 0)) == std::vector<std::string>{"reprint:A1"});
    PersonDetail v2 = sample_person();
    v2.badge_version = 2;
    m.handle(DeskSaved{v2, false, "NEWCODE", true}, 0);
    CHECK(m.screen() == DeskScreen::Badge);
    CHECK(m.view().banner_text == "Badge version 2\u00a0: l'ancien badge est refusé désormais.");
    m.handle(DeskKey{DeskKey::Enter}, 0);
    CHECK(names(m.handle(DeskCode{"OLDCODE", 1}, 0)) == std::vector<std::string>{"resolve:OLDCODE"});
    CHECK(names(m.handle(DeskCodeVerdict{Verdict::ReplacedBadge, v2}, 0)) ==
          std::vector<std::string>{"sound"});
    CHECK(m.screen() == DeskScreen::Person);
    CHECK(m.view().banner_title == "Ancien badge");
    CHECK(m.view().banner_tone == Tone::Warning);
    // And an unknown code keeps the volunteer on the search with a clear message.
    m.handle(DeskCodeVerdict{Verdict::UnknownCode, std::nullopt}, 0);
    CHECK(m.screen() == DeskScreen::Search);
    CHECK(m.view().banner_title == "Code inconnu");
}

TEST_CASE("Desk flow: the print job's fate is shown, and a failed job can be printed again", "[desk]") {
    DeskMachine m = at("badge-printing");
    CHECK(m.view().print_text == "Impression en cours…");
    m.handle(DeskPrint{1, "out-of-paper", "media-empty"}, 0);
    CHECK(m.view().print_tone == Tone::Warning);
    CHECK(m.view().print_text.find("papier") != std::string::npos);
    m.handle(DeskPrint{1, "failed", "aborted"}, 0);
    CHECK(m.view().print_tone == Tone::Error);
    CHECK(names(m.handle(DeskTap{DeskAct::PrintAgain}, 0)) == std::vector<std::string>{"print:A1"});
    m.handle(DeskPrint{2, "done", ""}, 0);
    m.handle(DeskPrint{1, "failed", "late news"}, 0); // an older job does not overwrite the newer one
    CHECK(m.view().print_text == "Badge imprimé.");
    CHECK(m.view().print_tone == Tone::Success);
    // No printer: the badge is a QR on screen, and a PDF.
    DeskMachine none = at("badge-no-printer");
    CHECK(!none.view().badge_code.empty());
    CHECK(none.view().print_text == "Badge enregistré en PDF\u00a0: /var/lib/accueil/badges/badge-A1-v2.pdf");
}

TEST_CASE("Desk flow: a person's attention note is shown on their page and with their verdict", "[desk]") {
    DeskMachine m = at("person-note");
    auto v = m.view();
    CHECK(v.note_label == "Note pour l'accueil");
    CHECK(v.note.find("Fauteuil roulant") != std::string::npos);
    CHECK(v.banner_title == "Note pour l'accueil");
    CHECK(v.rows.empty());
    DeskMachine admitted = at("admitted");
    CHECK(admitted.view().banner_title == "Arrivée enregistrée\u00a0: Églantine Dupré");
    CHECK(admitted.view().banner_text.find("Note\u00a0: Fauteuil roulant") != std::string::npos);
    // In the search list, only a marker.
    DeskMachine list = at("search-results");
    CHECK(list.view().rows.at(0).note);
    CHECK(!list.view().rows.at(1).note);
}

TEST_CASE("Desk: every action stops speech, Repeat says it again", "[desk]") {
    DeskMachine m = at("admitted");
    auto stops = [](const std::vector<DeskEffect>& e) {
        return std::count_if(e.begin(), e.end(),
                             [](const DeskEffect& x) { return std::holds_alternative<DeskStopSpeech>(x); });
    };
    CHECK(stops(m.handle(DeskKey{DeskKey::Escape}, 0)) == 1);
    CHECK(names(m.handle(DeskTap{DeskAct::Repeat}, 0)) == std::vector<std::string>{"repeat-speech"});
}

TEST_CASE("Desk: every scene is worded in both languages, with no key left untranslated", "[desk]") {
    for (const auto& scene : desk_scene_names()) {
        for (bool english : {false, true}) {
            DeskMachine m(strings());
            REQUIRE(drive_to_desk_scene(m, scene));
            if (english)
                m.handle(DeskTap{DeskAct::SwitchLanguage}, 0);
            const DeskView v = m.view();
            CAPTURE(scene, english);
            std::vector<std::string> texts{v.title,      v.banner_title, v.banner_text,  v.list_caption,
                                           v.print_text, v.sync_text,    v.alerts_label, v.query_placeholder};
            for (const auto& b : v.actions)
                texts.push_back(b.label);
            for (const auto& f : v.fields)
                texts.insert(texts.end(), {f.label, f.error, f.hint});
            for (const auto& r : v.rows)
                texts.insert(texts.end(), {r.detail, r.status});
            for (const auto& f : v.facts)
                texts.insert(texts.end(), {f.label, f.value});
            for (const auto& h : v.history)
                texts.push_back(h.value);
            CHECK(!v.title.empty());
            CHECK(!v.actions.empty());
            for (const auto& t : texts) {
                CHECK(t.find("desk.") == std::string::npos); // a missing key shows itself
                CHECK(t.find('{') == std::string::npos);     // an unfilled placeholder
            }
        }
    }
}
