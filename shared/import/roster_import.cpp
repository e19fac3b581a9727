#include "import/roster_import.hpp"

#include "attendee_notes.hpp"
#include "attendee_ops.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "ids.hpp"
#include "import/csv_reader.hpp"
#include "import/day_values.hpp"
#include "import/header_map.hpp"
#include "import/import_words.hpp"
#include "import/text_encoding.hpp"
#include "text_fold.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <unordered_map>

namespace accueil {

namespace {

using i18n::tr;
using import_words::in_quotes;

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
    // `more`: how many people the file may add, so that adding them moves nobody.
    ExistingRoster(SQLite::Database& db, std::size_t more) {
        const std::size_t most =
            std::size_t(db.execAndGet("SELECT count(*) FROM attendees").getInt64()) + more;
        people_.reserve(most);
        by_code_.reserve(most); // no rehash of 100,000 keys on the way
        by_email_.reserve(most);
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
    std::size_t size() const { return people_.size(); }
    Attendee& operator[](std::size_t i) { return people_[i]; }

private:
    std::vector<Attendee> people_; // pointers into it stay valid only until the next add()
    std::unordered_map<std::string, std::size_t> by_code_, by_email_;
};

void check_file_size(std::size_t bytes, const std::string& name) {
    constexpr std::size_t kMB = 1024 * 1024;
    if (bytes > kMaxRosterFileBytes)
        throw InputError(name, tr("import.file.too_big",
                                  {{"size", import_words::count(std::int64_t((bytes + kMB - 1) / kMB))},
                                   {"max", import_words::count(std::int64_t(kMaxRosterFileBytes / kMB))}}));
}

// A creation names the person in the roster instead of holding a copy (100,000 copies cost more than
// the rows' checks): the record is taken from the roster when it is journalled, unless a later row
// of the file updated that person: then `record` holds the record as created. The records live on
// the heap, so that a Change stays small (a vector of 100,000 inline records costs its page faults).
struct Change {
    bool create = false;
    std::size_t person = 0;           // creations: index in the ExistingRoster
    std::unique_ptr<Attendee> record; // updates: the record after; creations: see above
    std::unique_ptr<Attendee> before; // updates only
    std::optional<std::string> note;  // the attention note to journal, when the file changes it
};

// Every attendee's note text, read only when the file has a note column.
std::unordered_map<std::string, std::string> existing_notes(SQLite::Database& db) {
    std::unordered_map<std::string, std::string> out;
    SQLite::Statement q(db, "SELECT attendee_id, note FROM attendee_notes WHERE note <> ''");
    while (q.executeStep())
        out.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    return out;
}

// The first characters of a cell too long to quote whole in a message.
std::string beginning(const std::string& text) {
    constexpr std::size_t kShown = 60;
    std::size_t end = 0, chars = 0;
    while (end < text.size() && chars < kShown) {
        ++end;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            ++end; // not in the middle of a character
        ++chars;
    }
    return in_quotes(text.substr(0, end) + (end < text.size() ? "…" : ""));
}

// "Tuesday 27 September 2022 (OFF), Wednesday 28 September 2022, ..." in the process's language.
std::string event_days_text(const EventInfo& event) {
    std::string out;
    for (const auto& d : event.days)
        (out.empty() ? out : out += ", ") += import_words::event_day(d.date, d.label);
    return out;
}

// Every bad row in one message (issue 12): one line "FILE:LINE: why." for a single row, else the
// count and "line N: why" per row, the first kMaxReportedRows of them; `notes` are sentences that
// help with all of them (the event's days); the store is left as it was.
[[noreturn]] void refuse_rows(const std::string& name, std::vector<RowProblem> problems,
                              const std::vector<std::string>& notes) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
    std::string message;
    if (problems.size() == 1) {
        message = name + ":" + std::to_string(problems[0].line) + ": " + problems[0].message + ".";
        for (const auto& note : notes)
            message += " " + note;
        message += " " + tr("import.rows.nothing_imported_one");
    } else {
        message = name + ": " + tr("import.rows.many", {{"count", std::to_string(problems.size())}});
        for (std::size_t k = 0; k < problems.size() && k < kMaxReportedRows; ++k)
            message += "\n  " + tr("import.rows.line", {{"line", std::to_string(problems[k].line)},
                                                        {"message", problems[k].message}});
        if (problems.size() > kMaxReportedRows)
            message += "\n  " + tr("import.rows.more",
                                   {{"count", std::to_string(problems.size() - kMaxReportedRows)}});
        for (const auto& note : notes)
            message += "\n" + note;
        message += "\n" + tr("import.rows.nothing_imported_many");
    }
    throw RosterRowsRefused(message, std::move(problems));
}

// Raises the connection's page cache while it lives, for a big import, and puts the setting back.
class ImportCache {
public:
    ImportCache(SQLite::Database& db, std::size_t rows) : db_(db) {
        if (rows < kBigImportRows)
            return;
        previous_ = db_.execAndGet("PRAGMA cache_size").getInt64();
        db_.exec("PRAGMA cache_size=-262144"); // KiB: 256 MB at most, used only as pages are touched
        raised_ = true;
    }
    ~ImportCache() {
        if (!raised_)
            return;
        try {
            db_.exec("PRAGMA cache_size=" + std::to_string(previous_));
        } catch (const SQLite::Exception&) {
            // a bigger cache than asked for, on a connection that is failing anyway
        }
    }
    ImportCache(const ImportCache&) = delete;
    ImportCache& operator=(const ImportCache&) = delete;

private:
    static constexpr std::size_t kBigImportRows = 5'000; // below it the default cache holds them
    SQLite::Database& db_;
    std::int64_t previous_ = 0;
    bool raised_ = false;
};

// From this many changes an import sets the attendee triggers aside (Store::BulkLoad).
constexpr std::size_t kBulkTriggerRows = 5'000;

} // namespace

ImportSummary import_roster_bytes(Store& store, std::string_view bytes, const std::string& name,
                                  const ImportOptions& options) {
    check_file_size(bytes.size(), name);
    const DecodedText decoded = decode_text_or_throw(bytes, name, options.encoding);
    std::vector<CsvBadRow> bad_cell_counts; // reported with the other bad rows, all at once
    const CsvTable table = read_csv(decoded.text, name, 0, {}, &bad_cell_counts);
    const std::string header_where = name + ":" + std::to_string(table.header.line);
    const HeaderMap map = map_header(table.header.fields, options.mappings, header_where);
    const EventInfo& event = store.event();
    const DayMatcher days(event.days);

    ImportSummary summary;
    summary.file = name;
    summary.encoding = decoded.encoding;
    summary.delimiter = table.delimiter;
    summary.ignored_columns = map.ignored;
    for (std::size_t i = 0; i < table.header.fields.size(); ++i) {
        const std::string header = trimmed(table.header.fields[i]);
        if (header.empty())
            continue;
        ColumnUse use{header, std::nullopt};
        for (std::size_t f = 0; f < kRosterFieldCount; ++f)
            if (map.columns[f] == i)
                use.field = RosterField(f);
        summary.columns.push_back(std::move(use));
    }

    // Without a days column everyone would silently be registered for every day (issue 12: a form
    // tool's question went unrecognised and every day counted everyone): the organiser says which.
    if (!map.has(RosterField::Days) && event.days.size() > 1 && !options.all_days) {
        std::vector<std::string> names;
        for (const auto& c : summary.columns)
            names.push_back(c.header);
        throw InputError(header_where,
                         tr("import.no_days_column", {{"count", std::to_string(event.days.size())},
                                                      {"days", event_days_text(event)},
                                                      {"columns", import_words::in_quotes_list(names)}}));
    }
    summary.all_days = options.all_days && !map.has(RosterField::Days);
    if (options.all_days && map.has(RosterField::Days))
        summary.warnings.push_back(
            tr("import.warning.all_days_unused",
               {{"column", in_quotes(trimmed(table.header.fields[*map.column(RosterField::Days)]))}}));

    auto cell = [&](const CsvRecord& row, RosterField f) -> std::string {
        const auto col = map.column(f);
        return col && *col < row.fields.size() ? trimmed(row.fields[*col]) : std::string();
    };
    auto column_name = [&](std::size_t col) { return in_quotes(trimmed(table.header.fields[col])); };
    auto where = [&](const CsvRecord& row) { return name + ":" + std::to_string(row.line); };
    // The person a row names, as read from its cells (the checks come after).
    auto read_person = [&](const CsvRecord& row) {
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
        return in;
    };
    auto who = [](const Attendee& a) { return lower_ascii(a.email) + "|" + fold_text(a.full_name()); };

    // First pass: every row is read and checked before anything is written, so a bad row anywhere
    // leaves the store exactly as it was; every bad row is found, not only the first.
    std::vector<RowProblem> problems;
    for (auto& bad : bad_cell_counts)
        problems.push_back({bad.line, std::move(bad.message)});
    std::size_t days_failures = 0, days_read = 0;
    ExistingRoster roster(store.db(), table.rows.size());
    const std::size_t first_new = roster.size(); // the people from here on are created by this file
    std::vector<std::size_t> creation_of;        // person - first_new -> index of its creation in changes
    const auto notes = map.has(RosterField::Note) ? existing_notes(store.db())
                                                  : std::unordered_map<std::string, std::string>();
    // Codes seen in this file: an order code shared by everyone in one order must not merge them.
    std::unordered_map<std::string, std::pair<int, const CsvRecord*>> file_codes; // code -> first row
    file_codes.reserve(table.rows.size());
    std::vector<Change> changes;
    changes.reserve(table.rows.size());
    std::vector<std::string> row_problems;
    for (const CsvRecord& row : table.rows) {
        row_problems.clear();
        for (std::size_t f = 0; f < kRosterFieldCount; ++f) {
            const auto col = map.columns[f];
            if (!col || *col >= row.fields.size() || row.fields[*col].size() <= kMaxRosterFieldChars)
                continue; // no more bytes than the limit: no more characters either
            const std::string value = trimmed(row.fields[*col]);
            const std::size_t length = utf8_length(value);
            if (length > kMaxRosterFieldChars)
                row_problems.push_back(tr("import.row.too_long",
                                          {{"column", column_name(*col)},
                                           {"length", import_words::count(std::int64_t(length))},
                                           {"max", import_words::count(std::int64_t(kMaxRosterFieldChars))},
                                           {"field", roster_field_label(RosterField(f))},
                                           {"start", beginning(value)}}));
        }
        Attendee in = read_person(row);
        if (in.first_name.empty() && in.last_name.empty() && row_problems.empty()) {
            ++summary.skipped;
            summary.warnings.push_back(where(row) + ": " + tr("import.warning.no_name"));
            continue;
        }
        if (!in.email.empty() && in.email.find('@') == std::string::npos)
            row_problems.push_back(
                tr("import.row.email", {{"value", in_quotes(in.email)},
                                        {"column", column_name(*map.column(RosterField::Email))}}));
        const std::string note = cell(row, RosterField::Note);
        if (!note.empty()) {
            const std::string column = column_name(*map.column(RosterField::Note));
            if (const std::size_t length = utf8_length(note); length > kMaxNoteChars)
                row_problems.push_back(tr("import.row.note_too_long",
                                          {{"column", column},
                                           {"length", import_words::count(std::int64_t(length))},
                                           {"max", import_words::count(std::int64_t(kMaxNoteChars))}}));
            else if (note_problem(note))
                row_problems.push_back(tr("import.row.note_control", {{"column", column}}));
        }
        in.has_note = !note.empty();
        if (map.has(RosterField::Days)) {
            const std::string value = cell(row, RosterField::Days);
            const auto parsed = days.parse(value);
            ++days_read;
            if (!parsed) {
                ++days_failures;
                const std::string column = column_name(*map.column(RosterField::Days));
                row_problems.push_back(
                    parsed.value == value
                        ? tr("import.row.days_whole",
                             {{"value", in_quotes(value)}, {"column", column}, {"reason", parsed.reason}})
                        : tr("import.row.days", {{"cell", in_quotes(value)},
                                                 {"column", column},
                                                 {"value", in_quotes(parsed.value)},
                                                 {"reason", parsed.reason}}));
            }
            in.days = parsed.dates;
        }
        if (!row_problems.empty()) {
            std::string message;
            for (const auto& p : row_problems)
                (message.empty() ? message : message += "; ") += p;
            problems.push_back({row.line, std::move(message)});
        }
        if (!problems.empty())
            continue; // the file is refused: only the other rows' problems matter now

        if (!in.ext_code.empty()) {
            // Who holds a code is compared only when the code comes again: folding every name costs.
            const auto [it, fresh] = file_codes.try_emplace(in.ext_code, row.line, &row);
            if (!fresh && who(read_person(*it->second.second)) != who(in)) {
                summary.warnings.push_back(
                    where(row) + ": " +
                    tr("import.warning.shared_code",
                       {{"code", in_quotes(in.ext_code)}, {"line", std::to_string(it->second.first)}}));
                in.ext_code.clear();
            }
        }
        Attendee* existing = roster.match(in.ext_code, in.email);
        if (!existing) {
            in.source = options.source;
            in.id = random_attendee_id();
            creation_of.push_back(changes.size());
            changes.push_back(
                {true, roster.size(), nullptr, nullptr, note.empty() ? std::nullopt : std::optional(note)});
            roster.add(std::move(in));
            ++summary.created;
            continue;
        }
        // Columns the file does not have keep the stored values; --all-days stands for a days column
        // where every cell is empty (every day).
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
        if (map.has(RosterField::Days) || summary.all_days)
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
        const std::size_t person = roster.index_of(existing);
        if (person >= first_new) { // created by an earlier row: its creation keeps the record as it was
            auto& creation = changes[creation_of[person - first_new]];
            if (!creation.record)
                creation.record = std::make_unique<Attendee>(*existing);
        }
        changes.push_back({false, person, std::make_unique<Attendee>(after),
                           std::make_unique<Attendee>(*existing), note_change});
        *existing = std::move(after);
        roster.index(person);
        ++summary.updated;
    }
    if (!problems.empty()) {
        std::vector<std::string> advice;
        if (days_failures > 0) {
            advice.push_back(tr("import.rows.event_days", {{"days", event_days_text(event)}}));
            // A column guessed from its question whose answers mostly name no day may not be about
            // attendance at all.
            if (map.guessed[std::size_t(RosterField::Days)] && days_failures * 2 > days_read) {
                const std::string column = trimmed(table.header.fields[*map.column(RosterField::Days)]);
                advice.push_back(
                    tr("import.rows.days_ignore", {{"column", in_quotes(column)}, {"name", column}}));
            }
        }
        refuse_rows(name, std::move(problems), advice);
    }
    if (options.dry_run)
        return summary;

    // A 100,000-row import dirties far more pages than the 16 MB page cache (database.cpp): SQLite then
    // spills them to the WAL mid-transaction and writes the same index pages again and again. A larger
    // cache for the import's transaction only keeps them in memory until the commit writes each once.
    const ImportCache import_cache(store.db(), changes.size());
    WriteTransaction tx(store.db());
    Store::Batch batch(store);
    // Search index rows written together at the end; for a big import the summary tables too (their
    // full refill costs a scan of the store, less than two trigger runs per person past this size).
    Store::BulkLoad bulk(store, changes.size() >= kBulkTriggerRows);
    for (Change& c : changes) {
        std::string id;
        if (c.create) // the roster is not read any more: each creation takes its record from it
            id = create_attendee(store, std::move(c.record ? *c.record : roster[c.person])).id;
        else {
            update_attendee(store, *c.before, *c.record);
            id = c.record->id;
        }
        // has_note went with the fields above; the text goes only to desks (attendee_notes.hpp).
        if (c.note)
            store.append(EventKind::NoteSet, id, {{"note", *c.note}});
    }
    bulk.finish();
    tx.commit();
    return summary;
}

ImportSummary import_roster_file(Store& store, const std::string& path, const ImportOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, tr("import.file.cannot_open"));
    std::error_code ec; // judged from its size before it is read
    if (const auto size = std::filesystem::file_size(path, ec); !ec)
        check_file_size(std::size_t(size), path);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw InputError(path, tr("import.file.cannot_read"));
    return import_roster_bytes(store, bytes, path, options);
}

std::string describe_import(const ImportSummary& s, bool dry_run) {
    std::string out = tr("import.summary.columns", {{"file", s.file}}) + "\n";
    bool unused = false;
    for (const auto& c : s.columns) {
        unused = unused || !c.field;
        out += "  " +
               (c.field ? tr("import.summary.column",
                             {{"column", in_quotes(c.header)}, {"field", roster_field_label(*c.field)}})
                        : tr("import.summary.column_unused", {{"column", in_quotes(c.header)}})) +
               "\n";
    }
    if (unused)
        out += "  " + tr("import.summary.map_hint", {{"fields", roster_field_list()}}) + "\n";
    if (s.all_days)
        out += tr("import.summary.all_days") + "\n";
    out += tr("import.summary.read_as",
              {{"encoding", s.encoding},
               {"delimiter",
                s.delimiter == '\t' ? tr("import.csv.tab") : in_quotes(std::string(1, s.delimiter))}}) +
           "\n";
    out += tr("import.summary.counts", {{"created", std::to_string(s.created)},
                                        {"updated", std::to_string(s.updated)},
                                        {"unchanged", std::to_string(s.unchanged)},
                                        {"skipped", std::to_string(s.skipped)}}) +
           "\n";
    for (const auto& w : s.warnings)
        out += tr("import.summary.warning", {{"text", w}}) + "\n";
    if (dry_run)
        out += tr("import.summary.dry_run") + "\n";
    return out;
}

} // namespace accueil
