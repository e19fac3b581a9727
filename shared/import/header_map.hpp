#pragma once
// Which column of a roster holds what: header names as ticketing sites, form tools and spreadsheets
// write them, in French or English, recognised whatever their case, accents or punctuation.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accueil {

// Note: an attention note for the welcome desk (shared/attendee_notes.hpp), e.g. a "Remarques" column.
enum class RosterField {
    FirstName,
    LastName,
    FullName,
    Email,
    Organisation,
    Category,
    Days,
    ExternalCode,
    Note
};
inline constexpr std::size_t kRosterFieldCount = 9;

// "first_name", "last_name", "full_name", "email", "organisation", "category", "days", "code", "note".
std::string_view roster_field_name(RosterField field);
// What the field is in plain words, in the process's language: "first name" / "prénom".
std::string roster_field_label(RosterField field);
// The names --map accepts, for messages: "first_name, last_name, ..., note, ignore".
std::string roster_field_list();
// The reverse, for --map; also accepts "-" and "_" alike, "organization" and "external_code".
std::optional<RosterField> parse_roster_field(std::string_view name);
// The field a header name stands for ("Adresse e-mail" -> Email), if any.
std::optional<RosterField> field_for_header(std::string_view header);

struct HeaderMap {
    std::array<std::optional<std::size_t>, kRosterFieldCount> columns{}; // 0-based column per field
    std::vector<std::string> ignored; // names of the columns nothing reads, in header order
    // The column was taken from the words of a form question ("Quels jours serez-vous présent·e ?"),
    // not from a known header name or --map: a message may suggest it was the wrong one.
    std::array<bool, kRosterFieldCount> guessed{};

    std::optional<std::size_t> column(RosterField field) const { return columns[std::size_t(field)]; }
    bool has(RosterField field) const { return columns[std::size_t(field)].has_value(); }
};

// Maps a header. `overrides` are --map arguments "column=field" (the column named as in the header,
// case and accents aside; field "ignore" drops a column). When two columns claim a field the first one
// wins, except that a ticket's own code beats an order number. Throws InputError(where, ...) on a bad
// override or when no column gives a name; `where` is "FILE:LINE" of the header.
HeaderMap map_header(const std::vector<std::string>& header, const std::vector<std::string>& overrides,
                     const std::string& where);

struct PersonName {
    std::string first;
    std::string last;
    bool operator==(const PersonName&) const = default;
};

// "Léa DUPRÉ" and "DUPRÉ Léa" -> {Léa, DUPRÉ}: words in capitals are the last name. Otherwise the
// first word is the first name ("Jean-Noël de La Fontaine" -> {Jean-Noël, de La Fontaine}), or the
// words before a particle ("Anne Marie de La Fontaine" -> {Anne Marie, de La Fontaine}).
PersonName split_full_name(std::string_view full_name);

} // namespace accueil
