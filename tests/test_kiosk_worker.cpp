// The kiosk with its real check-in worker (kiosk/logic/runtime.hpp, no window) when the worker cannot do
// its job: a database it cannot open, a database removed under it, a database locked by someone else.
// In every case the kiosk goes out of order and says why; it never waits on "Checking…" for ever, and
// it comes back by itself once the database is usable again. And when there is nothing to do yet: no
// database at its path, or one without the event (not enrolled, or the event still on its way): the
// kiosk is "not set up", makes no file, never calls a badge invalid, and is in service once the event
// is there. The clock the state machine sees is
// simulated; the worker thread is real, and the test waits for it on a condition (its wake-up call).
#include "attendee_ops.hpp"
#include "database.hpp"
#include "runtime.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/demo_event.hpp"
#include "support/desk_sync.hpp"
#include "support/kiosk_strings.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>

using namespace accueil;
using namespace accueil::kiosk;
namespace fs = std::filesystem;

namespace {

const std::string kNotSetUpBadgeFr = "Ce poste n'est pas encore configuré\u202f: il ne peut pas enregistrer "
                                     "votre arrivée. Une personne de l'accueil va vous aider.";
const std::string kDatabaseReasonFr = "Ce poste n'arrive pas à lire ses données. Il réessaie tout seul.";
const std::string kNoAnswerReasonFr =
    "Ce poste n'a pas répondu à temps. Votre arrivée n'est peut-être pas enregistrée.";

// The wake-up call the worker threads make after each message (glfwPostEmptyEvent in the real kiosk).
class Wakeups {
public:
    void wake() {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        cv_.notify_all();
    }
    void wait(std::chrono::milliseconds at_most) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, at_most, [&] { return woken_; });
        woken_ = false;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool woken_ = false;
};

// A kiosk without camera or sound on `db`, retrying a failed database after 50, 100, 200, 200 ... ms.
struct Kiosk {
    explicit Kiosk(const std::string& db) : runtime(test::kiosk_strings(), options(db)) {
        runtime.start([this] { wakeups.wake(); });
    }
    static RuntimeOptions options(const std::string& db) {
        RuntimeOptions o;
        o.db_path = db;
        o.capture.camera = "none";
        o.sound = false;
        o.worker.min_backoff_ms = 50;
        o.worker.max_backoff_ms = 200;
        return o;
    }
    Screen screen() const { return runtime.machine().screen(); }
    // Drains what the workers sent, at the simulated time `now`, each time they wake the UI, until
    // `done` holds (true) or 20 s of real time went by (false).
    bool pump_until(const std::function<bool()>& done) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        for (;;) {
            runtime.pump(now);
            if (done())
                return true;
            if (std::chrono::steady_clock::now() > until)
                return false;
            wakeups.wait(std::chrono::milliseconds(250));
        }
    }
    bool pump_until_screen(Screen s) {
        return pump_until([&] { return screen() == s; });
    }
    // A badge scanner types the code and Enter.
    void scan(const std::string& code) {
        for (char c : code)
            runtime.key_char(std::string(1, c), now);
        runtime.key_enter(now);
    }

    Wakeups wakeups;
    Runtime runtime;
    std::int64_t now = test::kSept28At0912;
};

// An event database with three people; returns their ids.
std::vector<std::string> make_store(const std::string& db) {
    Store store = Store::create(db, test::demo_spec());
    WriteTransaction tx(store.db());
    std::vector<std::string> ids;
    for (const char* name : {"Léa", "Zoé", "Marc"})
        ids.push_back(create_attendee(store, Attendee{.first_name = name, .last_name = "Martin"}).id);
    tx.commit();
    return ids;
}

void remove_database(const std::string& db) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(db + suffix);
}

} // namespace

TEST_CASE("A database the worker cannot open: out of order with the reason while it lasts, then back") {
    test::TempDir dir;
    const std::string db = dir.file("kiosk.db");
    std::ofstream(db) << std::string(8192, 'x'); // not a database
    Kiosk k(db);
    REQUIRE(k.pump_until_screen(Screen::OutOfOrder));
    CHECK(k.runtime.view(k.now).hint == kDatabaseReasonFr);

    // The usual 15 s retry, then an hour: still out of order, and a badge shown is not taken.
    k.now += 15001;
    k.runtime.pump(k.now);
    CHECK(k.screen() == Screen::OutOfOrder);
    k.scan("ACC1.SOMEBODY");
    k.runtime.pump(k.now);
    CHECK(k.screen() == Screen::OutOfOrder);
    k.now += 3600000;
    k.runtime.pump(k.now);
    CHECK(k.screen() == Screen::OutOfOrder);
    CHECK(k.runtime.view(k.now).hint == kDatabaseReasonFr);

    // A usable database is put in its place: the worker opens it by itself, and scans work again.
    remove_database(db);
    const auto ids = make_store(db);
    REQUIRE(k.pump_until_screen(Screen::Scan));
    k.scan(ids[0]);
    CHECK(k.screen() == Screen::Checking);
    REQUIRE(k.pump_until_screen(Screen::Verdict));
    CHECK(k.runtime.view(k.now).title == "Bienvenue Léa\u202F!");
}

TEST_CASE("The database removed while the kiosk runs: the next scan ends out of order, not on Checking") {
    test::TempDir dir;
    const std::string db = dir.file("kiosk.db");
    const auto ids = make_store(db);
    Kiosk k(db);
    k.scan(ids[0]);
    REQUIRE(k.pump_until_screen(Screen::Verdict));
    k.runtime.tap(Tap{Intent::Ok}, k.now);
    REQUIRE(k.screen() == Screen::Scan);

    remove_database(db);
    k.scan(ids[1]);
    // Without waiting for the Checking screen's own deadline: the simulated clock stands still.
    REQUIRE(k.pump_until_screen(Screen::OutOfOrder));
    CHECK(k.runtime.view(k.now).hint == kDatabaseReasonFr);
    k.now += 60000;
    k.runtime.pump(k.now);
    CHECK(k.screen() == Screen::OutOfOrder);
    CHECK_FALSE(fs::exists(db)); // and no empty database was made in its place
}

TEST_CASE(
    "A worker that does not answer (the database locked): out of order after 5 s, late answer dropped") {
    test::TempDir dir;
    const std::string db = dir.file("kiosk.db");
    const auto ids = make_store(db);
    Kiosk k(db);
    k.scan(ids[0]);
    REQUIRE(k.pump_until_screen(Screen::Verdict));
    k.runtime.tap(Tap{Intent::Ok}, k.now);

    // Another program holds the write lock: the worker retries Zoé's check-in without end.
    SQLite::Database other(db, SQLite::OPEN_READWRITE);
    other.exec("BEGIN EXCLUSIVE");
    k.scan(ids[1]);
    CHECK(k.screen() == Screen::Checking);
    k.now += 4999;
    k.runtime.pump(k.now);
    CHECK(k.screen() == Screen::Checking);
    k.now += 1;
    k.runtime.pump(k.now);
    CHECK(k.screen() == Screen::OutOfOrder);
    CHECK(k.runtime.view(k.now).hint == kNoAnswerReasonFr);

    // The kiosk tries again after 15 s; Marc scans while Zoé's check-in still waits for the lock.
    k.now += 15000;
    k.runtime.pump(k.now);
    REQUIRE(k.screen() == Screen::Scan);
    k.scan(ids[2]);
    REQUIRE(k.screen() == Screen::Checking);
    other.exec("COMMIT");
    // Zoé's answer comes first (it is late: nobody is shown it), then Marc's.
    REQUIRE(k.pump_until_screen(Screen::Verdict));
    CHECK(k.runtime.view(k.now).title == "Bienvenue Marc\u202F!");
}

TEST_CASE("No database at the kiosk's path: not set up, no file made, and in service once one is made") {
    test::TempDir dir;
    const std::string db = dir.file("kisok.db"); // mistyped: nothing there
    Kiosk k(db);
    REQUIRE(k.pump_until_screen(Screen::NotSetUp));
    CHECK(k.runtime.view(k.now).title == "Poste non configuré");
    k.scan("ACC1.7QK2M9X4PA");
    CHECK(k.screen() == Screen::GoToDesk);
    CHECK(k.runtime.view(k.now).sentence == kNotSetUpBadgeFr);
    k.runtime.tap(Tap{Intent::Ok}, k.now);
    // Time passes (the worker looks again every 5 s): still nothing made at the mistyped path.
    k.now += 60000;
    k.runtime.pump(k.now);
    CHECK(k.screen() == Screen::NotSetUp);
    CHECK_FALSE(fs::exists(db));

    // `accueil-sync join` run at the terminal makes the database with the event: the kiosk opens it.
    const auto ids = make_store(db);
    k.now += 5001;
    REQUIRE(k.pump_until_screen(Screen::Scan));
    k.scan(ids[0]);
    REQUIRE(k.pump_until_screen(Screen::Verdict));
    CHECK(k.runtime.view(k.now).title == "Bienvenue Léa\u202F!");
}

TEST_CASE("A database without the event (enrolled, the event still on its way): badges are not refused as "
          "invalid, and the event arriving puts the kiosk in service") {
    test::TempDir dir;
    const std::string central_db = dir.file("central.db");
    const auto ids = make_store(central_db);
    Store central = Store::open(central_db);
    const std::string db = dir.file("kiosk.db");
    {
        Store kiosk = sync::create_joining_store(db);
        test::join_offline(central, kiosk, "Accueil 3", sync::Role::Kiosk);
    }
    Kiosk k(db);
    REQUIRE(k.pump_until_screen(Screen::NotSetUp));
    auto vm = k.runtime.view(k.now);
    CHECK(vm.title == "En attente de la liste des inscrits");
    CHECK_THAT(vm.sentence, Catch::Contains("Accueil 3") && Catch::Contains("http://127.0.0.1:1"));
    CHECK(vm.kiosk_name == "Accueil 3");
    // Léa's id is a real one: today's code would have called it unknown or invalid.
    k.scan(ids[0]);
    CHECK(k.screen() == Screen::GoToDesk);
    CHECK(k.runtime.view(k.now).sentence == kNotSetUpBadgeFr);
    k.runtime.tap(Tap{Intent::Ok}, k.now);
    CHECK(k.screen() == Screen::NotSetUp);

    // The agent pulls the event and the roster; the kiosk notices at its next look.
    {
        Store kiosk = Store::open(db);
        test::pull_as(central, kiosk, sync::Role::Kiosk);
    }
    k.now += 5001;
    REQUIRE(k.pump_until_screen(Screen::Scan));
    k.scan(ids[0]);
    REQUIRE(k.pump_until_screen(Screen::Verdict));
    CHECK(k.runtime.view(k.now).title == "Bienvenue Léa\u202F!");
}

TEST_CASE(
    "The worker never checks a badge in against a store without the event: it says the kiosk is not set up") {
    test::TempDir dir;
    const std::string db = dir.file("kiosk.db");
    sync::create_joining_store(db);
    Mailbox mailbox;
    CheckinWorker worker(db, mailbox);
    REQUIRE(worker.wait_ready(5000));
    worker.submit(StartCheckin{"ACC1.7QK2M9X4PA", test::kSept28At0912, 41});
    std::optional<SetupState> refused;
    REQUIRE(test::wait_until(
        [&] {
            for (auto& in : mailbox.drain().inputs) {
                CHECK_FALSE(std::holds_alternative<VerdictReady>(in));
                if (auto* s = std::get_if<SetupState>(&in); s && s->refused_job == 41)
                    refused = *s;
            }
            return refused.has_value();
        },
        std::chrono::seconds(20)));
    CHECK_FALSE(refused->ready);
    Store s = Store::open(db);
    CHECK(s.db().execAndGet("SELECT count(*) FROM journal").getInt() == 0); // nothing written
}
