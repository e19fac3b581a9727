#include "report/attendance.hpp"

#include "errors.hpp"

namespace accueil::report {

void for_each_arrival(Store& store, const std::string& day,
                      const std::function<void(const AttendanceRow&)>& each) {
    const EventInfo& event = store.event();
    if (!day.empty() && !event.has_day(day)) {
        std::string days;
        for (const auto& d : event.dates())
            days += (days.empty() ? "" : ", ") + d;
        throw InputError("--day " + day, "not a day of the event; its days are " + days);
    }
    // checkin_days holds, per person and day, the first check-in not undone: exactly one row each.
    SQLite::Statement q(store.db(), "SELECT a.last_name, a.first_name, a.email, a.organisation, a.category, "
                                    "k.day, k.first_at, k.first_kiosk FROM checkin_days k "
                                    "JOIN attendees a ON a.id = k.attendee_id "
                                    "WHERE ?1 = '' OR k.day = ?1 "
                                    "ORDER BY k.day, k.first_at, a.last_name, a.first_name, a.id");
    q.bind(1, day);
    while (q.executeStep())
        each({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
              q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
              local_hh_mm(q.getColumn(6).getInt64(), event.timezone), q.getColumn(7).getString()});
}

AttendanceCsv attendance_csv(Store& store, const std::string& day, CsvStyle style, Lang lang) {
    CsvWriter csv(style);
    const bool fr = lang == Lang::Fr;
    for (const char* column :
         {fr ? "Nom" : "Last name", fr ? "Prénom" : "First name", fr ? "E-mail" : "E-mail",
          fr ? "Organisation" : "Organisation", fr ? "Catégorie" : "Category", fr ? "Jour" : "Day",
          fr ? "Heure d'arrivée" : "Arrival time", fr ? "Appareil" : "Device"})
        csv.plain(column);
    csv.end_row();
    std::size_t rows = 0;
    for_each_arrival(store, day, [&](const AttendanceRow& r) {
        csv.text(r.last_name).text(r.first_name).text(r.email).text(r.organisation).text(r.category);
        csv.plain(r.day).plain(r.time).text(r.device);
        csv.end_row();
        ++rows;
    });
    return {csv.str(), rows};
}

} // namespace accueil::report
