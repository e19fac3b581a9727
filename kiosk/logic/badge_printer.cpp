#include "badge_printer.hpp"

#include "cups_library.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace accueil::kiosk {

namespace {

using Clock = std::chrono::steady_clock;

struct HttpClose {
    void operator()(http_t* h) const { cups_call::httpClose(h); }
};
using HttpPtr = std::unique_ptr<http_t, HttpClose>;
struct IppDelete {
    void operator()(ipp_t* r) const { cups_call::ippDelete(r); }
};
using IppPtr = std::unique_ptr<ipp_t, IppDelete>;
struct DestsFree {
    int count = 0;
    void operator()(cups_dest_t* d) const { cups_call::cupsFreeDests(count, d); }
};
using DestsPtr = std::unique_ptr<cups_dest_t, DestsFree>;

bool is_ipp_uri(const std::string& p) {
    return p.rfind("ipp://", 0) == 0 || p.rfind("ipps://", 0) == 0;
}

// libcups calls this whenever a read or write has waited `timeout_value` seconds: 1 = keep waiting.
struct Deadline {
    const std::atomic<bool>* stop = nullptr;
    Clock::time_point until;
};
int keep_waiting(http_t*, void* data) {
    const auto* d = static_cast<const Deadline*>(data);
    return (!d->stop || !d->stop->load()) && Clock::now() < d->until;
}
constexpr double kWaitSlice = 0.2; // seconds: how soon a stop or a deadline is noticed mid-request

// Where IPP requests for a printer go: the printer itself (URI) or the CUPS scheduler (queue name).
struct Target {
    std::string host;
    int port = 631;
    std::string resource;
    std::string uri; // printer-uri in each request
    http_encryption_t encryption = HTTP_ENCRYPTION_IF_REQUESTED;
    std::string label; // for messages
};

struct Net {
    const std::atomic<bool>* stop;
    int* cancel;
    PrintTimeouts timeouts;
};

// One connection, bounded by the connect timeout and the stop flag; no connection is reused, so
// libcups never takes its own 30 s reconnect path on a printer that went away.
HttpPtr connect_to(const Net& net, const std::string& host, int port, http_encryption_t enc,
                   Deadline& deadline, std::string& error) {
    HttpPtr http(cups_call::httpConnect2(host.c_str(), port, nullptr, AF_UNSPEC, enc, 1, 0, nullptr));
    if (!http) {
        error = "unknown host " + host;
        return {};
    }
    deadline.stop = net.stop;
    deadline.until = Clock::now() + net.timeouts.connect + net.timeouts.request;
    cups_call::httpSetTimeout(http.get(), kWaitSlice, keep_waiting, &deadline);
    if (cups_call::httpReconnect2(http.get(), int(net.timeouts.connect.count()), net.cancel) != 0) {
        // libcups keeps no socket error when every address failed: it says EHOSTDOWN
        // for a refused connection as well.
        const int err = cups_call::httpError(http.get());
        if (err == EHOSTDOWN)
            error = "nothing answers there (connection refused, or the printer is off)";
        else if (err == ETIMEDOUT)
            error = "no answer within " + std::to_string(net.timeouts.connect.count()) + " ms";
        else
            error = err ? std::strerror(err) : "no connection";
        return {};
    }
    return http;
}

struct Reply {
    IppPtr ipp;
    bool reached = false; // the printer (or CUPS) answered at the HTTP level
    ipp_status_t status = IPP_STATUS_ERROR_INTERNAL;
    std::string error;
};

// One IPP request on a fresh connection; `file` is sent as the document when given.
Reply call(const Net& net, const Target& t, IppPtr request, const std::string& file = {}) {
    Reply r;
    Deadline deadline;
    HttpPtr http = connect_to(net, t.host, t.port, t.encryption, deadline, r.error);
    if (!http)
        return r;
    deadline.until = Clock::now() + net.timeouts.request;
    // cupsDo*Request frees the request.
    r.ipp.reset(file.empty() ? cups_call::cupsDoRequest(http.get(), request.release(), t.resource.c_str())
                             : cups_call::cupsDoFileRequest(http.get(), request.release(), t.resource.c_str(),
                                                            file.c_str()));
    r.status = cups_call::cupsLastError();
    r.reached = bool(r.ipp);
    if (r.ipp)
        r.status = cups_call::ippGetStatusCode(r.ipp.get());
    if (!r.ipp || r.status > IPP_STATUS_OK_EVENTS_COMPLETE)
        r.error = cups_call::cupsLastErrorString() ? cups_call::cupsLastErrorString()
                                                   : cups_call::ippErrorString(r.status);
    if (!r.ipp && *net.stop)
        r.error = "stopped";
    else if (!r.ipp && Clock::now() >= deadline.until)
        r.error = "no answer within " + std::to_string(net.timeouts.request.count() / 1000) + " s";
    return r;
}

// A request to the printer asking for `wanted` attributes.
IppPtr new_request(ipp_op_t op, const Target& t, std::initializer_list<const char*> wanted) {
    IppPtr req(cups_call::ippNewRequest(op));
    cups_call::ippAddString(req.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, t.uri.c_str());
    cups_call::ippAddString(req.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
                            cups_call::cupsUser());
    if (wanted.size())
        cups_call::ippAddStrings(req.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                                 int(wanted.size()), nullptr, wanted.begin());
    return req;
}

std::vector<std::string> strings_of(ipp_t* ipp, const char* name) {
    std::vector<std::string> out;
    if (ipp_attribute_t* a = cups_call::ippFindAttribute(ipp, name, IPP_TAG_ZERO))
        for (int i = 0; i < cups_call::ippGetCount(a); ++i)
            if (const char* s = cups_call::ippGetString(a, i, nullptr))
                out.emplace_back(s);
    return out;
}
int enum_of(ipp_t* ipp, const char* name) {
    ipp_attribute_t* a = cups_call::ippFindAttribute(ipp, name, IPP_TAG_ENUM);
    return a ? cups_call::ippGetInteger(a, 0) : 0;
}
std::string text_of(ipp_t* ipp, const char* name) {
    ipp_attribute_t* a = cups_call::ippFindAttribute(ipp, name, IPP_TAG_TEXT);
    const char* s = a ? cups_call::ippGetString(a, 0, nullptr) : nullptr;
    return s ? s : "";
}
std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : ",") + s;
    return out;
}

// A refusal that means "the printer cannot take jobs now" rather than "this job is wrong".
bool is_unavailable(ipp_status_t s) {
    return s == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS || s == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE ||
           s == IPP_STATUS_ERROR_PRINTER_IS_DEACTIVATED || s == IPP_STATUS_ERROR_BUSY;
}

// No password prompt on a terminal (libcups' default) when a printer asks for one: the job fails.
const char* no_password(const char*, http_t*, const char*, const char*, void*) {
    return nullptr;
}

struct Resolved {
    std::optional<Target> target;
    PrintState state = PrintState::Failed; // when there is no target
    std::string detail;
};

Resolved resolve(const Net& net, const std::string& printer) {
    Resolved r;
    if (!cups_library(&r.detail))
        return r; // libcups cannot be loaded: the detail says why
    char scheme[32], userpass[256], host[256], resource[1024];
    int port = 0;
    if (is_ipp_uri(printer)) {
        if (cups_call::httpSeparateURI(HTTP_URI_CODING_ALL, printer.c_str(), scheme, sizeof scheme, userpass,
                                       sizeof userpass, host, sizeof host, &port, resource,
                                       sizeof resource) < HTTP_URI_STATUS_OK) {
            r.detail = "malformed printer URI " + printer;
            return r;
        }
        r.target =
            Target{host,
                   port,
                   resource,
                   printer,
                   std::strcmp(scheme, "ipps") == 0 ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED,
                   printer};
        return r;
    }
    // A CUPS queue: ask the scheduler for it (its own connection, bounded like the others).
    Deadline deadline;
    std::string error;
    HttpPtr http = connect_to(net, cups_call::cupsServer(), cups_call::ippPort(), cups_call::cupsEncryption(),
                              deadline, error);
    if (!http) {
        r.state = PrintState::PrinterOffline;
        r.detail = std::string("the print service (CUPS, ") + cups_call::cupsServer() +
                   ") does not answer: " + error;
        return r;
    }
    deadline.until = Clock::now() + net.timeouts.request;
    DestsPtr dest(cups_call::cupsGetNamedDest(http.get(), printer.c_str(), nullptr), DestsFree{1});
    const char* uri =
        dest ? cups_call::cupsGetOption("printer-uri-supported", dest->num_options, dest->options) : nullptr;
    if (!uri) {
        r.detail = dest ? "\"" + printer + "\" is not a CUPS queue: add it in CUPS or give its ipp:// URI"
                        : "no CUPS printer named \"" + printer + "\"";
        return r;
    }
    if (cups_call::httpSeparateURI(HTTP_URI_CODING_ALL, uri, scheme, sizeof scheme, userpass, sizeof userpass,
                                   host, sizeof host, &port, resource,
                                   sizeof resource) < HTTP_URI_STATUS_OK) {
        r.detail = std::string("CUPS gave a malformed URI for \"") + printer + "\": " + uri;
        return r;
    }
    r.target = Target{cups_call::cupsServer(),     cups_call::ippPort(),   resource, uri,
                      cups_call::cupsEncryption(), "CUPS queue " + printer};
    return r;
}

std::string safe_id(const std::string& id) {
    std::string out = id.empty() ? "unknown" : id;
    for (char& c : out)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_'))
            c = '_';
    return out;
}

// The badge as a one-page PDF, owner-only: it names a person. The file is created 0600 before Cairo
// writes it (Cairo opens it with fopen, which keeps the mode), whatever the process umask.
std::string render_pdf(const PrintRequest& req) {
    namespace fs = std::filesystem;
    const auto layout = parse_badge_layout(req.settings.layout);
    if (!layout)
        throw InputError("print layout", "unknown layout \"" + req.settings.layout + "\"");
    const fs::path dir(req.pdf_dir.empty() ? "." : req.pdf_dir);
    if (!fs::exists(dir)) {
        fs::create_directories(dir);
        fs::permissions(dir, fs::perms::owner_all);
    }
    const std::string path = (dir / badge_pdf_name(req.attendee)).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        throw InputError(path, std::strerror(errno));
    const bool owner_only = ::fchmod(fd, 0600) == 0;
    ::close(fd);
    if (!owner_only)
        throw InputError(path, "cannot make the file owner-only");
    write_badge_sheet(path, req.event, {BadgeToPrint{req.attendee, req.code}}, *layout);
    return path;
}

} // namespace

std::optional<std::string> validate_printer_settings(const PrinterSettings& s) {
    const auto layout = parse_badge_layout(s.layout);
    if (!layout || (*layout != BadgeLayout::Label62 && *layout != BadgeLayout::A6))
        return "unknown print layout \"" + s.layout + "\": use label-62mm or a6";
    if (s.printer.empty())
        return std::nullopt;
    if (s.printer.find("://") != std::string::npos) {
        if (!is_ipp_uri(s.printer))
            return "a printer URI starts with ipp:// or ipps://: " + s.printer;
        if (std::string why; !cups_library(&why))
            return why;
        char scheme[32], userpass[256], host[256], resource[1024];
        int port = 0;
        if (cups_call::httpSeparateURI(HTTP_URI_CODING_ALL, s.printer.c_str(), scheme, sizeof scheme,
                                       userpass, sizeof userpass, host, sizeof host, &port, resource,
                                       sizeof resource) < HTTP_URI_STATUS_OK ||
            !host[0])
            return "malformed printer URI: " + s.printer;
        return std::nullopt;
    }
    // CUPS queue names: up to 127 printable characters, no space, '/', '#', '\\', '?' or quote.
    if (s.printer.size() > 127)
        return "printer name longer than 127 characters";
    for (unsigned char c : s.printer)
        if (c <= ' ' || c == 127 || c == '/' || c == '#' || c == '\\' || c == '?' || c == '\'' || c == '"')
            return "\"" + s.printer + "\" is neither a CUPS printer name nor an ipp:// URI";
    return std::nullopt;
}

PrinterSettings load_printer_settings(Store& store) {
    PrinterSettings s;
    if (auto p = store.meta(kPrinterMetaKey))
        s.printer = *p;
    if (auto l = store.meta(kPrintLayoutMetaKey)) {
        PrinterSettings probe{.printer = {}, .layout = *l};
        if (!validate_printer_settings(probe))
            s.layout = *l;
    }
    return s;
}

void save_printer_settings(Store& store, const PrinterSettings& s) {
    if (auto why = validate_printer_settings(s))
        throw InputError("printer settings", *why);
    WriteTransaction tx(store.db());
    store.set_meta(kPrinterMetaKey, s.printer);
    store.set_meta(kPrintLayoutMetaKey, s.layout);
    tx.commit();
}

std::vector<std::string> list_printers() {
    std::atomic<bool> never{false};
    int cancel = 0;
    const Net net{&never, &cancel,
                  PrintTimeouts{.connect = std::chrono::milliseconds(2000),
                                .request = std::chrono::milliseconds(3000)}};
    Deadline deadline;
    std::string error;
    if (!cups_library(&error))
        return {}; // logged by cups_library
    HttpPtr http = connect_to(net, cups_call::cupsServer(), cups_call::ippPort(), cups_call::cupsEncryption(),
                              deadline, error);
    if (!http) {
        spdlog::info("no CUPS printers listed: {} ({})", error, cups_call::cupsServer());
        return {};
    }
    deadline.until = Clock::now() + net.timeouts.request;
    cups_dest_t* raw = nullptr;
    const int n = cups_call::cupsGetDests2(http.get(), &raw);
    DestsPtr dests(raw, DestsFree{n});
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i)
        if (!raw[i].instance) // instances are lpoptions presets of the same queue
            names.emplace_back(raw[i].name);
    return names;
}

PrinterProbe probe_printer(const std::string& printer, PrintTimeouts timeouts) {
    std::atomic<bool> never{false};
    int cancel = 0;
    const Net net{&never, &cancel, timeouts};
    const Resolved where = resolve(net, printer);
    if (!where.target)
        return {where.state, where.detail};
    const Target& t = *where.target;
    Reply r = call(net, t,
                   new_request(IPP_OP_GET_PRINTER_ATTRIBUTES, t,
                               {"printer-state", "printer-state-reasons", "printer-state-message"}));
    if (!r.reached)
        return {PrintState::PrinterOffline, "cannot reach " + t.label + ": " + r.error};
    PrinterObservation o;
    o.printer_state = enum_of(r.ipp.get(), "printer-state");
    o.printer_state_reasons = strings_of(r.ipp.get(), "printer-state-reasons");
    std::string detail = t.label + ": " + cups_call::ippEnumString("printer-state", o.printer_state);
    if (!o.printer_state_reasons.empty())
        detail += " [" + joined(o.printer_state_reasons) + "]";
    if (const std::string m = text_of(r.ipp.get(), "printer-state-message"); !m.empty())
        detail += " — " + m;
    return {classify_print_state(o), detail};
}

std::string badge_pdf_name(const Attendee& a) {
    return "badge-" + safe_id(a.id) + "-v" + std::to_string(a.badge_version) + ".pdf";
}

BadgePrinter::BadgePrinter(std::function<void(const PrintStatus&)> on_status, PrintTimeouts timeouts)
    : on_status_(std::move(on_status)), timeouts_(timeouts) {
    thread_ = std::thread([this] { run(); });
}

BadgePrinter::~BadgePrinter() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        std::atomic_ref<int>(cancel_).store(1);
    }
    cv_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

std::uint64_t BadgePrinter::submit(PrintRequest request) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        queue_.push_back(Queued{id, std::move(request)});
    }
    cv_.notify_one();
    return id;
}

void BadgePrinter::run() {
    for (;;) {
        Queued job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
            if (stop_)
                return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        process(job);
    }
}

void BadgePrinter::process(const Queued& job) {
    PrintStatus st;
    st.job = job.id;
    auto report = [&](PrintState state, std::string detail, bool final) {
        if (stop_)
            return;
        st.state = state;
        st.detail = std::move(detail);
        st.final = final;
        if (final && (state == PrintState::Failed || state == PrintState::PrinterOffline ||
                      state == PrintState::OutOfPaper))
            spdlog::warn("badge print {}: {} ({})", job.id, to_string(state), st.detail);
        try {
            if (on_status_)
                on_status_(st);
        } catch (const std::exception& e) {
            spdlog::error("badge print status callback failed: {}", e.what());
        }
    };
    // Sleeps between two looks at a job; false when the printer is being destroyed.
    auto pause = [&](std::chrono::milliseconds d) {
        std::unique_lock lock(mutex_);
        return !cv_.wait_for(lock, d, [&] { return stop_.load(); });
    };

    const PrintRequest& req = job.request;
    report(PrintState::Rendering, "", false);
    try {
        st.pdf_path = render_pdf(req);
    } catch (const std::exception& e) {
        report(PrintState::Failed, std::string("the badge could not be drawn: ") + e.what(), true);
        return;
    }
    if (req.settings.printer.empty()) {
        report(PrintState::SavedPdf, "no printer set on this device: badge saved as " + st.pdf_path, true);
        return;
    }

    const Net net{&stop_, &cancel_, timeouts_};
    const Resolved where = resolve(net, req.settings.printer); // loads libcups at the first job
    if (!where.target) {
        report(where.state, where.detail, true);
        return;
    }
    // Per thread in libcups; set once libcups is loaded, which resolve() has done.
    static thread_local const bool no_prompt = (cups_call::cupsSetPasswordCB2(no_password, nullptr), true);
    (void)no_prompt;
    const Target& t = *where.target;

    // The printer's formats first: an IPP Everywhere printer reached directly may not take PDF (CUPS
    // converts it), which is better said plainly than as a refused job.
    {
        Reply r = call(net, t, new_request(IPP_OP_GET_PRINTER_ATTRIBUTES, t, {"document-format-supported"}));
        if (!r.reached) {
            report(PrintState::PrinterOffline, "cannot reach " + t.label + ": " + r.error, true);
            return;
        }
        const auto formats = strings_of(r.ipp.get(), "document-format-supported");
        if (!formats.empty() &&
            std::find(formats.begin(), formats.end(), "application/pdf") == formats.end()) {
            report(PrintState::Failed,
                   t.label + " does not take PDF (it takes " + joined(formats) +
                       "): set it up in CUPS, which converts PDF for it",
                   true);
            return;
        }
    }

    IppPtr pj = new_request(IPP_OP_PRINT_JOB, t, {});
    // The job name shows in printer queues and logs: the file name, not the person's name.
    const std::string job_name = std::filesystem::path(st.pdf_path).filename().string();
    cups_call::ippAddString(pj.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, job_name.c_str());
    cups_call::ippAddString(pj.get(), IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr,
                            "application/pdf");
    Reply sent = call(net, t, std::move(pj), st.pdf_path);
    if (!sent.reached || sent.status > IPP_STATUS_OK_EVENTS_COMPLETE) {
        const bool offline = !sent.reached || is_unavailable(sent.status);
        report(offline ? PrintState::PrinterOffline : PrintState::Failed,
               t.label + " refused the badge: " + sent.error, true);
        return;
    }
    ipp_attribute_t* id_attr = cups_call::ippFindAttribute(sent.ipp.get(), "job-id", IPP_TAG_INTEGER);
    st.printer_job = id_attr ? cups_call::ippGetInteger(id_attr, 0) : 0;
    report(PrintState::Sent, "job " + std::to_string(st.printer_job) + " on " + t.label, false);
    if (!id_attr) {
        report(PrintState::Sent, t.label + " accepted the badge without a job number: not followed", true);
        return;
    }

    const auto give_up = Clock::now() + timeouts_.follow;
    PrintState last = PrintState::Sent;
    std::string last_detail;
    for (;;) {
        PrintState state = last;
        std::string detail;
        IppPtr jq = new_request(IPP_OP_GET_JOB_ATTRIBUTES, t,
                                {"job-state", "job-state-reasons", "job-state-message"});
        cups_call::ippAddInteger(jq.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", st.printer_job);
        Reply jr = call(net, t, std::move(jq));
        if (stop_)
            return;
        if (!jr.reached) {
            state = PrintState::PrinterOffline;
            detail = "lost contact with " + t.label + ": " + jr.error;
        } else if (jr.status == IPP_STATUS_ERROR_NOT_FOUND) {
            // Printers forget finished jobs after a while (ippeveprinter after a minute).
            state = PrintState::Done;
            detail =
                t.label + " no longer lists job " + std::to_string(st.printer_job) + ": taken as printed";
        } else {
            PrinterObservation o;
            o.job_state = enum_of(jr.ipp.get(), "job-state");
            o.job_state_reasons = strings_of(jr.ipp.get(), "job-state-reasons");
            Reply pr = call(net, t,
                            new_request(IPP_OP_GET_PRINTER_ATTRIBUTES, t,
                                        {"printer-state", "printer-state-reasons", "printer-state-message"}));
            if (stop_)
                return;
            std::string message = text_of(jr.ipp.get(), "job-state-message");
            if (pr.reached) {
                o.printer_state = enum_of(pr.ipp.get(), "printer-state");
                o.printer_state_reasons = strings_of(pr.ipp.get(), "printer-state-reasons");
                const std::string pm = text_of(pr.ipp.get(), "printer-state-message");
                if (!pm.empty() && pm != message)
                    message += (message.empty() ? "" : "; ") + pm;
            }
            state = classify_print_state(o);
            detail = "job " + std::to_string(st.printer_job) + " on " + t.label + ": " +
                     cups_call::ippEnumString("job-state", o.job_state) + " [" + joined(o.job_state_reasons) +
                     "]";
            if (!o.printer_state_reasons.empty())
                detail += ", printer [" + joined(o.printer_state_reasons) + "]";
            if (!message.empty())
                detail += " — " + message;
        }
        const bool finished = state == PrintState::Done || state == PrintState::Failed;
        const bool timed_out = !finished && Clock::now() >= give_up;
        if (timed_out)
            detail += " (no longer followed after " + std::to_string(timeouts_.follow.count() / 1000) +
                      " s; the printer keeps the job)";
        if (finished || timed_out || state != last || detail != last_detail)
            report(state, detail, finished || timed_out);
        if (finished || timed_out)
            return;
        last = state;
        last_detail = detail;
        if (!pause(timeouts_.poll))
            return;
    }
}

} // namespace accueil::kiosk
