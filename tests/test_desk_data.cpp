// The welcome desk's data (issue 10): a person's history, the walk-in form's checks and likely
// duplicates, badges signed by a desk without the event's main key, and the volunteers' alerts.
#include "attendee_notes.hpp"
#include "attendee_ops.hpp"
#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "checkin.hpp"
#include "database.hpp"
#include "desk.hpp"
#include "errors.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/desk_sync.hpp"
#include "support/temp_dir.hpp"
#include "sync/bundle.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace accueil;
using namespace accueil::sync;

namespace {

constexpr std::int64_t kMinute = 60 * 1000;

int journal_size(Store& s) {
    return s.db().execAndGet("SELECT count(*) FROM journal").getInt();
}

Attendee add(Store& s, Attendee a) {
    WriteTransaction tx(s.db());
    a = create_attendee(s, std::move(a));
    tx.commit();
    return a;
}

std::vector<HistoryKind> kinds(const std::vector<HistoryEntry>& h) {
    std::vector<HistoryKind> out;
    for (const auto& e : h)
        out.push_back(e.kind);
    return out;
}

// A push through the central store's door; the first refusal's reason in the report when refused.
bool pushed(Store& central, Store& device) {
    const auto r = test::push_from(central, device);
    INFO((r.ok() ? std::string() : r.rejected.front().reason));
    CHECK(r.ok());
    return r.ok();
}

// A central store with its event key file beside it, as `accueil keys init` leaves it.
struct Central {
    test::TempDir dir;
    std::int64_t now = test::kSept28At0912 - 60 * kMinute;
    Store store = Store::create(dir.file("central.db"), test::demo_spec(), [this] { return now; });
    SigningKey key = init_event_key(store, default_key_path(dir.file("central.db")), "2022");
};

} // namespace

TEST_CASE("Person history: creation, note, arrival, undo, edit, reprint and old badge, newest first") {
    Central c;
    Store& s = c.store;
    Attendee lea = add(s, Attendee{.first_name = "Léa", .last_name = "Dupré", .source = "import"});
    const std::string v1 = badge_code_for(lea, s.event(), c.key);
    c.now += kMinute;
    {
        WriteTransaction tx(s.db());
        set_attendee_note(s, lea.id, "Fauteuil roulant");
        tx.commit();
    }
    c.now = test::kSept28At0912;
    REQUIRE(check_in(s, lea.id, c.now).verdict == Verdict::Admitted);
    c.now += kMinute;
    CHECK(undo_checkins(s, lea.id, "2022-09-28") == 1);
    c.now += kMinute;
    {
        Attendee after = *load_attendee(s.db(), lea.id);
        after.email = "lea@example.org";
        after.organisation = "Mairie";
        WriteTransaction tx(s.db());
        update_attendee(s, *load_attendee(s.db(), lea.id), after);
        tx.commit();
    }
    c.now += kMinute;
    std::string v2;
    CHECK(reprint_badge(s, lea.id, c.key, &v2).badge_version == 2);
    c.now += kMinute;
    CHECK(check_in(s, v1, c.now).verdict == Verdict::ReplacedBadge);

    const auto h = person_history(s, lea.id);
    using K = HistoryKind;
    REQUIRE(kinds(h) == std::vector<K>{K::ReplacedBadgeScanned, K::Reprinted, K::Edited, K::Undone,
                                       K::CheckedIn, K::NoteChanged, K::Created});
    CHECK(h[0].badge_version == 1);
    CHECK(h[0].day == "2022-09-28");
    CHECK(h[0].at_ms == c.now);
    CHECK(h[1].badge_version == 2);
    CHECK(h[2].fields == std::vector<std::string>{"email", "organisation"});
    CHECK(h[3].day == "2022-09-28");
    CHECK(h[4].at_ms == test::kSept28At0912);
    CHECK(h[4].undone);
    CHECK_FALSE(h[5].note_cleared);
    CHECK(h[6].source == "import");
    CHECK(h[6].at_ms == test::kSept28At0912 - 60 * kMinute);
    for (const auto& e : h)
        CHECK(e.device == s.kiosk_name());
    for (std::size_t i = 1; i < h.size(); ++i)
        CHECK(h[i - 1].at_ms >= h[i].at_ms);
    CHECK(std::string(history_key(K::CheckedIn)) == "checked-in");
    CHECK(person_history(s, "ZZZZZZZZZZZZ").empty());
}

TEST_CASE("Person history names the device that wrote each event") {
    Central c;
    Store desk = create_joining_store(c.dir.file("desk.db"), [&c] { return c.now; });
    test::join_offline(c.store, desk, "Bureau 1", Role::Desk);
    test::pull_as(c.store, desk, Role::Desk);
    const Attendee sam =
        add(desk, Attendee{.first_name = "Sam", .last_name = "Nouveau", .source = "walk-in"});
    REQUIRE(check_in(desk, sam.id, test::kSept28At0912).verdict == Verdict::Admitted);
    REQUIRE(pushed(c.store, desk));
    const auto h = person_history(c.store, sam.id);
    REQUIRE(h.size() == 2);
    CHECK(h[0].kind == HistoryKind::CheckedIn);
    CHECK(h[0].device == "Bureau 1");
    CHECK(h[1].kind == HistoryKind::Created);
    CHECK(h[1].source == "walk-in");
    CHECK(h[1].device == "Bureau 1");
}

TEST_CASE("The walk-in form: required names, lengths, plausible e-mail, event days, no control characters") {
    const EventInfo event{"uid", "Numérique en Commun[s]", "Europe/Paris", test::demo_spec().days};
    const Attendee ok{.first_name = "Léa",
                      .last_name = "Dupré",
                      .email = "lea.dupre@example.org",
                      .category = "Participant",
                      .days = {"2022-09-28"},
                      .source = "walk-in"};
    CHECK(validate_attendee(ok, event).empty());
    Attendee no_mail = ok;
    no_mail.email = "";
    CHECK(validate_attendee(no_mail, event).empty());

    auto errors_of = [&](Attendee a) { return validate_attendee(a, event); };
    Attendee a = ok;
    a.first_name = "  ";
    a.last_name = "";
    CHECK(errors_of(a) == std::vector<FieldError>{{"first_name", "desk.error.required"},
                                                  {"last_name", "desk.error.required"}});
    a = ok;
    a.last_name = std::string(201, 'x');
    CHECK(errors_of(a) == std::vector<FieldError>{{"last_name", "desk.error.too_long"}});
    a.last_name.clear();
    for (int i = 0; i < 200; ++i)
        a.last_name += "é"; // 200 characters, but 400 bytes: over what the sync door accepts
    CHECK(errors_of(a) == std::vector<FieldError>{{"last_name", "desk.error.too_long"}});
    a = ok;
    a.category = std::string(101, 'c');
    CHECK(errors_of(a) == std::vector<FieldError>{{"category", "desk.error.too_long"}});
    for (const char* bad : {"lea", "lea@", "@example.org", "lea@example", "lea@@example.org",
                            "lea dupre@example.org", "lea@example.", "lea@exa..mple.org"}) {
        CAPTURE(bad);
        a = ok;
        a.email = bad;
        CHECK(errors_of(a) == std::vector<FieldError>{{"email", "desk.error.email"}});
    }
    a = ok;
    a.days = {"2022-09-28", "2022-10-01"};
    CHECK(errors_of(a) == std::vector<FieldError>{{"days", "desk.error.day"}});
    a = ok;
    a.first_name = "Léa\x1b[31m";
    a.organisation = "bad \xC3\x28";
    CHECK(errors_of(a) == std::vector<FieldError>{{"first_name", "desk.error.invalid_text"},
                                                  {"organisation", "desk.error.invalid_text"}});
}

TEST_CASE("Likely duplicates: same folded name in either order, or same e-mail, never itself") {
    test::TempDir dir;
    Store s = Store::create(dir.file("e.db"), test::demo_spec());
    const Attendee lea =
        add(s, Attendee{.first_name = "Léa", .last_name = "Dupré", .email = "lea@example.org"});
    const Attendee swapped = add(s, Attendee{.first_name = "DUPRE", .last_name = "lea"});
    const Attendee mail = add(s, Attendee{.first_name = "L.", .last_name = "D.", .email = "LEA@Example.org"});
    add(s, Attendee{.first_name = "Léa", .last_name = "Durand"});
    add(s, Attendee{.first_name = "Léane", .last_name = "Dupré"});

    const Attendee walk_in{.first_name = "lea", .last_name = "dupre", .email = "Lea@example.org"};
    auto ids = [](const std::vector<Attendee>& v) {
        std::vector<std::string> out;
        for (const auto& a : v)
            out.push_back(a.id);
        std::sort(out.begin(), out.end());
        return out;
    };
    std::vector<std::string> expected{lea.id, swapped.id, mail.id};
    std::sort(expected.begin(), expected.end());
    CHECK(ids(likely_duplicates(s.db(), walk_in, 5)) == expected);
    CHECK(likely_duplicates(s.db(), walk_in, 1).size() == 1);
    CHECK(likely_duplicates(s.db(), walk_in, 0).empty());
    // An attendee is not its own duplicate.
    const auto of_lea = ids(likely_duplicates(s.db(), lea, 5));
    CHECK(std::find(of_lea.begin(), of_lea.end(), lea.id) == of_lea.end());
    CHECK(of_lea.size() == 2);
    CHECK(likely_duplicates(s.db(), Attendee{.first_name = "Nobody", .last_name = "Here"}).empty());
}

TEST_CASE("A desk signs badges with its device key, which every kiosk accepts, never the main key") {
    Central c;
    const Attendee lea = add(c.store, Attendee{.first_name = "Léa", .last_name = "Dupré"});
    // The organisers' machine signs with the key file beside its database.
    const auto main_key = desk_signing_key(c.store);
    REQUIRE(main_key);
    CHECK(main_key->public_key() == c.key.public_key());

    Store desk = create_joining_store(c.dir.file("desk.db"));
    Store kiosk = create_joining_store(c.dir.file("kiosk.db"));
    c.now += kMinute; // the keys are listed oldest first
    test::join_offline(c.store, desk, "Bureau", Role::Desk);
    test::join_offline(c.store, kiosk, "Accueil 1", Role::Kiosk);
    test::pull_as(c.store, desk, Role::Desk);

    const auto keys = load_event_keys(c.store.db());
    REQUIRE(keys.size() == 2); // the main key and the desk's; none for the kiosk
    CHECK(keys[1].label == "desk Bureau");
    CHECK(keys[1].public_key == device_key_of(desk).public_key());

    const auto desk_key = desk_signing_key(desk);
    REQUIRE(desk_key);
    CHECK(desk_key->public_key() == device_key_of(desk).public_key());
    CHECK_FALSE(desk_signing_key(kiosk)); // a kiosk prints nothing

    // Reprint at the desk, offline; the kiosk accepts the new badge and refuses the old one.
    const std::string old_code = badge_code_for(lea, c.store.event(), c.key);
    std::string code;
    const Attendee after = reprint_badge(desk, lea.id, *desk_key, &code);
    CHECK(after.badge_version == 2);
    CHECK(load_attendee(desk.db(), lea.id)->badge_version == 2);
    REQUIRE(pushed(c.store, desk));
    test::pull_as(c.store, kiosk, Role::Kiosk);
    CHECK(verify_badge_code(code, kiosk.event().uid, load_event_keys(kiosk.db())));
    CHECK(check_in(kiosk, old_code, test::kSept28At0912).verdict == Verdict::ReplacedBadge);
    CHECK(check_in(kiosk, code, test::kSept28At0912 + kMinute).verdict == Verdict::Admitted);

    // Badge and bundle signatures are domain-separated: the signed texts start differently.
    Bundle b{desk.origin(), "Bureau", desk.wall_ms(), {}};
    const std::string bundle = encode_bundle(b, *desk_key);
    CHECK(bundle.starts_with("accueil-bundle"));
    CHECK_FALSE(bundle.starts_with("accueil-badge"));

    // An unknown attendee changes nothing.
    const int before = journal_size(desk);
    CHECK_THROWS_AS(reprint_badge(desk, "ZZZZZZZZZZZZ", *desk_key, &code), InputError);
    CHECK(journal_size(desk) == before);
}

TEST_CASE(
    "Volunteer alerts: two devices the same day, replaced badges anywhere, walk-ins already registered") {
    Central c;
    const Attendee lea =
        add(c.store, Attendee{.first_name = "Léa", .last_name = "Dupré", .source = "import"});
    const Attendee jean =
        add(c.store, Attendee{.first_name = "Jean", .last_name = "Martin", .source = "import"});
    const std::string jean_v1 = badge_code_for(jean, c.store.event(), c.key);
    Store k1 = create_joining_store(c.dir.file("k1.db"));
    Store k2 = create_joining_store(c.dir.file("k2.db"));
    Store desk = create_joining_store(c.dir.file("desk.db"));
    test::join_offline(c.store, k1, "Accueil 1", Role::Kiosk);
    test::join_offline(c.store, k2, "Accueil 2", Role::Kiosk);
    test::join_offline(c.store, desk, "Bureau", Role::Desk);
    for (Store* s : {&k1, &k2})
        test::pull_as(c.store, *s, Role::Kiosk);
    test::pull_as(c.store, desk, Role::Desk);
    {
        std::string unused;
        reprint_badge(c.store, jean.id, c.key, &unused);
    }
    test::pull_as(c.store, k2, Role::Kiosk);

    // Offline, both kiosks admit Léa; Accueil 2 sees Jean's old badge; the desk registers Léa again.
    REQUIRE(check_in(k1, lea.id, test::kSept28At0912).verdict == Verdict::Admitted);
    REQUIRE(check_in(k2, lea.id, test::kSept28At0912 + 3 * kMinute).verdict == Verdict::Admitted);
    REQUIRE(check_in(k2, jean_v1, test::kSept28At0912 + 5 * kMinute).verdict == Verdict::ReplacedBadge);
    const Attendee again =
        add(desk, Attendee{.first_name = "LEA", .last_name = "Dupre", .source = "walk-in"});
    for (Store* s : {&k1, &k2, &desk})
        REQUIRE(pushed(c.store, *s));
    test::pull_as(c.store, desk, Role::Desk);

    for (Store* s : {&c.store, &desk}) {
        const auto alerts = volunteer_alerts(*s, "2022-09-28");
        REQUIRE(alerts.size() == 3);
        const auto find = [&](AlertKind k) {
            return *std::find_if(alerts.begin(), alerts.end(), [&](const Alert& a) { return a.kind == k; });
        };
        const Alert twice = find(AlertKind::CheckedInTwice);
        CHECK(twice.attendee_id == lea.id);
        CHECK(twice.full_name == "Léa Dupré");
        CHECK(twice.devices == std::vector<std::string>{"Accueil 1", "Accueil 2"});
        CHECK(twice.times_ms ==
              std::vector<std::int64_t>{test::kSept28At0912, test::kSept28At0912 + 3 * kMinute});
        CHECK(twice.at_ms == test::kSept28At0912 + 3 * kMinute);
        CHECK(twice.detail == "checked in at Accueil 1 09:12, Accueil 2 09:15");
        const Alert replaced = find(AlertKind::ReplacedBadge);
        CHECK(replaced.attendee_id == jean.id);
        CHECK(replaced.devices == std::vector<std::string>{"Accueil 2"});
        CHECK(replaced.at_ms == test::kSept28At0912 + 5 * kMinute);
        const Alert walk_in = find(AlertKind::WalkInRegistered);
        CHECK(walk_in.attendee_id == again.id);
        CHECK(walk_in.other_id == lea.id);
        CHECK(walk_in.devices == std::vector<std::string>{"Bureau"});
        CHECK(std::string(alert_key(walk_in.kind)) == "desk.alert.possible-duplicate");
        for (std::size_t i = 1; i < alerts.size(); ++i)
            CHECK(alerts[i - 1].at_ms >= alerts[i].at_ms);
    }
    CHECK(volunteer_alerts(c.store, "2022-09-28", 1).size() == 1);
    // Another day: only the walk-in (of any day).
    CHECK(volunteer_alerts(c.store, "2022-09-29").size() == 1);

    // Undoing one of the two check-ins ends that alert.
    undo_checkins(c.store, lea.id, "2022-09-28");
    for (const auto& a : volunteer_alerts(c.store, "2022-09-28"))
        CHECK(a.kind != AlertKind::CheckedInTwice);
}

TEST_CASE("The door bounds replaced-badge scans like check-ins: own device name, event day, sane fields") {
    Central c;
    const Attendee jean = add(c.store, Attendee{.first_name = "Jean", .last_name = "Martin"});
    int n = 0;
    auto pushed = [&](const nlohmann::json& payload) {
        Store k = create_joining_store(c.dir.file("k" + std::to_string(++n) + ".db"));
        test::join_offline(c.store, k, "Accueil " + std::to_string(n), Role::Kiosk);
        test::pull_as(c.store, k, Role::Kiosk);
        nlohmann::json p = payload;
        if (p.contains("kiosk") && p["kiosk"] == "$self")
            p["kiosk"] = k.kiosk_name();
        {
            WriteTransaction tx(k.db());
            k.append(EventKind::ReplacedBadgeScanned, jean.id, p);
            tx.commit();
        }
        return test::push_from(c.store, k).ok();
    };
    const nlohmann::json good = {
        {"day", "2022-09-28"}, {"at", test::kSept28At0912}, {"kiosk", "$self"}, {"version", 1}};
    CHECK(pushed(good));
    auto with = [&](const char* key, const nlohmann::json& v) {
        nlohmann::json p = good;
        p[key] = v;
        return p;
    };
    CHECK_FALSE(pushed(with("kiosk", "Accueil 99")));
    CHECK_FALSE(pushed(with("day", "2022-10-01")));
    CHECK_FALSE(pushed(with("at", -5)));
    CHECK_FALSE(pushed(with("version", 0)));
    CHECK_FALSE(pushed(with("extra", "x")));
}
