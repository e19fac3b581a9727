#include "scenes.hpp"

#include <optional>

namespace accueil::kiosk {

const std::vector<std::string>& scene_names() {
    static const std::vector<std::string> names = {"scan",
                                                   "scan-no-camera",
                                                   "checking",
                                                   "admitted",
                                                   "already",
                                                   "not-today",
                                                   "replaced",
                                                   "invalid",
                                                   "unknown",
                                                   "search",
                                                   "search-results",
                                                   "confirm",
                                                   "desk",
                                                   "out-of-order",
                                                   "worker-down",
                                                   "joined",
                                                   "joined-not-synced",
                                                   "join-already",
                                                   "join-damaged",
                                                   "join-refused",
                                                   "join-unreachable",
                                                   "join-wrong-server",
                                                   "join-store",
                                                   "join-failed",
                                                   "join-no-program",
                                                   "pin",
                                                   "pin-wrong",
                                                   "not-set-up",
                                                   "not-set-up-badge",
                                                   "not-set-up-waiting",
                                                   "closed",
                                                   "closed-lit"};
    return names;
}

namespace {
std::vector<Match> sample_matches() {
    // As the worker asks it (identity_question.hpp): the whole last name, among invented ones.
    return {{"A1", "Églantine D.", {"DUPRÉ", "DUCHÊNE", "DELMAS", "DESCAMPS"}, 0},
            {"A2", "Léa D.", {"DUCLOS", "DURAND", "DUFRESNE", "DELAHAYE"}, 1},
            {"A3", "Jean-Noël D.", {"D'AMICO", "D'ANGELO", "D'HONDT", "D'ARBOIS"}, 3}};
}

// The enrolment outcome a "join..." scene shows.
std::optional<JoinOutcome> sample_join_outcome(const std::string& name) {
    static const std::vector<std::pair<std::string, JoinOutcome>> scenes = {
        {"joined", JoinOutcome::Joined},
        {"joined-not-synced", JoinOutcome::JoinedNotSynced},
        {"join-already", JoinOutcome::AlreadyJoined},
        {"join-damaged", JoinOutcome::DamagedCode},
        {"join-refused", JoinOutcome::CodeRefused},
        {"join-unreachable", JoinOutcome::ServerUnreachable},
        {"join-wrong-server", JoinOutcome::WrongServer},
        {"join-store", JoinOutcome::StoreProblem},
        {"join-failed", JoinOutcome::Failed},
        {"join-no-program", JoinOutcome::NoProgram}};
    for (const auto& [n, o] : scenes)
        if (n == name)
            return o;
    return std::nullopt;
}
} // namespace

bool drive_to_scene(Machine& m, const std::string& name, std::int64_t now) {
    m.handle(CameraState{name != "scan-no-camera", "sample"}, now);
    auto verdict = [&](VerdictInfo info) {
        m.handle(CodeDecoded{"SAMPLE-" + name, now}, now);
        m.handle(VerdictReady{std::move(info)}, now);
    };
    auto search = [&](const std::string& text, bool with_results) {
        m.handle(Tap{Intent::NoBadge}, now);
        for (char c : text)
            m.handle(Tap{Intent::Key, std::string(1, c)}, now);
        if (with_results)
            m.handle(SearchDone{m.typed(), sample_matches()}, now);
    };
    if (name == "scan" || name == "scan-no-camera")
        return true;
    if (name == "checking")
        m.handle(CodeDecoded{"SAMPLE", now}, now);
    else if (name == "admitted")
        verdict({Verdict::Admitted, "Léa", "", ""});
    else if (name == "already")
        verdict({Verdict::AlreadyCheckedIn, "Léa", "09:12", "Accueil 2"});
    else if (name == "not-today")
        verdict({Verdict::NotToday, "Léa", "", ""});
    else if (name == "replaced")
        verdict({Verdict::ReplacedBadge, "Léa", "", ""});
    else if (name == "invalid")
        verdict({Verdict::InvalidBadge, "", "", ""});
    else if (name == "unknown")
        verdict({Verdict::UnknownCode, "", "", ""});
    else if (name == "search")
        search("", false);
    else if (name == "search-results")
        search("DU", true);
    else if (name == "confirm") {
        search("DU", true);
        m.handle(Tap{Intent::PickMatch, "", 0}, now);
    } else if (name == "desk") {
        search("DU", true);
        m.handle(Tap{Intent::PickMatch, "", 0}, now);
        m.handle(Tap{Intent::NoneOfThese}, now);
    } else if (name == "out-of-order") {
        m.handle(Failure{"sample failure for the screenshot"}, now);
    } else if (name == "worker-down") {
        m.handle(WorkerState{false, "sample: cannot open the database"}, now);
    } else if (const auto outcome = sample_join_outcome(name)) {
        m.handle(CodeDecoded{"accueil1:https:192.168.1.20:8443:sample", now}, now);
        Joined j;
        j.outcome = *outcome;
        j.server = "https://192.168.1.20:8443";
        if (enrolled(j.outcome) || j.outcome == JoinOutcome::AlreadyJoined)
            j.kiosk_name = "Accueil 2";
        m.handle(j, now);
    } else if (name == "not-set-up" || name == "not-set-up-badge") {
        m.handle(SetupState{}, now);
        if (name == "not-set-up-badge")
            m.handle(CodeDecoded{"ACC1.SAMPLE", now}, now);
    } else if (name == "not-set-up-waiting") {
        m.handle(SetupState{false, "https://192.168.1.20:8443", "Accueil 2", "", 0}, now);
    } else if (name == "closed" || name == "closed-lit") {
        m.handle(HoursState{false, "07:30"}, now);
        if (name == "closed-lit")
            m.handle(Tap{Intent::Ok}, now);
    } else if (name == "pin" || name == "pin-wrong") {
        for (int i = 0; i < 5; ++i)
            m.handle(Tap{Intent::Organiser}, now);
        for (const char* d : {"1", "2", "3", "4"})
            m.handle(Tap{Intent::Key, d}, now);
        if (name == "pin-wrong") {
            m.handle(Tap{Intent::Ok}, now);
            m.handle(PinChecked{PinChecked::Result::Wrong, 0}, now);
        }
    } else
        return false;
    return true;
}

} // namespace accueil::kiosk
