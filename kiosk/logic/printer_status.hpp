#pragma once
// What a badge print job looks like to a volunteer, and the pure mapping from what an IPP printer (or
// CUPS) says about the job and itself to that state. No CUPS type here: the values are IPP's numbers
// and keywords, so the mapping is tested without a printer (tests/test_badge_printer.cpp).
#include <cstdint>
#include <string>
#include <vector>

namespace accueil::kiosk {

enum class PrintState {
    Rendering,      // the PDF is being drawn
    Sent,           // the printer accepted the job; it waits in its queue
    Printing,       // the printer is processing it
    Done,           // printed
    PrinterOffline, // unreachable, shut down, stopped or offline
    OutOfPaper,     // media-empty / media-needed: load labels and it goes on
    Failed,         // refused, aborted or canceled: print again
    SavedPdf,       // no printer configured: the PDF is saved, the UI shows the QR on screen
};
const char* to_string(PrintState s);

struct PrintStatus {
    std::uint64_t job = 0; // BadgePrinter::submit's number
    PrintState state = PrintState::Rendering;
    std::string pdf_path;
    std::string detail;  // for the log and a volunteer: the printer's words, an error
    int printer_job = 0; // the printer's job-id once accepted
    bool final = false;  // no further report for this job
};

// IPP job-state and printer-state values, named here to keep CUPS headers out of this one.
namespace ipp_job {
constexpr int Pending = 3, Held = 4, Processing = 5, Stopped = 6, Canceled = 7, Aborted = 8, Completed = 9;
}
namespace ipp_printer {
constexpr int Idle = 3, Processing = 4, Stopped = 5;
}

// One look at a sent job: Get-Job-Attributes and Get-Printer-Attributes. 0 = not reported.
struct PrinterObservation {
    int job_state = 0;
    std::vector<std::string> job_state_reasons;
    int printer_state = 0;
    std::vector<std::string> printer_state_reasons;
};

// A finished job wins (completed -> Done; aborted, canceled -> Failed). Otherwise paper
// ("media-empty", "media-needed") -> OutOfPaper; "offline", "shutdown" (e.g. CUPS's "offline-report"),
// a job's "printer-stopped", a stopped printer or a stopped job -> PrinterOffline; a processing job ->
// Printing; else Sent. Reasons match whatever their -error, -warning or -report suffix.
PrintState classify_print_state(const PrinterObservation& o);

} // namespace accueil::kiosk
