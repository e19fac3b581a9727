#pragma once
// Everything of the kiosk but the drawing: the state machine, the worker threads and the sound,
// wired together. The UI thread calls pump() once per frame, draws view(), and reports taps and keys.
// The same object runs headless (--print-codes is simpler still: see frame_pipeline.hpp).
#include "badge_printer.hpp"
#include "capture.hpp"
#include "checkin_worker.hpp"
#include "machine.hpp"
#include "mailbox.hpp"
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

private:
    void apply(const Input& in, std::int64_t now_ms);
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
    std::optional<GreyImage> preview_;
    std::int64_t next_sync_refresh_ = 0;
    bool replay_drained_ = false;
    bool switch_requested_ = false;
};

} // namespace accueil::kiosk
