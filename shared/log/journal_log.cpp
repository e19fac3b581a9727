#include "log/journal_log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

namespace accueil::log {

bool started_by_systemd() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    return stream != nullptr && *stream != '\0';
}

void init(const std::string& program) {
    std::shared_ptr<spdlog::logger> logger;
    if (started_by_systemd()) {
        // The journal stamps time, priority and identifier itself: the sink sends the bare message.
        logger = std::make_shared<spdlog::logger>(program,
                                                  std::make_shared<spdlog::sinks::systemd_sink_mt>(program));
    } else {
        logger = std::make_shared<spdlog::logger>(program,
                                                  std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ " + program + ": %v");
    }
    logger->set_level(spdlog::get_level());
    spdlog::set_default_logger(std::move(logger));
}

} // namespace accueil::log
