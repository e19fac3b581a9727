#pragma once
// Debian's headless chromium driven through the DevTools protocol (issue 11's browser tests): the
// browser is started with --remote-debugging-pipe, reads commands on its fd 3 and writes replies and
// events on its fd 4, each message one JSON text ended by '\0'. One page target, attached in flat
// mode (every command carries its sessionId). Console errors, uncaught exceptions and error log
// entries are collected as they arrive. The browser and everything it started are killed when the
// Browser goes out of scope; its profile lives in a temporary directory removed with it.
#include "child_process.hpp"
#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace accueil::test {

// Where Debian's package puts the browser (apt-get install chromium).
inline constexpr const char* kChromium = "/usr/bin/chromium";

// Standard base64 (what Page.captureScreenshot returns); stops at the first '=' or foreign byte.
inline std::string base64_decode(const std::string& text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
        return -1;
    };
    std::string out;
    out.reserve(text.size() / 4 * 3);
    std::uint32_t bits = 0;
    int count = 0;
    for (const char c : text) {
        const int v = value(c);
        if (v < 0)
            break;
        bits = (bits << 6) | std::uint32_t(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out.push_back(char((bits >> count) & 0xFF));
        }
    }
    return out;
}

inline std::string base64_encode(const std::string& bytes) {
    static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16 |
                                (i + 1 < bytes.size() ? std::uint32_t(std::uint8_t(bytes[i + 1])) << 8 : 0) |
                                (i + 2 < bytes.size() ? std::uint32_t(std::uint8_t(bytes[i + 2])) : 0);
        out.push_back(kDigits[(n >> 18) & 63]);
        out.push_back(kDigits[(n >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? kDigits[(n >> 6) & 63] : '=');
        out.push_back(i + 2 < bytes.size() ? kDigits[n & 63] : '=');
    }
    return out;
}

// An answer the browser gets instead of the network's (Browser::answer).
struct CannedResponse {
    int status = 200;
    std::string content_type = "text/plain";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers{};
};

// One thing the page reported as an error: where from ("console", "exception", or the Log domain's
// source: "network", "security", "javascript"...), its text and the URL it names (may be empty).
struct BrowserError {
    std::string source;
    std::string text;
    std::string url;
};

// How the browser is started: which program, and how long a just-started one may take to answer its
// first command (the driver's own test swaps in a program that does not answer).
struct BrowserStart {
    std::string program = kChromium;
    std::chrono::milliseconds first_answer = std::chrono::seconds(45);
};

class Browser {
public:
    // A headless browser with a `width`×`height` window and one blank page. `lang` sets
    // navigator.language (and Accept-Language), "" keeps the browser's default.
    explicit Browser(int width = 1280, int height = 800, const std::string& lang = "",
                     const BrowserStart& start = {}) {
        if (::access(start.program.c_str(), X_OK) != 0)
            throw std::runtime_error("chromium is not installed at " + start.program +
                                     " (apt-get install chromium): the browser tests need it");
        // On a loaded machine a cold start once took more than 20 s to answer at all (in CI, with no
        // output kept to say why); such a start gets one more try with a new profile, and both logs
        // are in the message when the second fails too.
        nlohmann::json target;
        std::string first_log;
        for (int attempt = 1;; ++attempt) {
            launch(start.program, width, height, lang, profile_.file("profile-" + std::to_string(attempt)));
            try {
                target = call("Target.createTarget", {{"url", "about:blank"}}, false, start.first_answer);
                break;
            } catch (const std::runtime_error& e) {
                if (attempt == 2)
                    throw std::runtime_error(std::string(e.what()) + ", in two starts; the first's log:\n" +
                                             first_log + "\nthe second's:\n" + log_tail());
                first_log = log_tail();
                proc_.stop();
                buffer_.clear();
                replies_.clear();
                ignored_.clear();
            }
        }
        const auto attached =
            call("Target.attachToTarget", {{"targetId", target.at("targetId")}, {"flatten", true}}, false);
        session_ = attached.at("sessionId").get<std::string>();
        call("Page.enable");
        call("Runtime.enable");
        call("Log.enable");
        if (!lang.empty()) {
            // navigator.language follows the emulated Accept-Language, Intl's default the locale.
            const auto version = call("Browser.getVersion", nlohmann::json::object(), false);
            call("Emulation.setUserAgentOverride",
                 {{"userAgent", version.at("userAgent")}, {"acceptLanguage", lang}});
            call("Emulation.setLocaleOverride", {{"locale", lang}});
        }
        set_viewport(width, height);
    }

    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;

    // Opens `url` and returns once its load event fired; throws when the navigation fails (the
    // network error's text) or the load takes longer than `timeout`.
    void navigate(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        loaded_ = false;
        const auto r = call("Page.navigate", {{"url", url}}, true, timeout);
        if (r.contains("errorText") && !r["errorText"].get<std::string>().empty())
            throw std::runtime_error("navigation to " + url +
                                     " failed: " + r["errorText"].get<std::string>());
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (!loaded_) {
            if (std::chrono::steady_clock::now() >= until)
                throw std::runtime_error("the page " + url + " did not finish loading in time");
            pump(until);
        }
    }

    // The value of `js` in the page (a promise is awaited); JS exceptions are thrown as
    // std::runtime_error with the page's message. undefined and non-serialisable values are null.
    nlohmann::json evaluate(const std::string& js,
                            std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        const auto r =
            call("Runtime.evaluate", {{"expression", js}, {"awaitPromise", true}, {"returnByValue", true}},
                 true, timeout);
        if (r.contains("exceptionDetails")) {
            const auto& d = r["exceptionDetails"];
            std::string what = d.value("text", "exception");
            if (d.contains("exception") && d["exception"].contains("description"))
                what = d["exception"]["description"].get<std::string>();
            throw std::runtime_error("evaluate(" + js.substr(0, 200) + "): " + what);
        }
        const auto& result = r.at("result");
        return result.contains("value") ? result["value"] : nlohmann::json();
    }

    // Polls the JS condition until it is truthy (true) or `timeout` passes (false). An exception in
    // the condition counts as not yet (the page may be navigating or still building).
    bool wait_until(const std::string& js_condition,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        return test::wait_until(
            [&] {
                try {
                    return evaluate("!!(" + js_condition + ")", std::chrono::seconds(5)).get<bool>();
                } catch (const std::runtime_error&) {
                    return false;
                }
            },
            timeout);
    }

    // The layout viewport in CSS pixels; 480 px and narrower is emulated as a phone (mobile flag:
    // the meta viewport is honoured, scrollbars overlay).
    void set_viewport(int width, int height) {
        call("Emulation.setDeviceMetricsOverride",
             {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", width <= 480}});
    }

    // A PNG of the viewport, or of the whole page when `full_page` (its full scroll height).
    void screenshot(const std::string& png_path, bool full_page = false) {
        nlohmann::json params = {{"format", "png"}};
        if (full_page) {
            const auto m = call("Page.getLayoutMetrics");
            const auto& size = m.at("cssContentSize");
            params["clip"] = {
                {"x", 0}, {"y", 0}, {"width", size.at("width")}, {"height", size.at("height")}, {"scale", 1}};
            params["captureBeyondViewport"] = true;
        }
        const auto r = call("Page.captureScreenshot", params);
        const std::string png = base64_decode(r.at("data").get<std::string>());
        std::ofstream out(png_path, std::ios::binary);
        out.write(png.data(), std::streamsize(png.size()));
        if (!out)
            throw std::runtime_error("cannot write " + png_path);
    }

    // Every error reported so far (console.error, uncaught exceptions, error log entries).
    const std::vector<BrowserError>& errors() {
        drain();
        return errors_;
    }
    void clear_errors() {
        drain();
        errors_.clear();
    }
    // The errors as readable lines, for a failing assertion's message.
    std::string errors_text() {
        std::string s;
        for (const auto& e : errors())
            s += "[" + e.source + "] " + e.text + (e.url.empty() ? "" : " (" + e.url + ")") + "\n";
        return s;
    }

    // From now on, requests whose URL ends with `url_suffix` (before any '?') get `response` without
    // touching the network (a later call for the same suffix replaces it); every other request goes on
    // as usual. For pages tested on made-up data.
    void answer(const std::string& url_suffix, CannedResponse response) {
        if (canned_.empty())
            call("Fetch.enable", {{"patterns", nlohmann::json::array({{{"urlPattern", "*"}}})}});
        for (auto& [suffix, r] : canned_)
            if (suffix == url_suffix) {
                r = std::move(response);
                return;
            }
        canned_.emplace_back(url_suffix, std::move(response));
    }

    // Any DevTools command on the page's session (or the browser's with `on_page` false): its result.
    nlohmann::json call(const std::string& method, const nlohmann::json& params = nlohmann::json::object(),
                        bool on_page = true, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        const int id = send(method, params, on_page);
        const auto until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            for (auto it = replies_.begin(); it != replies_.end(); ++it) {
                if (it->value("id", -1) != id)
                    continue;
                nlohmann::json reply = std::move(*it);
                replies_.erase(it);
                if (reply.contains("error"))
                    throw std::runtime_error(method + " failed: " + reply["error"].dump());
                return reply.value("result", nlohmann::json::object());
            }
            if (std::chrono::steady_clock::now() >= until)
                throw std::runtime_error(method + ": no answer from chromium in time");
            pump(until);
        }
    }

    // The browser's own output (its stderr), for a failing test's message.
    std::string log_tail() const {
        const std::string all = slurp(log_);
        return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
    }

private:
    // Starts chromium with its DevTools channels on fds 3 and 4 and its output in log_.
    void launch(const std::string& program, int width, int height, const std::string& lang,
                const std::string& profile_dir) {
        int to_browser[2], from_browser[2];
        // Sockets rather than pipes: send() with MSG_NOSIGNAL cannot kill the test with SIGPIPE.
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, to_browser) != 0 ||
            ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, from_browser) != 0)
            throw std::runtime_error("cannot create the DevTools channels");
        log_ = profile_.file("chromium.log");
        std::vector<std::string> args = {program,
                                         "--headless",
                                         "--no-sandbox",
                                         "--disable-gpu",
                                         "--no-first-run",
                                         "--no-default-browser-check",
                                         "--disable-background-networking",
                                         "--disable-component-update",
                                         "--disable-sync",
                                         "--disable-extensions",
                                         "--ignore-certificate-errors",
                                         "--remote-debugging-pipe",
                                         "--user-data-dir=" + profile_dir,
                                         "--window-size=" + std::to_string(width) + "," +
                                             std::to_string(height)};
        if (!lang.empty())
            args.push_back("--lang=" + lang);
        args.push_back("about:blank");
        proc_.pid = ::fork();
        if (proc_.pid == 0) {
            // Its own process group, so that the destructor reaches the renderers and helpers too.
            ::setpgid(0, 0);
            // Moved above 4 first: a socket may already be numbered 3 or 4.
            const int in = ::fcntl(to_browser[1], F_DUPFD, 10);
            const int out = ::fcntl(from_browser[1], F_DUPFD, 10);
            ::dup2(in, 3);
            ::dup2(out, 4);
            const int logfd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(logfd, 1);
            ::dup2(logfd, 2);
            if (!lang.empty())
                ::setenv("LANGUAGE", lang.c_str(), 1);
            std::vector<char*> argv;
            for (auto& a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        if (proc_.pid > 0)
            ::setpgid(proc_.pid, proc_.pid); // as the child does: whichever runs first
        ::close(to_browser[1]);
        ::close(from_browser[1]);
        proc_.write_fd = to_browser[0];
        proc_.read_fd = from_browser[0];
        if (proc_.pid < 0)
            throw std::runtime_error("cannot start chromium");
    }
    // Sends a command without waiting for its answer; its id.
    int send(const std::string& method, const nlohmann::json& params, bool on_page) {
        const int id = ++last_id_;
        nlohmann::json msg = {{"id", id}, {"method", method}, {"params", params}};
        if (on_page)
            msg["sessionId"] = session_;
        const std::string text = msg.dump() + '\0';
        for (std::size_t sent = 0; sent < text.size();) {
            const auto n = ::send(proc_.write_fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw std::runtime_error("chromium is gone (" + method + "): " + log_tail());
            sent += std::size_t(n);
        }
        return id;
    }

    // A paused request: answered from `canned_`, or let through. Their replies are not awaited
    // (ignored_ forgets them as they come).
    void on_request_paused(const nlohmann::json& params) {
        const std::string request_id = params.value("requestId", "");
        std::string url = params.contains("request") ? params["request"].value("url", "") : "";
        url = url.substr(0, url.find('?'));
        for (const auto& [suffix, r] : canned_) {
            if (!url.ends_with(suffix))
                continue;
            auto headers = nlohmann::json::array({{{"name", "Content-Type"}, {"value", r.content_type}}});
            for (const auto& [name, value] : r.headers)
                headers.push_back({{"name", name}, {"value", value}});
            ignored_.push_back(send("Fetch.fulfillRequest",
                                    {{"requestId", request_id},
                                     {"responseCode", r.status},
                                     {"responseHeaders", headers},
                                     {"body", base64_encode(r.body)}},
                                    true));
            return;
        }
        ignored_.push_back(send("Fetch.continueRequest", {{"requestId", request_id}}, true));
    }

    // Reads what is available (waiting at most until `until`) and dispatches whole messages.
    void pump(std::chrono::steady_clock::time_point until) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        pollfd p{proc_.read_fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, int(std::max<std::int64_t>(0, left.count())));
        if (ready <= 0)
            return;
        char buf[65536];
        const auto n = ::read(proc_.read_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            return;
        if (n <= 0)
            throw std::runtime_error("chromium closed the DevTools channel: " + log_tail());
        buffer_.append(buf, std::size_t(n));
        for (std::size_t end; (end = buffer_.find('\0')) != std::string::npos;) {
            auto msg = nlohmann::json::parse(buffer_.substr(0, end), nullptr, false);
            buffer_.erase(0, end + 1);
            if (msg.is_discarded())
                continue;
            if (msg.contains("id")) {
                const auto ignored = std::find(ignored_.begin(), ignored_.end(), msg.value("id", -1));
                if (ignored != ignored_.end())
                    ignored_.erase(ignored);
                else
                    replies_.push_back(std::move(msg));
            } else
                on_event(msg);
        }
    }
    // Handles the events already sent, without waiting.
    void drain() { pump(std::chrono::steady_clock::now()); }

    void on_event(const nlohmann::json& msg) {
        const std::string method = msg.value("method", "");
        const auto& params = msg.contains("params") ? msg["params"] : nlohmann::json::object();
        if (method == "Fetch.requestPaused") {
            on_request_paused(params);
        } else if (method == "Page.loadEventFired") {
            loaded_ = true;
        } else if (method == "Runtime.consoleAPICalled" && params.value("type", "") == "error") {
            std::string text;
            for (const auto& a : params.value("args", nlohmann::json::array())) {
                if (!text.empty())
                    text += ' ';
                text += a.contains("value")
                            ? (a["value"].is_string() ? a["value"].get<std::string>() : a["value"].dump())
                            : a.value("description", "");
            }
            errors_.push_back({"console", text, ""});
        } else if (method == "Runtime.exceptionThrown") {
            const auto& d = params.value("exceptionDetails", nlohmann::json::object());
            std::string text = d.value("text", "");
            if (d.contains("exception") && d["exception"].contains("description"))
                text += " " + d["exception"]["description"].get<std::string>();
            errors_.push_back({"exception", text, d.value("url", "")});
        } else if (method == "Log.entryAdded") {
            const auto& e = params.value("entry", nlohmann::json::object());
            if (e.value("level", "") == "error")
                errors_.push_back({e.value("source", "log"), e.value("text", ""), e.value("url", "")});
        }
    }

    // The browser's process group and our ends of its channels: killed and closed even when the
    // constructor throws half-way (members are destroyed then, the Browser's destructor is not).
    struct Chromium {
        pid_t pid = -1;
        int write_fd = -1;
        int read_fd = -1;
        Chromium() = default;
        Chromium(const Chromium&) = delete;
        Chromium& operator=(const Chromium&) = delete;
        ~Chromium() { stop(); }
        void stop() {
            if (write_fd >= 0)
                ::close(write_fd);
            if (read_fd >= 0)
                ::close(read_fd);
            if (pid > 0) {
                ::kill(-pid, SIGKILL);
                ::kill(pid, SIGKILL);
                ::waitpid(pid, nullptr, 0);
            }
            pid = -1;
            write_fd = read_fd = -1;
        }
    };

    TempDir profile_; // declared first: removed after the browser is dead
    std::string log_;
    Chromium proc_;
    int last_id_ = 0;
    std::string session_;
    std::string buffer_;
    std::vector<nlohmann::json> replies_;
    std::vector<BrowserError> errors_;
    std::vector<std::pair<std::string, CannedResponse>> canned_;
    std::vector<int> ignored_;
    bool loaded_ = false;
};

} // namespace accueil::test
