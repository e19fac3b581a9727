#pragma once
// CUPS's IPP Everywhere test printer for the printing tests (test_badge_printer, test_doctor).
#include "child_process.hpp"
#include "sockets.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace accueil::test {

inline constexpr const char* kIppEvePrinter = "/usr/sbin/ippeveprinter"; // Debian's cups-ipp-utils
inline constexpr const char* kDbusDaemon = "/usr/bin/dbus-daemon";

// ippeveprinter on 127.0.0.1 (and ::1) at a free port, keeping job files in its spool directory. It
// always opens an Avahi client on the system D-Bus and exits without one, so it gets a private bus
// (its own dbus-daemon): hermetic, and nothing is advertised on the network ("-r off" as well).
class IppEvePrinter {
public:
    explicit IppEvePrinter(const std::vector<std::string>& options) {
        REQUIRE(
            std::filesystem::exists(kIppEvePrinter)); // a missing test printer fails the test, never skips it
        REQUIRE(std::filesystem::exists(kDbusDaemon));
        const std::string bus = dir_.file("bus");
        dbus_ = std::make_unique<Process>(std::vector<std::string>{kDbusDaemon, "--session",
                                                                   "--address=unix:path=" + bus, "--nofork",
                                                                   "--nopidfile"},
                                          dir_.file("dbus"));
        REQUIRE(wait_until([&] { return std::filesystem::exists(bus); }, std::chrono::seconds(10)));
        std::filesystem::create_directories(spool());
        port_ = free_port();
        std::vector<std::string> args{
            kIppEvePrinter, "-p", std::to_string(port_), "-n", "localhost", "-r", "off", "-d", spool(), "-k"};
        args.insert(args.end(), options.begin(), options.end());
        args.push_back("Accueil test printer");
        printer_ = std::make_unique<Process>(args, dir_.file("ippeveprinter"),
                                             Env{{"DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + bus}});
        const bool up =
            wait_until([&] { return connect_from("127.0.0.1", port_).ok(); }, std::chrono::seconds(15));
        INFO(printer_->err());
        REQUIRE(up);
    }
    std::string uri() const { return "ipp://127.0.0.1:" + std::to_string(port_) + "/ipp/print"; }
    std::string spool() const { return dir_.file("spool"); }
    std::string log() const { return printer_->err(); }
    std::string file(const std::string& name) const { return dir_.file(name); }
    std::vector<std::filesystem::path> spooled(const std::string& extension) const {
        std::vector<std::filesystem::path> out;
        for (const auto& e : std::filesystem::directory_iterator(spool()))
            if (e.path().extension() == extension)
                out.push_back(e.path());
        return out;
    }

private:
    TempDir dir_;
    int port_ = 0;
    std::unique_ptr<Process> dbus_, printer_;
};

} // namespace accueil::test
