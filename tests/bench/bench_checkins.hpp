#pragma once
// The check-ins the merge benchmarks send: what kiosks push to a central store (tests/bench/bench_sync.cpp
// on SQLite, tests/bench/bench_pg.cpp on PostgreSQL).
#include "database.hpp"
#include "hlc.hpp"
#include "ids.hpp"
#include "journal.hpp"
#include "store.hpp"
#include "sync/peers.hpp"

#include <map>
#include <string>
#include <vector>

namespace accueil::bench {

// `kiosks` × `per_kiosk` check-ins of people drawn from a roster of `roster` attendees over the
// event's three days: the central store's real key distribution (the same people come back).
inline std::vector<JournalEvent> kiosk_events(std::size_t kiosks, std::size_t per_kiosk, std::size_t roster) {
    std::vector<std::string> people;
    for (std::size_t i = 0; i < roster; ++i)
        people.push_back(random_attendee_id());
    const char* days[] = {"2022-09-27", "2022-09-28", "2022-09-29"};
    std::vector<JournalEvent> out;
    const std::uint64_t t0 = HlcStamp::pack(1664349120000, 0);
    std::uint64_t mix = 0x9E3779B97F4A7C15ull;
    for (std::size_t k = 0; k < kiosks; ++k) {
        const Origin origin = random_origin();
        for (std::size_t i = 0; i < per_kiosk; ++i) {
            mix ^= mix << 13, mix ^= mix >> 7, mix ^= mix << 17; // xorshift: who comes, which day
            JournalEvent e;
            e.origin = origin;
            e.seq = std::int64_t(i + 1);
            e.hlc = t0 + (std::uint64_t(i) << 16) + k;
            e.kind = EventKind::CheckIn;
            e.entity = people[mix % roster];
            e.payload = R"({"at":)" + std::to_string(1664349120000 + std::int64_t(i)) + R"(,"day":")" +
                        days[(mix >> 32) % 3] + R"(","kiosk":"Accueil )" + std::to_string(k + 1) + "\"}";
            out.push_back(std::move(e));
        }
    }
    return out;
}

// A new central store of a three-day event at `path`, whose kiosks ("Accueil 1"...) are the origins of
// `events`, joined as in real life: every batch passes the door (sync/admission.hpp), whose cost is part
// of the figures.
inline Store central_for(const std::string& path, const std::vector<JournalEvent>& events) {
    Store central = Store::create(
        path,
        EventSpec{"Bench", "Europe/Paris", {{"2022-09-27", ""}, {"2022-09-28", ""}, {"2022-09-29", ""}}});
    WriteTransaction tx(central.db());
    std::map<Origin, std::string> names;
    for (const auto& e : events)
        names.emplace(e.origin, "Accueil " + std::to_string(names.size() + 1));
    for (const auto& [origin, name] : names)
        sync::record_peer(central.db(), origin, sync::Peer{sync::Role::Kiosk, name, std::nullopt});
    tx.commit();
    return central;
}

} // namespace accueil::bench
