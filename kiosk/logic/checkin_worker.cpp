#include "checkin_worker.hpp"

#include "capture.hpp"  // wall_ms
#include "desk_ops.hpp" // badge_code_of
#include "event_calendar.hpp"
#include "join_runner.hpp"
#include "organiser_pin.hpp"
#include "search.hpp"
#include "store.hpp"
#include "sync/devices.hpp"
#include "sync/protocol.hpp"
#include "text_fold.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <utility>

namespace accueil::kiosk {

VerdictInfo verdict_info(const CheckinResult& r, const std::string& timezone) {
    VerdictInfo v;
    v.verdict = r.verdict;
    if (r.attendee)
        v.first_name = r.attendee->first_name;
    if (r.verdict == Verdict::AlreadyCheckedIn) {
        v.first_hh_mm = local_hh_mm(r.first_at_ms, timezone);
        v.first_kiosk = r.first_kiosk;
    }
    // An attention note: the kiosk admits them and sends them to the desk, never saying why.
    v.see_desk = r.verdict == Verdict::Admitted && r.attendee && r.attendee->has_note;
    return v;
}

RosterWords roster_words(Store& store) {
    RosterWords words;
    SQLite::Statement q(store.db(), "SELECT first_name, last_name, email, organisation FROM attendees");
    while (q.executeStep())
        for (int i = 0; i < 4; ++i)
            words.add(q.getColumn(i).getString());
    return words;
}

std::vector<Match> masked_search(Store& store, const std::string& query, std::size_t limit,
                                 std::uint32_t salt, const RosterWords* roster) {
    std::optional<RosterWords> read_here;
    std::vector<Match> out;
    const auto words = fold_words(query);
    for (const auto& a : store.attendee_search().find(query, int(limit) * 4)) {
        // Names only: typing a company or a mail domain must not list who came from there.
        const auto name_words = fold_words(a.first_name + " " + a.last_name);
        const bool by_name = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
            return std::any_of(name_words.begin(), name_words.end(),
                               [&](const std::string& n) { return n.rfind(w, 0) == 0; });
        });
        if (!by_name)
            continue;
        if (out.size() == limit)
            break;
        Match m;
        m.attendee_id = a.id;
        m.masked_name = mask_name(a.first_name, a.last_name);
        if (m.masked_name.empty())
            continue; // nothing to show without exposing something else
        if (!roster)
            roster = &read_here.emplace(roster_words(store));
        auto q = make_identity_question(a.last_name, *roster, identity_seed(store.event().uid, a.id) ^ salt);
        m.options = std::move(q.options);
        m.correct = q.correct;
        out.push_back(std::move(m));
    }
    return out;
}

SyncState read_sync_state(Store& store) {
    SyncState s;
    if (const auto online = store.meta("sync.online")) {
        s.known = true;
        s.online = *online == "1" || *online == "true" || *online == "online";
    }
    if (const auto pending = store.meta("sync.pending")) {
        s.known = true;
        try {
            s.pending = std::stoll(*pending);
        } catch (const std::exception&) {
            s.pending = 0;
        }
    }
    return s;
}

bool is_busy_error(const std::exception& e) {
    if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
        const int primary = se->getErrorCode() & 0xff;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    }
    return false;
}

CheckinWorker::CheckinWorker(std::string db_path, Mailbox& mailbox, WorkerOptions options, PrintFn print)
    : db_path_(std::move(db_path)), mailbox_(mailbox), print_(std::move(print)), opt_(options) {
    thread_ = std::thread([this] { run(); });
}

CheckinWorker::~CheckinWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void CheckinWorker::submit(WorkerJob job) {
    {
        std::lock_guard lock(mutex_);
        if (down_)
            return; // the kiosk is out of order (it was told): nobody waits for this answer
        if (std::holds_alternative<StartSearch>(job)) // only the newest query matters
            std::erase_if(jobs_, [](const WorkerJob& j) { return std::holds_alternative<StartSearch>(j); });
        jobs_.push_back(std::move(job));
        busy_ = true;
    }
    cv_.notify_one();
}

std::string CheckinWorker::timezone() const {
    std::lock_guard lock(mutex_);
    return timezone_;
}

std::string CheckinWorker::kiosk_name() const {
    std::lock_guard lock(mutex_);
    return kiosk_name_;
}

bool CheckinWorker::wait_ready(int timeout_ms) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return ready_ || stop_; }) &&
           ready_;
}

bool CheckinWorker::running() const {
    std::lock_guard lock(mutex_);
    return ready_ && !down_;
}

namespace {
// Device and inode of a file; zeros when it is not there.
std::pair<std::uint64_t, std::uint64_t> file_id(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return {0, 0};
    return {std::uint64_t(st.st_dev), std::uint64_t(st.st_ino)};
}

// A failure of the store itself (not a busy database, not a bad job): worth opening it again.
struct StoreFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};
} // namespace

void CheckinWorker::run() {
    // The supervisor: whatever ends serve() but a stop (the store cannot be opened, a disk error, a bug)
    // puts the kiosk out of order, and the store is opened again after 1 s, 2 s, 4 s ... at most 30 s.
    bool opened_once = false;
    for (int failures = 0;;) {
        try {
            // A kiosk started on a database that does not exist yet is a new one: it waits, with an
            // empty roster, for the enrolment code. Once it had a database, a missing one is a failure.
            serve(!opened_once && failures == 0);
            return; // stopped
        } catch (const std::exception& e) {
            went_down(e.what());
        } catch (...) {
            went_down("unknown error");
        }
        {
            std::lock_guard lock(mutex_);
            if (ready_) // it had been open: a new run of failures
                failures = 0;
            opened_once = opened_once || ready_;
            ready_ = false;
        }
        ++failures;
        const int backoff = std::min<std::int64_t>(
            std::int64_t(opt_.min_backoff_ms) << std::min(failures - 1, 20), opt_.max_backoff_ms);
        std::unique_lock lock(mutex_);
        if (cv_.wait_for(lock, std::chrono::milliseconds(backoff), [&] { return stop_; }))
            return;
    }
}

void CheckinWorker::went_down(const std::string& what) {
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        first = !down_;
        down_ = true;
        jobs_.clear(); // the screen sent those people to the desk
        busy_ = false;
    }
    cv_.notify_all();
    if (first) {
        spdlog::error("check-in worker stopped: {}; opening the database again", what);
        mailbox_.push(WorkerState{false, what});
    } else {
        spdlog::warn("the database still fails: {}", what);
    }
}

void CheckinWorker::serve(bool first_run) {
    std::optional<Store> store;
    std::pair<std::uint64_t, std::uint64_t> opened_file{0, 0};
    if (first_run && !std::filesystem::exists(db_path_)) {
        // Not set up (a new kiosk, or a mistyped --db): nothing is created here, so a wrong path leaves
        // no stray database behind. `accueil-sync join`, run when the enrolment code is shown, makes it.
        spdlog::info("no database at {} yet: the kiosk is not set up and waits for its enrolment code",
                     db_path_);
    } else {
        try {
            store.emplace(Store::open(db_path_));
        } catch (const std::exception& e) {
            throw StoreFailed(std::string("cannot open the database: ") + e.what());
        }
        // The file this connection has open: if it is removed or replaced (a restore, a clean-up
        // script), check-ins would go to a file nobody reads any more, so that is a failure too.
        opened_file = file_id(db_path_);
    }
    const auto same_file = [&] { return file_id(db_path_) == opened_file; };
    bool was_down = false;
    {
        std::lock_guard lock(mutex_);
        if (store) {
            timezone_ = store->event().timezone;
            kiosk_name_ = store->kiosk_name();
        }
        ready_ = true;
        was_down = std::exchange(down_, false);
    }
    cv_.notify_all();
    roster_version_ = -1;
    if (was_down) {
        spdlog::info("database open again: the kiosk is back in service");
        mailbox_.push(WorkerState{true, ""});
    }
    last_setup_.reset();
    report_setup(store ? &*store : nullptr);
    if (store) {
        last_sync_ = read_sync_state(*store);
        mailbox_.push(last_sync_);
    }
    for (;;) {
        WorkerJob job;
        {
            std::unique_lock lock(mutex_);
            busy_ = !jobs_.empty();
            cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
            if (stop_)
                return;
            job = jobs_.front();
        }
        const bool had_store = store.has_value();
        if (had_store && !same_file())
            throw StoreFailed("the database file " + db_path_ + " was removed or replaced");
        // Retry while another process (the sync agent, a second kiosk) holds the write lock; the job
        // stays at the head of the queue until it went through, so the scan is never dropped.
        for (int attempt = 0;; ++attempt) {
            try {
                process(store, job);
                break;
            } catch (const SQLite::Exception& e) {
                if (!is_busy_error(e))
                    throw StoreFailed(e.what()); // unreadable, removed, corrupt, full: open it again
                spdlog::warn("database busy, retrying ({})", e.what());
                std::unique_lock lock(mutex_);
                if (cv_.wait_for(lock, std::chrono::milliseconds(std::min(50 << std::min(attempt, 4), 1000)),
                                 [&] { return stop_; }))
                    return;
            } catch (const std::exception& e) {
                mailbox_.push(Failure{e.what()}); // this job only: the store itself is fine
                break;
            }
        }
        if (!had_store && store)
            opened_file = file_id(db_path_); // made by the enrolment: watched from now on
        std::lock_guard lock(mutex_);
        if (!jobs_.empty())
            jobs_.pop_front();
    }
}

bool CheckinWorker::adopt_new_file(std::optional<Store>& store) {
    if (store || !std::filesystem::exists(db_path_))
        return false;
    try {
        store.emplace(Store::open(db_path_));
    } catch (const std::exception& e) {
        // Being made right now (a join at the terminal), or not a database: asked again later (and
        // said once, not every few seconds).
        if (!adopt_failed_)
            spdlog::warn("{} appeared but cannot be opened yet: {}", db_path_, e.what());
        adopt_failed_ = true;
        return false;
    }
    spdlog::info("{} was made by the enrolment: opened", db_path_);
    return true;
}

void CheckinWorker::report_setup(Store* store, std::uint64_t refused_job) {
    SetupState s;
    if (store) {
        if (store->event().uid.empty())
            store->reload_event(); // the join's first exchange, or the agent, may have brought it
        s.ready = !store->event().uid.empty();
        s.server = store->meta("sync.server").value_or("");
        s.kiosk_name = store->meta("kiosk_name").value_or("");
        if (s.ready)
            s.timezone = store->event().timezone;
        std::lock_guard lock(mutex_);
        timezone_ = store->event().timezone;
        kiosk_name_ = store->kiosk_name();
    }
    s.refused_job = refused_job;
    // Only a change (or an answer to a check-in) wakes the UI: an idle kiosk asks every few seconds.
    const bool same = last_setup_ && last_setup_->ready == s.ready && last_setup_->server == s.server &&
                      last_setup_->kiosk_name == s.kiosk_name;
    if (same && refused_job == 0)
        return;
    if (!same && s.ready && last_setup_ && !last_setup_->ready)
        spdlog::info("the event arrived: the kiosk is in service");
    last_setup_ = s;
    mailbox_.push(std::move(s));
}

void CheckinWorker::join(std::optional<Store>& store, const std::string& code, std::uint64_t job) {
    Joined j;
    j.job = job;
    if (store) {
        j.server = store->meta("sync.server").value_or("");
        j.kiosk_name = store->meta("kiosk_name").value_or("");
    }
    const auto parsed = sync::parse_enrolment_code(code);
    if (!j.server.empty()) {
        // Once joined, only a person at the kiosk's keyboard can point it elsewhere (`accueil-sync join
        // --replace`): a code shown by anyone in the queue must not redirect its arrivals.
        j.outcome = JoinOutcome::AlreadyJoined;
        spdlog::info("enrolment code scanned: already joined {} as \"{}\"; nothing changed", j.server,
                     j.kiosk_name);
    } else if (!parsed) {
        j.outcome = JoinOutcome::DamagedCode; // it starts like one (is_enrolment_code)
        spdlog::warn("enrolment code scanned: it cannot be read whole ({} characters)", code.size());
    } else {
        const auto run = run_join(db_path_, code);
        j.outcome = run.outcome;
        j.server = parsed->url();
        // The program's own words, for whoever reads the log; the screen has the kiosk's.
        if (run.ok())
            spdlog::info("accueil-sync join: {}", run.message);
        else
            spdlog::warn("accueil-sync join failed (exit status {}): {}", run.exit_status, run.message);
        adopt_new_file(store);
        if (store) {
            store->reload_event();
            if (run.ok() || run.outcome == JoinOutcome::AlreadyJoined) {
                j.server = store->meta("sync.server").value_or(j.server);
                j.kiosk_name = store->meta("kiosk_name").value_or("");
            }
            if (run.ok() && !store->event().uid.empty())
                j.timezone = store->event().timezone;
        }
    }
    mailbox_.push(j);
    report_setup(store ? &*store : nullptr);
}

void CheckinWorker::process(std::optional<Store>& store_slot, const WorkerJob& job) {
    if (const auto* c = std::get_if<StartCheckin>(&job); c && is_enrolment_code(c->code)) {
        join(store_slot, c->code, c->job);
        return;
    }
    if (!store_slot) {
        // No database yet: only an enrolment can make one (or `accueil-sync join` at the terminal).
        if (std::holds_alternative<RefreshSync>(job)) {
            if (adopt_new_file(store_slot))
                report_setup(&*store_slot);
        } else {
            not_set_up(job, nullptr);
        }
        return;
    }
    Store& store = *store_slot;
    if (const auto* c = std::get_if<StartCheckin>(&job)) {
        if (store.event().uid.empty())
            store.reload_event();
        if (store.event().uid.empty())
            return not_set_up(job, &store);
        const auto r = check_in(store, c->code, c->at_ms);
        mailbox_.push(VerdictReady{verdict_info(r, store.event().timezone), c->job});
    } else if (const auto* a = std::get_if<StartCheckinAttendee>(&job)) {
        if (store.event().uid.empty())
            return not_set_up(job, &store);
        const auto attendee = load_attendee(store.db(), a->attendee_id);
        CheckinResult r;
        if (attendee)
            r = check_in_attendee(store, *attendee, a->at_ms);
        mailbox_.push(VerdictReady{verdict_info(r, store.event().timezone), a->job});
    } else if (const auto* s = std::get_if<StartSearch>(&job)) {
        // The roster's words are read again only when the database changed since (another process
        // committed: data_version; this connection wrote: total_changes).
        const std::int64_t version = store.db().execAndGet("PRAGMA data_version").getInt64() * 1000003 +
                                     sqlite3_total_changes(store.db().getHandle());
        if (version != roster_version_) {
            roster_ = roster_words(store);
            roster_version_ = version;
        }
        mailbox_.push(SearchDone{s->query, masked_search(store, s->query, 5, 0, &roster_)});
    } else if (const auto* b = std::get_if<PrintBadge>(&job)) {
        if (auto a = load_attendee(store.db(), b->attendee_id); a && print_)
            print_(*a, badge_code_of(store, *a, nullptr), store.event());
        else
            mailbox_.push(PrintProgress{"failed"});
    } else if (const auto* p = std::get_if<CheckPin>(&job)) {
        const PinCheck c = check_organiser_pin(store, p->pin, wall_ms());
        using R = PinChecked::Result;
        const R r = c.result == PinCheck::Result::Ok         ? R::Ok
                    : c.result == PinCheck::Result::Locked   ? R::Locked
                    : c.result == PinCheck::Result::NoPinSet ? R::NoPinSet
                                                             : R::Wrong;
        mailbox_.push(PinChecked{r, c.locked_until_ms});
    } else {
        // Only a change wakes the UI: an idle kiosk polls this every few seconds.
        if (!last_setup_ || !last_setup_->ready)
            report_setup(&store); // waiting for the event: has the agent brought it?
        const auto now = read_sync_state(store);
        if (now.known != last_sync_.known || now.online != last_sync_.online ||
            now.pending != last_sync_.pending) {
            last_sync_ = now;
            mailbox_.push(now);
        }
    }
}

void CheckinWorker::not_set_up(const WorkerJob& job, Store* store) {
    // Answered all the same, so that nobody waits for a verdict the kiosk cannot give.
    if (const auto* c = std::get_if<StartCheckin>(&job))
        report_setup(store, c->job);
    else if (const auto* a = std::get_if<StartCheckinAttendee>(&job))
        report_setup(store, a->job);
    else if (const auto* s = std::get_if<StartSearch>(&job))
        mailbox_.push(SearchDone{s->query, {}});
    else if (std::holds_alternative<PrintBadge>(job))
        mailbox_.push(PrintProgress{"failed"});
    else if (std::holds_alternative<CheckPin>(job))
        mailbox_.push(PinChecked{PinChecked::Result::NoPinSet, 0});
}

} // namespace accueil::kiosk
