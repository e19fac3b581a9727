#pragma once
// `accueil doctor`'s checks of the central server, from the address and certificate fingerprint the
// device was given at enrolment: does it answer, is its certificate the pinned one (the agent's own
// check, sync/app/tls.hpp), and how far apart are its clock and ours.
#include "doctor_check.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace accueil::doctor {

struct ServerChecks {
    Check server, certificate, clock;
};

// GET /v1/hello, each network step bounded by `limit`.
ServerChecks check_server(const std::string& url, const std::string& fingerprint, const std::string& db_path,
                          std::chrono::milliseconds limit);
// The same three lines when the device has not joined a server.
ServerChecks server_not_joined();

// An HTTP Date header ("Mon, 30 Nov 2026 09:12:00 GMT") as Unix milliseconds.
std::optional<std::int64_t> parse_http_date(const std::string& text);
// Server time minus ours, judged: more than kClockTolerance apart is a problem.
constexpr std::chrono::minutes kClockTolerance{2};
Check clock_check(std::int64_t server_minus_local_ms);

// Our wall clock as the agent reads it: ACCUEIL_FAKE_CLOCK_OFFSET_MS shifts it in tests, as in
// sync/app/server.cpp's sync_wall_ms.
std::int64_t local_wall_ms();

} // namespace accueil::doctor
