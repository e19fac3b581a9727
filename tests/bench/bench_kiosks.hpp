#pragma once
// Kiosks for the benches that run a real server: enrolled and joined as an organiser and a volunteer
// do it (`accueil-sync enroll`, then `join` with the code it printed), through the running server.
#include "support/child_process.hpp"

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace accueil::bench {

inline const std::string kSyncProgram = std::string(ACCUEIL_BIN_DIR) + "/accueil-sync";

// Kiosks "Accueil 1" to "Accueil <count>" joined at dir/kiosk<k>.db (dir/kiosk.db for a single one)
// to the server running on `central`. Their paths; empty when one could not join, said on standard
// output under the bench's `name`.
inline std::vector<std::string> enrol_and_join(const std::string& name, const std::string& central,
                                               const std::filesystem::path& dir, int count) {
    std::vector<std::string> kiosks;
    for (int k = 0; k < count; ++k) {
        const std::string n = count == 1 ? "" : std::to_string(k);
        test::Process enroll(
            {kSyncProgram, "enroll", "--db", central, "--name", "Accueil " + std::to_string(k + 1)},
            (dir / ("enroll" + n)).string());
        enroll.wait();
        kiosks.push_back((dir / ("kiosk" + n + ".db")).string());
        test::Process join({kSyncProgram, "join", test::last_line(enroll.out()), "--db", kiosks.back()},
                           (dir / ("join" + n)).string());
        if (join.wait() != 0) {
            std::printf("%s: a kiosk could not join (%s)\n", name.c_str(), join.err().c_str());
            return {};
        }
    }
    return kiosks;
}

} // namespace accueil::bench
