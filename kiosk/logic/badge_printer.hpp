#pragma once
// Badge printing at the welcome desk and on self-service kiosks, on its own thread: the badge is drawn
// as a one-page PDF (shared/badge/badge_sheet.hpp) and, when the device has a printer, sent through
// libcups to a CUPS queue or straight to an IPP printer, then followed until it is printed or fails.
// Every network step has a bounded timeout and stops when the printer is destroyed, so a dead printer
// never holds the desk. Without a printer the PDF is kept and the UI shows the QR code on screen.
#include "badge/badge_sheet.hpp"
#include "printer_status.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace accueil {
class Store;
}

namespace accueil::kiosk {

// Per-device settings, in the device's meta table.
constexpr const char* kPrinterMetaKey = "desk.printer";
constexpr const char* kPrintLayoutMetaKey = "desk.print_layout";

struct PrinterSettings {
    // Empty: no printer (PDF only). A CUPS destination name ("QL-800"), or an ipp:// or ipps:// URI
    // for a printer not set up in CUPS ("ipp://192.168.1.20:631/ipp/print").
    std::string printer;
    std::string layout = "label-62mm"; // or "a6" (badge_sheet.hpp)
    bool operator==(const PrinterSettings&) const = default;
};

// Why the settings cannot be stored, or nothing when they can.
std::optional<std::string> validate_printer_settings(const PrinterSettings& s);
// Defaults for what is missing; a stored layout this build does not know reads as the default.
PrinterSettings load_printer_settings(Store& store);
// Throws InputError (errors.hpp) with validate_printer_settings' reason; then nothing is stored.
void save_printer_settings(Store& store, const PrinterSettings& s);

// The local CUPS destinations (cupsGetDests2), by name; empty when CUPS does not answer. Bounded to
// a few seconds; call it from a worker thread, not the UI's.
std::vector<std::string> list_printers();

struct PrintRequest {
    EventInfo event;
    Attendee attendee;
    std::string code; // the attendee's signed badge code (badge_code.hpp)
    PrinterSettings settings;
    std::string pdf_dir; // created owner-only when missing
};

// The PDF's file name: badge-<attendee id>-v<badge version>.pdf (characters outside [A-Za-z0-9_-] in
// the id become '_').
std::string badge_pdf_name(const Attendee& a);

struct PrintTimeouts {
    std::chrono::milliseconds connect{3000};  // one TCP (or CUPS socket) connection
    std::chrono::milliseconds request{15000}; // one IPP request, the PDF upload included
    std::chrono::milliseconds poll{500};      // between two looks at a sent job
    std::chrono::milliseconds follow{180000}; // following a job, then the last state is final
};

// One look at a printer for `accueil doctor` (sync/doctor/): Sent when it answers and can take a job
// now, PrinterOffline, OutOfPaper, or Failed (no such queue, malformed URI), with the printer's words.
// Each step is bounded by `timeouts` (connect, then request).
struct PrinterProbe {
    PrintState state = PrintState::Failed;
    std::string detail;
};
PrinterProbe probe_printer(const std::string& printer, PrintTimeouts timeouts);

class BadgePrinter {
public:
    // `on_status` runs on the printer thread (post it to the UI's mailbox); never after destruction.
    explicit BadgePrinter(std::function<void(const PrintStatus&)> on_status, PrintTimeouts timeouts = {});
    // Stops the thread: a connection or request under way is abandoned within about a second (libcups
    // waits up to 1 s for a "100 Continue" it does not let us interrupt); jobs not started are dropped
    // (no report).
    ~BadgePrinter();
    BadgePrinter(const BadgePrinter&) = delete;
    BadgePrinter& operator=(const BadgePrinter&) = delete;

    // Queues the badge and returns at once with the job's number (1, 2, ...), used in its reports.
    std::uint64_t submit(PrintRequest request);

private:
    struct Queued {
        std::uint64_t id;
        PrintRequest request;
    };
    void run();
    void process(const Queued& job);

    std::function<void(const PrintStatus&)> on_status_;
    PrintTimeouts timeouts_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Queued> queue_;
    std::uint64_t next_id_ = 1;
    std::atomic<bool> stop_{false};
    // libcups's connection cancel flag is a plain int it reads while connecting; it is written only
    // through std::atomic_ref (destructor) and read by libcups on the printer thread.
    alignas(std::atomic_ref<int>::required_alignment) int cancel_ = 0;
    std::thread thread_;
};

} // namespace accueil::kiosk
