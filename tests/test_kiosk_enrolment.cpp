// A new kiosk enrolled by showing it the organisers' QR code: the state machine's words for every outcome
// of `accueil-sync join` (its exit status, shared/sync/join_exit.hpp, read from a stand-in program), then
// the real thing — `accueil-sync serve` on 127.0.0.1, the kiosk's worker on a path where no database
// exists (nothing is made until the enrolment), a badge before it, a code for a server that does not
// answer, the roster arriving; a second code, or a bad one, changes nothing.
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
#include <filesystem>
#include <fstream>
#include <thread>
#include <type_traits>

using namespace accueil;
using namespace accueil::kiosk;

namespace {
const Strings& strings() {
    return test::kiosk_strings();
}

constexpr std::int64_t kT0 = 1664349120000;

Joined joined(JoinOutcome outcome, std::string server, std::string name) {
    Joined j;
    j.outcome = outcome;
    j.server = std::move(server);
    j.kiosk_name = std::move(name);
    j.timezone = "Europe/Paris";
    return j;
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
    const auto effects =
        m.handle(joined(JoinOutcome::Joined, "https://10.0.0.2:8443", "Accueil 2"), kT0 + 900);
    CHECK(m.screen() == Screen::Verdict);
    REQUIRE(effects.size() == 1);
    CHECK(std::get<PlaySound>(effects[0]).sound == Sound::Admitted);
    auto vm = m.view(kT0 + 1000);
    CHECK(vm.title == "Poste configuré");
    CHECK(vm.sentence ==
          "Ce poste s'appelle «\u202fAccueil 2\u202f». Il envoie les arrivées à l'ordinateur des "
          "organisateurs (https://10.0.0.2:8443).");
    CHECK(vm.hint == "Il est prêt\u202f: les badges peuvent être scannés.");
    CHECK(vm.tone == Tone::Success);
    CHECK(vm.kiosk_name == "Accueil 2");
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 1100);
    CHECK(m.view(kT0 + 1200).title == "Kiosk set up");

    // A failure explains itself in the kiosk's words; a badge after it shows the ordinary verdict again.
    m.handle(Tap{Intent::Ok}, kT0 + 2000);
    m.handle(CodeDecoded{"accueil1:https:10.0.0.9:8443:x:z", kT0 + 3000}, kT0 + 3000);
    m.handle(joined(JoinOutcome::ServerUnreachable, "https://10.0.0.9:8443", ""), kT0 + 4000);
    vm = m.view(kT0 + 4000);
    CHECK(vm.title == "Could not connect");
    CHECK(vm.sentence == "The organisers' computer does not answer (https://10.0.0.9:8443).");
    CHECK(vm.hint == "Check that this kiosk is on the network (Wi-Fi or cable), then show the code again.");
    CHECK(vm.tone == Tone::Error);
    m.handle(Tap{Intent::Ok}, kT0 + 5000);
    m.handle(CodeDecoded{"ACC1.SOMETHING", kT0 + 6000}, kT0 + 6000);
    m.handle(VerdictReady{VerdictInfo{Verdict::UnknownCode, "", "", ""}}, kT0 + 6100);
    CHECK(m.view(kT0 + 6100).title == "Unknown code");
    // An answer for a flow that is over does not take the screen.
    m.handle(joined(JoinOutcome::AlreadyJoined, "https://10.0.0.2:8443", "Accueil 2"), kT0 + 6200);
    CHECK(m.view(kT0 + 6200).title == "Unknown code");
}

TEST_CASE("A kiosk that joined before says where and as whom when shown a code, and changes nothing") {
    Machine m(strings(), MachineOptions{.kiosk_name = "Accueil 2"});
    m.handle(CodeDecoded{"accueil1:https:10.0.0.7:8443:x:y", kT0}, kT0);
    const auto effects =
        m.handle(joined(JoinOutcome::AlreadyJoined, "https://192.168.1.20:8443", "Accueil 2"), kT0 + 100);
    REQUIRE(effects.size() == 1);
    CHECK(std::get<PlaySound>(effects[0]).sound == Sound::AlreadyCheckedIn);
    auto vm = m.view(kT0 + 100);
    CHECK(vm.title == "Poste déjà configuré");
    CHECK(vm.sentence ==
          "Inscrit auprès de https://192.168.1.20:8443 sous le nom «\u202fAccueil 2\u202f». Rien n'a été "
          "changé.");
    CHECK(vm.hint ==
          "Pour l'inscrire ailleurs, un organisateur tape «\u202faccueil-sync join --replace\u202f» "
          "sur ce poste.");
    CHECK(vm.tone == Tone::Info);
    m.handle(Tap{Intent::SwitchLanguage}, kT0 + 200);
    vm = m.view(kT0 + 200);
    CHECK(vm.sentence == "Enrolled with https://192.168.1.20:8443 as “Accueil 2”. Nothing was changed.");
    CHECK(vm.hint == "To enrol it elsewhere, an organiser runs “accueil-sync join --replace” on this kiosk.");
}

namespace {
// A stand-in for accueil-sync: writes its arguments to a file, prints `line` and exits with `status`.
std::string stand_in(const test::TempDir& dir, const std::string& name, const std::string& line, int status) {
    const std::string path = dir.file(name);
    {
        std::ofstream out(path);
        out << "#!/bin/sh\n"
            << "printf '%s\\n' \"$@\" > '" << dir.file(name + ".args") << "'\n"
            << "echo 'some progress'\n"
            << "echo '" << line << "' >&2\n";
        if (status < 0)
            out << "kill -9 $$\n";
        out << "exit " << status << "\n";
    }
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}
} // namespace

TEST_CASE(
    "Each exit status of accueil-sync join is the kiosk's own sentence, the program's line only in the log") {
    test::TempDir dir;
    struct Case {
        int status;
        JoinOutcome outcome;
        const char* title_fr;
        const char* title_en;
        const char* hint_fr; // what to do
    };
    const std::vector<Case> cases = {
        {0, JoinOutcome::Joined, "Poste configuré", "Kiosk set up",
         "Il est prêt\u202f: les badges peuvent être scannés."},
        {1, JoinOutcome::JoinedNotSynced, "Poste inscrit, liste en attente",
         "Kiosk enrolled, list on its way", "Vérifiez le réseau (Wi-Fi)\u202f: elle arrivera d'elle-même."},
        {2, JoinOutcome::Failed, "Inscription impossible", "Enrolment failed",
         "Demandez un nouveau code aux organisateurs\u202f; si cela recommence, montrez-leur ce message."},
        {3, JoinOutcome::StoreProblem, "Fichier impossible à écrire", "Cannot write the file",
         "Vérifiez ce chemin (option --db) et la place sur le disque, puis redémarrez le poste."},
        {20, JoinOutcome::NotACode, "Ce n'est pas un code d'inscription", "This is not an enrolment code",
         "Montrez le code QR d'inscription affiché sur l'écran des organisateurs."},
        {21, JoinOutcome::DamagedCode, "Code mal lu", "Code not read properly",
         "Montrez-le à nouveau, plus près de la caméra et bien en face."},
        {22, JoinOutcome::AlreadyJoined, "Poste déjà configuré", "Kiosk already set up",
         "Pour l'inscrire ailleurs, un organisateur tape «\u202faccueil-sync join --replace\u202f» sur ce "
         "poste."},
        {23, JoinOutcome::CodeRefused, "Code refusé", "Code refused",
         "Demandez un nouveau code aux organisateurs, puis montrez-le à ce poste."},
        {24, JoinOutcome::ServerUnreachable, "Connexion impossible", "Could not connect",
         "Vérifiez que ce poste est connecté au réseau (Wi-Fi ou câble), puis montrez le code à nouveau."},
        {25, JoinOutcome::WrongServer, "Code d'un autre serveur", "Code from another server",
         "Demandez un nouveau code aux organisateurs."},
        {77, JoinOutcome::Failed, "Inscription impossible", "Enrolment failed",
         "Demandez un nouveau code aux organisateurs\u202f; si cela recommence, montrez-leur ce message."},
        {-1, JoinOutcome::NoProgram, "Inscription impossible", "Enrolment failed",
         "Prévenez les organisateurs\u202f: il doit être installé à côté d'accueil-kiosk (détail dans le "
         "journal "
         "du poste)."},
    };
    const std::string line = "accueil-sync: cannot join http://10.0.0.2:8443: something in English";
    const std::string code = "accueil1:http:10.0.0.2:8443:" + std::string(64, 'a') + ":00";
    const std::string db = dir.file("kiosk.db");
    for (const auto& c : cases) {
        INFO("exit status " << c.status);
        const std::string name = "sync" + std::to_string(c.status + 1);
        const JoinRun run = run_join(db, code, stand_in(dir, name, line, c.status));
        CHECK(run.outcome == c.outcome);
        CHECK(run.exit_status == c.status);
        // The program's last line, for the log (its "accueil-sync: " prefix dropped); killed: said so.
        if (c.status >= 0)
            CHECK(run.message == "cannot join http://10.0.0.2:8443: something in English");
        else
            CHECK_THAT(run.message, Catch::Contains("killed by signal 9"));
        CHECK(test::slurp(dir.file(name + ".args")) == "join\n" + code + "\n--db\n" + db + "\n");

        // On screen: the kiosk's sentence in the screen's language, never the program's English.
        Machine m(strings(), MachineOptions{.kiosk_name = "Accueil 2", .db_file = db});
        m.handle(CodeDecoded{code, kT0}, kT0);
        Joined j;
        j.outcome = run.outcome;
        j.server = "http://10.0.0.2:8443";
        j.kiosk_name = "Accueil 2";
        m.handle(j, kT0 + 100);
        auto vm = m.view(kT0 + 100);
        CHECK(vm.title == c.title_fr);
        CHECK(vm.hint == c.hint_fr);
        for (const auto* text : {&vm.title, &vm.sentence, &vm.hint})
            CHECK_THAT(*text, !Catch::Contains("something in English") && !Catch::Contains("{"));
        if (c.outcome == JoinOutcome::StoreProblem)
            CHECK_THAT(vm.sentence, Catch::Contains(db)); // the file it could not write, whole
        m.handle(Tap{Intent::SwitchLanguage}, kT0 + 200);
        vm = m.view(kT0 + 200);
        CHECK(vm.title == c.title_en);
        CHECK_THAT(vm.sentence, !Catch::Contains("something in English"));
    }
    // No program at all beside the kiosk: said, not crashed.
    const JoinRun missing = run_join(db, code, dir.file("no-such-program"));
    CHECK(missing.outcome == JoinOutcome::NoProgram);
    CHECK_THAT(missing.message, Catch::Contains("no-such-program"));
    CHECK_FALSE(std::filesystem::exists(db)); // and no stand-in made a database
}

TEST_CASE("A new kiosk makes no database until it joins by scanning the enrolment code, once") {
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
    // Everything the worker said, in order; `take` returns the first input of type T.
    std::vector<Input> seen;
    auto take = [&]<class T>(std::type_identity<T>) -> std::optional<T> {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        for (;;) {
            for (auto it = seen.begin(); it != seen.end(); ++it)
                if (auto* t = std::get_if<T>(&*it)) {
                    T out = *t;
                    seen.erase(seen.begin(), it + 1);
                    return out;
                }
            if (std::chrono::steady_clock::now() > until)
                return std::nullopt;
            for (auto& in : mailbox.drain().inputs)
                seen.push_back(std::move(in));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    };
    const auto setup = [&] { return take(std::type_identity<SetupState>{}); };
    const auto next_joined = [&] { return take(std::type_identity<Joined>{}); };
    {
        CheckinWorker worker(kiosk, mailbox);
        REQUIRE(worker.wait_ready(5000));
        auto s = setup();
        REQUIRE(s);
        CHECK_FALSE(s->ready); // not set up: the screen says how to enrol it
        CHECK(s->server.empty());

        // A badge shown before enrolment: answered "not set up", never "invalid", and no file made.
        worker.submit(StartCheckin{"ACC1.7QK2M9X4PA", kT0, 7});
        s = setup();
        REQUIRE(s);
        CHECK_FALSE(s->ready);
        CHECK(s->refused_job == 7);
        CHECK_FALSE(std::filesystem::exists(kiosk));

        // A code that looks like one but is cut: nothing happens, no file is made.
        const std::string code = enroll("Accueil 7");
        worker.submit(StartCheckin{code.substr(0, 40), kT0});
        auto j = next_joined();
        REQUIRE(j);
        CHECK(j->outcome == JoinOutcome::DamagedCode);
        CHECK_FALSE(std::filesystem::exists(kiosk));

        // A code whose server does not answer (nothing listens on that port): the kiosk says so, and
        // the failed join leaves no file behind.
        const std::string silent = "accueil1:http:127.0.0.1:" + std::to_string(test::free_port()) + ":" +
                                   std::string(64, 'a') + ":00";
        worker.submit(StartCheckin{silent, kT0});
        j = next_joined();
        REQUIRE(j);
        CHECK(j->outcome == JoinOutcome::ServerUnreachable);
        CHECK_FALSE(std::filesystem::exists(kiosk));

        worker.submit(StartCheckin{code, kT0});
        j = next_joined();
        REQUIRE(j);
        CHECK(j->outcome == JoinOutcome::Joined);
        CHECK(j->kiosk_name == "Accueil 7");
        CHECK(j->server == "http://" + listen);
        CHECK(j->timezone == test::demo_spec().timezone);
        CHECK(worker.kiosk_name() == "Accueil 7");
        s = setup();
        REQUIRE(s);
        CHECK(s->ready); // the event and roster came with the join: in service
        CHECK(s->kiosk_name == "Accueil 7");

        // The first badge scanned after enrolment reaches the organisers through the waiting agent.
        Store c = Store::open(central);
        const auto someone = c.db().execAndGet("SELECT id FROM attendees LIMIT 1").getString();
        worker.submit(StartCheckin{someone, test::kSept28At0912});
        auto count_central = [&] {
            SQLite::Database d(central, SQLite::OPEN_READONLY, 5000);
            return d.execAndGet("SELECT count(*) FROM checkins").getInt();
        };
        CHECK(test::wait_until([&] { return count_central() == 1; }, std::chrono::seconds(20)));

        // Someone in the queue shows another code: refused, the kiosk says where and as whom it is.
        worker.submit(StartCheckin{enroll("Ailleurs"), kT0});
        j = next_joined();
        REQUIRE(j);
        CHECK(j->outcome == JoinOutcome::AlreadyJoined);
        CHECK(j->server == "http://" + listen);
        CHECK(j->kiosk_name == "Accueil 7");
    }
    Store k = Store::open(kiosk);
    CHECK(k.db().execAndGet("SELECT count(*) FROM attendees").getInt() == 5);
    CHECK(k.event().name == test::demo_spec().name);
    CHECK(k.meta("sync.server").value_or("") == "http://" + listen);
    CHECK(k.kiosk_name() == "Accueil 7");
}
