// accueil-sync: the central server (`serve`), the kiosk agent (`agent`), enrolment (`enroll`, `join`,
// `revoke`), bundles for USB sticks (`export`, `merge`) and `status` (issue 3).
#include "agent.hpp"
#include "attendee.hpp"
#include "backup.hpp"
#include "central_backend.hpp"
#include "database.hpp"
#include "errors.hpp"
#include "event_calendar.hpp"
#include "i18n/catalogue.hpp"
#include "i18n/cli_words.hpp"
#include "log/journal_log.hpp"
#include "organiser_password.hpp"
#include "organiser_pin.hpp"
#include "output_file.hpp"
#include "pg_central.hpp"
#include "qr.hpp"
#include "report/report_tables.hpp"
#include "server.hpp"
#include "store.hpp"
#include "sync/bundle.hpp"
#include "sync/device_key.hpp"
#include "sync/devices.hpp"
#include "sync/merge.hpp"
#include "sync/peers.hpp"
#include "tls.hpp"
#include "web_access.hpp"

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Exception.h>

#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>

using namespace accueil;
using namespace accueil::sync;

namespace {

// A moment in the event's time zone (organisers read Paris time whatever the laptop says), and how
// long ago in words a person reads at a glance.
std::string when(std::optional<std::int64_t> ms, const std::string& tz) {
    if (!ms || *ms <= 0)
        return i18n::tr("central.never");
    const std::int64_t ago = std::max<std::int64_t>(0, (sync_wall_ms() - *ms) / 1000);
    const std::string span = ago < 120    ? std::to_string(ago) + " s"
                             : ago < 7200 ? std::to_string(ago / 60) + " min"
                                          : std::to_string(ago / 3600) + " h";
    return i18n::tr("central.ago",
                    {{"moment", local_day(*ms, tz) + " " + local_hh_mm(*ms, tz)}, {"span", span}});
}

// Store::open's own message names `accueil init` for any missing file; these commands say which
// database they expect and where it comes from. `key` is the sentence, with {path}.
void require_database(const std::string& path, const char* key) {
    if (!std::filesystem::exists(path))
        throw InputError("", i18n::tr(key, {{"path", path}}));
}

// "24h", "2h", "90min", "3600s" → milliseconds; nothing when it is not one of those.
std::optional<std::int64_t> parse_duration_ms(const std::string& text) {
    std::size_t used = 0;
    long long n = 0;
    try {
        n = std::stoll(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const std::string unit = text.substr(used);
    if (n <= 0 || n > 24 * 365)
        return std::nullopt;
    if (unit == "h")
        return n * 3600 * 1000;
    if (unit == "min" || unit == "m")
        return n * 60 * 1000;
    if (unit == "s")
        return n * 1000;
    if (unit == "d")
        return n * 24 * 3600 * 1000;
    return std::nullopt;
}

// "2022-09-28 09:12" in the event's time zone, for the organisers reading about a device.
// The event's time zone, or UTC before the store holds an event.
std::string event_zone(const std::string& timezone) {
    return timezone.empty() ? "UTC" : timezone;
}

std::string local_moment(const std::string& tz, std::int64_t ms) {
    return local_day(ms, tz) + " " + local_hh_mm(ms, tz);
}

std::string role_words(Role role) {
    return i18n::tr(role == Role::Desk ? "enrol.role_desk" : "enrol.role_kiosk");
}

// The central store a command names: the file `db`, or the PostgreSQL `store` when one is given.
std::unique_ptr<CentralBackend> open_central(const std::string& db, const std::string& store) {
    if (!store.empty())
        return postgres_central(store);
    require_database(db, "central.no_database");
    return sqlite_central(db, 0);
}

// Why a name cannot be enrolled again without --replace, and what --replace would do.
std::string name_in_use_text(const std::string& tz, const Device& d) {
    if (d.joined_ms)
        return i18n::tr("enrol.in_use_active",
                        {{"name", d.name},
                         {"role", role_words(d.role)},
                         {"last_contact", d.last_contact_ms ? local_moment(tz, *d.last_contact_ms)
                                                            : i18n::tr("enrol.never")}});
    return i18n::tr("enrol.in_use_code",
                    {{"name", d.name},
                     {"made", local_moment(tz, d.enrolled_ms)},
                     {"until", d.enrol_expires_ms ? local_moment(tz, *d.enrol_expires_ms) : "-"}});
}

int cmd_enroll(const std::string& db, const std::string& store, const std::string& name, std::string url,
               std::string png, const std::string& role_text, const std::string& valid, bool replace) {
    const auto role = role_from_string(role_text);
    if (!role || *role == Role::Central)
        throw InputError("--role", i18n::tr("enrol.bad_role", {{"role", role_text}}));
    const auto valid_ms = parse_duration_ms(valid);
    if (!valid_ms)
        throw InputError("--valid", i18n::tr("enrol.bad_validity", {{"valid", valid}}));
    const bool on_postgres = !store.empty();
    auto central = open_central(db, store);
    auto& devices = central->devices();
    const std::string tz = event_zone(devices.timezone());
    if (url.empty())
        url = central->announced_url();
    if (url.empty())
        throw InputError("", i18n::tr("enrol.no_url"));
    auto code = parse_server_url(url);
    if (!code)
        throw InputError("--url", i18n::tr("enrol.bad_url", {{"url", url}}));
    // Said before anything is made (the certificate, a code); enrol() checks again in its transaction.
    if (const auto old = devices.find(name); old && !replace && old->in_use(sync_wall_ms()))
        throw InputError("", name_in_use_text(tz, *old));
    if (code->scheme == "https")
        code->fingerprint = certificate_fingerprint_of_pem(central->certificate().cert);
    Enrolment enrolment;
    try {
        enrolment = enrol(devices, EnrolRequest{name, *role, *valid_ms, replace});
    } catch (const NameInUse& e) {
        throw InputError("", name_in_use_text(tz, e.device));
    }
    code->token = enrolment.secret;
    const std::string text = format_enrolment_code(*code);
    if (png.empty())
        png = on_postgres ? "enrol.png" : db + ".enrol.png";
    qr_png(text, png);
    std::cout << i18n::tr("enrol.title", {{"name", name}, {"role", role_words(*role)}}) << "\n";
    if (enrolment.revoked_as)
        std::cout << i18n::tr("enrol.revoked_old", {{"name", name}, {"old", *enrolment.revoked_as}}) << "\n";
    if (enrolment.replaced_code)
        std::cout << i18n::tr("enrol.replaced_code", {{"name", name}}) << "\n";
    std::cout << i18n::tr("enrol.how") << "\n"
              << i18n::tr("enrol.validity", {{"valid", valid}, {"png", png}}) << "\n\n"
              << qr_terminal(text) << "\n"
              << text << "\n";
    return 0;
}

// One line of standard input, without its line break; on a terminal, not echoed.
std::string read_secret_line(const std::string& prompt, bool tty) {
    termios saved{};
    if (tty) {
        std::cerr << prompt << std::flush;
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    const bool got = bool(std::getline(std::cin, line));
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!got)
        throw InputError("", i18n::tr("central.password.none"));
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

int cmd_password(const std::string& db, const std::string& store) {
    std::optional<pg::PgCentral> pg_store; // opened first: an unreachable store is said before the prompt
    if (store.empty())
        require_database(db, "central.no_database");
    else
        pg_store.emplace(pg::PgCentral::open(store, sync_wall_ms));
    const bool tty = ::isatty(STDIN_FILENO) == 1;
    std::string password = read_secret_line(i18n::tr("central.password.prompt"), tty);
    if (tty) {
        std::string again = read_secret_line(i18n::tr("central.password.again"), tty);
        const bool same = again == password;
        wipe_pin(again);
        if (!same) {
            wipe_pin(password);
            throw InputError("", i18n::tr("central.password.differ"));
        }
    }
    try {
        if (pg_store) {
            pg_store->set_meta(kPasswordHashKey, organiser_password_hash(password));
        } else {
            Store central = Store::open(db, sync_wall_ms);
            set_organiser_password(central, password);
        }
    } catch (...) {
        wipe_pin(password);
        throw;
    }
    wipe_pin(password);
    std::cout << "accueil-sync: "
              << i18n::tr("central.password.set", {{"db", pg_store ? pg_store->connection().url() : db}})
              << "\n";
    return 0;
}

int cmd_link(const std::string& db, const std::string& store, const std::string& valid, std::string url,
             const std::string& png) {
    const auto valid_ms = parse_duration_ms(valid);
    if (!valid_ms || *valid_ms > 24LL * 3600 * 1000)
        throw InputError("", i18n::tr("central.link.bad_validity", {{"valid", valid}}));
    if (store.empty())
        require_database(db, "central.no_database");
    if (!png.empty())
        require_parent_directory(png); // before the link is made: a refused command leaves none behind
    auto central = open_central(db, store);
    std::unique_ptr<web::AccessTable> access;
    if (store.empty())
        access = std::make_unique<web::SqliteAccess>(Store::open(db, sync_wall_ms));
    else
        access = web::postgres_access(store);
    if (url.empty())
        url = central->announced_url();
    if (url.empty())
        throw InputError("", i18n::tr("central.link.no_url"));
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    if (!parse_server_url(url))
        throw InputError("", i18n::tr("central.link.bad_url", {{"url", url}}));
    const std::string link = url + "/login/link?t=" + web::create_link(*access, *valid_ms, sync_wall_ms());
    if (!png.empty())
        qr_png(link, png);
    std::cout << i18n::tr("central.link.title") << "\n"
              << i18n::tr("central.link.validity", {{"valid", valid}}) << "\n";
    if (!png.empty())
        std::cout << i18n::tr("central.link.picture", {{"png", png}}) << "\n";
    std::cout << "\n" << qr_terminal(link) << "\n" << link << "\n";
    return 0;
}

// Revokes `name` among `devices` with `revoke` (one backend's), saying what happened in the event's
// time zone `tz`.
int revoke_named(const std::string& name, const std::vector<Device>& devices,
                 const std::function<bool()>& revoke, const std::string& tz) {
    const auto device =
        std::find_if(devices.begin(), devices.end(), [&](const Device& d) { return d.name == name; });
    if (device != devices.end() && device->revoked_ms)
        throw InputError("", i18n::tr("revoke.already",
                                      {{"name", name}, {"when", local_moment(tz, *device->revoked_ms)}}));
    if (device == devices.end() || !revoke()) {
        std::string names;
        for (const auto& d : devices)
            if (!d.revoked_ms)
                names += (names.empty() ? "" : ", ") + d.name;
        throw InputError("", names.empty()
                                 ? i18n::tr("revoke.no_devices", {{"name", name}})
                                 : i18n::tr("revoke.no_such_device", {{"name", name}, {"names", names}}));
    }
    std::cout << "accueil-sync: "
              << i18n::tr(device->joined_ms ? "revoke.done" : "revoke.code_cancelled", {{"name", name}})
              << "\n";
    return 0;
}

int cmd_revoke(const std::string& db, const std::string& name) {
    Store central = Store::open(db, sync_wall_ms);
    return revoke_named(
        name, list_devices(central), [&] { return revoke_device(central, name); },
        event_zone(central.event().timezone));
}

// The same on a central store on PostgreSQL.
int cmd_revoke_store(const std::string& url, const std::string& name) {
    auto central = pg::PgCentral::open(url, sync_wall_ms);
    return revoke_named(
        name, central.devices(), [&] { return central.revoke(name); }, event_zone(central.timezone()));
}

int cmd_export(const std::string& db, const std::string& store, const std::string& out, bool all) {
    Bundle b;
    std::optional<SigningKey> key;
    if (!store.empty()) { // the central store's journal on PostgreSQL, for a kiosk cut off
        auto central = postgres_central(store);
        b = Bundle{central->origin(), central->name(), sync_wall_ms(), central->journal(all), {}};
        key = central->signing_key();
    } else {
        require_database(db, "central.no_device_database");
        Store kiosk = Store::open(db, sync_wall_ms);
        b = Bundle{kiosk.origin(),
                   kiosk.kiosk_name(),
                   sync_wall_ms(),
                   all ? read_journal(kiosk.db()) : unacked_events(kiosk, std::size_t(-1)),
                   {}};
        key = device_key_of(kiosk);
    }
    write_bundle_file(out, b, *key);
    std::cout << "accueil-sync: "
              << (b.events.empty() ? i18n::tr("bundle.exported_nothing", {{"file", out}})
                                   : i18n::tr("bundle.exported",
                                              {{"file", out}, {"count", std::to_string(b.events.size())}}))
              << "\n";
    return 0;
}

int cmd_merge(const std::string& db, const std::string& store, const std::vector<std::string>& files) {
    auto central = open_central(db, store);
    // Every bundle is checked before anything is merged: one damaged file stops the whole command.
    std::vector<Bundle> bundles;
    for (const auto& f : files)
        bundles.push_back(read_bundle_file(f));
    const auto peers = central->peers();
    for (std::size_t i = 0; i < files.size(); ++i)
        verify_bundle_signer(peers, bundles[i], files[i]);
    int status = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        MergeOptions opt;
        opt.channel = Channel::Bundle;
        opt.source = bundles[i].kiosk + " (" + files[i] + ")"; // shown by `status` beside a refusal
        const auto r = central->merge(bundles[i].events, opt);
        if (!r.ok()) {
            std::cerr << "accueil-sync: "
                      << i18n::tr("bundle.refused", {{"file", files[i]},
                                                     {"device", bundles[i].kiosk},
                                                     {"count", std::to_string(r.rejected.size())},
                                                     {"reason", r.rejected.front().reason}})
                      << "\n";
            status = 4;
            continue;
        }
        std::cout << "accueil-sync: "
                  << i18n::tr("bundle.merged", {{"file", files[i]},
                                                {"device", bundles[i].kiosk},
                                                {"new", std::to_string(r.applied)},
                                                {"known", std::to_string(r.already_known)}})
                  << "\n";
    }
    return status;
}

// A record of the journal in words ("check-in"), from its kind as the journal names it.
std::string change_words(const std::string& kind) {
    static const std::map<std::string, const char*> keys{
        {"event-defined", "central.change.event_defined"},
        {"attendee-created", "central.change.attendee_created"},
        {"attendee-updated", "central.change.attendee_updated"},
        {"check-in", "central.change.check_in"},
        {"check-in-undone", "central.change.check_in_undone"},
        {"key-added", "central.change.key_added"},
        {"note-set", "central.change.note_set"},
        {"replaced-badge-scanned", "central.change.replaced_badge_scanned"}};
    const auto it = keys.find(kind);
    return i18n::tr(it == keys.end() ? "central.change.other" : it->second);
}

// Why a record was refused, in words, from the reason's first word (sync/admission.cpp, sync/merge.cpp);
// the reason itself follows as detail.
std::string refusal_words(const std::string& reason) {
    static const std::vector<std::pair<std::string, const char*>> kinds{
        {"conflict:", "central.why.conflict"},
        {"forbidden:", "central.why.forbidden"},
        {"malformed:", "central.why.malformed"},
        {"clock:", "central.why.clock"}};
    for (const auto& [word, key] : kinds)
        if (reason.find(word) != std::string::npos)
            return i18n::tr(key);
    return i18n::tr("central.why.other");
}

// The person an attendee id names, or the id when this store does not know them.
std::string person(Store& s, const std::string& id) {
    const auto a = load_attendee(s.db(), id);
    return a ? a->full_name() : id;
}

// The devices enrolled at a central store, each with its role and state.
void print_devices(const std::vector<Device>& devices, const std::string& tz) {
    using i18n::tr;
    if (devices.empty())
        return;
    std::cout << tr("central.status.devices") << "\n";
    const std::int64_t now = sync_wall_ms();
    for (const auto& d : devices) {
        const std::string role = tr(d.role == Role::Desk ? "central.role.desk" : "central.role.kiosk");
        std::string state;
        if (d.revoked_ms)
            state = tr("central.state.revoked", {{"when", when(d.revoked_ms, tz)}});
        else if (!d.joined_ms)
            state = d.enrol_expires_ms && *d.enrol_expires_ms < now ? tr("central.state.code_expired")
                                                                    : tr("central.state.code_waiting");
        else
            state = tr("central.state.active",
                       {{"when", when(d.last_contact_ms, tz)},
                        {"pending", d.pending == 0 ? tr("central.status.nothing_pending")
                                                   : tr("central.status.pending",
                                                        {{"count", std::to_string(d.pending)}})}});
        std::cout << "  " << tr("central.status.device", {{"name", d.name}, {"role", role}, {"state", state}})
                  << "\n";
    }
}

// Refused events with why (`always`: even when there are none, as on the central store).
void print_refusals(const std::vector<Refusal>& refused, const std::string& tz, bool always) {
    using i18n::tr;
    const auto clones =
        std::count_if(refused.begin(), refused.end(), [](const Refusal& x) { return x.is_conflict(); });
    if (always || !refused.empty())
        std::cout << tr("central.status.refused",
                        {{"count", std::to_string(refused.size())}, {"copies", std::to_string(clones)}})
                  << "\n";
    for (const auto& x : refused)
        std::cout << "  "
                  << tr("central.status.refusal",
                        {{"change", change_words(x.kind)},
                         {"source", x.source},
                         {"times", std::to_string(x.count)},
                         {"when", when(x.last_ms, tz)},
                         {"why", refusal_words(x.reason)},
                         {"detail", x.kind + " " + to_hex(x.origin) + "/" + std::to_string(x.seq) + ", " +
                                        std::to_string(x.payload_size) + " B: " + x.reason}})
                  << "\n";
}

// People checked in more than once the same day, with each scan.
void print_duplicates(const std::vector<DuplicateCheckin>& dup, const std::string& tz) {
    using i18n::tr;
    std::cout << tr("central.status.duplicates", {{"count", std::to_string(dup.size())}}) << "\n";
    for (const auto& d : dup) {
        std::string scans;
        for (const auto& scan : d.scans)
            scans += (scans.empty() ? "" : ", ") + local_hh_mm(scan.at_ms, tz) + " (" + scan.device + ")";
        std::cout << "  "
                  << tr("central.status.duplicate",
                        {{"name", d.full_name.empty() ? d.attendee_id : d.full_name},
                         {"day", d.day},
                         {"scans", scans}})
                  << "\n";
    }
}

// The central store on PostgreSQL: its devices, refusals and duplicates, as for a central file.
int cmd_status_store(const std::string& url) {
    auto store = pg::PgCentral::open(url, sync_wall_ms);
    const std::string tz = event_zone(store.timezone());
    std::cout << i18n::tr("central.status.database", {{"path", store.connection().url()}}) << "\n";
    print_devices(store.devices(), tz);
    print_refusals(store.refusals(), tz, true);
    print_duplicates(store.duplicate_checkins(), tz);
    return 0;
}

int cmd_status(const std::string& db) {
    require_database(db, "central.no_any_database");
    Store s = Store::open(db, sync_wall_ms);
    const std::string tz = event_zone(s.event().timezone);
    using i18n::tr;
    std::cout << tr("central.status.database", {{"path", db}}) << "\n";
    // A device's database (it joined a server) or the central one: each says what concerns it, and
    // anything found of the other kind.
    const auto server = s.meta("sync.server");
    const bool device = server && !server->empty();
    if (device) {
        const std::int64_t pending = count_unacked(s);
        std::cout << tr("central.status.server", {{"server", *server}}) << "\n"
                  << tr(s.meta("sync.online").value_or("0") == "1" ? "central.status.online"
                                                                   : "central.status.offline")
                  << "\n"
                  << tr("central.status.last_contact",
                        {{"when", when(std::stoll(s.meta("sync.last_contact").value_or("0")), tz)}})
                  << "\n"
                  << (pending == 0 ? tr("central.status.all_sent")
                                   : tr("central.status.to_send", {{"count", std::to_string(pending)}}))
                  << "\n";
        if (const auto err = s.meta("sync.error"); err && !err->empty())
            std::cout << tr("central.status.last_error", {{"error", *err}}) << "\n";
    }
    print_devices(list_devices(s), tz);
    const auto dl = dead_letters(s.db());
    if (device || !dl.empty())
        std::cout << tr("central.status.dead_letters", {{"count", std::to_string(dl.size())}}) << "\n";
    for (const auto& d : dl) {
        // The person the change is about, when it is about one (not the event, not a key).
        const std::string who = d.entity == "event" || d.entity == "key" ? "" : person(s, d.entity);
        std::cout << "  "
                  << tr("central.status.dead_letter",
                        {{"change", change_words(d.kind) + (who.empty() ? "" : " — " + who)},
                         {"why", refusal_words(d.reason)},
                         {"detail",
                          d.kind + " " + to_hex(d.origin) + "/" + std::to_string(d.seq) + ": " + d.reason}})
                  << "\n";
    }
    print_refusals(refusals(s.db()), tz, !device);
    print_duplicates(duplicate_checkins(s.db()), tz);
    return 0;
}

// Either way between a SQLite file and PostgreSQL (sync/pg/pg_central.hpp); the address is printed
// without its password.
int cmd_migrate(const std::string& from, const std::string& to) {
    const bool to_pg = pg::is_store_url(to);
    if (to_pg == pg::is_store_url(from))
        throw InputError("", i18n::tr("migrate.same_kind"));
    // The server's certificate moves with the store: kiosks pinned it, and must meet it again.
    std::map<std::string, std::string> certificate;
    if (to_pg)
        if (const auto pem = stored_certificate(from)) {
            certificate["sync.tls_cert"] = pem->cert;
            certificate["sync.tls_key"] = pem->key;
        }
    const auto r = to_pg ? pg::move_to_postgres(from, to, certificate) : pg::move_from_postgres(from, to);
    if (!to_pg && r.server_files.count("sync.tls_cert") && r.server_files.count("sync.tls_key"))
        save_certificate(to, {r.server_files.at("sync.tls_cert"), r.server_files.at("sync.tls_key"), ""});
    std::cout << "accueil-sync: "
              << i18n::tr("pg.moved", {{"events", std::to_string(r.events)},
                                       {"added", std::to_string(r.added)},
                                       {"devices", std::to_string(r.devices)},
                                       {"from", to_pg ? from : pg::redact(from)},
                                       {"to", to_pg ? pg::redact(to) : to}})
              << "\n";
    return 0;
}

int cmd_restore(const std::string& file, const std::string& db) {
    const auto r = backup::restore(file, db, sync_wall_ms());
    const i18n::Args said{{"file", file},
                          {"db", db},
                          {"event", r.event},
                          {"arrivals", report::format_count(r.arrivals, i18n::process_lang() == i18n::Lang::Fr
                                                                            ? report::Lang::Fr
                                                                            : report::Lang::En)},
                          {"when", r.backup_ms > 0 ? local_day(r.backup_ms, r.timezone) + " " +
                                                         local_hh_mm(r.backup_ms, r.timezone)
                                                   : i18n::tr("central.never")},
                          {"kept", r.kept}};
    std::cout << "accueil-sync: " << i18n::tr("backup.restore.done", said) << "\n";
    if (!r.kept.empty())
        std::cout << "accueil-sync: " << i18n::tr("backup.restore.kept", said) << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // Databases (names, e-mails, device tokens), bundles and enrolment pictures are the owner's only.
    ::umask(077);
    // Log lines of the long-running serve and agent: the journal under systemd, stderr otherwise.
    accueil::log::init("accueil-sync");
    CLI::App app{i18n::tr("central.help.app")};
    app.require_subcommand(1);
    std::function<int()> run;

    ServeOptions serve_opt;
    auto* serve_cmd = app.add_subcommand("serve", i18n::tr("serve.help.command"));
    auto* serve_db = serve_cmd->add_option("--db", serve_opt.db, i18n::tr("central.help.central_db"));
    auto* serve_store =
        serve_cmd->add_option("--store", serve_opt.store, i18n::tr("central.help.store"))->excludes(serve_db);
    serve_cmd->add_option("--listen", serve_opt.listen, i18n::tr("serve.help.listen"))->capture_default_str();
    serve_cmd->add_option("--url", serve_opt.public_url, i18n::tr("serve.help.url"));
    serve_cmd->add_flag("--insecure", serve_opt.insecure, i18n::tr("serve.help.insecure"));
    // A SQLite file's settings: PostgreSQL has its own limits and backups.
    serve_cmd->add_option("--max-db-pages", serve_opt.max_db_pages, i18n::tr("serve.help.max_db_pages"))
        ->excludes(serve_store);
    serve_cmd->add_option("--backup-dir", serve_opt.backup_dir, i18n::tr("backup.help.dir"))
        ->excludes(serve_store);
    serve_cmd->add_option("--backup-every", serve_opt.backup_every_s, i18n::tr("backup.help.every"))
        ->capture_default_str()
        ->check(CLI::Range(std::int64_t(0), std::int64_t(7 * 24 * 3600)))
        ->excludes(serve_store);
    serve_cmd->add_option("--backup-keep", serve_opt.backup_keep, i18n::tr("backup.help.keep"))
        ->capture_default_str()
        ->check(CLI::Range(1, 100000))
        ->excludes(serve_store);
    serve_cmd->callback([&] {
        if (serve_opt.db.empty() && serve_opt.store.empty()) // said as for any missing option
            throw CLI::RequiredError("--db");
        run = [&] { return serve(serve_opt); };
    });

    std::string db, store, name, url, png, code, out, role = "kiosk", valid = "24h";
    bool all = false, replace = false;
    std::vector<std::string> files;
    auto* enroll = app.add_subcommand("enroll", i18n::tr("enrol.help.command"));
    auto* enroll_db = enroll->add_option("--db", db, i18n::tr("enrol.help.db"));
    enroll->add_option("--store", store, i18n::tr("central.help.store"))->excludes(enroll_db);
    enroll->add_option("--name", name, i18n::tr("enrol.help.name"))->required();
    enroll->add_option("--url", url, i18n::tr("enrol.help.url"));
    enroll->add_option("--png", png, i18n::tr("enrol.help.png"));
    enroll->add_option("--role", role, i18n::tr("enrol.help.role"))->capture_default_str();
    enroll->add_option("--valid", valid, i18n::tr("enrol.help.valid"))->capture_default_str();
    enroll->add_flag("--replace", replace, i18n::tr("enrol.help.replace"));
    enroll->callback([&] {
        if (db.empty() && store.empty())
            throw CLI::RequiredError("--db");
        run = [&] { return cmd_enroll(db, store, name, url, png, role, valid, replace); };
    });

    auto* join = app.add_subcommand("join", i18n::tr("joining.help.command"));
    join->add_option("code", code, i18n::tr("joining.help.code"))->required();
    join->add_option("--db", db, i18n::tr("joining.help.db"))->required();
    join->add_flag("--replace", replace, i18n::tr("joining.help.replace"));
    join->callback([&] { run = [&] { return join_server(code, db, replace); }; });

    auto* revoke = app.add_subcommand("revoke", i18n::tr("revoke.help.command"));
    revoke->add_option("name", name, i18n::tr("revoke.help.name"))->required();
    auto* revoke_db = revoke->add_option("--db", db, i18n::tr("revoke.help.db"));
    revoke->add_option("--store", store, i18n::tr("central.help.store"))->excludes(revoke_db);
    revoke->callback([&] {
        if (db.empty() && store.empty()) // said as for any missing option: --db is the usual one
            throw CLI::RequiredError("--db");
        run = [&] { return store.empty() ? cmd_revoke(db, name) : cmd_revoke_store(store, name); };
    });

    auto* password = app.add_subcommand("password", i18n::tr("central.help.password"));
    auto* password_db = password->add_option("--db", db, i18n::tr("central.help.central_db"));
    password->add_option("--store", store, i18n::tr("central.help.store"))->excludes(password_db);
    password->callback([&] {
        if (db.empty() && store.empty())
            throw CLI::RequiredError("--db");
        run = [&] { return cmd_password(db, store); };
    });

    std::string link_valid = "10min";
    auto* link = app.add_subcommand("link", i18n::tr("central.help.link"));
    auto* link_db = link->add_option("--db", db, i18n::tr("central.help.central_db"));
    link->add_option("--store", store, i18n::tr("central.help.store"))->excludes(link_db);
    link->add_option("--valid", link_valid, i18n::tr("central.help.link_valid"))->capture_default_str();
    link->add_option("--url", url, i18n::tr("central.help.link_url"));
    link->add_option("--png", png, i18n::tr("central.help.link_png"));
    link->callback([&] {
        if (db.empty() && store.empty())
            throw CLI::RequiredError("--db");
        run = [&] { return cmd_link(db, store, link_valid, url, png); };
    });

    AgentOptions agent_opt;
    auto* agent = app.add_subcommand("agent", i18n::tr("agent.help.command"));
    agent->add_option("--db", agent_opt.db, i18n::tr("agent.help.db"))->required();
    agent->add_flag("--once", agent_opt.once, i18n::tr("agent.help.once"));
    agent->add_flag("--wait", agent_opt.wait, i18n::tr("agent.help.wait"));
    agent->add_option("--max-backoff", agent_opt.max_backoff_s, i18n::tr("agent.help.max_backoff"))
        ->capture_default_str()
        ->check(CLI::Range(0.1, 3600.0));
    agent->callback([&] { run = [&] { return run_agent(agent_opt); }; });

    auto* exp = app.add_subcommand("export", i18n::tr("bundle.help.export"));
    auto* exp_db = exp->add_option("--db", db, i18n::tr("bundle.help.device_db"));
    exp->add_option("--store", store, i18n::tr("central.help.store"))->excludes(exp_db);
    exp->add_option("--out", out, i18n::tr("bundle.help.out"))->required();
    exp->add_flag("--all", all, i18n::tr("bundle.help.all"));
    exp->callback([&] {
        if (db.empty() && store.empty())
            throw CLI::RequiredError("--db");
        run = [&] { return cmd_export(db, store, out, all); };
    });

    auto* merge = app.add_subcommand("merge", i18n::tr("bundle.help.merge"));
    merge->add_option("files", files, i18n::tr("bundle.help.files"))->required();
    auto* merge_db = merge->add_option("--db", db, i18n::tr("bundle.help.merge_db"));
    merge->add_option("--store", store, i18n::tr("central.help.store"))->excludes(merge_db);
    merge->callback([&] {
        if (db.empty() && store.empty())
            throw CLI::RequiredError("--db");
        run = [&] { return cmd_merge(db, store, files); };
    });

    std::string backup_file;
    auto* restore = app.add_subcommand("restore", i18n::tr("backup.help.restore"));
    restore->add_option("file", backup_file, i18n::tr("backup.help.file"))->required();
    restore->add_option("--db", db, i18n::tr("backup.help.db"))->required();
    restore->callback([&] { run = [&] { return cmd_restore(backup_file, db); }; });

    std::string from, to;
    auto* migrate = app.add_subcommand("migrate", i18n::tr("migrate.help.command"));
    migrate->add_option("--from", from, i18n::tr("migrate.help.from"))->required();
    migrate->add_option("--to", to, i18n::tr("migrate.help.to"))->required();
    migrate->callback([&] { run = [&] { return cmd_migrate(from, to); }; });

    auto* status = app.add_subcommand("status", i18n::tr("central.help.status"));
    auto* status_db = status->add_option("--db", db, i18n::tr("central.help.status_db"));
    auto* status_store = status->add_option("--store", store, i18n::tr("central.help.store"));
    status_db->excludes(status_store);
    status->callback([&] {
        if (db.empty() && store.empty()) // said as for any missing option: --db is the usual one
            throw CLI::RequiredError("--db");
        run = [&] { return store.empty() ? cmd_status(db) : cmd_status_store(store); };
    });

    i18n::localise_cli(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return i18n::cli_exit(app, e);
    }
    try {
        return run();
    } catch (const InputError& e) {
        std::cerr << "accueil-sync: " << e.what() << "\n";
        return 2;
    } catch (const StoreError& e) {
        std::cerr << "accueil-sync: " << e.what() << "\n";
        return 3;
    } catch (const SQLite::Exception& e) {
        std::cerr << "accueil-sync: " << i18n::tr("central.database_error", {{"detail", e.what()}}) << "\n";
        return 3;
    }
}
