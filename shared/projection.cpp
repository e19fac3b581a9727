#include "projection.hpp"

#include "attendee.hpp"
#include "badge/event_keys.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "text_fold.hpp"

#include <nlohmann/json.hpp>

namespace accueil {

namespace {
using json = nlohmann::json;

// Adds every run of two or more consecutive words written as one: "n diaye" also indexes "ndiaye",
// "jean noel" also "jeannoel", so people who type names without hyphen or apostrophe find them.
void append_joined_forms(std::string& out, const std::string& folded) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < folded.size()) {
        auto end = folded.find(' ', start);
        if (end == std::string::npos)
            end = folded.size();
        words.push_back(folded.substr(start, end - start));
        start = end + 1;
    }
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        std::string joined = words[i];
        for (std::size_t j = i + 1; j < words.size(); ++j) {
            joined += words[j];
            out += ' ';
            out += joined;
        }
    }
}

std::string search_names(const std::string& first, const std::string& last) {
    const std::string f = fold_text(first), l = fold_text(last);
    std::string out = f + " " + l;
    append_joined_forms(out, f);
    append_joined_forms(out, l);
    return out;
}

void bind_origin(SQLite::Statement& s, int index, const Origin& o) {
    s.bind(index, o.data(), int(o.size()));
}

// (hlc, origin) total order for last-writer-wins.
bool newer(std::uint64_t hlc, const Origin& origin, std::uint64_t than_hlc, const Origin& than_origin) {
    return hlc != than_hlc ? hlc > than_hlc : origin > than_origin;
}

json parse_payload(const JournalEvent& e) {
    json j = json::parse(e.payload, nullptr, false);
    if (!j.is_object())
        throw StoreError(std::string("journal event ") + to_hex(e.origin) + "/" + std::to_string(e.seq) +
                         " has a malformed payload");
    return j;
}
} // namespace

SQLite::Statement& Projector::stmt(const std::string& sql) {
    auto& slot = cache_[sql];
    if (!slot)
        slot = std::make_unique<SQLite::Statement>(db_, sql);
    slot->reset();
    slot->clearBindings();
    return *slot;
}

void Projector::apply(const JournalEvent& e, const nlohmann::json* parsed) {
    if (e.kind == EventKind::KeyAdded)
        return project_key_added(db_, e);
    json own;
    if (!parsed) {
        own = parse_payload(e);
        parsed = &own;
    }
    switch (e.kind) {
    case EventKind::EventDefined:
        return apply_event_defined(e, *parsed);
    case EventKind::AttendeeCreated:
    case EventKind::AttendeeUpdated:
        return apply_attendee_fields(e, *parsed);
    case EventKind::CheckIn:
        return apply_checkin(e, *parsed);
    case EventKind::CheckInUndone:
        return apply_undo(e, *parsed);
    case EventKind::KeyAdded:
        return project_key_added(db_, e);
    }
    throw StoreError("journal event of unknown kind " + std::to_string(int(e.kind)));
}

void Projector::apply_event_defined(const JournalEvent& e, const json& p) {
    auto& s = stmt("INSERT INTO event_info (id, uid, name, timezone, days, hlc, origin) "
                   "VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET uid = excluded.uid, "
                   "name = excluded.name, timezone = excluded.timezone, days = excluded.days, "
                   "hlc = excluded.hlc, origin = excluded.origin "
                   "WHERE (excluded.hlc, excluded.origin) > (event_info.hlc, event_info.origin)");
    s.bind(1, p.value("uid", ""));
    s.bind(2, p.value("name", ""));
    s.bind(3, p.value("timezone", "Europe/Paris"));
    s.bind(4, p.value("days", json::array()).dump());
    s.bind(5, std::int64_t(e.hlc));
    bind_origin(s, 6, e.origin);
    s.exec();
}

void Projector::apply_attendee_fields(const JournalEvent& e, const json& p) {
    auto& find = stmt("SELECT num, stamp_hlc, stamp_origin FROM attendees WHERE id = ?");
    find.bind(1, e.entity);
    if (!find.executeStep()) {
        // A new row. A creation stamps every field at once; an update that arrives before the
        // creation (out-of-order delivery) stamps only its own fields, so the creation can still
        // fill in the others when it comes.
        const bool creation = e.kind == EventKind::AttendeeCreated;
        Attendee a = attendee_from_json(e.entity, p);
        auto& ins = stmt("INSERT INTO attendees (id, first_name, last_name, email, organisation, category, "
                         "category_key, days, ext_code, badge_version, source, stamp_hlc, stamp_origin) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ins.bind(1, a.id);
        ins.bind(2, a.first_name);
        ins.bind(3, a.last_name);
        ins.bind(4, a.email);
        ins.bind(5, a.organisation);
        ins.bind(6, a.category);
        ins.bind(7, a.category_key);
        ins.bind(8, join_days(a.days));
        ins.bind(9, a.ext_code);
        ins.bind(10, a.badge_version);
        ins.bind(11, a.source);
        ins.bind(12, creation ? std::int64_t(e.hlc) : std::int64_t(0));
        const Origin zero{};
        bind_origin(ins, 13, creation ? e.origin : zero);
        ins.exec();
        const std::int64_t num = db_.getLastInsertRowid();
        if (!creation) {
            for (const auto& [field, value] : p.items()) {
                auto& st =
                    stmt("INSERT INTO attendee_stamps (attendee_id, field, hlc, origin) VALUES (?, ?, ?, ?)");
                st.bind(1, e.entity);
                st.bind(2, field);
                st.bind(3, std::int64_t(e.hlc));
                bind_origin(st, 4, e.origin);
                st.exec();
            }
        }
        auto& idx =
            stmt("INSERT INTO attendee_search (rowid, names, organisation, email) VALUES (?, ?, ?, ?)");
        idx.bind(1, num);
        idx.bind(2, search_names(a.first_name, a.last_name));
        idx.bind(3, fold_text(a.organisation));
        idx.bind(4, fold_text(a.email));
        idx.exec();
        return;
    }
    const std::int64_t num = find.getColumn(0).getInt64();
    const std::uint64_t row_hlc = std::uint64_t(find.getColumn(1).getInt64());
    const auto row_blob = find.getColumn(2);
    const Origin row_origin = origin_from_blob(row_blob.getBlob(), row_blob.getBytes());

    bool changed = false;
    for (const auto& field : attendee_fields()) {
        if (!p.contains(field))
            continue;
        std::uint64_t cur_hlc = row_hlc;
        Origin cur_origin = row_origin;
        auto& get = stmt("SELECT hlc, origin FROM attendee_stamps WHERE attendee_id = ? AND field = ?");
        get.bind(1, e.entity);
        get.bind(2, field);
        if (get.executeStep()) {
            cur_hlc = std::uint64_t(get.getColumn(0).getInt64());
            const auto b = get.getColumn(1);
            cur_origin = origin_from_blob(b.getBlob(), b.getBytes());
        }
        if (!newer(e.hlc, e.origin, cur_hlc, cur_origin))
            continue;
        // Field names come from attendee_fields(), never from the payload, so this SQL is fixed text.
        auto& upd = stmt("UPDATE attendees SET " + field + " = ? WHERE num = ?");
        const json& v = p[field];
        if (v.is_number_integer())
            upd.bind(1, v.get<std::int64_t>());
        else
            upd.bind(1, v.is_string() ? v.get<std::string>() : v.dump());
        upd.bind(2, num);
        upd.exec();
        auto& put = stmt(
            "INSERT INTO attendee_stamps (attendee_id, field, hlc, origin) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (attendee_id, field) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin");
        put.bind(1, e.entity);
        put.bind(2, field);
        put.bind(3, std::int64_t(e.hlc));
        bind_origin(put, 4, e.origin);
        put.exec();
        changed = true;
    }
    if (changed)
        reindex(num);
}

void Projector::reindex(std::int64_t num) {
    auto& get = stmt("SELECT first_name, last_name, organisation, email FROM attendees WHERE num = ?");
    get.bind(1, num);
    if (!get.executeStep())
        return;
    const std::string names = search_names(get.getColumn(0).getString(), get.getColumn(1).getString());
    const std::string org = fold_text(get.getColumn(2).getString());
    const std::string email = fold_text(get.getColumn(3).getString());
    auto& del = stmt("DELETE FROM attendee_search WHERE rowid = ?");
    del.bind(1, num);
    del.exec();
    auto& ins = stmt("INSERT INTO attendee_search (rowid, names, organisation, email) VALUES (?, ?, ?, ?)");
    ins.bind(1, num);
    ins.bind(2, names);
    ins.bind(3, org);
    ins.bind(4, email);
    ins.exec();
}

void Projector::apply_checkin(const JournalEvent& e, const json& p) {
    auto& s = stmt("INSERT INTO checkins (origin, seq, attendee_id, day, at_ms, hlc, kiosk, undone) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                   "EXISTS (SELECT 1 FROM undos WHERE target_origin = ?1 AND target_seq = ?2)) "
                   "ON CONFLICT DO NOTHING");
    bind_origin(s, 1, e.origin);
    s.bind(2, e.seq);
    s.bind(3, e.entity);
    s.bind(4, p.value("day", ""));
    s.bind(5, p.value("at", std::int64_t(0)));
    s.bind(6, std::int64_t(e.hlc));
    s.bind(7, p.value("kiosk", ""));
    s.exec();
}

void Projector::apply_undo(const JournalEvent& e, const json& p) {
    const auto target = origin_from_hex(p.value("origin", ""));
    if (!target)
        throw StoreError("undo event " + std::to_string(e.seq) + " names no valid check-in");
    const std::int64_t target_seq = p.value("seq", std::int64_t(0));
    auto& s = stmt("INSERT INTO undos (origin, seq, target_origin, target_seq) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING");
    bind_origin(s, 1, e.origin);
    s.bind(2, e.seq);
    bind_origin(s, 3, *target);
    s.bind(4, target_seq);
    s.exec();
    auto& u = stmt("UPDATE checkins SET undone = 1 WHERE origin = ? AND seq = ?");
    bind_origin(u, 1, *target);
    u.bind(2, target_seq);
    u.exec();
}

void rebuild_projections(SQLite::Database& db) {
    WriteTransaction tx(db);
    db.exec("DELETE FROM attendee_search; DELETE FROM attendee_stamps; DELETE FROM attendees; "
            "DELETE FROM checkins; DELETE FROM undos; DELETE FROM event_info; DELETE FROM event_keys;");
    Projector projector(db);
    scan_journal(db, [&](const JournalEvent& e) { projector.apply(e); });
    tx.commit();
}

} // namespace accueil
