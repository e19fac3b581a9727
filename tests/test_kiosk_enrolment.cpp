// A new kiosk enrolled by showing it the organisers' QR code: the state machine's words, then the
// real thing — `accueil-sync serve` on 127.0.0.1, the kiosk's worker scanning the code, the roster
// arriving in the kiosk's database; a second code, or a bad one, changes nothing.
#include "attendee_ops.hpp"
#include "checkin_worker.hpp"
#include "database.hpp"
#include "join_runner.hpp"
#include "machine.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"

#include "support/kiosk_strings.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace accueil;
using namespace accueil::kiosk;

namespace {
const Strings& strings() {
    return test::kiosk_strings();
}

constexpr std::int64_t kT0 = 1664349120000;

Joined joined(bool ok, bool already, std::string server, std::string name, std::string error) {
    Joined j;
    j.ok = ok;
    j.already = already;
    j.server = std::move(server);
    j.kiosk_name = std::move(name);
    j.timezone = "Europe/Paris";
    j.error = std::move(error);
    return j;
}

// Waits for the worker's answer to an enrolment code.
std::optional<Joined> next_joined(Mailbox& mailbox, std::chrono::seconds timeout = std::chrono::seconds(20)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        for (auto& in : mailbox.drain().inputs)
            if (auto* j = std::get_if<Joined>(&in))
                return *j;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}
} // namespace

TEST_CASE("Enrolment codes are told apart from badges") {
    CHECK(is_enrolment_code("accueil1:https:127.0.0.1:8443:ab:cd"));
    CHECK_FALSE(is_enrolment_code("ACC1.7QK2M9X4PA"));
    CHECK_FALSE(is_enrolment_code(""));
}

TEST_CASE("The kiosk says whether it joined the server, in the person's language") {
    Machine m(strings(), MachineOptions{.kiosk_name = "Poste"});
    m.handle(CodeDecoded{"accueil1:https:10.0.0.2:8443:x:y", kT0}, kT0);
    REQUIRE(m.screen() == Screen::Checking);
    const auto effects = m.handle(joined(true, false, "https://10.0.0.2:8443", "Accueil 2", ""), kT0 + 900);
    CHECK(m.screen() == Screen::Verdict);
    REQUIRE(effects.size() == 1);
    CHECK(std::get<PlaySound>(effects[0]).sound == Sound::Admitted);
    auto vm = m.view(kT0 + 1000);
    CHECK(vm.title == "Poste relié au serveur");
    CHECK(vm.sentence == "Serveur\u202f: https://10.0.0.2:8443");
    CHECK(vm.tone == Tone::Success);
    CHECK(vm.kiosk_name == "Accueil 2");
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 1100);
    CHECK(m.view(kT0 + 1200).title == "Kiosk connected to the server");

    // A failure explains itself; a badge after it shows the ordinary verdict again.
    m.handle(Tap{Intent::Ok}, kT0 + 2000);
    m.handle(CodeDecoded{"accueil1:https:10.0.0.9:8443:x:z", kT0 + 3000}, kT0 + 3000);
    m.handle(joined(false, false, "https://10.0.0.9:8443", "",
                    "cannot join https://10.0.0.9:8443: server unreachable"),
             kT0 + 4000);
    vm = m.view(kT0 + 4000);
    CHECK(vm.title == "Could not connect");
    CHECK(vm.sentence == "cannot join https://10.0.0.9:8443: server unreachable");
    CHECK(vm.tone == Tone::Error);
    m.handle(Tap{Intent::Ok}, kT0 + 5000);
    m.handle(CodeDecoded{"ACC1.SOMETHING", kT0 + 6000}, kT0 + 6000);
    m.handle(VerdictReady{VerdictInfo{Verdict::UnknownCode, "", "", ""}}, kT0 + 6100);
    CHECK(m.view(kT0 + 6100).title == "Unknown code");
    // An answer for a flow that is over does not take the screen.
    m.handle(joined(false, true, "https://10.0.0.2:8443", "", ""), kT0 + 6200);
    CHECK(m.view(kT0 + 6200).title == "Unknown code");
}

TEST_CASE("A new kiosk joins by scanning the enrolment code, once") {
    test::TempDir dir;
    const std::string central = dir.file("central.db");
    {
        Store c = Store::create(central, test::demo_spec());
        WriteTransaction tx(c.db());
        for (int i = 0; i < 5; ++i)
            create_attendee(c, Attendee{.first_name = "Prénom" + std::to_string(i), .last_name = "Nom"});
        tx.commit();
    }
    const std::string sync = std::string(ACCUEIL_BIN_DIR) + "/accueil-sync";
    const std::string listen = "127.0.0.1:" + std::to_string(test::free_port());
    test::Process server({sync, "serve", "--db", central, "--listen", listen, "--insecure"},
                         dir.file("server"));
    REQUIRE(test::wait_until([&] { return server.out().find("serving") != std::string::npos; },
                             std::chrono::seconds(10)));
    auto enroll = [&](const std::string& name) {
        test::Process p({sync, "enroll", "--db", central, "--name", name}, dir.file("enroll-" + name));
        REQUIRE(p.wait() == 0);
        return test::last_line(p.out());
    };

    const std::string kiosk = dir.file("new-kiosk.db"); // does not exist: a kiosk out of the box
    // The agent starts at boot with the kiosk, before anyone enrolled it: it waits (--wait).
    test::Process agent({sync, "agent", "--db", kiosk, "--wait", "--max-backoff", "0.5"}, dir.file("agent"));
    Mailbox mailbox;
    {
        CheckinWorker worker(kiosk, mailbox);
        REQUIRE(worker.wait_ready(5000));
        // A code that looks like one but is not: nothing happens to the database.
        worker.submit(StartCheckin{"accueil1:nonsense", kT0});
        auto j = next_joined(mailbox);
        REQUIRE(j);
        CHECK_FALSE(j->ok);
        CHECK_FALSE(j->error.empty());

        worker.submit(StartCheckin{enroll("Accueil 7"), kT0});
        j = next_joined(mailbox);
        REQUIRE(j);
        INFO(j->error);
        CHECK(j->ok);
        CHECK(j->kiosk_name == "Accueil 7");
        CHECK(j->server == "http://" + listen);
        CHECK(worker.kiosk_name() == "Accueil 7");
        CHECK_THAT(agent.err(), Catch::Contains("has not joined a server yet; waiting"));

        // The first badge scanned after enrolment reaches the organisers through the waiting agent.
        Store c = Store::open(central);
        const auto someone = c.db().execAndGet("SELECT id FROM attendees LIMIT 1").getString();
        worker.submit(StartCheckin{someone, test::kSept28At0912});
        auto count_central = [&] {
            SQLite::Database d(central, SQLite::OPEN_READONLY, 5000);
            return d.execAndGet("SELECT count(*) FROM checkins").getInt();
        };
        CHECK(test::wait_until([&] { return count_central() == 1; }, std::chrono::seconds(20)));

        // Someone in the queue shows another code: refused, the kiosk stays where it is.
        worker.submit(StartCheckin{enroll("Ailleurs"), kT0});
        j = next_joined(mailbox);
        REQUIRE(j);
        CHECK_FALSE(j->ok);
        CHECK(j->already);
    }
    Store k = Store::open(kiosk);
    CHECK(k.db().execAndGet("SELECT count(*) FROM attendees").getInt() == 5);
    CHECK(k.event().name == test::demo_spec().name);
    CHECK(k.meta("sync.server").value_or("") == "http://" + listen);
    CHECK(k.kiosk_name() == "Accueil 7");
}
