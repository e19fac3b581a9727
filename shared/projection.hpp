#pragma once
// Applies journal events to the projection tables (attendees, checkin_days, undos, search index,
// event_info; check-ins themselves are the journal's, through the checkins view). Application is
// commutative and idempotent per event: a day keeps its earliest check-in not undone, undos name their
// target, attendee fields are last-writer-wins by (hlc, origin). Callers own the transaction.
#include "attendee_payload.hpp"
#include "checkin_payload.hpp"
#include "database.hpp"
#include "journal.hpp"
#include "scan.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <absl/container/flat_hash_map.h>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace accueil {

class Projector {
public:
    explicit Projector(SQLite::Database& db) : db_(db) {}
    // For rebuilds: checkin_days is not kept event by event (each undo would rescan the journal's
    // check-ins); the caller fills it with one statement at the end.
    void defer_checkin_days() { defer_days_ = true; }
    // `parsed` is the payload already parsed, when the caller has it (local appends): saves a parse.
    void apply(const JournalEvent& e, const nlohmann::json* parsed = nullptr);
    // A check-in whose payload the caller has already read (the sync door reads every one).
    void apply_checkin(const JournalEvent& e, CheckinPayload p);
    // For the merge, with hold_counts(): a run of check-ins is collected and applied set-wise when
    // another kind of event comes or at flush_counts(): one undos query per origin instead of one per
    // event, and one checkin_days write attempt per (attendee, day) instead of three statements per
    // event. The result is the same as event by event: a day keeps its earliest check-in not undone.
    void batch_checkins() { batch_checkins_ = true; }
    // For a long-lived merge, with batch_checkins(): each (attendee, day)'s first check-in order is kept
    // in memory once committed, so that a batch's check-ins of days whose row already holds an earlier
    // one are passed over without reading the row (most of a busy desk's batches). Safe because a row
    // only ever moves earlier, except by an undo or a rebuild, which count themselves in the store
    // (meta's days_raised): when that count changes, everything remembered is forgotten. Call
    // committed() after each commit: what a batch learnt is kept only then.
    void remember_day_orders() { remember_days_ = true; }
    void committed();
    // checkin_counts (check-in events and undone ones per day) is written after each event, unless
    // hold_counts() was called: then the changes add up in memory until flush_counts() writes them
    // (the merge, once per batch, just before its commit) or discard_counts() drops them (a rollback).
    void hold_counts() { hold_counts_ = true; }
    // For bulk imports (Store::BulkLoad): attendees created meanwhile get no search index row; the
    // caller writes them all at once with index_new_attendees() before its commit.
    void defer_search_index(bool on) { defer_search_ = on; }
    void flush_counts();
    void discard_counts() {
        day_orders_pending_.clear();
        pending_checkins_.clear();
        pending_counts_.clear();
        pending_arrivals_.clear();
    }

private:
    void apply_event_defined(const JournalEvent& e, const nlohmann::json& p);
    void apply_attendee_fields(const JournalEvent& e, const nlohmann::json& p);
    // A new attendees row for `a` (the caller found none under e.entity): its row number.
    std::int64_t insert_attendee(const JournalEvent& e, const Attendee& a);
    void index_attendee(std::int64_t num, const Attendee& a); // unless deferred
    // Row `num` of attendee_search and, when `names_too`, of attendee_names (shared/schema.cpp).
    void write_search_rows(std::int64_t num, const std::string& names, const std::string& organisation,
                           const std::string& email, bool names_too);
    // The row of a creation, when there is none yet; false (nothing written) when there is.
    bool create_new_attendee(const JournalEvent& e, const Attendee& a);
    void apply_checkin_now(const JournalEvent& e, const CheckinPayload& p);
    void flush_checkins();
    void replace_if_earlier(const std::string& entity, const CheckinPayload& p, std::uint64_t hlc,
                            const Origin& origin, std::int64_t seq);
    void replace_day(const std::string& entity, const CheckinPayload& p, std::uint64_t hlc,
                     const Origin& origin, std::int64_t seq, std::int64_t old_at,
                     const std::string& old_kiosk);
    void apply_undo(const JournalEvent& e, const nlohmann::json& p);
    void apply_note(const JournalEvent& e, const nlohmann::json& p);
    void recount_day(const std::string& attendee_id, const std::string& day);
    void count_checkin(const std::string& day, std::int64_t events, std::int64_t undone);
    // A checkin_days row added (+1) or removed (-1), for arrival_counts.
    void count_arrival(const std::string& attendee_id, const std::string& day, std::int64_t at,
                       const std::string& kiosk, std::int64_t delta);
    void flush_arrivals();
    void reindex(std::int64_t num);
    // Prepared once per connection, looked up by the literal's address (no string built per event).
    BorrowedStatement stmt(const char* sql);
    BorrowedStatement field_update(const std::string& field); // "UPDATE attendees SET <field> ..."

    SQLite::Database& db_;
    std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> cache_;
    std::map<std::string, std::unique_ptr<SQLite::Statement>> field_updates_;
    CheckinPayloadReader checkin_reader_;
    AttendeePayloadReader attendee_reader_;
    bool defer_days_ = false;
    bool defer_search_ = false;
    bool hold_counts_ = false;
    bool batch_checkins_ = false;
    struct PendingCheckin {
        std::string entity;
        CheckinPayload p;
        std::uint64_t hlc = 0;
        Origin origin{};
        std::int64_t seq = 0;
    };
    std::vector<PendingCheckin> pending_checkins_;
    struct DayChange {
        const PendingCheckin* checkin = nullptr;
        bool replaces = false; // else a new row
        std::int64_t old_at = 0;
        std::string old_kiosk;
    };
    std::unique_ptr<Scan> day_walk_; // prepared on the first batch
    // A day's first check-in as checkin_days orders it: (at, hlc as stored, origin, seq).
    using DayOrder = std::tuple<std::int64_t, std::int64_t, Origin, std::int64_t>;
    static DayOrder order_of(const PendingCheckin& c);
    // See remember_day_orders(). Keyed by the attendee id's 60 bits and the day as YYYYMMDD: exact, and
    // no string to reach in memory; days of other ids are not remembered. Bounded (kMaxRememberedDays).
    // A flat table (keys and orders in one array): each check-in of a batch is looked up, and
    // std::unordered_map's pointer per node made those look-ups 5 % of a merge, against 2.5 %.
    struct DayKey {
        std::uint64_t attendee = 0;
        std::uint32_t day = 0;
        bool operator==(const DayKey&) const = default;
    };
    struct DayKeyHash {
        std::size_t operator()(const DayKey& k) const {
            return std::size_t(k.attendee ^ (std::uint64_t(k.day) * 0x9E3779B97F4A7C15ull));
        }
    };
    static std::optional<DayKey> day_key(std::string_view attendee, std::string_view day);
    bool remember_days_ = false;
    absl::flat_hash_map<DayKey, DayOrder, DayKeyHash> day_orders_;
    std::vector<std::pair<DayKey, DayOrder>> day_orders_pending_; // this transaction's, until committed()
    std::int64_t day_orders_generation_ = -1;                     // days_raised they were read under
    bool day_orders_current();                                    // forgets them all when days_raised changed
    void learn_day_order(std::string_view attendee, std::string_view day, const DayOrder& order);
    std::vector<DayChange> read_day_rows(
        const std::map<std::pair<std::string_view, std::string_view>, const PendingCheckin*>& first);
    struct DayCounts {
        std::int64_t events = 0, undone = 0;
    };
    std::map<std::string, DayCounts, std::less<>> pending_counts_;
    struct ArrivalDelta {
        std::string day, kiosk;
        std::int64_t quarter = 0, delta = 0;
    };
    std::map<std::string, std::vector<ArrivalDelta>> pending_arrivals_; // by attendee id
};

// The checkin_days rows of the check-ins matching `where` (a condition on the checkins view),
// computed from scratch: for the schema migration, undos and rebuilds.
std::string checkin_days_select(const std::string& where);

// Empties the figures' summary tables (checkin_counts, arrival_counts, roster_counts) and fills them
// from scratch from the journal, checkin_days and attendees: for the schema migration and rebuilds.
void fill_summary_tables(SQLite::Database& db);

// The search index rows of the attendees numbered `first_num` or more that have none yet: those
// created while a Projector deferred them (defer_search_index). Call inside the same transaction.
void index_new_attendees(SQLite::Database& db, std::int64_t first_num);

// A bulk write of attendees (a big roster import) inside the caller's transaction: the attendee triggers
// that keep arrival_counts and roster_counts row by row (shared/schema.cpp, version 8; two trigger runs
// per person) are set aside, and finish() fills both tables again from scratch, as rebuild_projections
// does, then restores the triggers. Without finish() the caller must roll back (DDL is transactional).
class AttendeeTriggersAside {
public:
    explicit AttendeeTriggersAside(SQLite::Database& db);
    void finish();
    AttendeeTriggersAside(const AttendeeTriggersAside&) = delete;
    AttendeeTriggersAside& operator=(const AttendeeTriggersAside&) = delete;

private:
    SQLite::Database& db_;
    std::vector<std::string> triggers_;
};

// Empties every projection and replays the whole journal. Runs in its own transaction.
void rebuild_projections(SQLite::Database& db);

} // namespace accueil
