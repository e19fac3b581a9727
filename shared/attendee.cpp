#include "attendee.hpp"

#include "text_fold.hpp"

#include <algorithm>

namespace accueil {

bool Attendee::may_enter(const std::string& day) const {
    return days.empty() || std::find(days.begin(), days.end(), day) != days.end();
}

std::string Attendee::full_name() const {
    if (first_name.empty())
        return last_name;
    if (last_name.empty())
        return first_name;
    return first_name + " " + last_name;
}

const std::vector<std::string>& attendee_fields() {
    static const std::vector<std::string> fields = {
        "first_name", "last_name", "email",         "organisation", "category", "category_key",
        "days",       "ext_code",  "badge_version", "source",       "has_note"};
    return fields;
}

std::size_t attendee_field_limit(const std::string& field) {
    if (field == "email")
        return 254;
    if (field == "category" || field == "category_key")
        return 100;
    if (field == "source")
        return 40;
    if (field == "days")
        return 11 * 64;
    return 200;
}

std::string join_days(const std::vector<std::string>& days) {
    std::string out;
    for (const auto& d : days) {
        if (!out.empty())
            out += ',';
        out += d;
    }
    return out;
}

std::vector<std::string> split_days(const std::string& joined) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < joined.size()) {
        auto end = joined.find(',', start);
        if (end == std::string::npos)
            end = joined.size();
        if (end > start)
            out.push_back(joined.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

nlohmann::json attendee_to_json(const Attendee& a) {
    return {{"first_name", a.first_name},
            {"last_name", a.last_name},
            {"email", a.email},
            {"organisation", a.organisation},
            {"category", a.category},
            {"category_key", a.category_key},
            {"days", join_days(a.days)},
            {"ext_code", a.ext_code},
            {"badge_version", a.badge_version},
            {"source", a.source},
            {"has_note", a.has_note}};
}

Attendee attendee_from_json(const std::string& id, const nlohmann::json& f) {
    Attendee a;
    a.id = id;
    a.first_name = f.value("first_name", "");
    a.last_name = f.value("last_name", "");
    a.email = f.value("email", "");
    a.organisation = f.value("organisation", "");
    a.category = f.value("category", "");
    a.category_key = f.value("category_key", label_key(a.category));
    a.days = split_days(f.value("days", ""));
    a.ext_code = f.value("ext_code", "");
    a.badge_version = f.value("badge_version", 1);
    a.source = f.value("source", "");
    // Journals written before notes existed have no "has_note": no note.
    const auto note = f.find("has_note");
    a.has_note = note != f.end() && note->is_boolean() && note->get<bool>();
    return a;
}

nlohmann::json changed_fields(const Attendee& before, const Attendee& after) {
    const auto b = attendee_to_json(before);
    const auto a = attendee_to_json(after);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& field : attendee_fields())
        if (b[field] != a[field])
            out[field] = a[field];
    return out;
}

Attendee attendee_from_row(SQLite::Statement& q) {
    Attendee a;
    a.id = q.getColumn(0).getString();
    a.first_name = q.getColumn(1).getString();
    a.last_name = q.getColumn(2).getString();
    a.email = q.getColumn(3).getString();
    a.organisation = q.getColumn(4).getString();
    a.category = q.getColumn(5).getString();
    a.category_key = q.getColumn(6).getString();
    a.days = split_days(q.getColumn(7).getString());
    a.ext_code = q.getColumn(8).getString();
    a.badge_version = q.getColumn(9).getInt();
    a.source = q.getColumn(10).getString();
    a.has_note = q.getColumn(11).getInt() != 0;
    return a;
}

namespace {
std::optional<Attendee> load_one(SQLite::Database& db, const std::string& where, const std::string& value) {
    SQLite::Statement q(db, "SELECT " ACCUEIL_ATTENDEE_COLUMNS " FROM attendees " + where);
    q.bind(1, value);
    if (!q.executeStep())
        return std::nullopt;
    return attendee_from_row(q);
}
} // namespace

std::optional<Attendee> load_attendee(SQLite::Database& db, const std::string& id) {
    return load_one(db, "WHERE id = ?", id);
}

std::optional<Attendee> find_by_ext_code(SQLite::Database& db, const std::string& code) {
    if (code.empty())
        return std::nullopt;
    return load_one(db, "WHERE ext_code = ? AND ext_code <> '' ORDER BY num LIMIT 1", code);
}

std::optional<Attendee> find_by_email(SQLite::Database& db, const std::string& email) {
    if (email.empty())
        return std::nullopt;
    return load_one(db, "WHERE email = ? COLLATE NOCASE AND email <> '' ORDER BY num LIMIT 1", email);
}

} // namespace accueil
