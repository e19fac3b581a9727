#include "journal.hpp"

#include "errors.hpp"

namespace accueil {

const char* to_string(EventKind kind) {
    switch (kind) {
    case EventKind::EventDefined:
        return "event-defined";
    case EventKind::AttendeeCreated:
        return "attendee-created";
    case EventKind::AttendeeUpdated:
        return "attendee-updated";
    case EventKind::CheckIn:
        return "check-in";
    case EventKind::CheckInUndone:
        return "check-in-undone";
    case EventKind::KeyAdded:
        return "key-added";
    case EventKind::NoteSet:
        return "note-set";
    case EventKind::ReplacedBadgeScanned:
        return "replaced-badge-scanned";
    }
    return "unknown";
}

JournalEvent journal_event_from_row(SQLite::Statement& q) {
    JournalEvent e;
    const auto blob = q.getColumn(0);
    e.origin = origin_from_blob(blob.getBlob(), blob.getBytes());
    e.seq = q.getColumn(1).getInt64();
    e.hlc = std::uint64_t(q.getColumn(2).getInt64());
    e.kind = EventKind(q.getColumn(3).getInt());
    e.entity = q.getColumn(4).getString();
    e.payload = q.getColumn(5).getString();
    return e;
}

JournalInserter::JournalInserter(SQLite::Database& db)
    : db_(db), ins_(db, "INSERT INTO journal (origin, seq, hlc, kind, entity, payload) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING") {}

void bind_event(SQLite::Statement& s, const JournalEvent& e) {
    s.bind(1, e.origin.data(), int(e.origin.size()));
    s.bind(2, e.seq);
    s.bind(3, std::int64_t(e.hlc));
    s.bind(4, int(e.kind));
    s.bindNoCopy(5, e.entity);
    s.bindNoCopy(6, e.payload);
}

bool JournalInserter::insert(const JournalEvent& e) {
    ins_.reset();
    bind_event(ins_, e);
    const int changed = ins_.exec();
    ins_.clearBindings(); // the bound texts belong to the caller's event
    if (changed == 1)
        return true;
    if (!old_)
        old_ = std::make_unique<SQLite::Statement>(db_, "SELECT origin, seq, hlc, kind, entity, payload "
                                                        "FROM journal WHERE origin = ? AND seq = ?");
    old_->reset();
    old_->bind(1, e.origin.data(), int(e.origin.size()));
    old_->bind(2, e.seq);
    const bool found = old_->executeStep();
    const bool same = found && journal_event_from_row(*old_) == e;
    old_->reset();
    if (found && !same)
        throw StoreError("journal conflict: event " + to_hex(e.origin) + "/" + std::to_string(e.seq) +
                         " already stored with different content (a cloned or restored database?)");
    return false;
}

std::int64_t next_seq(SQLite::Database& db, const Origin& origin) {
    SQLite::Statement q(db, "SELECT coalesce(max(seq), 0) + 1 FROM journal WHERE origin = ?");
    q.bind(1, origin.data(), int(origin.size()));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void scan_journal(SQLite::Database& db, const std::function<void(const JournalEvent&)>& visit) {
    SQLite::Statement q(db, "SELECT origin, seq, hlc, kind, entity, payload FROM journal "
                            "ORDER BY hlc, origin, seq");
    while (q.executeStep())
        visit(journal_event_from_row(q));
}

std::vector<JournalEvent> read_journal(SQLite::Database& db) {
    std::vector<JournalEvent> out;
    scan_journal(db, [&](const JournalEvent& e) { out.push_back(e); });
    return out;
}

} // namespace accueil
