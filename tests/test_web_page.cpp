// The organisers' web page (issue 11) in Debian's headless chromium, driven through the DevTools
// protocol (tests/support/cdp_browser.hpp).
#include "support/cdp_browser.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace accueil::test;

namespace {

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

} // namespace

TEST_CASE("The browser driver loads a file page, evaluates, waits, collects errors and takes PNGs") {
    TempDir dir;
    const std::string page = dir.file("page.html");
    std::ofstream(page) << "<!doctype html><meta charset=utf-8><title>Été</title>"
                           "<meta name=viewport content=\"width=device-width\">"
                           "<body><p id=p>déjà vu</p><script>"
                           "setTimeout(() => { document.body.dataset.late = 'oui'; }, 300);"
                           "console.error('boom', 42);"
                           "</script></body>";
    Browser browser(800, 600, "fr-FR");
    browser.navigate("file://" + page);

    CHECK(browser.evaluate("document.title").get<std::string>() == "Été");
    CHECK(browser.evaluate("document.getElementById('p').textContent").get<std::string>() == "déjà vu");
    CHECK(browser.evaluate("Promise.resolve(6 * 7)").get<int>() == 42);
    CHECK(browser.evaluate("undefined").is_null());
    CHECK(browser.evaluate("navigator.language").get<std::string>().rfind("fr", 0) == 0);
    CHECK_THROWS_WITH(browser.evaluate("nope.nope"), Catch::Contains("ReferenceError"));

    CHECK(browser.wait_until("document.body.dataset.late === 'oui'"));
    CHECK_FALSE(browser.wait_until("false", std::chrono::milliseconds(200)));

    // The console error and an uncaught exception are both reported.
    browser.evaluate("setTimeout(() => { throw new Error('kaput'); }, 0)");
    CHECK(accueil::test::wait_until([&] {
        for (const auto& e : browser.errors())
            if (e.source == "exception" && e.text.find("kaput") != std::string::npos)
                return true;
        return false;
    }));
    bool console_seen = false;
    for (const auto& e : browser.errors())
        console_seen = console_seen || (e.source == "console" && e.text == "boom 42");
    CHECK(console_seen);
    browser.clear_errors();
    CHECK(browser.errors().empty());

    // The viewport follows set_viewport; a phone's is emulated as mobile.
    browser.set_viewport(360, 740);
    CHECK(browser.evaluate("window.innerWidth").get<int>() == 360);
    const std::string png = dir.file("shot.png");
    browser.screenshot(png);
    const std::string bytes = read_bytes(png);
    REQUIRE(bytes.size() > 100);
    CHECK(bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n");

    // A failed navigation says why.
    CHECK_THROWS_WITH(browser.navigate("http://127.0.0.1:" + std::to_string(free_port()) + "/"),
                      Catch::Contains("ERR_CONNECTION_REFUSED"));
}

TEST_CASE("The browser driver decodes base64") {
    CHECK(base64_decode("") == "");
    CHECK(base64_decode("TWFu") == "Man");
    CHECK(base64_decode("TWE=") == "Ma");
    CHECK(base64_decode("TQ==") == "M");
    CHECK(base64_decode("w6l0w6k=") == "été");
}
