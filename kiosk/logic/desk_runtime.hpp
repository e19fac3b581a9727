#pragma once
// The welcome desk's everything but the drawing: the desk machine, its worker, the camera and the
// keyboard-wedge scanner, the badge printer, the verdict sounds and speech, wired together. The UI
// thread calls pump() once per frame, draws view(), and reports keys and taps.
#include "badge_printer.hpp"
#include "capture.hpp"
#include "desk_machine.hpp"
#include "desk_worker.hpp"
#include "mailbox.hpp"
#include "sound.hpp"
#include "speech.hpp"
#include "wedge.hpp"

#include <functional>
#include <memory>
#include <mutex>

namespace accueil::kiosk {

struct DeskRuntimeOptions {
    std::string db_path;
    CaptureOptions capture;
    DeskOptions machine;
    bool sound = true;
    bool speech = false; // off at the desk by default: the volunteer reads the screen
    HeadphoneMode headphones = HeadphoneMode::Auto;
    std::string pdf_dir;            // where badges are saved as PDF (default: beside the database)
    std::int64_t refresh_ms = 5000; // clock, sync state
    std::int64_t alerts_ms = 30000; // the alert count in the status line
};

class DeskRuntime {
public:
    DeskRuntime(const Strings& strings, DeskRuntimeOptions options);
    ~DeskRuntime();

    // `wake` is called from worker threads when there is something to draw (glfwPostEmptyEvent).
    void start(std::function<void()> wake);

    bool pump(std::int64_t now_ms);
    void key(const DeskKey& k, std::int64_t now_ms);             // Backspace, arrows, Escape (from the UI)
    void key_char(const std::string& utf8, std::int64_t now_ms); // keyboard or scanner
    void key_enter(std::int64_t now_ms);
    void tap(const DeskTap& t, std::int64_t now_ms);
    void fail(const std::string& what, std::int64_t now_ms);

    DeskView view() const { return machine_.view(); }
    const DeskMachine& machine() const { return machine_; }
    std::optional<GreyImage> take_preview();
    std::optional<std::int64_t> next_wake(std::int64_t now_ms) const;
    // The volunteer asked to go back to self-service (a kiosk switched on the spot).
    bool leave_requested() const { return leave_; }

private:
    void apply(const DeskInput& in, std::int64_t now_ms);
    void run(const std::vector<DeskEffect>& effects);
    void post(DeskInput in);

    DeskRuntimeOptions opt_;
    DeskMachine machine_;
    Mailbox mailbox_; // the camera's codes and pictures
    std::mutex mutex_;
    std::vector<DeskInput> inbox_; // the worker's and the printer's answers
    std::function<void()> wake_;
    KeyboardWedge wedge_;
    PrinterSettings printer_settings_;
    std::unique_ptr<SoundPlayer> sound_;
    std::unique_ptr<Speaker> speaker_;
    std::unique_ptr<BadgePrinter> printer_;
    std::unique_ptr<DeskWorker> worker_;
    std::unique_ptr<Capture> capture_;
    std::optional<GreyImage> preview_;
    std::int64_t next_refresh_ = 0, next_alerts_ = 0;
    bool leave_ = false;
};

} // namespace accueil::kiosk
