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
    }
    return "unknown";
}

namespace {
JournalEvent row_to_event(SQLite::Statement& q) {
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
} // namespace

bool insert_journal_event(SQLite::Database& db, const JournalEvent& e) {
    SQLite::Statement ins(db, "INSERT INTO journal (origin, seq, hlc, kind, entity, payload) "
                              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    ins.bind(1, e.origin.data(), int(e.origin.size()));
    ins.bind(2, e.seq);
    ins.bind(3, std::int64_t(e.hlc));
    ins.bind(4, int(e.kind));
    ins.bindNoCopy(5, e.entity);
    ins.bindNoCopy(6, e.payload);
    if (ins.exec() == 1)
        return true;
    SQLite::Statement old(db, "SELECT origin, seq, hlc, kind, entity, payload FROM journal "
                              "WHERE origin = ? AND seq = ?");
    old.bind(1, e.origin.data(), int(e.origin.size()));
    old.bind(2, e.seq);
    if (old.executeStep() && row_to_event(old) != e)
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
        visit(row_to_event(q));
}

std::vector<JournalEvent> read_journal(SQLite::Database& db) {
    std::vector<JournalEvent> out;
    scan_journal(db, [&](const JournalEvent& e) { out.push_back(e); });
    return out;
}

} // namespace accueil
