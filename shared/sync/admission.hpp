#pragma once
// The one door into a store for events from elsewhere: pushes from
// devices, bundles from USB sticks and pulls from the server all pass here, event by event, before
// the event is written. Checked: the origin (the sender's own for pushes, an enrolled device's
// otherwise), the kind allowed for that origin's role, the payload's schema (one strict JSON reading:
// types, lengths, days of the event, well-formed ids, no duplicate keys), the seq window after the
// origin's high-water mark, and the clock bound. The merge refuses the whole batch on any refusal.
#include "checkin_payload.hpp"
#include "store.hpp"
#include "sync/peers.hpp"
#include "sync/protocol.hpp"

#include <functional>
#include <map>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace accueil::sync {

enum class Channel { Push, Bundle, Pull };

// A sender may run this far past its origin's contiguous mark (dead letters leave gaps); beyond it a
// seq is refused, so a forged 2^63-1 cannot wedge the origin's sequence.
constexpr std::int64_t kSeqWindow = 1'000'000;

struct AdmitContext {
    Channel channel = Channel::Bundle;
    std::optional<Origin> sender; // pushes: the authenticated device's origin
    bool guard_clock = true;      // non-fact events stamped too far ahead of our clock are refused
};

// What the door checks events against. Each backend of a store gives its own (door_facts below for
// SQLite, sync/pg/pg_central.cpp for PostgreSQL): the checks themselves are the same code.
struct DoorFacts {
    Origin self{};                // this store's own origin: only this store writes under it
    std::int64_t own_last = 0;    // the last seq of that origin here
    std::map<Origin, Peer> peers; // who may write under each other origin, with which role
    EventInfo event;              // days and uid the payloads are checked against
    std::vector<EventKey> keys;   // the badge keys a kiosk's badge facts must verify with
    // Whether a stamp is near enough to this machine's clock (Hlc::trusted).
    std::function<bool(std::uint64_t)> clock_trusts;
    // Whether the journal holds this event's (origin, seq).
    std::function<bool(const JournalEvent&)> held;
    // After an EventDefined or KeyAdded was written: the event and keys as the store now has them.
    std::function<void(DoorFacts&)> reload;
};
DoorFacts door_facts(Store& store);

class Admission {
public:
    Admission(DoorFacts facts, AdmitContext context);
    Admission(Store& store, AdmitContext context);
    ~Admission();
    // Nothing when the event may be written; otherwise the reason ("forbidden: ...", "malformed: ...").
    // `mark` is the origin's high-water mark here: events at or below it are already held, and only the
    // journal's content comparison applies to them.
    std::optional<std::string> check(const JournalEvent& e, std::int64_t mark);
    // After an event was written: an EventDefined or KeyAdded changes what later events are checked
    // against (a new kiosk's first pull holds the event, its keys and the roster together).
    void written(const JournalEvent& e);
    // The payload of the check-in the last check() admitted, as the door read it (strictly), so the
    // merge does not read it twice; null when that check did not read one (an event already held).
    const CheckinPayload* admitted_checkin() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace accueil::sync
