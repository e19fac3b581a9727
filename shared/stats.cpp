#include "stats.hpp"

namespace accueil {

nlohmann::json compute_stats(Store& store, const std::string& today) {
    auto& db = store.db();
    nlohmann::json out;
    out["event"] = store.event().name;
    out["today"] = today;
    out["attendees"] = db.execAndGet("SELECT count(*) FROM attendees").getInt64();

    SQLite::Statement today_q(db, "SELECT count(*) FROM checkin_days WHERE day = ?");
    today_q.bind(1, today);
    today_q.executeStep();
    out["checked_in_today"] = today_q.getColumn(0).getInt64();

    nlohmann::json by_day = nlohmann::json::object(), registered = nlohmann::json::object();
    for (const auto& day : store.event().days) {
        SQLite::Statement q(db, "SELECT count(*) FROM checkin_days WHERE day = ?");
        q.bind(1, day.date);
        q.executeStep();
        by_day[day.date] = q.getColumn(0).getInt64();
        // days is a comma-separated list, empty meaning every day.
        SQLite::Statement r(db, "SELECT count(*) FROM attendees WHERE days = '' OR instr(',' || days || ',', "
                                "',' || ? || ',') > 0");
        r.bind(1, day.date);
        r.executeStep();
        registered[day.date] = r.getColumn(0).getInt64();
    }
    out["by_day"] = by_day;
    out["registered_by_day"] = registered;

    nlohmann::json by_cat = nlohmann::json::object(), cat_today = nlohmann::json::object();
    SQLite::Statement c(db, "SELECT CASE category WHEN '' THEN '(none)' ELSE category END, count(*) "
                            "FROM attendees GROUP BY category_key ORDER BY count(*) DESC");
    while (c.executeStep())
        by_cat[c.getColumn(0).getString()] = c.getColumn(1).getInt64();
    SQLite::Statement t(db, "SELECT CASE a.category WHEN '' THEN '(none)' ELSE a.category END, "
                            "count(*) FROM checkin_days k JOIN attendees a ON a.id = k.attendee_id "
                            "WHERE k.day = ? GROUP BY a.category_key");
    t.bind(1, today);
    while (t.executeStep())
        cat_today[t.getColumn(0).getString()] = t.getColumn(1).getInt64();
    out["by_category"] = by_cat;
    out["checked_in_by_category_today"] = cat_today;
    return out;
}

} // namespace accueil
