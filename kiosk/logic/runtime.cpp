#include "runtime.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace accueil::kiosk {

Runtime::Runtime(const Strings& strings, RuntimeOptions options)
    : opt_(std::move(options)), machine_(strings, opt_.machine) {}

Runtime::~Runtime() {
    // Mirror order of start(): stop producing frames, then finish the writes, then the sound.
    capture_.reset();
    worker_.reset();
    backlight_.reset(); // put back as it was
    printer_.reset();
    speaker_.reset();
    sound_.reset();
}

void Runtime::start(std::function<void()> wake) {
    mailbox_.set_wake(std::move(wake));
    sound_ = std::make_unique<SoundPlayer>(opt_.sound);
    SpeakerOptions so;
    so.enabled = opt_.speech;
    so.headphones = opt_.headphones;
    speaker_ = std::make_unique<Speaker>(so);
    CheckinWorker::PrintFn print;
    if (!opt_.printer.printer.empty()) {
        printer_ = std::make_unique<BadgePrinter>(
            [this](const PrintStatus& s) { mailbox_.push(PrintProgress{to_string(s.state)}); });
        const std::string dir = opt_.pdf_dir.empty()
                                    ? (std::filesystem::path(opt_.db_path).parent_path() / "badges").string()
                                    : opt_.pdf_dir;
        print = [this, dir](Attendee a, std::string code, EventInfo event) {
            printer_->submit({std::move(event), std::move(a), std::move(code), opt_.printer, dir});
        };
    }
    worker_ = std::make_unique<CheckinWorker>(opt_.db_path, mailbox_, opt_.worker, std::move(print));
    if (opt_.hours) {
        backlight_ = std::make_unique<Backlight>(opt_.backlight_root);
        check_hours(wall_ms()); // started at night: the camera is not even opened
    }
    if (machine_.screen() != Screen::Closed)
        capture_ = std::make_unique<Capture>(opt_.capture, mailbox_);
}

void Runtime::check_hours(std::int64_t now_ms) {
    if (!opt_.hours)
        return;
    // Read every turn (cheap), so a clock set forward or back is followed at the next wake-up.
    const std::string& tz = machine_.timezone();
    const bool open = is_open(*opt_.hours, now_ms, tz);
    next_hours_change_ = next_change(*opt_.hours, now_ms, tz);
    if (open_ == open)
        return;
    open_ = open;
    const std::string opens_at = hh_mm(opt_.hours->open_minute);
    spdlog::info("opening hours {}-{} ({}): {}", opens_at, hh_mm(opt_.hours->close_minute), tz,
                 open ? "open" : "closed, opens at " + opens_at);
    apply(HoursState{open, opens_at}, now_ms);
}

void Runtime::run(const std::vector<Effect>& effects) {
    for (const auto& e : effects) {
        if (const auto* c = std::get_if<StartCheckin>(&e))
            worker_->submit(*c);
        else if (const auto* a = std::get_if<StartCheckinAttendee>(&e))
            worker_->submit(*a);
        else if (const auto* s = std::get_if<StartSearch>(&e))
            worker_->submit(*s);
        else if (const auto* p = std::get_if<PlaySound>(&e))
            sound_->play(p->sound);
        else if (const auto* l = std::get_if<LogError>(&e))
            spdlog::error("out of order: {}", l->what);
        else if (const auto* sp = std::get_if<Speak>(&e))
            speaker_->say({sp->public_text, sp->private_text}, machine_.lang(),
                          (sp->after ? tune_length(*sp->after) : std::chrono::milliseconds(0)) +
                              kSpeechAfterTune);
        else if (std::holds_alternative<StopSpeech>(e))
            speaker_->stop();
        else if (std::holds_alternative<RepeatSpeech>(e))
            speaker_->repeat();
        else if (const auto* p = std::get_if<CheckPin>(&e))
            worker_->submit(*p);
        else if (const auto* b = std::get_if<PrintBadge>(&e))
            worker_->submit(*b);
        else if (std::holds_alternative<SwitchToDesk>(e))
            switch_requested_ = true;
        else if (const auto* c = std::get_if<SetCamera>(&e))
            set_camera(c->on);
        else if (const auto* b = std::get_if<SetBacklight>(&e))
            set_backlight(b->lit);
    }
}

void Runtime::apply(const Input& in, std::int64_t now_ms) {
    run(machine_.handle(in, now_ms));
}

void Runtime::scanned(const CodeDecoded& code, std::int64_t now_ms) {
    const Input in = code;
    log_input(in);
    apply(in, now_ms);
}

void Runtime::set_camera(bool on) {
    // Said each time, whether or not a camera was running (a kiosk started at night never opened it).
    spdlog::info(on ? "open: screen lit, camera on" : "closed: screen dark, camera off");
    if (on == (capture_ != nullptr))
        return;
    if (on) {
        capture_ = std::make_unique<Capture>(opt_.capture, mailbox_);
    } else {
        capture_.reset(); // joins the capture thread: the camera is released
        preview_.reset();
    }
}

void Runtime::log_input(const Input& in) const {
    // The reason only: the badge's code and the person's name stay out of the log.
    if (const auto* v = std::get_if<VerdictReady>(&in); v && v->info.verdict != Verdict::Admitted)
        spdlog::info("check-in refused: {}", verdict_key(v->info.verdict));
    else if (std::holds_alternative<CodeDecoded>(in) && machine_.screen() == Screen::Closed)
        spdlog::info("a badge was scanned while closed: not checked in");
}

void Runtime::set_backlight(bool lit) {
    if (!backlight_)
        return;
    if (lit)
        backlight_->restore();
    else
        backlight_->dim();
}

bool Runtime::pump(std::int64_t now_ms) {
    // Read before draining: the last replayed picture's code is then surely among the drained inputs.
    const bool replay_finished = capture_ && capture_->replay_finished();
    auto drained = mailbox_.drain();
    replay_drained_ = replay_finished;
    const Screen before = machine_.screen();
    for (const auto& in : drained.inputs) {
        log_input(in);
        apply(in, now_ms);
    }
    if (drained.preview)
        preview_ = std::move(drained.preview);
    if (auto code = wedge_.poll(now_ms))
        scanned(CodeDecoded{*code, now_ms}, now_ms);
    if (auto typed = wedge_.take_typed(); !typed.empty() && machine_.screen() == Screen::Search) {
        // A person typing on a real keyboard: same as the on-screen keys.
        for (const auto& ch : utf8_characters(typed))
            apply(Tap{Intent::Key, ch}, now_ms);
    }
    apply(Tick{}, now_ms);
    check_hours(now_ms);
    // The sync state is for the status line, which the closed screen does not show: no wake-ups for it.
    if (now_ms >= next_sync_refresh_ && machine_.screen() != Screen::Closed) {
        next_sync_refresh_ = now_ms + opt_.sync_refresh_ms;
        worker_->submit(RefreshSync{});
    }
    return !drained.empty() || machine_.screen() != before;
}

void Runtime::tap(const Tap& t, std::int64_t now_ms) {
    apply(t, now_ms);
}

void Runtime::key_char(const std::string& utf8, std::int64_t now_ms) {
    if (machine_.screen() == Screen::Closed)
        apply(Tap{Intent::Ok}, now_ms); // a key lights the closed screen as a touch does
    if (auto code = wedge_.key(utf8, now_ms))
        scanned(CodeDecoded{*code, now_ms}, now_ms);
}

void Runtime::key_enter(std::int64_t now_ms) {
    if (machine_.screen() == Screen::Closed)
        apply(Tap{Intent::Ok}, now_ms);
    if (auto code = wedge_.enter(now_ms))
        scanned(CodeDecoded{*code, now_ms}, now_ms);
}

void Runtime::fail(const std::string& what, std::int64_t now_ms) {
    apply(Failure{what}, now_ms);
}

std::optional<GreyImage> Runtime::take_preview() {
    std::optional<GreyImage> p;
    p.swap(preview_);
    return p;
}

std::optional<std::int64_t> Runtime::next_wake(std::int64_t now_ms) const {
    std::optional<std::int64_t> t = machine_.deadline();
    auto sooner = [&](std::int64_t v) { t = t ? std::min(*t, v) : v; };
    if (wedge_.pending())
        sooner(now_ms + 50);
    if (opt_.hours)
        sooner(next_hours_change_);
    if (machine_.screen() == Screen::Closed)
        return t; // the end of a lit spell and the opening: nothing else to watch
    sooner(next_sync_refresh_);
    if (machine_.seconds_left_visible())
        sooner(now_ms + 1000 - now_ms % 1000); // the countdown ticks once a second
    sooner(now_ms + 60000 - now_ms % 60000);   // the clock in the status line
    return t;
}

bool Runtime::replay_complete() const {
    return replay_drained_ && !worker_->busy() && machine_.idle();
}

} // namespace accueil::kiosk
