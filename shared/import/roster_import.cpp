#include "import/roster_import.hpp"

#include "attendee_notes.hpp"
#include "attendee_ops.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "ids.hpp"
#include "import/csv_reader.hpp"
#include "import/day_values.hpp"
#include "import/header_map.hpp"
#include "import/text_encoding.hpp"
#include "text_fold.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

namespace accueil {

namespace {

std::string trimmed(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n'))
        ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
        --e;
    return s.substr(b, e - b);
}

std::string lower_ascii(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return s;
}

// The roster as the store holds it, indexed the way rows are matched: ticket code, then e-mail.
class ExistingRoster {
public:
    explicit ExistingRoster(SQLite::Database& db) {
        SQLite::Statement q(db, "SELECT " ACCUEIL_ATTENDEE_COLUMNS " FROM attendees ORDER BY num");
        while (q.executeStep())
            add(attendee_from_row(q));
    }
    Attendee* match(const std::string& code, const std::string& email) {
        if (!code.empty())
            if (auto it = by_code_.find(code); it != by_code_.end())
                return &people_[it->second];
        if (!email.empty())
            if (auto it = by_email_.find(lower_ascii(email)); it != by_email_.end())
                return &people_[it->second];
        return nullptr;
    }
    void add(Attendee a) {
        people_.push_back(std::move(a));
        index(people_.size() - 1);
    }
    void index(std::size_t i) {
        const Attendee& a = people_[i];
        if (!a.ext_code.empty())
            by_code_.emplace(a.ext_code, i);
        if (!a.email.empty())
            by_email_.emplace(lower_ascii(a.email), i);
    }
    std::size_t index_of(const Attendee* a) const { return std::size_t(a - people_.data()); }

private:
    std::vector<Attendee> people_; // pointers into it stay valid only until the next add()
    std::unordered_map<std::string, std::size_t> by_code_, by_email_;
};

void check_file_size(std::size_t bytes, const std::string& name) {
    constexpr std::size_t kMB = 1024 * 1024;
    if (bytes > kMaxRosterFileBytes)
        throw InputError(name, "the file is " + std::to_string((bytes + kMB - 1) / kMB) + " MB; at most " +
                                   std::to_string(kMaxRosterFileBytes / kMB) +
                                   " MB are accepted (a roster of 1,700 people takes about 200 KB): is "
                                   "this the right file?");
}

struct Change {
    bool create = false;
    Attendee before, after;
    std::optional<std::string> note; // the attention note to journal, when the file changes it
};

// Every attendee's note text, read only when the file has a note column.
std::unordered_map<std::string, std::string> existing_notes(SQLite::Database& db) {
    std::unordered_map<std::string, std::string> out;
    SQLite::Statement q(db, "SELECT attendee_id, note FROM attendee_notes WHERE note <> ''");
    while (q.executeStep())
        out.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    return out;
}

} // namespace

ImportSummary import_roster_bytes(Store& store, std::string_view bytes, const std::string& name,
                                  const ImportOptions& options) {
    check_file_size(bytes.size(), name);
    const DecodedText decoded = decode_text_or_throw(bytes, name, options.encoding);
    const CsvTable table = read_csv(decoded.text, name);
    const HeaderMap map =
        map_header(table.header.fields, options.mappings, name + ":" + std::to_string(table.header.line));
    const DayMatcher days(store.event().days);

    ImportSummary summary;
    summary.encoding = decoded.encoding;
    summary.delimiter = table.delimiter;
    summary.ignored_columns = map.ignored;

    auto cell = [&](const CsvRecord& row, RosterField f) -> std::string {
        const auto col = map.column(f);
        return col && *col < row.fields.size() ? trimmed(row.fields[*col]) : std::string();
    };

    // First pass: every row is read and checked before anything is written, so a bad row anywhere
    // leaves the store exactly as it was.
    ExistingRoster roster(store.db());
    const auto notes = map.has(RosterField::Note) ? existing_notes(store.db())
                                                  : std::unordered_map<std::string, std::string>();
    // Codes seen in this file: an order code shared by everyone in one order must not merge them.
    std::unordered_map<std::string, std::pair<int, std::string>> file_codes; // code -> (line, who)
    std::vector<Change> changes;
    changes.reserve(table.rows.size());
    for (const CsvRecord& row : table.rows) {
        const std::string where = name + ":" + std::to_string(row.line);
        for (std::size_t f = 0; f < kRosterFieldCount; ++f) {
            const auto col = map.columns[f];
            if (!col || *col >= row.fields.size() || row.fields[*col].size() <= kMaxRosterFieldChars)
                continue; // no more bytes than the limit: no more characters either
            const std::size_t length = utf8_length(trimmed(row.fields[*col]));
            if (length > kMaxRosterFieldChars)
                throw InputError(where, "the \"" + table.header.fields[*col] + "\" cell is " +
                                            std::to_string(length) + " characters long; at most " +
                                            std::to_string(kMaxRosterFieldChars) + " are accepted for " +
                                            std::string(roster_field_name(RosterField(f))) +
                                            " (is this the right column, or a quote misplaced?)");
        }
        Attendee in;
        in.first_name = cell(row, RosterField::FirstName);
        in.last_name = cell(row, RosterField::LastName);
        if (in.first_name.empty() && in.last_name.empty() && map.has(RosterField::FullName)) {
            const auto split = split_full_name(cell(row, RosterField::FullName));
            in.first_name = split.first;
            in.last_name = split.last;
        }
        in.email = cell(row, RosterField::Email);
        in.organisation = cell(row, RosterField::Organisation);
        in.category = cell(row, RosterField::Category);
        in.ext_code = cell(row, RosterField::ExternalCode);
        if (in.first_name.empty() && in.last_name.empty()) {
            ++summary.skipped;
            summary.warnings.push_back(where + ": no name, row skipped");
            continue;
        }
        if (!in.email.empty() && in.email.find('@') == std::string::npos)
            throw InputError(where, "\"" + in.email + "\" is not an e-mail address");
        const std::string note = cell(row, RosterField::Note);
        if (auto bad = note_problem(note))
            throw InputError(where, *bad);
        in.has_note = !note.empty();
        if (map.has(RosterField::Days)) {
            const auto parsed = days.parse(cell(row, RosterField::Days));
            if (!parsed)
                throw InputError(where, parsed.error);
            in.days = parsed.dates;
        }

        if (!in.ext_code.empty()) {
            const std::string who = lower_ascii(in.email) + "|" + fold_text(in.full_name());
            const auto [it, fresh] = file_codes.try_emplace(in.ext_code, row.line, who);
            if (!fresh && it->second.second != who) {
                summary.warnings.push_back(where + ": code \"" + in.ext_code + "\" is also on line " +
                                           std::to_string(it->second.first) +
                                           " for another person; not used for this row");
                in.ext_code.clear();
            }
        }
        Attendee* existing = roster.match(in.ext_code, in.email);
        if (!existing) {
            in.source = options.source;
            in.id = random_attendee_id();
            roster.add(in);
            changes.push_back({true, {}, in, note.empty() ? std::nullopt : std::optional(note)});
            ++summary.created;
            continue;
        }
        // Columns the file does not have keep the stored values.
        Attendee after = *existing;
        after.first_name = in.first_name;
        after.last_name = in.last_name;
        if (map.has(RosterField::Email))
            after.email = in.email;
        if (map.has(RosterField::Organisation))
            after.organisation = in.organisation;
        if (map.has(RosterField::Category)) {
            after.category = in.category;
            after.category_key = label_key(in.category);
        }
        if (map.has(RosterField::Days))
            after.days = in.days;
        if (map.has(RosterField::ExternalCode) && !in.ext_code.empty())
            after.ext_code = in.ext_code;
        std::optional<std::string> note_change;
        if (map.has(RosterField::Note)) {
            after.has_note = in.has_note;
            const auto old = notes.find(existing->id);
            if (note != (old == notes.end() ? std::string() : old->second))
                note_change = note;
        }
        if (after == *existing && !note_change) {
            ++summary.unchanged;
            continue;
        }
        changes.push_back({false, *existing, after, note_change});
        *existing = after;
        roster.index(roster.index_of(existing));
        ++summary.updated;
    }
    if (options.dry_run)
        return summary;

    WriteTransaction tx(store.db());
    Store::Batch batch(store);
    for (const Change& c : changes) {
        if (c.create)
            create_attendee(store, c.after);
        else
            update_attendee(store, c.before, c.after);
        // has_note went with the fields above; the text goes only to desks (attendee_notes.hpp).
        if (c.note)
            store.append(EventKind::NoteSet, c.after.id, {{"note", *c.note}});
    }
    tx.commit();
    return summary;
}

ImportSummary import_roster_file(Store& store, const std::string& path, const ImportOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, "cannot open the file");
    std::error_code ec; // judged from its size before it is read
    if (const auto size = std::filesystem::file_size(path, ec); !ec)
        check_file_size(std::size_t(size), path);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw InputError(path, "cannot read the file");
    return import_roster_bytes(store, bytes, path, options);
}

} // namespace accueil
