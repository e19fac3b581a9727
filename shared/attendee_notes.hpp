#pragma once
// Attention notes (issue 10): a few words the welcome desk must see ("needs a wheelchair-accessible
// room", "speaker: green room"). Health data, so the text goes only where volunteers read it:
//   - the attendee field `has_note` (attendee.hpp) travels to every device, so a self-service kiosk can
//     send the person to the desk without knowing why;
//   - the text travels as NoteSet journal events, projected into `attendee_notes`. The central server
//     never sends them to a kiosk-role device (sync/merge.hpp events_for_peer), a store that joined as a
//     kiosk never writes one whatever brings it (sync/merge.cpp), and the door refuses NoteSet and
//     `has_note` from kiosk-role senders (sync/admission.cpp).
// Last writer wins by (hlc, origin), like the attendee fields.
#include "store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace accueil {

constexpr std::size_t kMaxNoteChars = 500;

// Why `text` cannot be a note (not UTF-8, over kMaxNoteChars characters, a control character other than
// tab and line breaks), or nullopt when it can. Shared by the desk form, the import and the sync door.
std::optional<std::string> note_problem(std::string_view text);

// The attendee's note, or nullopt when there is none here (none at all, cleared, or this store is a
// kiosk, which never holds note texts).
std::optional<std::string> attendee_note(SQLite::Database& db, const std::string& attendee_id);

// Sets, changes or clears (empty or blank `text`) the attendee's note; surrounding blanks are trimmed.
// Journals a NoteSet event and, when it changes, the attendee's `has_note` (AttendeeUpdated); nothing
// when the note is already that text. Call inside a WriteTransaction (the desk's edit form saves the
// fields and the note together). Throws InputError, journaling nothing, for an unknown attendee, a
// text note_problem() refuses, or a store that joined as a kiosk.
void set_attendee_note(Store& store, const std::string& attendee_id, const std::string& text);

} // namespace accueil
