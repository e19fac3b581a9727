#pragma once
// What the welcome desk's screen shows, fully worded: the drawing layer (kiosk/ui/desk_*.cpp) only lays
// it out and sends DeskActions back. The desk is a laptop with a keyboard and a scanner: every action
// has a key as well as a button.
#include "view_model.hpp"

#include <string>
#include <vector>

namespace accueil::kiosk {

enum class DeskScreen {
    Search,      // search as you type over the whole roster (home)
    Person,      // one person: check in, undo, edit, reprint, history
    Edit,        // edit form of a registered person
    WalkIn,      // registration form of a walk-in
    Duplicates,  // "is this one of them?" before creating a walk-in
    ConfirmUndo, // "undo today's check-in of ...?"
    Badge,       // the new badge: QR on screen, print job's fate
    Alerts,      // for volunteers: double check-ins, replaced badges, walk-ins that may be registered
};
const char* desk_screen_key(DeskScreen s); // "search", "person" ...

enum class DeskAct {
    OpenRow,      // a search result, duplicate or alert (index)
    Select,       // move the selection to a row (index) without opening it
    CheckIn,      // the person on screen
    Undo,         // ask to undo today's check-in
    ConfirmUndo,  // yes, undo it
    Edit,         // open the edit form
    Save,         // save the edit form
    WalkIn,       // open an empty registration form
    Create,       // create the walk-in (checks for duplicates first)
    CreateAnyway, // none of the likely duplicates is them
    Reprint,      // new badge version (the old badge is refused from then on)
    PrintAgain,   // print the badge on screen again
    Alerts,       // open the alerts list
    Back,         // Escape: one screen back, or clear the search
    FieldEdited,  // a form field's new value (index, text)
    ToggleDay,    // a form's day (index)
    SwitchLanguage,
    ToggleContrast,
    Repeat,      // say the verdict again
    SelfService, // leave desk mode (a kiosk switched on the spot goes back to self-service)
};

struct DeskButton {
    DeskAct act = DeskAct::Back;
    std::string label;
    std::string key; // the keyboard shortcut's name, shown on the button: "Entrée", "Échap", "F2"
    int index = -1;
    bool primary = false;
    bool danger = false;
    bool operator==(const DeskButton&) const = default;
};

// One person in a list (search results, likely duplicates, alerts).
struct DeskRow {
    std::string title;  // "Églantine Dupré"
    std::string detail; // "Mairie de Lyon · Orateur · lun. 28, mar. 29"
    std::string status; // "Arrivée 09:12 (Accueil 2)", "Pas encore arrivée", "Pas inscrite aujourd'hui"
    Tone tone = Tone::Neutral;
    bool note = false; // has an attention note: a marker beside the name
    bool selected = false;
    bool operator==(const DeskRow&) const = default;
};

struct DeskField {
    std::string label;
    std::string value;
    std::string error; // beside the field, empty when fine
    std::string hint;  // "optional"
    bool multiline = false;
    bool operator==(const DeskField&) const = default;
};

struct DeskToggle {
    std::string label;
    bool on = false;
    bool operator==(const DeskToggle&) const = default;
};

struct DeskFact {
    std::string label, value;
    bool operator==(const DeskFact&) const = default;
};

struct DeskView {
    DeskScreen screen = DeskScreen::Search;
    bool french = true;
    bool high_contrast = false;
    std::string title; // the screen's heading

    // A verdict or outcome shown inline (never a separate screen: the volunteer keeps context).
    Tone banner_tone = Tone::Neutral;
    Icon banner_icon = Icon::None;
    std::string banner_title, banner_text;

    // Search
    std::string query, query_label, query_placeholder;
    std::string list_caption; // "3 personnes" / "Tapez au moins 2 lettres"
    std::vector<DeskRow> rows;

    // Person
    std::vector<DeskFact> facts;
    std::string note_label, note; // the attention note (desk only)
    std::string history_title;
    std::vector<DeskFact> history; // label: when, value: what and where

    // Forms (Edit, WalkIn)
    std::vector<DeskField> fields;
    std::string days_label, days_error;
    std::vector<DeskToggle> days;

    // Badge
    std::string badge_code; // drawn as a QR to photograph
    std::string print_text;
    Tone print_tone = Tone::Neutral;

    std::vector<DeskButton> actions;

    // Status line
    std::string device_name, clock, sync_text;
    Tone sync_tone = Tone::Neutral;
    std::string language_label, contrast_label, alerts_label;
    int alert_count = 0;

    bool operator==(const DeskView&) const = default;
};

} // namespace accueil::kiosk
