#include "desk_scenes.hpp"

namespace accueil::kiosk {

const std::vector<std::string>& desk_scene_names() {
    static const std::vector<std::string> names = {
        "search",           "search-results", "search-none",    "person",        "person-arrived",
        "person-note",      "admitted",       "already",        "replaced",      "edit",
        "edit-errors",      "walk-in",        "walk-in-errors", "duplicates",    "confirm-undo",
        "undone",           "badge-printing", "badge-done",     "badge-offline", "badge-out-of-paper",
        "badge-no-printer", "alerts",         "failed"};
    return names;
}

DeskSetup sample_desk_setup(bool has_printer) {
    DeskSetup s;
    s.device_name = "Accueil 1";
    s.today = "2022-09-28";
    s.days = {
        {"2022-09-27", "mar. 27 sept."}, {"2022-09-28", "mer. 28 sept."}, {"2022-09-29", "jeu. 29 sept."}};
    s.can_sign = true;
    s.has_printer = has_printer;
    return s;
}

namespace {
PersonSummary summary(std::string id, std::string first, std::string last, std::string org, std::string cat,
                      std::vector<std::string> days, bool arrived, bool note = false) {
    PersonSummary p;
    p.id = std::move(id);
    p.first_name = std::move(first);
    p.last_name = std::move(last);
    p.organisation = std::move(org);
    p.category = std::move(cat);
    p.days = std::move(days);
    p.arrived_today = arrived;
    if (arrived) {
        p.arrived_hh_mm = "09:12";
        p.arrived_device = "Accueil 2";
    }
    p.may_enter_today = p.days.empty() || p.days.size() > 1 || p.days.front() == "2022-09-28";
    p.has_note = note;
    p.source = "import";
    return p;
}

std::vector<PersonSummary> sample_rows() {
    return {summary("A1", "Églantine", "Dupré", "Mairie de Lyon", "Orateur", {}, false, true),
            summary("A2", "Léa", "Duchêne-Ollivier", "Association Numérique Solidaire du Grand Ouest",
                    "Participant", {"2022-09-28"}, true),
            summary("A3", "Jean-Noël", "D'Amico", "Université de Bordeaux", "Bénévole",
                    {"2022-09-27", "2022-09-28"}, false),
            summary("A4", "Zoé", "Durand", "", "Presse", {"2022-09-29"}, false)};
}
} // namespace

PersonDetail sample_person(bool arrived, bool note) {
    PersonDetail p;
    p.summary = summary("A1", "Églantine", "Dupré", "Mairie de Lyon", "Orateur", {}, arrived, note);
    p.email = "eglantine.dupre@example.org";
    p.badge_version = 1;
    if (note)
        p.note = "Fauteuil roulant : salle accessible (ascenseur B). Oratrice : loge verte à 10 h.";
    p.history = {{"27/09 08:55", "created", "Organisation", "import"}};
    if (arrived)
        p.history.insert(p.history.begin(), {"28/09 09:12", "arrival", "Accueil 2", ""});
    p.history.insert(p.history.begin() + (arrived ? 1 : 0),
                     {"27/09 18:02", "edit", "Accueil 1", "organisation"});
    return p;
}

bool drive_to_desk_scene(DeskMachine& m, const std::string& name) {
    const std::int64_t now = 0;
    m.handle(DeskReady{sample_desk_setup(name != "badge-no-printer")}, now);
    m.handle(DeskClock{"09:14", SyncState{true, false, 12}}, now);
    auto type = [&](const std::string& text) {
        for (char c : text)
            m.handle(DeskKey{DeskKey::Char, std::string(1, c)}, now);
    };
    auto open = [&](bool arrived, bool note) {
        type("du");
        m.handle(DeskResults{"du", sample_rows()}, now);
        m.handle(DeskPerson{sample_person(arrived, note)}, now);
    };
    auto walk_in = [&] {
        type("marc dup");
        m.handle(DeskTap{DeskAct::WalkIn}, now);
    };
    auto badge = [&](const char* state, const char* detail) {
        open(true, false);
        m.handle(DeskTap{DeskAct::Reprint}, now);
        PersonDetail p = sample_person(true, false);
        p.badge_version = 2;
        m.handle(DeskSaved{p, false,
                           "ABQGK2IAAAAAAAAAAAQAAQAAEAIB2V5MFPMU5LAKIOFNRP2NDGEJTUG5DKQTJOZ3NS6NQMRUW5SZP"
                           "VU3AHHSJU3SQUZ7OV6W6J7RDL3A5ZLTKZ5SQLJRRBQMZPCZPBWMDWOO6QX3FD4XQCGQ",
                           true},
                 now);
        if (state)
            m.handle(DeskPrint{1, state, detail}, now);
    };
    if (name == "search")
        return true;
    if (name == "search-results") {
        type("du");
        m.handle(DeskResults{"du", sample_rows()}, now);
    } else if (name == "search-none") {
        type("xyz");
        m.handle(DeskResults{"xyz", {}}, now);
    } else if (name == "person") {
        open(false, false);
    } else if (name == "person-arrived") {
        open(true, false);
    } else if (name == "person-note") {
        open(false, true);
    } else if (name == "admitted" || name == "already") {
        open(false, true);
        VerdictInfo info{name == "admitted" ? Verdict::Admitted : Verdict::AlreadyCheckedIn, "Églantine",
                         "09:12", "Accueil 2"};
        m.handle(DeskTap{DeskAct::CheckIn}, now);
        m.handle(DeskCheckedIn{info, sample_person(true, true)}, now);
    } else if (name == "replaced") {
        m.handle(DeskCode{"OLD-BADGE", now}, now);
        m.handle(DeskCodeVerdict{Verdict::ReplacedBadge, sample_person(false, false)}, now);
    } else if (name == "edit" || name == "edit-errors") {
        open(false, true);
        m.handle(DeskTap{DeskAct::Edit}, now);
        if (name == "edit-errors") {
            m.handle(DeskTap{DeskAct::FieldEdited, int(FormField::FirstName), ""}, now);
            m.handle(DeskTap{DeskAct::FieldEdited, int(FormField::Email), "eglantine.dupre@"}, now);
            m.handle(DeskTap{DeskAct::Save}, now);
            m.handle(DeskFormRefused{{{"first_name", "desk.error.required"}, {"email", "desk.error.email"}}},
                     now);
        }
    } else if (name == "walk-in") {
        walk_in();
    } else if (name == "walk-in-errors") {
        walk_in();
        m.handle(DeskTap{DeskAct::FieldEdited, int(FormField::Email), "marc@"}, now);
        m.handle(DeskTap{DeskAct::Create}, now);
        m.handle(DeskFormRefused{{{"email", "desk.error.email"}, {"days", "desk.error.days_none"}}}, now);
    } else if (name == "duplicates") {
        walk_in();
        m.handle(DeskTap{DeskAct::Create}, now);
        m.handle(DeskDuplicates{{sample_rows()[2]}}, now);
    } else if (name == "confirm-undo") {
        open(true, false);
        m.handle(DeskTap{DeskAct::Undo}, now);
    } else if (name == "undone") {
        open(true, false);
        m.handle(DeskTap{DeskAct::Undo}, now);
        m.handle(DeskTap{DeskAct::ConfirmUndo}, now);
        m.handle(DeskUndone{1, sample_person(false, false)}, now);
    } else if (name == "badge-printing") {
        badge("printing", "");
    } else if (name == "badge-done") {
        badge("done", "");
    } else if (name == "badge-offline") {
        badge("printer-offline", "");
    } else if (name == "badge-out-of-paper") {
        badge("out-of-paper", "");
    } else if (name == "badge-no-printer") {
        badge("saved-pdf", "/var/lib/accueil/badges/badge-A1-v2.pdf");
    } else if (name == "alerts") {
        m.handle(DeskTap{DeskAct::Alerts}, now);
        m.handle(
            DeskAlerts{
                {{"double-checkin", "A2", "Léa Duchêne-Ollivier", "Accueil 1, Accueil 3", "09:02", ""},
                 {"replaced-badge", "A1", "Églantine Dupré", "Borne 4", "09:10", "version 1"},
                 {"possible-duplicate", "A9", "Marc Dupont", "Accueil 1", "08:47", "Marc Dupont (import)"}}},
            now);
    } else if (name == "failed") {
        open(false, false);
        m.handle(DeskTap{DeskAct::CheckIn}, now);
        m.handle(DeskFailure{"sample failure"}, now);
    } else {
        return false;
    }
    return true;
}

} // namespace accueil::kiosk
