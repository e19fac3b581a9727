// End to end: an event database with signed badges, the badge pictures (one shown twice in a row, one
// shown again later, a ticket code, a badge of another event and a code nobody has) replayed through the
// real `accueil-kiosk` window under Xvfb; the database then holds exactly one check-in per person shown.
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "badge/qr_render.hpp"
#include "database.hpp"
#include "store.hpp"
#include "support/temp_dir.hpp"
#include "support/xvfb.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>

using namespace accueil;
namespace fs = std::filesystem;

namespace {

// YYYY-MM-DD of today + `offset` days (UTC): yesterday to tomorrow covers the event's local today.
std::string utc_date(int offset) {
    using namespace std::chrono;
    const auto day = floor<days>(system_clock::now()) + days(offset);
    const year_month_day ymd{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return buf;
}

} // namespace

TEST_CASE("Replayed badge pictures check each person in exactly once") {
    test::require_xvfb();
    const std::string bin = test::kiosk_binary();
    REQUIRE(fs::exists(bin));
    test::TempDir dir;
    const std::string db = dir.file("kiosk.db");
    const fs::path pictures = dir.path() / "pictures";
    fs::create_directories(pictures);

    std::map<std::string, std::string> names; // attendee id -> first name
    std::string lea_id, jn_id, zoe_id, marc_id;
    {
        Store store =
            Store::create(db, EventSpec{"Kiosque de test",
                                        "Europe/Paris",
                                        {{utc_date(-1), ""}, {utc_date(0), ""}, {utc_date(1), ""}}});
        store.set_kiosk_name("Accueil 3");
        const SigningKey key = init_event_key(store, dir.file("kiosk.db.key"), "test");
        Attendee lea, jn, zoe, marc;
        {
            WriteTransaction tx(store.db());
            lea = create_attendee(
                store, Attendee{.first_name = "Léa", .last_name = "Dupré", .email = "lea@example.fr"});
            jn = create_attendee(
                store, Attendee{.first_name = "Jean-Noël", .last_name = "N'Diaye", .email = "jn@example.fr"});
            zoe = create_attendee(store,
                                  Attendee{.first_name = "Zoé", .last_name = "Martin", .ext_code = "T-003"});
            marc = create_attendee(store, Attendee{.first_name = "Marc", .last_name = "Petit"});
            tx.commit();
        }
        lea_id = lea.id;
        jn_id = jn.id;
        zoe_id = zoe.id;
        marc_id = marc.id;

        // Sorted by name: the order the kiosk replays them in.
        const std::string lea_code = badge_code_for(lea, store.event(), key);
        write_qr_png(encode_qr(lea_code), (pictures / "01-lea.png").string());
        write_qr_png(encode_qr(lea_code), (pictures / "02-lea-still-in-front.png").string(), 6);
        write_qr_png(encode_qr(badge_code_for(jn, store.event(), key)),
                     (pictures / "03-jean-noel.png").string());
        // A phone photo of a paper ticket: the ticket code, framed in a grey camera picture.
        kiosk::save_grey_png(kiosk::fit_into(test::degrade(test::render_qr("T-003", 5), 3, 11), 1280, 720),
                             (pictures / "04-zoe-ticket.png").string());
        write_qr_png(encode_qr("NOBODY-HAS-THIS-CODE"), (pictures / "05-unknown.png").string());
        // Marc's badge signed by a key this event does not know: invalid, nobody checked in.
        const SigningKey stranger = SigningKey::generate();
        write_qr_png(encode_qr(badge_code_for(marc, store.event(), stranger)),
                     (pictures / "06-forged.png").string());
        // Léa again, minutes later in real life: "already checked in", not a second arrival.
        write_qr_png(encode_qr(lea_code), (pictures / "07-lea-again.png").string());
    }

    const auto run = test::run_in_xvfb(
        test::quote(bin) + " --db " + test::quote(db) + " --replay " + test::quote(pictures.string()) +
            " --replay-interval 100 --exit-after-replay --camera none --no-sound "
            "--size 800x480",
        120);
    INFO(run.out);
    REQUIRE(run.status == 0);

    // Every picture was read by the kiosk's pipeline (the same decoder as --print-codes).
    const auto codes = test::run_command(test::quote(bin) + " --replay " + test::quote(pictures.string()) +
                                         " --print-codes");
    for (const auto& line : {"01-lea.png\t", "03-jean-noel.png\t", "04-zoe-ticket.png\tT-003",
                             "05-unknown.png\tNOBODY-HAS-THIS-CODE", "07-lea-again.png\t"}) {
        INFO(line << " in\n" << codes.out);
        CHECK(codes.out.find(line) != std::string::npos);
    }

    Store store = Store::open(db);
    std::map<std::string, int> checkins;
    SQLite::Statement q(store.db(), "SELECT attendee_id, count(*), min(kiosk) FROM checkins WHERE undone = 0 "
                                    "GROUP BY attendee_id");
    while (q.executeStep()) {
        checkins[q.getColumn(0).getString()] = q.getColumn(1).getInt();
        CHECK(q.getColumn(2).getString() == "Accueil 3");
    }
    const std::map<std::string, int> expected = {{lea_id, 1}, {jn_id, 1}, {zoe_id, 1}};
    CHECK(checkins == expected);
    CHECK(checkins.count(marc_id) == 0);
}
