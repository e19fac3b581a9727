#include "printer_status.hpp"

#include <algorithm>
#include <string_view>

namespace accueil::kiosk {

const char* to_string(PrintState s) {
    switch (s) {
    case PrintState::Rendering:
        return "rendering";
    case PrintState::Sent:
        return "sent";
    case PrintState::Printing:
        return "printing";
    case PrintState::Done:
        return "done";
    case PrintState::PrinterOffline:
        return "printer-offline";
    case PrintState::OutOfPaper:
        return "out-of-paper";
    case PrintState::Failed:
        return "failed";
    case PrintState::SavedPdf:
        return "saved-pdf";
    }
    return "?";
}

namespace {

// A printer-state-reasons keyword without its severity suffix. The suffix is not
// trusted: printers pick it from their own state (ippeveprinter says "media-empty-warning" while
// processing, "-error" when stopped), and a job that waits for paper waits whatever the suffix.
std::string_view keyword_of(std::string_view r) {
    for (std::string_view s : {"-error", "-warning", "-report"})
        if (r.size() > s.size() && r.substr(r.size() - s.size()) == s)
            return r.substr(0, r.size() - s.size());
    return r;
}

bool any_reason(const std::vector<std::string>& reasons, std::initializer_list<std::string_view> keywords) {
    return std::any_of(reasons.begin(), reasons.end(), [&](const std::string& r) {
        return std::find(keywords.begin(), keywords.end(), keyword_of(r)) != keywords.end();
    });
}

} // namespace

PrintState classify_print_state(const PrinterObservation& o) {
    switch (o.job_state) {
    case ipp_job::Completed:
        return PrintState::Done;
    case ipp_job::Aborted:
    case ipp_job::Canceled:
        return PrintState::Failed;
    default:
        break;
    }
    if (any_reason(o.printer_state_reasons, {"media-empty", "media-needed"}))
        return PrintState::OutOfPaper;
    if (any_reason(o.printer_state_reasons, {"offline", "shutdown"}) ||
        any_reason(o.job_state_reasons, {"printer-stopped"}) || o.printer_state == ipp_printer::Stopped ||
        o.job_state == ipp_job::Stopped)
        return PrintState::PrinterOffline;
    if (o.job_state == ipp_job::Processing)
        return PrintState::Printing;
    return PrintState::Sent;
}

} // namespace accueil::kiosk
