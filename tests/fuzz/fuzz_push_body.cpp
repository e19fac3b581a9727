// libFuzzer target: a /v1/push request body goes through exactly what the central server runs before
// a merge (sync/app/server.cpp: the strict JSON reading, the protocol check, the events), then through
// the door (sync/admission.hpp) and, for what the door admits, the merge and its projections, and the
// server's reading of "pending" after it; on a central store with two joined devices (fuzz_fixture.hpp).
// Expected failures are InputError and nlohmann's exceptions while reading, refusals from the door and
// the merge; anything else (a crash, an escaping exception, a leak, undefined behaviour, a merge that
// is not idempotent) is a bug.
#include "errors.hpp"
#include "fuzz_fixture.hpp"
#include "sync/admission.hpp"
#include "sync/merge.hpp"
#include "sync/protocol.hpp"
#include "sync/strict_json.hpp"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>

using namespace accueil;

namespace {

// The store grows with what the merge accepts: a fresh one every so often keeps runs fast.
constexpr int kRunsPerStore = 500;

struct Central {
    fuzz::ScratchDir dir; // declared first: removed after the store is closed
    std::optional<Store> store;
    int runs = 0;
    int made = 0;

    Store& get() {
        if (!store || runs >= kRunsPerStore) {
            store.reset();
            const std::string path = dir.file("central" + std::to_string(made % 2) + ".db");
            std::error_code ec;
            for (const char* suffix : {"", "-wal", "-shm", "-journal"})
                std::filesystem::remove(path + suffix, ec);
            store.emplace(fuzz::make_central(path));
            runs = 0;
            ++made;
        }
        ++runs;
        return *store;
    }
};

// ACCUEIL_FUZZ_VERBOSE=1 prints what the door and the merge said (to check that seeds get through).
bool verbose() {
    static const bool v = std::getenv("ACCUEIL_FUZZ_VERBOSE") != nullptr;
    return v;
}

Central& central() {
    static Central c;
    return c;
}

// The server authenticates a device by its token and refuses a body claiming another origin; here the
// claimed origin picks which of the joined devices sent it.
std::optional<Origin> sender_of(const nlohmann::json& body) {
    const auto claimed = origin_from_hex(sync::text_field(body, "origin"));
    if (!claimed)
        return std::nullopt;
    for (const auto& d : fuzz::kDevices)
        if (fuzz::origin_of(d) == *claimed)
            return claimed;
    return std::nullopt;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body_text(reinterpret_cast<const char*>(data), size);
    std::string why;
    const auto parsed = sync::parse_strict_json(body_text, {sync::kMaxRequestBytes, 6}, why);
    if (!parsed)
        return 0;
    const nlohmann::json& body = *parsed;
    std::vector<JournalEvent> events;
    std::optional<Origin> sender;
    try {
        sync::check_protocol(body);
        sender = sender_of(body);
        if (!body.contains("events"))
            return 0;
        events = sync::events_from_json(body["events"]);
    } catch (const InputError&) {
        return 0;
    } catch (const nlohmann::json::exception&) {
        return 0;
    }
    if (!sender || events.size() > sync::kMaxBatchEvents)
        return 0; // the server answers 403 or 413

    Store& store = central().get();
    // The door, event by event, against each origin's mark as it is now.
    std::vector<JournalEvent> admitted;
    {
        const auto marks = sync::local_vector(store);
        sync::Admission door(store, {sync::Channel::Push, sender, true});
        for (const auto& e : events) {
            const auto mark = marks.find(e.origin);
            const auto refused = door.check(e, mark == marks.end() ? 0 : mark->second);
            if (!refused)
                admitted.push_back(e);
            else if (verbose())
                std::cerr << "door: " << *refused << "\n";
        }
    }
    // After the merge the server reads what the kiosk says it still has to send.
    const auto pending = [&] { (void)sync::integer_field(body, "pending", 0); };
    if (admitted.empty()) {
        pending();
        return 0;
    }
    sync::MergeOptions opt;
    opt.channel = sync::Channel::Push;
    opt.sender = sender;
    opt.source = "fuzz";
    const auto first = sync::merge_events(store, admitted, opt);
    if (verbose())
        std::cerr << "merge: " << first.applied << " applied, " << first.already_known << " known, "
                  << (first.ok() ? "" : "refused: " + first.rejected.front().reason) << "\n";
    pending();
    if (!first.ok())
        return 0; // refused whole (a conflict, an event that needs one refused before it...)
    // Idempotent on (origin, seq): the same batch again is all known and changes nothing.
    const auto again = sync::merge_events(store, admitted, opt);
    if (!again.ok() || again.applied != 0 || again.already_known != admitted.size()) {
        std::cerr << "fuzz_push_body: the same batch merged twice gave " << again.applied << " applied, "
                  << again.already_known << " known of " << admitted.size()
                  << (again.ok() ? "" : ", refused: " + again.rejected.front().reason) << "\n";
        std::abort();
    }
    return 0;
}
