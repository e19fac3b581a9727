#pragma once
// Everything of the kiosk but the drawing: the state machine, the worker threads and the sound,
// wired together. The UI thread calls pump() once per frame, draws view(), and reports taps and keys.
// The same object runs headless (--print-codes is simpler still: see frame_pipeline.hpp).
#include "backlight.hpp"
#include "badge_printer.hpp"
#include "capture.hpp"
#include "checkin_worker.hpp"
#include "machine.hpp"
#include "mailbox.hpp"
#include "opening_hours.hpp"
#include "sound.hpp"
#include "speech.hpp"
#include "wedge.hpp"

#include <functional>
#include <memory>

namespace accueil::kiosk {

struct RuntimeOptions {
    std::string db_path;
    CaptureOptions capture;
    MachineOptions machine;
    WorkerOptions worker;
    bool sound = true;
    bool speech = true; // spoken verdicts (machine.speech shows the Repeat button)
    HeadphoneMode headphones = HeadphoneMode::Auto;
    PrinterSettings printer; // machine.can_print when set: badges for people checked in by name
    std::string pdf_dir;     // where badges are saved as PDF (default: beside the database)
    std::int64_t sync_refresh_ms = 5000;
    // Outside these the kiosk is closed: dark, camera stopped (machine.hpp's HoursState). None: always
    // open. The check-in worker and the sync agent are not affected.
    std::optional<OpeningHours> hours;
    std::string backlight_root; // backlight.hpp; empty: sysfs (or its test stand-in)
};

class Runtime {
public:
    Runtime(const Strings& strings, RuntimeOptions options);
    ~Runtime();

    // `wake` is called from worker threads when there is something to draw (glfwPostEmptyEvent).
    void start(std::function<void()> wake);

    // UI thread, once per frame: drains the mailbox into the machine and carries out its effects.
    // Returns true when anything changed (the UI then renders at full rate for a moment).
    bool pump(std::int64_t now_ms);
    void tap(const Tap& t, std::int64_t now_ms);
    void key_char(const std::string& utf8, std::int64_t now_ms); // physical keyboard or scanner
    void key_enter(std::int64_t now_ms);
    void fail(const std::string& what, std::int64_t now_ms); // a frame threw: out of order

    ViewModel view(std::int64_t now_ms) const { return machine_.view(now_ms); }
    const Machine& machine() const { return machine_; }
    std::optional<GreyImage> take_preview();
    // When the UI should wake up next even with no event (a timeout, a scanner burst ending).
    std::optional<std::int64_t> next_wake(std::int64_t now_ms) const;
    // A --replay run without loop is over: every picture decoded and every check-in written.
    bool replay_complete() const;
    // An organiser typed the right PIN: the app switches this device to desk mode.
    bool switch_requested() const { return switch_requested_; }
    // The check-in worker has its store open and answers.
    bool worker_running() const { return worker_ && worker_->running(); }

private:
    void apply(const Input& in, std::int64_t now_ms);
    // Tells the machine when the opening hours change (and the first time).
    void check_hours(std::int64_t now_ms);
    void scanned(const CodeDecoded& code, std::int64_t now_ms); // a badge scanner typed a code
    void log_input(const Input& in) const;                      // the events worth a log line
    void set_camera(bool on);
    void set_backlight(bool lit);
    void run(const std::vector<Effect>& effects);

    RuntimeOptions opt_;
    Machine machine_;
    Mailbox mailbox_;
    KeyboardWedge wedge_;
    std::unique_ptr<SoundPlayer> sound_;
    std::unique_ptr<Speaker> speaker_;
    std::unique_ptr<BadgePrinter> printer_;
    std::unique_ptr<CheckinWorker> worker_;
    std::unique_ptr<Capture> capture_;
    std::unique_ptr<Backlight> backlight_;
    std::optional<bool> open_; // what the machine was last told
    std::int64_t next_hours_change_ = 0;
    std::optional<GreyImage> preview_;
    std::int64_t next_sync_refresh_ = 0;
    bool replay_drained_ = false;
    bool switch_requested_ = false;
};

} // namespace accueil::kiosk
