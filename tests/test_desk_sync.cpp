// The welcome desk over real sync (issue 10): the organiser CLI makes the event, `accueil-sync serve`
// runs the central store over HTTPS on 127.0.0.1, a desk and a kiosk join it with real
// `accueil-sync join` and sync with real `accueil-sync agent --once` processes. The desk's own actions
// (edit, walk-in, reprint) are called in-process on the desk's database file through
// kiosk/logic/desk_ops.hpp, exactly as the desk program's worker does (kiosk/logic/desk_worker.cpp),
// and the kiosk's scans through check_in (shared/checkin.hpp), as the kiosk's worker does.
#include "attendee.hpp"
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "desk_ops.hpp"
#include "search.hpp"
#include "store.hpp"
#include "support/child_process.hpp"
#include "support/db_text.hpp"
#include "support/demo_event.hpp"
#include "support/temp_dir.hpp"
#include "sync/device_key.hpp"

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <variant>
#include <vector>

using namespace accueil;
using namespace accueil::test;
using namespace std::chrono_literals;

namespace {

const std::string kSync = std::string(ACCUEIL_BIN_DIR) + "/accueil-sync";
const std::string kAccueil = std::string(ACCUEIL_BIN_DIR) + "/accueil";

// "Dupnt" is the registration form's typo the desk fixes; Léa Dupré is also the walk-in's namesake.
const std::string kRoster = "Prénom;Nom;E-mail;Structure;Catégorie;Jours;Code\n"
                            "Léa;Dupré;lea@example.fr;Mairie de Lyon;Participant;;T-001\n"
                            "Jean-Noël;N'Diaye;jn@example.fr;Emmaüs Connect;Intervenant;;T-002\n"
                            "Camille;Dupnt;camille@example.fr;La Poste;Participant;;T-003\n"
                            "Karim;Benali;karim@example.fr;Région Sud;Participant;;T-004\n";

struct Ran {
    int code;
    std::string out, err;
};

// The central store (organiser CLI, then the HTTPS server) and the devices joined to it.
struct Site {
    TempDir dir;
    std::string central = dir.file("central.db");
    int port = free_port();
    std::unique_ptr<Process> server;
    int logs = 0;

    std::string log(const std::string& what) { return dir.file(what + "-" + std::to_string(logs++)); }

    Ran run(const std::string& program, const std::vector<std::string>& args) {
        std::vector<std::string> full{program};
        full.insert(full.end(), args.begin(), args.end());
        Process p(full, log("run"));
        const int code = p.wait();
        return {code, p.out(), p.err()};
    }
    Ran sync(const std::vector<std::string>& args) { return run(kSync, args); }

    void start_server() {
        server =
            std::make_unique<Process>(std::vector<std::string>{kSync, "serve", "--db", central, "--listen",
                                                               "127.0.0.1:" + std::to_string(port)},
                                      log("server"));
        REQUIRE(wait_until([&] { return server->out().find("serving") != std::string::npos; }, 10s));
    }

    // Enrols `name` with `role` and joins a new database with the real `accueil-sync join`.
    std::string join(const std::string& name, const std::string& role) {
        const auto e = sync({"enroll", "--db", central, "--name", name, "--role", role});
        INFO(e.out << e.err);
        REQUIRE(e.code == 0);
        const std::string db = dir.file(role + ".db");
        const auto j = sync({"join", last_line(e.out), "--db", db});
        INFO(j.out << j.err);
        REQUIRE(j.code == 0);
        return db;
    }

    // One agent round; exit 0 only when everything was acknowledged (sync/app/main.cpp).
    Ran once(const std::string& db) { return sync({"agent", "--once", "--db", db}); }
};

template <typename T> T expect(kiosk::DeskInput in) {
    if (const auto* f = std::get_if<kiosk::DeskFailure>(&in))
        FAIL("desk failure: " << f->what);
    if (const auto* r = std::get_if<kiosk::DeskFormRefused>(&in))
        FAIL("form refused: " << (r->errors.empty()
                                      ? ""
                                      : r->errors.front().field + " " + r->errors.front().message_key));
    REQUIRE(std::holds_alternative<T>(in));
    return std::get<T>(std::move(in));
}

// The edit form as the desk opens it for `a`: every field as stored, "every day" as every day ticked.
kiosk::PersonForm form_of(const Attendee& a, const EventInfo& event) {
    return {a.first_name,
            a.last_name,
            a.email,
            a.organisation,
            a.category,
            "",
            a.days.empty() ? event.dates() : a.days};
}

} // namespace

TEST_CASE(
    "The desk fixes a name, registers a walk-in and reprints a badge, then central and the kiosk follow") {
    Site site;
    // 1. The organisers' machine: event, roster and badge key by the organiser CLI.
    REQUIRE(site.run(kAccueil, {"init", "--db", site.central, "--name", "Numérique en Commun[s]", "--days",
                                "2022-09-27:OFF,2022-09-28,2022-09-29", "--tz", "Europe/Paris"})
                .code == 0);
    std::ofstream(site.dir.file("roster.csv"), std::ios::binary) << kRoster;
    {
        const auto imported =
            site.run(kAccueil, {"import", "--db", site.central, site.dir.file("roster.csv")});
        INFO(imported.out << imported.err);
        REQUIRE(imported.code == 0);
    }
    REQUIRE(site.run(kAccueil, {"keys", "init", "--db", site.central}).code == 0);

    std::string camille, karim, lea;
    std::string karim_old_code; // Karim's printed badge (version 1), signed with the event's key
    {
        Store c = Store::open(site.central);
        auto id_of = [&](const std::string& q) {
            const auto found = search_attendees(c.db(), q, 2);
            REQUIRE(found.size() == 1);
            return found.front().id;
        };
        camille = id_of("camille dupnt");
        karim = id_of("karim benali");
        lea = id_of("lea dupre");
        const auto k = load_attendee(c.db(), karim);
        REQUIRE(k->badge_version == 1);
        karim_old_code = badge_code_for(*k, c.event(), read_key_file(default_key_path(site.central)));
    }
    site.start_server();

    // 2. A desk and a kiosk join (each join pulls the event, its keys and the roster) and sync.
    const std::string desk_db = site.join("Accueil desk", "desk");
    const std::string kiosk_db = site.join("Borne 1", "kiosk");
    for (const auto& db : {desk_db, kiosk_db}) {
        const auto r = site.once(db);
        INFO(db << "\n" << r.out << r.err);
        REQUIRE(r.code == 0);
        CHECK(count_in(db, "SELECT count(*) FROM attendees") == 4);
    }

    // 3. At the desk, on 28 September at 09:12 (the worker passes its wall clock; the event is in 2022).
    const std::int64_t at = kSept28At0912;
    std::string walk_in, walk_in_code, karim_new_code;
    {
        Store d = Store::open(desk_db);
        // The desk got no key file: it signs with its device key, made a badge key by central at join
        // (shared/sync/devices.cpp join_device, shared/desk.cpp desk_signing_key).
        REQUIRE(kiosk::desk_setup(d, at, false).can_sign);

        const auto before = load_attendee(d.db(), camille);
        REQUIRE(before);
        auto fix = form_of(*before, d.event());
        fix.last_name = "Dupont";
        const auto saved = expect<kiosk::DeskSaved>(kiosk::desk_save(d, {camille, fix, false}, at));
        CHECK(saved.person.summary.last_name == "Dupont");
        CHECK_FALSE(saved.created);

        // A walk-in who shares a registered person's name: the desk first shows the likely duplicate.
        const kiosk::PersonForm walker{"Léa",         "Dupré", "lea.dupre@example.org", "Fablab Nord",
                                       "Participant", "",      d.event().dates()};
        const auto dups = expect<kiosk::DeskDuplicates>(kiosk::desk_save(d, {"", walker, false}, at));
        REQUIRE(dups.rows.size() == 1);
        CHECK(dups.rows.front().id == lea);
        const auto created = expect<kiosk::DeskSaved>(kiosk::desk_save(d, {"", walker, true}, at + 60000));
        CHECK(created.created);
        CHECK(created.badge_signed);
        CHECK(created.person.summary.arrived_today);
        CHECK(created.person.summary.source == "walk-in");
        walk_in = created.person.summary.id;
        walk_in_code = created.badge_code;
        CHECK(bool(verify_badge_code(walk_in_code, d.event().uid, load_event_keys(d.db()))));

        const auto reprinted = expect<kiosk::DeskSaved>(kiosk::desk_reprint(d, karim, at + 120000));
        CHECK(reprinted.badge_signed);
        CHECK(reprinted.person.badge_version == 2);
        karim_new_code = reprinted.badge_code;
        // Signed by the desk's device key, the badge key central journalled at its join.
        CHECK_FALSE(std::filesystem::exists(default_key_path(desk_db)));
        std::vector<EventKey> desk_key;
        for (const auto& key : load_event_keys(d.db()))
            if (key.public_key == sync::device_key_of(d).public_key())
                desk_key.push_back(key);
        REQUIRE(desk_key.size() == 1);
        CHECK(bool(verify_badge_code(karim_new_code, d.event().uid, desk_key)));
        CHECK(bool(verify_badge_code(walk_in_code, d.event().uid, desk_key)));
        CHECK(karim_new_code != karim_old_code);
    }

    // 4. The desk syncs, then the kiosk.
    {
        const auto r = site.once(desk_db);
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
    }
    {
        Store c = Store::open(site.central);
        const auto cam = load_attendee(c.db(), camille);
        REQUIRE(cam);
        CHECK(cam->last_name == "Dupont");
        const auto w = load_attendee(c.db(), walk_in);
        REQUIRE(w);
        CHECK(w->full_name() == "Léa Dupré");
        CHECK(w->source == "walk-in");
        CHECK(load_attendee(c.db(), karim)->badge_version == 2);
        CHECK(count_in(site.central, "SELECT count(*) FROM checkins WHERE attendee_id = '" + walk_in +
                                         "' AND day = '2022-09-28' AND undone = 0") == 1);
    }
    {
        const auto r = site.once(kiosk_db);
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
    }
    {
        Store k = Store::open(kiosk_db);
        CHECK(load_attendee(k.db(), camille)->last_name == "Dupont");
        const auto found = search_attendees(k.db(), "camille dupont", 5);
        REQUIRE(found.size() == 1);
        CHECK(found.front().id == camille);
        const auto w = load_attendee(k.db(), walk_in);
        REQUIRE(w);
        CHECK(w->email == "lea.dupre@example.org");
        CHECK(load_attendee(k.db(), karim)->badge_version == 2);

        // Karim's old badge is refused, his new one (signed by the desk's key) admits him.
        CHECK(check_in(k, karim_old_code, at + 600000).verdict == Verdict::ReplacedBadge);
        CHECK(check_in(k, karim_new_code, at + 610000).verdict == Verdict::Admitted);
        // The walk-in was checked in at the desk on creation: the kiosk knows it from the desk's check-in.
        const auto r = check_in(k, walk_in_code, at + 620000);
        CHECK(r.verdict == Verdict::AlreadyCheckedIn);
        CHECK(r.first_kiosk == "Accueil desk");
        CHECK(r.first_at_ms == at + 60000);
    }
    {
        const auto r = site.once(kiosk_db);
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
    }
    CHECK(count_in(site.central, "SELECT count(*) FROM checkins WHERE attendee_id = '" + karim +
                                     "' AND day = '2022-09-28' AND undone = 0") == 1);

    // 5. The kiosk cannot do desk things: a walk-in written straight into its database, as someone who
    // copied its disk would, is refused by central's door and never reaches the central store.
    std::string forged, forged_key; // the attendee id; "origin/seq" of its journal event
    {
        Store k = Store::open(kiosk_db);
        WriteTransaction tx(k.db());
        forged =
            create_attendee(k, Attendee{.first_name = "Mallory", .last_name = "Intrus", .source = "walk-in"})
                .id;
        tx.commit();
        SQLite::Statement q(k.db(), "SELECT seq FROM journal WHERE origin = ? AND entity = ?");
        q.bind(1, k.origin().data(), int(k.origin().size()));
        q.bind(2, forged);
        REQUIRE(q.executeStep());
        forged_key = to_hex(k.origin()) + "/" + q.getColumn(0).getString();
    }
    const auto refused = site.once(kiosk_db);
    CHECK(refused.code != 0);
    CHECK_THAT(refused.err, Catch::Contains("refused by the server"));
    CHECK_FALSE(load_attendee(Store::open(site.central).db(), forged));
    // The kiosk keeps the refused event aside (a dead letter) and does not send it again.
    CHECK(count_in(kiosk_db, "SELECT count(*) FROM sync_dead_letters") == 1);
    CHECK(site.once(kiosk_db).code == 0);
    const auto status = site.sync({"status", "--db", site.central});
    CHECK(status.code == 0);
    CHECK_THAT(status.out, Catch::Contains("Changes refused on arrival: 1") &&
                               Catch::Contains("Registration from Borne 1, 1×") &&
                               Catch::Contains("(attendee-created " + forged_key + ", ") &&
                               Catch::Contains("a kiosk may not send attendee-created"));

    site.server->signal(SIGTERM);
    CHECK(site.server->wait() == 0);
    CHECK(site.server->err().find("BUG") == std::string::npos);
}
