#include "store.hpp"

#include "database.hpp"
#include "errors.hpp"
#include "i18n/catalogue.hpp"
#include "search.hpp"

#include <filesystem>

namespace accueil {

Store::Store(std::string path, SQLite::Database db, WallClock wall)
    : path_(std::move(path)), db_(std::make_unique<SQLite::Database>(std::move(db))), wall_(wall),
      clock_(wall), projector_(std::make_unique<Projector>(*db_)),
      inserter_(std::make_unique<JournalInserter>(*db_)) {}

Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

AttendeeSearch& Store::attendee_search() {
    if (!search_)
        search_ = std::make_unique<AttendeeSearch>(*db_);
    return *search_;
}

Store Store::create(const std::string& path, const EventSpec& spec, WallClock wall) {
    if (spec.name.empty())
        throw InputError("", i18n::tr("cli.store.no_name"));
    if (spec.days.empty())
        throw InputError("", i18n::tr("cli.store.no_days"));
    if (!is_valid_timezone(spec.timezone))
        throw InputError("", i18n::tr("cli.store.unknown_timezone", {{"timezone", spec.timezone}}));
    if (std::filesystem::exists(path))
        throw StoreError(i18n::tr("cli.store.exists", {{"path", path}}));
    Store s(path, open_database(path, OpenMode::CreateIfMissing), wall);
    WriteTransaction tx(s.db());
    s.origin_ = random_origin();
    SQLite::Statement ins(s.db(), "INSERT INTO meta (key, value) VALUES ('origin', ?)");
    ins.bind(1, s.origin_.data(), int(s.origin_.size()));
    ins.exec();
    nlohmann::json days = nlohmann::json::array();
    for (const auto& d : spec.days)
        days.push_back({{"date", d.date}, {"label", d.label}});
    s.append(EventKind::EventDefined, "event",
             {{"uid", to_hex(random_origin()).substr(0, 16)},
              {"name", spec.name},
              {"timezone", spec.timezone},
              {"days", days}});
    tx.commit();
    s.reload_event();
    return s;
}

Store Store::open(const std::string& path, WallClock wall) {
    Store s(path, open_database(path, OpenMode::MustExist), wall);
    SQLite::Statement q(s.db(), "SELECT value FROM meta WHERE key = 'origin'");
    if (!q.executeStep())
        throw StoreError(i18n::tr("cli.store.no_origin", {{"path", path}}));
    const auto blob = q.getColumn(0);
    s.origin_ = origin_from_blob(blob.getBlob(), blob.getBytes());
    s.load_clock();
    s.reload_event();
    return s;
}

void Store::reload_event() {
    auto e = load_event_info(*db_);
    event_ = e ? *e : EventInfo{};
}

BorrowedStatement Store::cached(const char* sql) {
    auto& slot = statements_[sql];
    if (!slot)
        slot = std::make_unique<SQLite::Statement>(*db_, sql);
    slot->reset();
    return BorrowedStatement(*slot);
}

void Store::load_clock() {
    auto q = cached("SELECT value FROM meta WHERE key = 'hlc'");
    if (q->executeStep())
        clock_.restore(std::uint64_t(q->getColumn(0).getInt64()));
}

void Store::save_clock() {
    auto q = cached("INSERT INTO meta (key, value) VALUES ('hlc', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q->bind(1, std::int64_t(clock_.last()));
    q->exec();
}

Store::Batch::Batch(Store& s) : store_(s) {
    store_.load_clock();
    store_.batch_next_seq_ = store_.read_next_seq();
}

Store::BulkLoad::BulkLoad(Store& s, bool set_aside_triggers) : store_(s) {
    first_num_ = store_.db().execAndGet("SELECT coalesce(max(num), 0) + 1 FROM attendees").getInt64();
    if (set_aside_triggers)
        triggers_ = std::make_unique<AttendeeTriggersAside>(store_.db());
    store_.projector_->defer_search_index(true);
    store_.bulk_ = true;
}

Store::BulkLoad::~BulkLoad() {
    store_.projector_->defer_search_index(false);
    store_.bulk_ = false;
}

void Store::BulkLoad::finish() {
    store_.projector_->defer_search_index(false);
    store_.bulk_ = false;
    index_new_attendees(store_.db(), first_num_);
    if (triggers_)
        triggers_->finish();
    store_.save_clock();
}

std::int64_t Store::read_next_seq() {
    auto q = cached("SELECT coalesce(max(seq), 0) + 1 FROM journal WHERE origin = ?");
    q->bind(1, origin_.data(), int(origin_.size()));
    q->executeStep();
    return q->getColumn(0).getInt64();
}

JournalEvent Store::append(EventKind kind, const std::string& entity, const nlohmann::json& payload) {
    JournalEvent e;
    e.origin = origin_;
    if (batch_next_seq_ > 0) {
        e.seq = batch_next_seq_++;
    } else {
        // Another process (the sync agent) may have advanced the persisted clock: read it back first.
        load_clock();
        e.seq = read_next_seq();
    }
    e.hlc = clock_.now();
    e.kind = kind;
    e.entity = entity;
    e.payload = payload.dump();
    inserter_->insert(e);
    projector_->apply(e, &payload);
    if (!bulk_)
        save_clock();
    return e;
}

std::optional<std::string> Store::meta(const std::string& key) {
    SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getString();
}

void Store::set_meta(const std::string& key, const std::string& value) {
    SQLite::Statement q(*db_, "INSERT INTO meta (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
}

std::string Store::kiosk_name() {
    auto n = meta("kiosk_name");
    return n ? *n : std::string(kMainDeskName);
}

void Store::set_kiosk_name(const std::string& name) {
    WriteTransaction tx(*db_);
    set_meta("kiosk_name", name);
    tx.commit();
}

} // namespace accueil
