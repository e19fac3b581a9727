#pragma once
// The identity question of the self-service "I lost my badge" flow (confirm identity
// before checking in without a badge). The screen shows the first name and the initial of the last
// name ("Léa G."); the question asks for the whole last name, among three invented ones that start with
// the same letter. The decoys come from a built-in list of common French surnames, never from the
// roster: every surname (and any other word) found in the roster is taken out of the list first, so a
// kiosk never shows another attendee's details, and the right answer is the only roster name on screen.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace accueil::kiosk {

// The built-in list: common French surnames, written as people write them (accents, particles).
const std::vector<std::string_view>& common_surnames();

// Everything the roster says about its people, folded (text_fold.hpp): each first name, last name,
// e-mail and organisation whole, and each of their words. A decoy folded into this set is never shown.
class RosterWords {
public:
    void add(std::string_view text); // a field's value: whole and word by word
    bool contains(std::string_view text) const;
    std::size_t size() const { return folded_.size(); }

private:
    std::unordered_set<std::string> folded_;
};

struct IdentityQuestion {
    std::vector<std::string> options; // four last names in capitals, shuffled; empty: cannot ask here
    int correct = -1;                 // index of the person's own last name
};

// Three decoys that look like `last_name` (the same first letter after folding; the same particle or
// apostrophe, "de la", "N'"; double names made of two list names), drawn from common_surnames() minus
// `roster`, plus the right answer, in capitals and shuffled; the same `seed` gives the same question.
// No question (empty options) when the last name is empty or fewer than three such decoys remain.
IdentityQuestion make_identity_question(const std::string& last_name, const RosterWords& roster,
                                        std::uint64_t seed);

// The same question for the same person on every kiosk of an event (so that asking again, or at the
// next kiosk, does not narrow the answer down): a seed from the event and the attendee.
std::uint64_t identity_seed(std::string_view event_uid, std::string_view attendee_id);

// Capital letters, accents kept ("Lefèvre" -> "LEFÈVRE", "d'Arbois" -> "D'ARBOIS").
std::string to_upper_utf8(std::string_view text);

} // namespace accueil::kiosk
