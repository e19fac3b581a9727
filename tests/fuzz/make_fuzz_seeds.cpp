// Writes the seed corpora of fuzz_push_body and fuzz_bundle (run once; the files are committed):
//   build-fuzz/bin/make_fuzz_seeds tests/fuzz
// Valid inputs from the fixture's devices (fuzz_fixture.hpp), so the fuzzers start past the door.
#include "attendee.hpp"
#include "fuzz_fixture.hpp"
#include "hlc.hpp"
#include "sync/bundle.hpp"
#include "sync/protocol.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

using namespace accueil;
using nlohmann::json;

namespace {

JournalEvent event(const fuzz::Device& d, std::int64_t seq, EventKind kind, const std::string& entity,
                   const json& payload) {
    return JournalEvent{
        fuzz::origin_of(d), seq, HlcStamp::pack(fuzz::kWallMs - 60'000 + seq * 1000, 0), kind, entity,
        payload.dump()};
}

json checkin(const fuzz::Device& d, std::int64_t at_offset_ms) {
    return {{"day", "2022-09-28"}, {"at", fuzz::kWallMs - 60'000 + at_offset_ms}, {"kiosk", d.name}};
}

json push_body(const fuzz::Device& d, const std::vector<JournalEvent>& events) {
    return {{"protocol", sync::kProtocolVersion},
            {"origin", to_hex(fuzz::origin_of(d))},
            {"pending", events.size()},
            {"events", sync::events_to_json(events)}};
}

void write(const std::filesystem::path& path, const std::string& bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    std::cout << path.string() << " (" << bytes.size() << " bytes)\n";
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_fuzz_seeds <tests/fuzz directory>\n";
        return 2;
    }
    const std::filesystem::path out = argv[1];
    const auto& kiosk = fuzz::kDevices[0];
    const auto& desk = fuzz::kDevices[1];

    // The kiosk checks two people in.
    const std::vector<JournalEvent> kiosk_events = {
        event(kiosk, 1, EventKind::CheckIn, "7QK2M9X4PA01", checkin(kiosk, 1000)),
        event(kiosk, 2, EventKind::CheckIn, "8RZ3N0Y5QB12", checkin(kiosk, 2000)),
    };
    write(out / "corpus-push-body" / "seed-kiosk-checkins.json", push_body(kiosk, kiosk_events).dump());

    // The desk registers a walk-in, checks them in, undoes it, then corrects the name.
    Attendee walk_in{.first_name = "Léa",
                     .last_name = "Martin",
                     .email = "lea@example.org",
                     .category = "Participant",
                     .category_key = "participant",
                     .days = {"2022-09-28"},
                     .source = "walk-in"};
    const std::string id = "9SA4P1Z6RC23";
    const std::vector<JournalEvent> desk_events = {
        event(desk, 1, EventKind::AttendeeCreated, id, attendee_to_json(walk_in)),
        event(desk, 2, EventKind::CheckIn, id, checkin(desk, 3000)),
        event(desk, 3, EventKind::CheckInUndone, id, {{"origin", to_hex(fuzz::origin_of(desk))}, {"seq", 2}}),
        event(desk, 4, EventKind::AttendeeUpdated, id, {{"last_name", "Martin-Dubois"}}),
    };
    write(out / "corpus-push-body" / "seed-desk-edits.json", push_body(desk, desk_events).dump());

    // The kiosk's check-ins on a USB stick, signed with its device key.
    const sync::Bundle bundle{fuzz::origin_of(kiosk), kiosk.name, fuzz::kWallMs, kiosk_events, {}};
    write(out / "corpus-bundle" / "seed-kiosk.acc", sync::encode_bundle(bundle, fuzz::key_of(kiosk)));
    return 0;
}
