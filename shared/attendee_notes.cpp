#include "attendee_notes.hpp"

#include "attendee.hpp"
#include "attendee_ops.hpp"
#include "errors.hpp"
#include "sync/peers.hpp"
#include "text_fold.hpp"

namespace accueil {

namespace {
std::string trim_blanks(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}
} // namespace

std::optional<std::string> note_problem(std::string_view text) {
    if (!is_valid_utf8(text))
        return "the note is not valid UTF-8 text";
    if (utf8_length(text) > kMaxNoteChars)
        return "the note is " + std::to_string(utf8_length(text)) + " characters long; at most " +
               std::to_string(kMaxNoteChars) + " are accepted";
    if (has_control_characters(text, true))
        return "the note holds a control character";
    return std::nullopt;
}

std::optional<std::string> attendee_note(SQLite::Database& db, const std::string& attendee_id) {
    SQLite::Statement q(db, "SELECT note FROM attendee_notes WHERE attendee_id = ? AND note <> ''");
    q.bind(1, attendee_id);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getString();
}

void set_attendee_note(Store& store, const std::string& attendee_id, const std::string& text) {
    if (sync::own_role(store) == sync::Role::Kiosk)
        throw InputError("", "a self-service kiosk does not hold attention notes; use a desk");
    const std::string note = trim_blanks(text);
    if (auto bad = note_problem(note))
        throw InputError("", *bad);
    const auto before = load_attendee(store.db(), attendee_id);
    if (!before)
        throw InputError("", "no attendee has the id \"" + attendee_id.substr(0, 40) + "\"");
    if (attendee_note(store.db(), attendee_id).value_or("") == note && before->has_note == !note.empty())
        return;
    store.append(EventKind::NoteSet, attendee_id, {{"note", note}});
    Attendee after = *before;
    after.has_note = !note.empty();
    update_attendee(store, *before, after);
}

} // namespace accueil
