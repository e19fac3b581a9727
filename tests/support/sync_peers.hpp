#pragma once
// Tests that move events between stores go through the one door (sync/admission.hpp), as the
// server, the agent and bundles do: the receiving store must first know who the sender is.
#include "database.hpp"
#include "store.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"

#include <string>
#include <vector>

namespace accueil::test {

// `target` accepts `source`'s events as those of a device of `role` named `name`.
inline void trust(Store& target, const Store& source, sync::Role role, const std::string& name = "") {
    WriteTransaction tx(target.db());
    sync::record_peer(target.db(), source.origin(), sync::Peer{role, name, std::nullopt});
    tx.commit();
}

// Merges `events` through the door, without the clock guard (the tests' clocks are fake).
inline sync::MergeResult merge_in(Store& target, const std::vector<JournalEvent>& events,
                                  sync::Channel channel = sync::Channel::Pull) {
    sync::MergeOptions o;
    o.channel = channel;
    o.guard_clock = false;
    return sync::merge_events(target, events, o);
}

} // namespace accueil::test
