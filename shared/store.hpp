#pragma once
// The local store: one SQLite file, its origin, its hybrid logical clock and the single local writer
// that appends journal events and applies them to the projections in the same transaction.
#include "database.hpp"
#include "event_calendar.hpp"
#include "hlc.hpp"
#include "journal.hpp"
#include "projection.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace accueil {

// What a store that was given no kiosk name calls itself (the organisers' machine).
inline constexpr const char* kMainDeskName = "poste principal";

struct EventSpec {
    std::string name;
    std::string timezone = "Europe/Paris";
    std::vector<EventDay> days;
};

class AttendeeSearch;

class Store {
public:
    // Creates a new database with a fresh origin and defines its event. Refuses an existing file.
    static Store create(const std::string& path, const EventSpec& spec, WallClock wall = system_wall_ms);
    // Opens an existing database (migrating an older schema, refusing a newer one).
    static Store open(const std::string& path, WallClock wall = system_wall_ms);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    SQLite::Database& db() { return *db_; }
    // The name search on this store's connection, its statements prepared at the first use
    // (shared/search.hpp): for the desk and the kiosk, which search on every key typed.
    AttendeeSearch& attendee_search();
    const std::string& path() const { return path_; }
    const Origin& origin() const { return origin_; }
    Hlc& clock() { return clock_; }
    std::int64_t wall_ms() const { return wall_(); }

    // Appends a local event stamped now and applies it. Call inside a WriteTransaction; the HLC is
    // persisted in that same transaction, so it never goes backwards across restarts.
    JournalEvent append(EventKind kind, const std::string& entity, const nlohmann::json& payload);
    // While a Batch lives (inside one WriteTransaction that holds the write lock), appends take the
    // next seq and the clock from memory instead of re-reading them: bulk imports append 100,000 events.
    class Batch {
    public:
        explicit Batch(Store& s);
        ~Batch() { store_.batch_next_seq_ = 0; }
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;

    private:
        Store& store_;
    };

    // Inside a Batch, for a bulk import of attendees: the search index rows of the people created
    // meanwhile are written together by finish(), the clock is persisted once there, and with
    // `set_aside_triggers` the summary tables the attendee triggers keep are refilled set-wise
    // (AttendeeTriggersAside, projection.hpp). Call finish() before the commit; without it, roll back.
    class BulkLoad {
    public:
        BulkLoad(Store& s, bool set_aside_triggers);
        ~BulkLoad();
        void finish();
        BulkLoad(const BulkLoad&) = delete;
        BulkLoad& operator=(const BulkLoad&) = delete;

    private:
        Store& store_;
        std::int64_t first_num_ = 0;
        std::unique_ptr<AttendeeTriggersAside> triggers_;
    };

    const EventInfo& event() const { return event_; }
    void reload_event();

    std::string kiosk_name(); // kMainDeskName when none was given
    void set_kiosk_name(const std::string& name);

    std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);

private:
    Store(std::string path, SQLite::Database db, WallClock wall);
    void load_clock();
    void save_clock();
    std::int64_t read_next_seq();
    BorrowedStatement cached(const char* sql);

    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
    WallClock wall_;
    Hlc clock_;
    Origin origin_{};
    EventInfo event_;
    std::unique_ptr<Projector> projector_;
    std::unique_ptr<JournalInserter> inserter_;
    // Statements of the hot write path, prepared once: an import appends 100,000 events in a row.
    std::map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
    std::int64_t batch_next_seq_ = 0; // 0: not in a Batch
    bool bulk_ = false;               // in a BulkLoad: the clock is saved by its finish()
    std::unique_ptr<AttendeeSearch> search_;
};

} // namespace accueil
