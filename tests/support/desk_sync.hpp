#pragma once
// Joining and pulling without the network, by the code paths the server uses: join_device at the
// central store, then events_for_peer with the device's role (sync/app/server.cpp pull) merged with
// its `covered` marks, as the agent does (sync/app/agent.cpp pull_all).
#include "database.hpp"
#include "store.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"

#include <stdexcept>
#include <string>

namespace accueil::test {

// What `accueil-sync join` does on both sides: the central store enrols the device and binds its
// origin and key; the device pins the central's origin and key and remembers its role and name.
inline void join_offline(Store& central, Store& device, const std::string& name, sync::Role role) {
    const std::string secret = sync::enrol_device(central, name, role);
    std::string why;
    if (!sync::join_device(central, secret, device.origin(), sync::device_key_of(device).public_key(), why))
        throw std::runtime_error("join refused: " + why);
    WriteTransaction tx(device.db());
    device.set_meta("sync.server", "http://127.0.0.1:1");
    device.set_meta("sync.server_origin", to_hex(central.origin()));
    device.set_meta("sync.server_key", to_hex(sync::device_key_of(central).public_key()));
    device.set_meta("sync.role", sync::to_string(role));
    device.set_meta("kiosk_name", name);
    tx.commit();
}

// Pulls everything `device` (of `role`) may receive from `central`, `limit` events a round, and
// returns the number of rounds (a pull that never ends throws after `max_rounds`).
inline int pull_as(Store& central, Store& device, sync::Role role, std::size_t limit = 2000,
                   int max_rounds = 1000) {
    {
        auto peers = sync::known_peers(central);
        peers.erase(central.origin());
        peers.erase(device.origin());
        WriteTransaction tx(device.db());
        sync::replace_peers(device.db(), peers);
        tx.commit();
    }
    for (int round = 1; round <= max_rounds; ++round) {
        auto batch = sync::events_for_peer(central, sync::local_vector(device), limit, role, device.origin());
        sync::MergeOptions o;
        o.channel = sync::Channel::Pull;
        o.guard_clock = false;
        o.covered = batch.covered;
        const auto r = sync::merge_events(device, batch.events, o);
        if (!r.ok())
            throw std::runtime_error("pull refused: " + r.rejected.front().reason);
        // What the central store holds of other origins is never to be sent back (the agent's rule).
        auto held = sync::local_vector(central);
        held.erase(device.origin());
        WriteTransaction tx(device.db());
        sync::raise_acked(device.db(), held);
        tx.commit();
        if (!batch.more)
            return round;
    }
    throw std::runtime_error("the pull did not end");
}

// A push of the device's unacknowledged events to the central store, through its door (without the
// clock guard, as test::merge_in); acknowledged when accepted.
inline sync::MergeResult push_from(Store& central, Store& device) {
    sync::MergeOptions o;
    o.channel = sync::Channel::Push;
    o.sender = device.origin();
    o.source = device.kiosk_name();
    o.guard_clock = false; // the tests' clocks are fake
    const auto r = sync::merge_events(central, sync::unacked_events(device, 100000), o);
    if (r.ok()) {
        WriteTransaction tx(device.db());
        sync::raise_acked(device.db(), r.marks);
        tx.commit();
    }
    return r;
}

} // namespace accueil::test
