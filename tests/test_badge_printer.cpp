// Badge printing (issue 10): the state mapping, the per-device settings, the saved PDF, and real print
// jobs sent to CUPS's IPP Everywhere test printer (ippeveprinter, run here on 127.0.0.1): printed,
// refused, aborted, out of paper, and printers that refuse connections or never answer.
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "badge_printer.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/demo_event.hpp"
#include "support/ipp_printer.hpp"
#include "support/sockets.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

using namespace accueil;
using namespace accueil::kiosk;
using accueil::test::IppEvePrinter;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// A store of the demo event with one attendee and her signed badge code.
struct Desk {
    test::TempDir dir;
    Store store = Store::create(dir.file("desk.db"), test::demo_spec());
    SigningKey key = init_event_key(store, dir.file("desk.db.key"), "2022");
    Attendee lea;
    Desk() {
        WriteTransaction tx(store.db());
        lea = create_attendee(store, Attendee{.first_name = "Léa",
                                              .last_name = "Dupré",
                                              .organisation = "Coopérative Œuvre & Cœur",
                                              .category = "Orateur·ice"});
        tx.commit();
    }
    PrintRequest request(const std::string& printer, const std::string& layout = "label-62mm") {
        return PrintRequest{store.event(), lea, badge_code_for(lea, store.event(), key),
                            PrinterSettings{printer, layout}, dir.file("badges")};
    }
};

// Every status the printer reported, and a wait for the last one of a job.
class Reports {
public:
    std::function<void(const PrintStatus&)> callback() {
        return [this](const PrintStatus& s) {
            {
                std::lock_guard lock(mutex_);
                all_.push_back(s);
            }
            cv_.notify_all();
        };
    }
    std::optional<PrintStatus> wait_for(std::uint64_t job, std::function<bool(const PrintStatus&)> pred,
                                        std::chrono::milliseconds timeout = 30s) {
        std::unique_lock lock(mutex_);
        std::optional<PrintStatus> found;
        cv_.wait_for(lock, timeout, [&] {
            for (const auto& s : all_)
                if (s.job == job && pred(s)) {
                    found = s;
                    return true;
                }
            return false;
        });
        return found;
    }
    std::optional<PrintStatus> final_of(std::uint64_t job, std::chrono::milliseconds timeout = 30s) {
        return wait_for(
            job, [](const PrintStatus& s) { return s.final; }, timeout);
    }
    std::vector<PrintState> states(std::uint64_t job) {
        std::lock_guard lock(mutex_);
        std::vector<PrintState> out;
        for (const auto& s : all_)
            if (s.job == job)
                out.push_back(s.state);
        return out;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<PrintStatus> all_;
};

// An executable shell script for ippeveprinter's -c (run once per job with the job file).
std::string write_script(const std::string& path, const std::string& body) {
    std::ofstream(path) << "#!/bin/sh\n" << body;
    fs::permissions(path, fs::perms::owner_all);
    return path;
}

// One badge of the desk sent to an ippeveprinter started with `options`.
struct PrintOnIpp {
    IppEvePrinter ipp;
    Desk desk;
    Reports reports;
    BadgePrinter printer{reports.callback()};
    std::uint64_t job;
    explicit PrintOnIpp(const std::vector<std::string>& options, const std::string& layout = "label-62mm")
        : ipp(options), job(printer.submit(desk.request(ipp.uri(), layout))) {}
    PrintStatus last() {
        const auto s = reports.final_of(job);
        REQUIRE(s);
        return *s;
    }
};

std::string pdf_text(const std::string& path) {
    std::string out;
    FILE* pipe = ::popen(("pdftotext -enc UTF-8 '" + path + "' - 2>&1").c_str(), "r");
    REQUIRE(pipe);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
        out.append(buf, n);
    REQUIRE(::pclose(pipe) == 0);
    return out;
}

bool is_pdf(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    char head[5] = {};
    in.read(head, 5);
    return std::string(head, 5) == "%PDF-";
}

} // namespace

TEST_CASE("printer and job states map to what the desk shows", "[printer]") {
    using O = PrinterObservation;
    struct Row {
        O seen;
        PrintState expected;
    };
    const std::vector<Row> table{
        {O{}, PrintState::Sent},
        {O{ipp_job::Pending, {"none"}, ipp_printer::Idle, {"none"}}, PrintState::Sent},
        {O{ipp_job::Held, {"job-hold-until-specified"}, ipp_printer::Idle, {"none"}}, PrintState::Sent},
        {O{ipp_job::Processing, {"job-printing"}, ipp_printer::Processing, {"none"}}, PrintState::Printing},
        {O{ipp_job::Completed, {"job-completed-successfully"}, ipp_printer::Idle, {}}, PrintState::Done},
        // finished jobs win over the printer's later troubles
        {O{ipp_job::Completed, {}, ipp_printer::Stopped, {"media-empty-error"}}, PrintState::Done},
        {O{ipp_job::Aborted, {"aborted-by-system"}, ipp_printer::Idle, {}}, PrintState::Failed},
        {O{ipp_job::Canceled, {"job-canceled-by-user"}, ipp_printer::Idle, {}}, PrintState::Failed},
        // paper, whatever the suffix
        {O{ipp_job::Processing, {}, ipp_printer::Processing, {"media-empty-warning"}},
         PrintState::OutOfPaper},
        {O{ipp_job::Pending, {}, ipp_printer::Stopped, {"media-empty-error"}}, PrintState::OutOfPaper},
        {O{ipp_job::Pending, {}, ipp_printer::Stopped, {"media-needed"}}, PrintState::OutOfPaper},
        {O{ipp_job::Processing, {}, ipp_printer::Idle, {"media-needed-report", "toner-low"}},
         PrintState::OutOfPaper},
        // paper says more than "stopped"
        {O{ipp_job::Stopped, {"printer-stopped"}, ipp_printer::Stopped, {"media-empty-error", "paused"}},
         PrintState::OutOfPaper},
        // offline
        {O{ipp_job::Pending, {}, ipp_printer::Idle, {"offline-report"}}, PrintState::PrinterOffline},
        {O{ipp_job::Pending, {}, ipp_printer::Idle, {"shutdown"}}, PrintState::PrinterOffline},
        {O{ipp_job::Pending, {}, ipp_printer::Stopped, {"paused"}}, PrintState::PrinterOffline},
        {O{ipp_job::Stopped, {}, ipp_printer::Processing, {}}, PrintState::PrinterOffline},
        {O{ipp_job::Pending, {"printer-stopped"}, 0, {}}, PrintState::PrinterOffline},
        // look-alikes that are not paper or offline
        {O{ipp_job::Processing, {}, ipp_printer::Processing, {"media-low-warning", "toner-low-report"}},
         PrintState::Printing},
        {O{ipp_job::Pending, {}, ipp_printer::Idle, {"media-emptyish"}}, PrintState::Sent},
    };
    for (std::size_t i = 0; i < table.size(); ++i) {
        INFO("row " << i);
        CHECK(classify_print_state(table[i].seen) == table[i].expected);
    }
    CHECK(std::string(to_string(PrintState::OutOfPaper)) == "out-of-paper");
}

TEST_CASE("printer settings live in the device's meta table, bad ones are refused", "[printer]") {
    Desk desk;
    CHECK(load_printer_settings(desk.store) == PrinterSettings{"", "label-62mm"});

    const PrinterSettings cups{"QL-800", "a6"};
    save_printer_settings(desk.store, cups);
    CHECK(load_printer_settings(desk.store) == cups);
    CHECK(desk.store.meta("desk.printer") == "QL-800");
    CHECK(desk.store.meta("desk.print_layout") == "a6");

    const PrinterSettings uri{"ipp://192.168.1.20:631/ipp/print", "label-62mm"};
    save_printer_settings(desk.store, uri);
    CHECK(load_printer_settings(desk.store) == uri);

    for (const PrinterSettings& bad :
         {PrinterSettings{"QL-800", "a5"}, PrinterSettings{"QL-800", "a4-8"}, PrinterSettings{"QL-800", ""},
          PrinterSettings{"my printer", "a6"}, PrinterSettings{"http://192.168.1.20/", "a6"},
          PrinterSettings{"ipp://", "a6"}}) {
        INFO(bad.printer << " / " << bad.layout);
        CHECK(validate_printer_settings(bad).has_value());
        CHECK_THROWS_AS(save_printer_settings(desk.store, bad), InputError);
        CHECK(load_printer_settings(desk.store) == uri); // unchanged
    }
    CHECK_THROWS_WITH(save_printer_settings(desk.store, PrinterSettings{"", "a5"}),
                      Catch::Contains("unknown print layout \"a5\""));

    // No printer is a valid choice.
    save_printer_settings(desk.store, PrinterSettings{"", "a6"});
    CHECK(load_printer_settings(desk.store) == PrinterSettings{"", "a6"});
    // A layout written by hand that this build does not know reads as the default.
    desk.store.set_meta("desk.print_layout", "poster");
    CHECK(load_printer_settings(desk.store).layout == "label-62mm");
}

TEST_CASE("without a printer the badge is saved as an owner-only PDF", "[printer]") {
    Desk desk;
    Reports reports;
    BadgePrinter printer(reports.callback());
    const auto job = printer.submit(desk.request(""));
    const auto last = reports.final_of(job);
    REQUIRE(last);
    CHECK(last->state == PrintState::SavedPdf);
    CHECK(reports.states(job) == std::vector<PrintState>{PrintState::Rendering, PrintState::SavedPdf});
    CHECK(fs::path(last->pdf_path).filename() == "badge-" + desk.lea.id + "-v1.pdf");
    REQUIRE(fs::exists(last->pdf_path));
    struct stat st {};
    REQUIRE(::stat(last->pdf_path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(is_pdf(last->pdf_path));
    CHECK_THAT(pdf_text(last->pdf_path), Catch::Contains("Léa") && Catch::Contains("Dupré"));
}

TEST_CASE("a badge printed on an IPP Everywhere printer reaches it as a PDF", "[printer][ipp]") {
    // -c: the print command runs at once instead of ippeveprinter's simulated 5-15 s of printing.
    PrintOnIpp p({"-f", "application/pdf,image/pwg-raster", "-c", "/bin/true"}, "a6");
    const PrintStatus last = p.last();
    INFO(last.detail << "\n" << p.ipp.log());
    CHECK(last.state == PrintState::Done);
    CHECK(last.printer_job > 0);
    const auto states = p.reports.states(p.job);
    CHECK(states.front() == PrintState::Rendering);
    CHECK(std::find(states.begin(), states.end(), PrintState::Sent) != states.end());

    const auto files = p.ipp.spooled(".pdf");
    REQUIRE(files.size() == 1);
    CHECK(is_pdf(files[0]));
    const std::string text = pdf_text(files[0].string());
    CHECK_THAT(text, Catch::Contains("Léa") && Catch::Contains("Dupré"));
    // The job is named after the file, not the person (printer queues and logs show it).
    // (ippeveprinter writes it in lower case.)
    std::string id = p.desk.lea.id;
    std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    CHECK(files[0].filename().string().find("badge-" + id) != std::string::npos);
}

TEST_CASE("a printer that does not take PDF fails the job with a reason", "[printer][ipp]") {
    PrintOnIpp p({"-f", "image/pwg-raster"});
    const PrintStatus last = p.last();
    CHECK(last.state == PrintState::Failed);
    CHECK_THAT(last.detail, Catch::Contains("does not take PDF") && Catch::Contains("image/pwg-raster"));
    CHECK(fs::exists(last.pdf_path)); // still there to print by other means
}

TEST_CASE("a job the printer aborts is reported failed", "[printer][ipp]") {
    PrintOnIpp p({"-f", "application/pdf", "-c", "/bin/false"});
    const PrintStatus last = p.last();
    INFO(last.detail);
    CHECK(last.state == PrintState::Failed);
    CHECK_THAT(last.detail, Catch::Contains("aborted"));
    CHECK(last.printer_job > 0);
}

TEST_CASE("out of labels, then labels loaded: the desk sees it and the badge prints", "[printer][ipp]") {
    // The print command says "media-empty" (ippeveprinter's STATE: messages) and waits until the
    // test "loads labels" (a file appears), then clears it. Bounded: it gives up after 30 s.
    test::TempDir scratch;
    const std::string loaded = scratch.file("labels-loaded");
    const std::string script = write_script(scratch.file("print.sh"), "echo 'STATE: +media-empty' >&2\n"
                                                                      "i=0\n"
                                                                      "while [ ! -e '" +
                                                                          loaded +
                                                                          "' ] && [ $i -lt 300 ]; do\n"
                                                                          "  sleep 0.1; i=$((i+1))\n"
                                                                          "done\n"
                                                                          "echo 'STATE: -media-empty' >&2\n");
    PrintOnIpp p({"-f", "application/pdf", "-c", script});
    const auto empty =
        p.reports.wait_for(p.job, [](const PrintStatus& s) { return s.state == PrintState::OutOfPaper; });
    REQUIRE(empty);
    CHECK_FALSE(empty->final);
    CHECK_THAT(empty->detail, Catch::Contains("media-empty"));
    std::ofstream(loaded) << "";
    const PrintStatus last = p.last();
    INFO(last.detail);
    CHECK(last.state == PrintState::Done);
}

TEST_CASE("a printer that refuses connections is offline at once", "[printer]") {
    Desk desk;
    Reports reports;
    BadgePrinter printer(reports.callback());
    const int port = test::free_port(); // nothing listens there
    const auto before = std::chrono::steady_clock::now();
    const auto job = printer.submit(desk.request("ipp://127.0.0.1:" + std::to_string(port) + "/ipp/print"));
    const auto last = reports.final_of(job, 10s);
    REQUIRE(last);
    CHECK(last->state == PrintState::PrinterOffline);
    CHECK_THAT(last->detail, Catch::Contains("cannot reach") && Catch::Contains("connection refused"));
    CHECK(std::chrono::steady_clock::now() - before < 5s);
}

TEST_CASE("a printer that accepts connections but never answers: submit returns first, the request is "
          "bounded, and destruction is prompt",
          "[printer]") {
    // A listening socket nobody accepts on: the kernel completes connections, no byte ever comes back.
    test::Socket silent(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(silent.fd(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(silent.fd(), 16) == 0);
    socklen_t len = sizeof a;
    ::getsockname(silent.fd(), reinterpret_cast<sockaddr*>(&a), &len);
    const std::string uri = "ipp://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/ipp/print";
    Desk desk;

    SECTION("the request gives up after its timeout") {
        Reports reports;
        BadgePrinter printer(reports.callback(), PrintTimeouts{.connect = 1000ms, .request = 1000ms});
        const auto before = std::chrono::steady_clock::now();
        const auto job = printer.submit(desk.request(uri));
        // Back from submit while the request cannot have ended (it waits 1 s for an answer): submit does
        // not wait for the printer. A condition, not a time: a loaded machine cannot make it fail.
        CHECK_FALSE(reports.final_of(job, 0ms));
        const auto last = reports.final_of(job, 10s);
        REQUIRE(last);
        CHECK(last->state == PrintState::PrinterOffline);
        CHECK_THAT(last->detail, Catch::Contains("no answer"));
        CHECK(std::chrono::steady_clock::now() - before < 4s);
    }
    SECTION("destroying the printer mid-request returns promptly") {
        Reports reports;
        auto printer = std::make_unique<BadgePrinter>(reports.callback()); // default: 15 s per request
        const auto job = printer->submit(desk.request(uri));
        REQUIRE(reports.wait_for(job, [](const PrintStatus& s) { return s.state == PrintState::Rendering; }));
        // Wait until the request is on the wire (the connection sits in the listen queue).
        REQUIRE(test::wait_until(
            [&] {
                pollfd p{silent.fd(), POLLIN, 0};
                return ::poll(&p, 1, 0) > 0;
            },
            10s));
        const auto before = std::chrono::steady_clock::now();
        printer.reset();
        CHECK(std::chrono::steady_clock::now() - before < 2s);
        CHECK_FALSE(reports.final_of(job, 0ms)); // nothing reported after destruction began
    }
}

TEST_CASE("listing CUPS printers answers quickly, with or without CUPS", "[printer]") {
    const auto before = std::chrono::steady_clock::now();
    const auto names = list_printers();
    CHECK(std::chrono::steady_clock::now() - before < 6s);
    for (const auto& n : names)
        CHECK_FALSE(n.empty());
}
