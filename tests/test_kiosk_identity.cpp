// The identity question of the self-service "I lost my badge" flow (kiosk/logic/identity_question.hpp):
// over generated 1,700-person rosters and many seeds, a decoy is never another attendee's detail (last
// name, first name, e-mail, organisation, or a word of them), the right answer is the person's whole last
// name, which the screen does not show, and asking again does not narrow the answer down.
#include "attendee.hpp"
#include "checkin_worker.hpp"
#include "demo_roster.hpp"
#include "identity_question.hpp"
#include "import/roster_import.hpp"
#include "machine.hpp"
#include "store.hpp"
#include "support/demo_event.hpp"
#include "support/kiosk_strings.hpp"
#include "support/temp_dir.hpp"
#include "text_fold.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

using namespace accueil;
using namespace accueil::kiosk;

namespace {

struct Person {
    std::string id, first, last, email, organisation;
};

// A generated roster (shared/demo_roster.hpp) imported into a new store.
std::vector<Person> import_demo_roster(Store& store, std::uint64_t seed, std::size_t count = 1700) {
    std::ostringstream csv;
    write_demo_roster_csv(csv, DemoRosterOptions{count, seed, {"2022-09-27", "2022-09-28", "2022-09-29"}});
    import_roster_bytes(store, csv.str(), "roster.csv", ImportOptions{});
    std::vector<Person> people;
    SQLite::Statement q(store.db(), "SELECT id, first_name, last_name, email, organisation FROM attendees");
    while (q.executeStep())
        people.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                          q.getColumn(3).getString(), q.getColumn(4).getString()});
    REQUIRE(people.size() == count);
    return people;
}

// Everything the roster says about people, folded, computed here independently of RosterWords: each
// field whole, and each of its words.
std::set<std::string> folded_details(const std::vector<Person>& people) {
    std::set<std::string> out;
    for (const auto& p : people)
        for (const auto* field : {&p.first, &p.last, &p.email, &p.organisation}) {
            if (field->empty())
                continue;
            out.insert(fold_text(*field));
            for (const auto& w : fold_words(*field))
                out.insert(w);
        }
    return out;
}

// The spaces, hyphens and apostrophes of a name, in order: its shape beyond the letters.
std::string punctuation(const std::string& name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (name[i] == ' ' || name[i] == '-' || name[i] == '\'')
            out += name[i];
        else if (name.compare(i, 3, "\u2019") == 0)
            out += "’";
    return out;
}

// The folded words of the identity question as the screen shows it (title and sentence).
std::vector<std::string> shown_words(const Match& m, Lang lang) {
    Machine machine(test::kiosk_strings(), MachineOptions{});
    if (lang == Lang::En)
        machine.handle(Tap{Intent::SwitchLanguage}, 0);
    machine.handle(Tap{Intent::NoBadge}, 0);
    machine.handle(Tap{Intent::Key, "x"}, 0);
    machine.handle(Tap{Intent::Key, "y"}, 0);
    machine.handle(SearchDone{"xy", {m}}, 0);
    machine.handle(Tap{Intent::PickMatch, "", 0}, 0);
    REQUIRE(machine.screen() == Screen::Confirm);
    const auto vm = machine.view(0);
    return fold_words(vm.title + " " + vm.sentence);
}

} // namespace

TEST_CASE("Decoys are invented: never a roster detail, over generated rosters and many seeds") {
    std::size_t asked = 0, not_asked = 0, roster_names_in_list = 0;
    for (std::uint64_t roster_seed : {2022u, 7u, 1312u}) {
        test::TempDir dir;
        Store store = Store::create(dir.file("event.db"), test::demo_spec());
        const auto people = import_demo_roster(store, roster_seed);
        const auto details = folded_details(people);
        const RosterWords words = roster_words(store);
        for (auto name : common_surnames())
            roster_names_in_list += details.count(fold_text(name));

        for (std::size_t i = 0; i < people.size(); ++i) {
            const Person& p = people[i];
            for (std::uint64_t seed : {std::uint64_t(i), std::uint64_t(i) * 7919 + 1, roster_seed + i}) {
                const auto q = make_identity_question(p.last, words, seed);
                if (q.options.empty()) {
                    ++not_asked;
                    continue;
                }
                ++asked;
                INFO(p.first << " " << p.last << ", seed " << seed);
                REQUIRE(q.options.size() == 4);
                REQUIRE(q.correct >= 0);
                REQUIRE(q.correct < 4);
                CHECK(q.options[std::size_t(q.correct)] == to_upper_utf8(p.last));
                CHECK(std::set<std::string>(q.options.begin(), q.options.end()).size() == 4);
                const std::string initial = fold_text(p.last).substr(0, 1);
                for (std::size_t o = 0; o < q.options.size(); ++o) {
                    // All look alike: the same first letter, particle, apostrophe or hyphen.
                    CHECK(fold_text(q.options[o]).substr(0, 1) == initial);
                    CHECK(punctuation(q.options[o]) == punctuation(q.options[std::size_t(q.correct)]));
                    if (int(o) == q.correct)
                        continue;
                    INFO("decoy " << q.options[o]);
                    CHECK(details.count(fold_text(q.options[o])) == 0);
                }
                // The same seed asks the same question.
                CHECK(make_identity_question(p.last, words, seed).options == q.options);
            }
        }
    }
    // The test means something: the roster does use names of the built-in list (they were taken out),
    // and nearly everybody can be asked (the rest go to the desk).
    CHECK(roster_names_in_list >= 50);
    CHECK(asked >= 30 * not_asked);
}

TEST_CASE(
    "The kiosk's search: the right answer is the whole last name, not shown, asked the same way again") {
    test::TempDir dir;
    Store store = Store::create(dir.file("event.db"), test::demo_spec());
    const auto people = import_demo_roster(store, 2022);
    const auto details = folded_details(people);
    const RosterWords words = roster_words(store);
    std::map<std::string, const Person*> by_id;
    for (const auto& p : people)
        by_id[p.id] = &p;

    // Every first name and every last name of the roster, typed at the kiosk.
    std::set<std::string> queries;
    for (const auto& p : people) {
        queries.insert(p.first);
        queries.insert(p.last);
    }
    std::map<std::string, std::set<std::string>> asked; // attendee -> its options, however it was found
    std::size_t matches = 0;
    for (const auto& query : queries)
        for (std::uint32_t salt : {0u, 1u, 2u}) {
            // The roster's words read once (as the worker keeps them), except for the first query.
            const RosterWords* roster = matches == 0 ? nullptr : &words;
            for (const auto& m : masked_search(store, query, 5, salt, roster)) {
                ++matches;
                const Person& p = *by_id.at(m.attendee_id);
                INFO("query " << query << ": " << m.masked_name << " (" << p.first << " " << p.last << ")");
                CHECK(m.masked_name == mask_name(p.first, p.last));
                if (m.options.empty())
                    continue;
                REQUIRE(m.correct >= 0);
                REQUIRE(std::size_t(m.correct) < m.options.size());
                CHECK(m.options.size() == 4);
                CHECK(fold_text(m.options[std::size_t(m.correct)]) == fold_text(p.last));
                for (std::size_t o = 0; o < m.options.size(); ++o)
                    if (int(o) != m.correct) {
                        INFO("decoy " << m.options[o]);
                        CHECK(details.count(fold_text(m.options[o])) == 0);
                    }
                // What the screen shows does not give the answer away: not the whole last name, nor a
                // word of it longer than a particle ("de", "la"), unless the first name carries it too.
                const auto own_first = fold_words(p.first);
                const std::string last = " " + fold_text(p.last) + " ";
                for (Lang lang : {Lang::Fr, Lang::En}) {
                    const auto shown = shown_words(m, lang);
                    std::string shown_text = " ";
                    for (const auto& w : shown)
                        shown_text += w + " ";
                    CHECK(shown_text.find(last) == std::string::npos);
                    for (const auto& w : fold_words(p.last))
                        if (w.size() > 2 &&
                            std::find(own_first.begin(), own_first.end(), w) == own_first.end())
                            CHECK(std::find(shown.begin(), shown.end(), w) == shown.end());
                }
                // The same question whatever was typed: asking again does not narrow it down.
                if (salt == 0) {
                    const std::set<std::string> options(m.options.begin(), m.options.end());
                    auto [it, first_time] = asked.emplace(m.attendee_id, options);
                    CHECK(it->second == options);
                }
            }
        }
    CHECK(matches >= 1000);
    CHECK(asked.size() >= 500);
}

TEST_CASE("Identity question details: capitals with accents, too few decoys, stable seeds") {
    CHECK(to_upper_utf8("Lefèvre") == "LEFÈVRE");
    CHECK(to_upper_utf8("d'Arbois-Œuvray") == "D'ARBOIS-ŒUVRAY");
    CHECK(to_upper_utf8("Nguyễn") == "NGUYỄN");

    RosterWords none;
    const auto q = make_identity_question("Dupré", none, 42);
    REQUIRE(q.options.size() == 4);
    CHECK(q.options[std::size_t(q.correct)] == "DUPRÉ");
    CHECK(make_identity_question("Dupré", none, 42).options == q.options);
    // A name of a particular shape is asked among names of that shape.
    auto all = [](const IdentityQuestion& iq, auto pred) {
        return iq.options.size() == 4 && std::all_of(iq.options.begin(), iq.options.end(), pred);
    };
    const auto starts = [](const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; };
    CHECK(all(make_identity_question("de la Croix", none, 3),
              [&](const std::string& o) { return starts(o, "DE LA "); }));
    CHECK(all(make_identity_question("N'Diaye", none, 3),
              [&](const std::string& o) { return starts(o, "N'"); }));
    CHECK(all(make_identity_question("d\u2019Aubigné", none, 3),
              [&](const std::string& o) { return starts(o, "D\u2019"); }));
    CHECK(all(make_identity_question("Martin-Lavigne", none, 3), [&](const std::string& o) {
        return starts(o, "M") && std::count(o.begin(), o.end(), '-') == 1;
    }));
    CHECK(all(make_identity_question("Saint-Martin", none, 3),
              [&](const std::string& o) { return starts(o, "SAINT-"); }));
    // Nothing to ask: no last name; an initial no common surname starts with.
    CHECK(make_identity_question("", none, 1).options.empty());
    CHECK(make_identity_question("Ødegaard", none, 1).options.size() == 4); // Ø folds to o
    CHECK(make_identity_question("Xu", none, 1).options.empty());           // one X name only
    // A roster using the whole list for an initial leaves no decoy: the desk, not a weaker question.
    RosterWords busy;
    for (auto name : common_surnames())
        if (fold_text(name)[0] == 'q')
            busy.add(name);
    CHECK(make_identity_question("Quéré", busy, 1).options.empty());
    // Roster words: whole values and their words, folded.
    RosterWords w;
    w.add("Jean-Noël");
    w.add("lea.martin@gironde.fr");
    CHECK(w.contains("JEAN NOEL"));
    CHECK(w.contains("Noël"));
    CHECK(w.contains("Martin"));
    CHECK_FALSE(w.contains("Mart"));
    CHECK(identity_seed("event", "A1") == identity_seed("event", "A1"));
    CHECK(identity_seed("event", "A1") != identity_seed("event", "A2"));
    CHECK(identity_seed("event", "A1") != identity_seed("other", "A1"));
}
