#include "figures.hpp"

#include "attendee.hpp"
#include "checkin_payload.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "search.hpp"
#include "sync/peers.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace accueil {

const DayFigures* Figures::selected_day() const {
    for (const auto& d : days)
        if (d.date == day)
            return &d;
    return nullptr;
}

namespace {

constexpr std::int64_t kQuarterMs = 15 * 60'000;

// A read transaction: every query of one call sees the same snapshot. A caller already inside a
// transaction keeps its own (SQLite has no nested BEGIN).
class ReadSnapshot {
public:
    explicit ReadSnapshot(SQLite::Database& db) : db_(db), own_(!in_transaction(db)) {
        if (own_)
            db_.exec("BEGIN DEFERRED");
    }
    ~ReadSnapshot() {
        if (own_)
            db_.tryExec("ROLLBACK"); // nothing was written: ending the read is all this does
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    SQLite::Database& db_;
    bool own_;
};

// A statement for the three scans that read every row (roster, arrivals, check-in events): SQLiteCpp
// hands out each column as an object sharing the statement (an atomic count per value), which cost as
// much as SQLite's own work over 700,000 rows. Only for SQL without parameters; errors throw.
class Scan {
public:
    Scan(SQLite::Database& db, const char* sql) : db_(db.getHandle()) {
        if (sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw SQLite::Exception(db_, sqlite3_errcode(db_));
    }
    ~Scan() { sqlite3_finalize(stmt_); }
    Scan(const Scan&) = delete;
    Scan& operator=(const Scan&) = delete;
    bool next() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            throw SQLite::Exception(db_, rc);
        return false;
    }
    std::string_view text(int column) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return p ? std::string_view(p, std::size_t(sqlite3_column_bytes(stmt_, column))) : std::string_view();
    }
    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
    Origin origin(int column) const {
        return origin_from_blob(sqlite3_column_blob(stmt_, column), sqlite3_column_bytes(stmt_, column));
    }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// The day of a check-in payload. Payloads are written by nlohmann's dump, keys in order
// ({"at":N,"day":"...","kiosk":"..."}): read positionally, that form is unambiguous and costs a few
// nanoseconds; anything else goes through the projection's own reader, so both agree on every payload.
std::string_view checkin_day(std::string_view payload, CheckinPayloadReader& reader, std::string& scratch) {
    constexpr std::string_view head = "{\"at\":", mid = ",\"day\":\"";
    if (payload.starts_with(head)) {
        std::size_t i = head.size();
        if (i < payload.size() && payload[i] == '-')
            ++i;
        while (i < payload.size() && payload[i] >= '0' && payload[i] <= '9')
            ++i;
        if (payload.substr(i).starts_with(mid)) {
            const std::size_t start = i + mid.size();
            const std::size_t end = payload.find_first_of("\"\\", start);
            if (end != std::string_view::npos && payload[end] == '"')
                return payload.substr(start, end - start);
        }
    }
    const auto p = reader.read(payload);
    scratch = p ? p->day : "";
    return scratch;
}

struct AttendeeFacts {
    std::uint32_t category = 0; // index into the categories seen
    std::uint32_t dayset = 0;   // index into the distinct `days` lists seen
    bool walk_in = false;
};

// An attendee id (12 Crockford base32 characters, shared/ids.hpp) as the 60-bit number it spells. The
// alphabet is in ASCII order, so numbers sort as the ids do: the roster, sorted once, is then walked
// side by side with checkin_days (kept in attendee id order) with no hashing per arrival.
std::optional<std::uint64_t> id_number(std::string_view id) {
    static constexpr std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    if (id.size() != 12)
        return std::nullopt;
    std::uint64_t n = 0;
    for (char c : id) {
        const auto digit = alphabet.find(c);
        if (digit == std::string_view::npos)
            return std::nullopt;
        n = n << 5 | digit;
    }
    return n;
}

struct Roster {
    std::vector<std::pair<std::uint64_t, AttendeeFacts>> by_number; // sorted
    std::unordered_map<std::string, AttendeeFacts> others;          // ids of another form (none normally)
    std::vector<std::string> category_names;
    std::vector<std::vector<char>> daysets; // per distinct `days` list: registered on each event day?

    // Successive look-ups in id order are mostly the next entry: `cursor` remembers where the last was.
    const AttendeeFacts* find(std::string_view id, std::size_t& cursor) const {
        const auto n = id_number(id);
        if (!n) {
            const auto it = others.find(std::string(id));
            return it == others.end() ? nullptr : &it->second;
        }
        if (cursor >= by_number.size() || by_number[cursor].first > *n)
            cursor = 0;
        if (by_number[cursor].first != *n &&
            (cursor + 1 >= by_number.size() || by_number[cursor + 1].first != *n))
            cursor =
                std::size_t(std::lower_bound(by_number.begin() + std::ptrdiff_t(cursor), by_number.end(), *n,
                                             [](const auto& e, std::uint64_t k) { return e.first < k; }) -
                            by_number.begin());
        else if (by_number[cursor].first != *n)
            ++cursor;
        return cursor < by_number.size() && by_number[cursor].first == *n ? &by_number[cursor].second
                                                                          : nullptr;
    }
    template <class F> void each(F&& f) const {
        for (const auto& [n, a] : by_number)
            f(a);
        for (const auto& [id, a] : others)
            f(a);
    }
};

// One pass over the roster: the totals, and what later passes need per person.
Roster read_roster(SQLite::Database& db, const EventInfo& event, Figures& f) {
    Roster r;
    // Few categories and day lists: looked up without building a string per row.
    std::map<std::string, std::uint32_t, std::less<>> category_index, dayset_index;
    Scan q(db, "SELECT id, category, category_key, days, source, badge_version FROM attendees");
    while (q.next()) {
        AttendeeFacts facts;
        const std::string_view key = q.text(2), name = q.text(1), days = q.text(3);
        auto cat = category_index.find(key);
        if (cat == category_index.end()) {
            cat = category_index.emplace(std::string(key), std::uint32_t(r.category_names.size())).first;
            r.category_names.emplace_back(name);
        } else if (name < r.category_names[cat->second]) {
            r.category_names[cat->second] = std::string(name); // the same spelling whatever the row order
        }
        facts.category = cat->second;
        auto set = dayset_index.find(days);
        if (set == dayset_index.end()) {
            set = dayset_index.emplace(std::string(days), std::uint32_t(r.daysets.size())).first;
            const auto listed = split_days(std::string(days));
            std::vector<char> on(event.days.size());
            for (std::size_t i = 0; i < event.days.size(); ++i)
                on[i] = listed.empty() ||
                        std::find(listed.begin(), listed.end(), event.days[i].date) != listed.end();
            r.daysets.push_back(std::move(on));
        }
        facts.dayset = set->second;
        facts.walk_in = q.text(4) == "walk-in";
        f.attendees += 1;
        f.walk_ins += facts.walk_in;
        f.reprints += std::max<std::int64_t>(0, q.int64(5) - 1);
        const std::string_view id = q.text(0);
        if (const auto n = id_number(id))
            r.by_number.emplace_back(*n, facts);
        else
            r.others.emplace(std::string(id), facts);
    }
    std::sort(r.by_number.begin(), r.by_number.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return r;
}

struct DeviceTally {
    std::int64_t on_day = 0, total = 0;
    std::optional<Origin> origin; // of its arrivals, to name the role of a device not enrolled here
};

// Per event day: check-in events by day (all, and those undone).
struct EventCounts {
    std::map<std::string, std::int64_t, std::less<>> all, undone;
};

EventCounts count_checkin_events(SQLite::Database& db) {
    EventCounts c;
    CheckinPayloadReader reader;
    std::string scratch;
    auto add = [](auto& m, std::string_view day) {
        auto it = m.find(day);
        if (it == m.end())
            it = m.emplace(std::string(day), 0).first;
        ++it->second;
    };
    Scan all(db, "SELECT payload FROM journal WHERE kind = 4");
    std::map<std::string, std::int64_t, std::less<>>::iterator last_it = c.all.end();
    while (all.next()) {
        const auto day = checkin_day(all.text(0), reader, scratch);
        if (last_it != c.all.end() && day == last_it->first) {
            ++last_it->second; // events come in runs of the same day
            continue;
        }
        add(c.all, day);
        last_it = c.all.find(day);
    }
    // Each cancelled check-in once, however many undos name it, and only when it is here.
    Scan undone(db, "SELECT j.payload FROM (SELECT DISTINCT target_origin, target_seq FROM undos) u "
                    "JOIN journal j ON j.origin = u.target_origin AND j.seq = u.target_seq "
                    "WHERE j.kind = 4");
    while (undone.next())
        add(c.undone, checkin_day(undone.text(0), reader, scratch));
    return c;
}

std::int64_t count_of(const std::map<std::string, std::int64_t, std::less<>>& m, const std::string& day) {
    const auto it = m.find(day);
    return it == m.end() ? 0 : it->second;
}

// The chart of one day: its local midnight to the next (23 to 25 hours). An arrival stamped outside its
// own day (a kiosk's clock far off; any payload may be hostile) counts as arrived but stays off the
// chart, so one absurd time cannot stretch it over years of empty quarter-hours.
void fill_quarter_hours(DayFigures& d, const std::map<std::int64_t, std::int64_t>& quarters,
                        const std::string& tz) {
    const auto day_start = parse_instant(d.date + "T00:00", tz);
    const auto next = parse_instant(local_day(day_start.value_or(0) + 30 * 3600'000, tz) + "T00:00", tz);
    if (!day_start || !next)
        return;
    // Every zone's offset is a whole number of quarter-hours, so UTC quarter-hours are local ones.
    const auto first = quarters.lower_bound(*day_start / kQuarterMs);
    const auto end = quarters.lower_bound(*next / kQuarterMs);
    if (first == end)
        return;
    const std::int64_t last = std::prev(end)->first;
    for (std::int64_t q = first->first; q <= last; ++q) {
        const auto it = quarters.find(q);
        QuarterHour h{q * kQuarterMs, local_hh_mm(q * kQuarterMs, tz), it == quarters.end() ? 0 : it->second};
        if (h.arrivals > 0 && (!d.busiest || h.arrivals > d.busiest->arrivals))
            d.busiest = h;
        d.quarter_hours.push_back(std::move(h));
    }
}

void read_devices(Store& store, std::map<std::string, DeviceTally, std::less<>>& tallies,
                  const FiguresOptions& options, Figures& f) {
    std::map<std::string, DeviceFigures> out;
    SQLite::Statement q(store.db(), "SELECT name, role, enrolled_ms, last_contact_ms, pending, revoked_ms "
                                    "FROM sync_devices");
    while (q.executeStep()) {
        DeviceFigures d;
        d.name = q.getColumn(0).getString();
        d.role = q.getColumn(1).getString();
        if (!q.getColumn(3).isNull())
            d.last_contact_ms = q.getColumn(3).getInt64();
        d.pending = q.getColumn(4).getInt64();
        d.revoked = !q.getColumn(5).isNull();
        const std::int64_t since = d.last_contact_ms.value_or(q.getColumn(2).getInt64());
        if (!d.revoked && options.now_ms - since > options.offline_after_ms) {
            d.offline = true;
            d.offline_since_ms = since;
        }
        out.emplace(d.name, std::move(d));
    }
    const auto peers = sync::known_peers(store);
    for (const auto& [name, t] : tallies) {
        auto [it, fresh] = out.try_emplace(name);
        DeviceFigures& d = it->second;
        if (fresh) {
            d.name = name;
            const auto peer = t.origin ? peers.find(*t.origin) : peers.end();
            d.role = peer == peers.end() ? "" : sync::to_string(peer->second.role);
        }
        d.arrivals_on_day = t.on_day;
        d.arrivals_total = t.total;
    }
    for (auto& [name, d] : out)
        f.devices.push_back(std::move(d));
}

} // namespace

Figures compute_figures(Store& store, const FiguresOptions& options) {
    const EventInfo& event = store.event();
    if (!options.day.empty() && !is_valid_date(options.day))
        throw InputError("day", "\"" + options.day + "\" is not a date (expected YYYY-MM-DD)");
    auto& db = store.db();
    ReadSnapshot snapshot(db);

    Figures f;
    f.event_name = event.name;
    f.timezone = event.timezone;
    f.generated_ms = options.now_ms;
    f.today = local_day(options.now_ms, event.timezone);
    f.day = options.day.empty() ? f.today : options.day;

    const Roster roster = read_roster(db, event, f);
    const std::size_t n_days = event.days.size(), n_cats = roster.category_names.size();

    // Registered per day and category: per person, from the distinct day lists.
    std::vector<std::int64_t> cat_registered(n_cats), registered(n_days), cat_day_registered(n_cats * n_days),
        cat_day_arrived(n_cats * n_days), arrived(n_days), walk_ins(n_days);
    roster.each([&](const AttendeeFacts& a) {
        cat_registered[a.category] += 1;
        const auto& on = roster.daysets[a.dayset];
        for (std::size_t d = 0; d < n_days; ++d)
            if (on[d]) {
                registered[d] += 1;
                cat_day_registered[a.category * n_days + d] += 1;
            }
    });

    // Arrivals: one pass over the per-person-and-day summary.
    std::vector<std::map<std::int64_t, std::int64_t>> quarters(n_days);
    std::map<std::string, DeviceTally, std::less<>> devices;
    std::int64_t arrival_rows = 0;
    {
        Scan q(db, "SELECT attendee_id, day, first_at, first_kiosk, first_origin FROM checkin_days");
        std::size_t cursor = 0;
        while (q.next()) {
            ++arrival_rows;
            const auto day = q.text(1);
            std::size_t di = 0; // a few days: a linear look beats hashing the text
            while (di < n_days && event.days[di].date != day)
                ++di;
            const auto kiosk = q.text(3);
            auto device = devices.find(kiosk);
            if (device == devices.end())
                device = devices.emplace(std::string(kiosk), DeviceTally{}).first;
            device->second.total += 1;
            if (day == f.day)
                device->second.on_day += 1;
            if (!device->second.origin) {
                device->second.origin = q.origin(4);
            }
            if (di == n_days)
                continue; // a check-in outside the event's days
            arrived[di] += 1;
            const std::int64_t at = q.int64(2);
            quarters[di][at / kQuarterMs - (at % kQuarterMs < 0)] += 1; // floor, also before 1970
            const AttendeeFacts* a = roster.find(q.text(0), cursor);
            if (!a)
                continue; // a check-in of someone this store does not know (yet)
            cat_day_arrived[a->category * n_days + di] += 1;
            if (a->walk_in && roster.daysets[a->dayset][di])
                walk_ins[di] += 1;
        }
    }

    const EventCounts events = count_checkin_events(db);
    std::int64_t all_events = 0;
    for (const auto& [day, n] : events.all)
        all_events += n;
    for (const auto& [day, n] : events.undone)
        f.undos += n;
    f.duplicates = all_events - f.undos - arrival_rows;

    for (std::size_t d = 0; d < n_days; ++d) {
        DayFigures day;
        day.date = event.days[d].date;
        day.label = event.days[d].label;
        day.registered = registered[d];
        day.arrived = arrived[d];
        day.walk_ins = walk_ins[d];
        day.undos = count_of(events.undone, day.date);
        day.duplicates = count_of(events.all, day.date) - day.undos - day.arrived;
        if (day.date <= f.today && day.registered > 0)
            day.no_show_rate = 1.0 - double(day.arrived) / double(day.registered);
        fill_quarter_hours(day, quarters[d], event.timezone);
        f.days.push_back(std::move(day));
    }

    for (std::size_t c = 0; c < n_cats; ++c) {
        CategoryFigures cat;
        cat.category = roster.category_names[c];
        cat.registered = cat_registered[c];
        for (std::size_t d = 0; d < n_days; ++d)
            cat.days.push_back(
                {event.days[d].date, cat_day_registered[c * n_days + d], cat_day_arrived[c * n_days + d]});
        f.categories.push_back(std::move(cat));
    }
    std::sort(f.categories.begin(), f.categories.end(), [](const auto& a, const auto& b) {
        return a.registered != b.registered ? a.registered > b.registered : a.category < b.category;
    });

    read_devices(store, devices, options, f);
    return f;
}

ExpectedList expected_not_arrived(Store& store, const std::string& day, const std::string& query,
                                  std::size_t limit) {
    if (!is_valid_date(day))
        throw InputError("day", "\"" + day + "\" is not a date (expected YYYY-MM-DD)");
    auto& db = store.db();
    ReadSnapshot snapshot(db);
    ExpectedList out;
    if (query.empty()) {
        // Days lists hold whole dates between commas, so a date found in one is one of its days. The
        // day's arrivals are gathered once (NOT IN) rather than looked up person by person.
        SQLite::Statement q(db, "SELECT id, first_name, last_name, organisation, category, count(*) OVER () "
                                "FROM attendees WHERE (days = '' OR instr(days, ?1) > 0) AND id NOT IN "
                                "(SELECT attendee_id FROM checkin_days WHERE day = ?1) "
                                "ORDER BY last_name, first_name, id LIMIT ?2");
        q.bind(1, day);
        // At least one row, which says how many there are even when none is wanted.
        q.bind(2, std::int64_t(std::clamp<std::size_t>(limit, 1, std::size_t(INT64_MAX))));
        while (q.executeStep()) {
            out.total = q.getColumn(5).getInt64();
            if (out.people.size() < limit)
                out.people.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                                      q.getColumn(2).getString(), q.getColumn(3).getString(),
                                      q.getColumn(4).getString()});
        }
        return out;
    }
    // The desk's own matching (folded, by word prefixes): every match, then those still expected.
    const int everyone = db.execAndGet("SELECT count(*) FROM attendees").getInt();
    SQLite::Statement arrived(db, "SELECT 1 FROM checkin_days WHERE attendee_id = ? AND day = ?");
    std::vector<ExpectedPerson> matches;
    for (const auto& a : search_attendees(db, query, std::max(everyone, 1))) {
        if (!a.may_enter(day))
            continue;
        arrived.reset();
        arrived.bind(1, a.id);
        arrived.bind(2, day);
        if (arrived.executeStep())
            continue;
        matches.push_back({a.id, a.first_name, a.last_name, a.organisation, a.category});
    }
    arrived.reset();
    std::sort(matches.begin(), matches.end(), [](const auto& x, const auto& y) {
        return std::tie(x.last_name, x.first_name, x.id) < std::tie(y.last_name, y.first_name, y.id);
    });
    out.total = std::int64_t(matches.size());
    if (matches.size() > limit)
        matches.resize(limit);
    out.people = std::move(matches);
    return out;
}

namespace {
template <class T> nlohmann::json optional_json(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json quarter_json(const QuarterHour& q) {
    return {{"start_ms", q.start_ms}, {"label", q.label}, {"arrivals", q.arrivals}};
}
} // namespace

nlohmann::json to_json(const Figures& f) {
    nlohmann::json days = nlohmann::json::array();
    for (const auto& d : f.days) {
        nlohmann::json quarters = nlohmann::json::array();
        for (const auto& q : d.quarter_hours)
            quarters.push_back(quarter_json(q));
        days.push_back({{"date", d.date},
                        {"label", d.label},
                        {"registered", d.registered},
                        {"arrived", d.arrived},
                        {"walk_ins", d.walk_ins},
                        {"duplicates", d.duplicates},
                        {"undos", d.undos},
                        {"no_show_rate", optional_json(d.no_show_rate)},
                        {"quarter_hours", std::move(quarters)},
                        {"busiest", d.busiest ? quarter_json(*d.busiest) : nlohmann::json(nullptr)}});
    }
    nlohmann::json categories = nlohmann::json::array();
    for (const auto& c : f.categories) {
        nlohmann::json per_day = nlohmann::json::array();
        for (const auto& d : c.days)
            per_day.push_back({{"date", d.date}, {"registered", d.registered}, {"arrived", d.arrived}});
        categories.push_back(
            {{"category", c.category}, {"registered", c.registered}, {"days", std::move(per_day)}});
    }
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& d : f.devices)
        devices.push_back({{"name", d.name},
                           {"role", d.role},
                           {"arrivals_on_day", d.arrivals_on_day},
                           {"arrivals_total", d.arrivals_total},
                           {"last_contact_ms", optional_json(d.last_contact_ms)},
                           {"pending", d.pending},
                           {"offline", d.offline},
                           {"offline_since_ms", optional_json(d.offline_since_ms)},
                           {"revoked", d.revoked}});
    return {{"event_name", f.event_name},
            {"timezone", f.timezone},
            {"today", f.today},
            {"day", f.day},
            {"generated_ms", f.generated_ms},
            {"attendees", f.attendees},
            {"walk_ins", f.walk_ins},
            {"reprints", f.reprints},
            {"undos", f.undos},
            {"duplicates", f.duplicates},
            {"days", std::move(days)},
            {"categories", std::move(categories)},
            {"devices", std::move(devices)}};
}

nlohmann::json to_json(const ExpectedList& list) {
    nlohmann::json people = nlohmann::json::array();
    for (const auto& p : list.people)
        people.push_back({{"id", p.id},
                          {"first_name", p.first_name},
                          {"last_name", p.last_name},
                          {"organisation", p.organisation},
                          {"category", p.category}});
    return {{"total", list.total}, {"people", std::move(people)}};
}

} // namespace accueil
