#include "checkin_worker.hpp"

#include "event_calendar.hpp"
#include "join_runner.hpp"
#include "search.hpp"
#include "store.hpp"
#include "sync/devices.hpp"
#include "sync/protocol.hpp"
#include "text_fold.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>

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
    return v;
}

namespace {
// The identity question: the first four characters of the e-mail address, lower case.
std::string email_start(const std::string& email) {
    std::string out;
    for (char c : email) {
        if (c == '@' || out.size() == 4)
            break;
        out += char(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}
} // namespace

std::vector<Match> masked_search(Store& store, const std::string& query, std::size_t limit,
                                 std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<Match> out;
    const auto words = fold_words(query);
    for (const auto& a : search_attendees(store.db(), query, int(limit) * 4)) {
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
        const std::string right = email_start(a.email);
        if (right.size() >= 2) {
            // Decoys from other people's addresses, preferably starting like the right one, so the
            // answer is not the odd one out; topped up with random letters on a tiny roster.
            std::set<std::string> options{right};
            SQLite::Statement q(store.db(),
                                "SELECT email FROM attendees WHERE email <> '' AND id <> ? "
                                "ORDER BY (substr(lower(email), 1, 1) = ?) DESC, random() LIMIT 12");
            q.bind(1, a.id);
            q.bind(2, right.substr(0, 1));
            while (options.size() < 4 && q.executeStep()) {
                const std::string o = email_start(q.getColumn(0).getString());
                if (o.size() == right.size())
                    options.insert(o);
            }
            while (options.size() < 4) {
                std::string o = right.substr(0, 1);
                while (o.size() < right.size())
                    o += char('a' + rng() % 26);
                options.insert(o);
            }
            m.options.assign(options.begin(), options.end());
            std::shuffle(m.options.begin(), m.options.end(), rng);
            m.correct = int(std::find(m.options.begin(), m.options.end(), right) - m.options.begin());
        }
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

CheckinWorker::CheckinWorker(std::string db_path, Mailbox& mailbox)
    : db_path_(std::move(db_path)), mailbox_(mailbox) {
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

void CheckinWorker::run() {
    std::optional<Store> store;
    try {
        // A kiosk started on a database that does not exist yet is a new one: it waits, with an empty
        // roster, for the enrolment code that connects it to the organisers' server.
        if (std::filesystem::exists(db_path_))
            store.emplace(Store::open(db_path_));
        else
            store.emplace(sync::create_joining_store(db_path_));
        std::lock_guard lock(mutex_);
        timezone_ = store->event().timezone;
        kiosk_name_ = store->kiosk_name();
        ready_ = true;
    } catch (const std::exception& e) {
        mailbox_.push(Failure{std::string("cannot open the database: ") + e.what()});
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
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
        // Retry while another process (the sync agent, a second kiosk) holds the write lock; the job
        // stays at the head of the queue until it went through, so the scan is never dropped.
        for (int attempt = 0;; ++attempt) {
            try {
                process(*store, job);
                break;
            } catch (const std::exception& e) {
                if (!is_busy_error(e)) {
                    mailbox_.push(Failure{e.what()});
                    break;
                }
                spdlog::warn("database busy, retrying ({})", e.what());
                std::unique_lock lock(mutex_);
                if (cv_.wait_for(lock, std::chrono::milliseconds(std::min(50 << std::min(attempt, 4), 1000)),
                                 [&] { return stop_; }))
                    return;
            }
        }
        std::lock_guard lock(mutex_);
        jobs_.pop_front();
    }
}

void CheckinWorker::join(Store& store, const std::string& code) {
    Joined j;
    j.server = store.meta("sync.server").value_or("");
    if (!j.server.empty()) {
        // Once joined, only a person at the kiosk's keyboard can point it elsewhere: a code shown
        // by anyone in the queue must not redirect its arrivals.
        j.already = true;
    } else if (const auto parsed = sync::parse_enrolment_code(code); !parsed) {
        j.error = "not a valid enrolment code";
    } else {
        const auto run = run_join(db_path_, code);
        store.reload_event();
        j.ok = run.ok;
        j.server = parsed->url();
        j.error = run.message;
        if (run.ok) {
            j.kiosk_name = store.kiosk_name();
            j.timezone = store.event().timezone;
            std::lock_guard lock(mutex_);
            timezone_ = j.timezone;
            kiosk_name_ = j.kiosk_name;
        }
    }
    spdlog::info("enrolment code scanned: {}", j.ok        ? "joined " + j.server
                                               : j.already ? "already joined"
                                                           : j.error);
    mailbox_.push(j);
}

void CheckinWorker::process(Store& store, const WorkerJob& job) {
    if (const auto* c = std::get_if<StartCheckin>(&job); c && is_enrolment_code(c->code)) {
        join(store, c->code);
    } else if (c) {
        const auto r = check_in(store, c->code, c->at_ms);
        mailbox_.push(VerdictReady{verdict_info(r, store.event().timezone)});
    } else if (const auto* a = std::get_if<StartCheckinAttendee>(&job)) {
        const auto attendee = load_attendee(store.db(), a->attendee_id);
        CheckinResult r;
        if (attendee)
            r = check_in_attendee(store, *attendee, a->at_ms);
        mailbox_.push(VerdictReady{verdict_info(r, store.event().timezone)});
    } else if (const auto* s = std::get_if<StartSearch>(&job)) {
        mailbox_.push(SearchDone{s->query, masked_search(store, s->query, 5, ++searches_ * 2654435761u)});
    } else {
        // Only a change wakes the UI: an idle kiosk polls this every few seconds.
        const auto now = read_sync_state(store);
        if (now.known != last_sync_.known || now.online != last_sync_.online ||
            now.pending != last_sync_.pending) {
            last_sync_ = now;
            mailbox_.push(now);
        }
    }
}

} // namespace accueil::kiosk
