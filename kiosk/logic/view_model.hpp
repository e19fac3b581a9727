#pragma once
// What one kiosk screen shows, fully worded: the drawing layer only lays it out and sends intents back.
#include <string>
#include <vector>

namespace accueil::kiosk {

enum class Screen {
    Scan,       // "Scannez votre badge" with the camera preview
    Checking,   // the check-in is being recorded (rarely visible: under a second; 5 s at most)
    Verdict,    // one of the check-in core's verdicts
    Search,     // "Je n'ai pas mon badge": type your name
    Confirm,    // prove it is you: pick your last name among invented ones
    GoToDesk,   // self-service cannot help: please see a volunteer
    OutOfOrder, // something failed: logged, and people are sent to the desk
    Pin,        // an organiser types the PIN that switches this kiosk to desk mode
    NotSetUp,   // the store has no event yet: how to enrol this kiosk, and which file it uses
    Closed,     // outside the opening hours: a dark screen saying when it opens (opening_hours.hpp)
};
const char* screen_key(Screen s); // "scan", "checking" ...

enum class Intent {
    Ok,      // dismiss a result screen now
    NoBadge, // "Je n'ai pas mon badge"
    Back,    // cancel the current flow
    Key,     // on-screen keyboard character (Tap::text)
    Backspace,
    Space,
    PickMatch,   // a search match (Tap::index)
    PickOption,  // an identity option (Tap::index)
    NoneOfThese, // no option is mine
    MoreTime,    // extend a typing screen
    SwitchLanguage,
    ToggleContrast,
    Repeat,     // say the screen again (spoken verdicts)
    Organiser,  // a tap on the clock: five within 3 s open the organiser PIN screen
    PrintBadge, // "Imprimer mon badge" after checking in without one (a kiosk with a printer)
};

// The sentence's mood; never the only cue: there is always an icon shape and words.
enum class Tone { Neutral, Success, Info, Warning, Error };
enum class Icon {
    None,
    Badge,
    Hourglass,
    Check,
    Repeat,
    Calendar,
    Triangle,
    Cross,
    Question,
    Desk,
    Stop,
    Search,
    Key,
    Gear // not set up
};
enum class Sound { Admitted, AlreadyCheckedIn, NotToday, ReplacedBadge, InvalidBadge, UnknownCode, Error };

struct Button {
    Intent intent = Intent::Ok;
    std::string label;
    int index = -1;
    bool primary = false;
    bool operator==(const Button&) const = default;
};

struct ViewModel {
    Screen screen = Screen::Scan;
    bool french = true;
    bool high_contrast = false;
    Tone tone = Tone::Neutral;
    Icon icon = Icon::None;
    std::string title;    // the one big line
    std::string sentence; // what it means
    std::string hint;     // what to do next
    std::vector<Button> actions;

    // Scan
    bool show_preview = false;
    std::string camera_note; // "no camera: use the scanner"

    // Search / Confirm
    bool show_keyboard = false;
    std::string typed;
    std::string typed_placeholder;
    std::vector<Button> choices; // masked matches, or identity options
    std::string backspace_label, space_label;

    // A countdown the person can extend (typing screens) or just see (result screens).
    int seconds_left = -1;
    bool can_extend = false;
    std::string more_time_label;

    // Closed: the words lit up (a touch, for 30 s) rather than dimmed.
    bool lit = false;

    // Status line, shown on every screen but Closed
    std::string kiosk_name;
    std::string clock; // "09:12"
    std::string sync_text;
    Tone sync_tone = Tone::Neutral;
    std::string language_label; // the other language's name: "English" / "Français"
    std::string contrast_label;

    // The UI draws a frame only when the view model changed (or input arrived): an idle kiosk redraws
    // once a minute for the clock.
    bool operator==(const ViewModel&) const = default;
};

} // namespace accueil::kiosk
