#include "figures.hpp"

#include "attendee.hpp"
#include "checkin_payload.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "scan.hpp"
#include "search.hpp"
#include "sync/peers.hpp"

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

// The roster from roster_counts (one row per category spelling, days list and walk-in): the totals,
// and per category and event day who is registered.
struct RosterCounts {
    std::vector<std::string> category_names;                          // by category index
    std::map<std::string, std::uint32_t, std::less<>> category_index; // by category_key
    std::vector<std::int64_t> cat_registered, registered,
        cat_day_registered; // [cat], [day], [cat * days + day]
};

RosterCounts read_roster(SQLite::Database& db, const EventInfo& event, Figures& f) {
    RosterCounts r;
    const std::size_t n_days = event.days.size();
    r.registered.assign(n_days, 0);
    struct Row {
        std::uint32_t category;
        std::string days;
        std::int64_t people;
    };
    std::vector<Row> rows;
    Scan q(db, "SELECT category_key, category, days, walk_in, people, reprints FROM roster_counts");
    while (q.next()) {
        const std::string_view key = q.text(0), name = q.text(1);
        auto cat = r.category_index.find(key);
        if (cat == r.category_index.end()) {
            cat = r.category_index.emplace(std::string(key), std::uint32_t(r.category_names.size())).first;
            r.category_names.emplace_back(name);
        } else if (name < r.category_names[cat->second]) {
            r.category_names[cat->second] = std::string(name); // the same spelling whatever the row order
        }
        const std::int64_t people = q.int64(4);
        f.attendees += people;
        if (q.int64(3) != 0)
            f.walk_ins += people;
        f.reprints += q.int64(5);
        rows.push_back({cat->second, std::string(q.text(2)), people});
    }
    const std::size_t n_cats = r.category_names.size();
    r.cat_registered.assign(n_cats, 0);
    r.cat_day_registered.assign(n_cats * n_days, 0);
    for (const auto& row : rows) {
        r.cat_registered[row.category] += row.people;
        const auto listed = split_days(row.days); // an empty list: every day
        for (std::size_t d = 0; d < n_days; ++d)
            if (listed.empty() ||
                std::find(listed.begin(), listed.end(), event.days[d].date) != listed.end()) {
                r.registered[d] += row.people;
                r.cat_day_registered[row.category * n_days + d] += row.people;
            }
    }
    return r;
}

struct DeviceTally {
    std::int64_t on_day = 0, total = 0;
};

// Per check-in day: check-in events (all, and those undone), from checkin_counts.
struct EventCounts {
    std::map<std::string, std::int64_t, std::less<>> all, undone;
};

EventCounts count_checkin_events(SQLite::Database& db) {
    EventCounts c;
    Scan q(db, "SELECT day, events, undone FROM checkin_counts");
    while (q.next()) {
        c.all.emplace(std::string(q.text(0)), q.int64(1));
        c.undone.emplace(std::string(q.text(0)), q.int64(2));
    }
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
    SQLite::Statement origin_of(store.db(),
                                "SELECT first_origin FROM checkin_days WHERE first_kiosk = ? LIMIT 1");
    for (const auto& [name, t] : tallies) {
        auto [it, fresh] = out.try_emplace(name);
        DeviceFigures& d = it->second;
        if (fresh) {
            // A name not enrolled here (few, if any): the origin of its first arrival in checkin_days
            // order names the peer whose role it takes.
            d.name = name;
            origin_of.reset();
            origin_of.bind(1, name);
            std::optional<Origin> origin;
            if (origin_of.executeStep()) {
                const auto b = origin_of.getColumn(0);
                origin = origin_from_blob(b.getBlob(), b.getBytes());
            }
            const auto peer = origin ? peers.find(*origin) : peers.end();
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
        throw InputError("day", i18n::tr("cli.calendar.not_a_date", {{"date", options.day}}));
    auto& db = store.db();
    ReadSnapshot snapshot(db);

    Figures f;
    f.event_name = event.name;
    f.timezone = event.timezone;
    f.generated_ms = options.now_ms;
    f.today = local_day(options.now_ms, event.timezone);
    f.day = options.day.empty() ? f.today : options.day;

    const RosterCounts roster = read_roster(db, event, f);
    const std::size_t n_days = event.days.size(), n_cats = roster.category_names.size();
    const auto& registered = roster.registered;
    std::vector<std::int64_t> cat_day_arrived(n_cats * n_days), arrived(n_days), walk_ins(n_days);

    // Arrivals: the summary of checkin_days by day, quarter-hour, kiosk and attendee category.
    std::vector<std::map<std::int64_t, std::int64_t>> quarters(n_days);
    std::map<std::string, DeviceTally, std::less<>> devices;
    std::int64_t arrival_rows = 0;
    {
        Scan q(db, "SELECT day, quarter, kiosk, known, category_key, walk_in, arrivals FROM arrival_counts");
        while (q.next()) {
            const std::int64_t n = q.int64(6);
            arrival_rows += n;
            const auto day = q.text(0);
            std::size_t di = 0; // a few days: a linear look beats hashing the text
            while (di < n_days && event.days[di].date != day)
                ++di;
            const auto kiosk = q.text(2);
            auto device = devices.find(kiosk);
            if (device == devices.end())
                device = devices.emplace(std::string(kiosk), DeviceTally{}).first;
            device->second.total += n;
            if (day == f.day)
                device->second.on_day += n;
            if (di == n_days)
                continue; // a check-in outside the event's days
            arrived[di] += n;
            quarters[di][q.int64(1)] += n;
            if (q.int64(3) == 0)
                continue; // check-ins of someone this store does not know (yet)
            const auto cat = roster.category_index.find(q.text(4));
            if (cat != roster.category_index.end())
                cat_day_arrived[cat->second * n_days + di] += n;
            if (q.int64(5) != 0) // a walk-in registered for that day
                walk_ins[di] += n;
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
        cat.registered = roster.cat_registered[c];
        for (std::size_t d = 0; d < n_days; ++d)
            cat.days.push_back({event.days[d].date, roster.cat_day_registered[c * n_days + d],
                                cat_day_arrived[c * n_days + d]});
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
        throw InputError("day", i18n::tr("cli.calendar.not_a_date", {{"date", day}}));
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
