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
    capture_ = std::make_unique<Capture>(opt_.capture, mailbox_);
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
    }
}

void Runtime::apply(const Input& in, std::int64_t now_ms) {
    run(machine_.handle(in, now_ms));
}

bool Runtime::pump(std::int64_t now_ms) {
    // Read before draining: the last replayed picture's code is then surely among the drained inputs.
    const bool replay_finished = capture_ && capture_->replay_finished();
    auto drained = mailbox_.drain();
    replay_drained_ = replay_finished;
    const Screen before = machine_.screen();
    for (const auto& in : drained.inputs)
        apply(in, now_ms);
    if (drained.preview)
        preview_ = std::move(drained.preview);
    if (auto code = wedge_.poll(now_ms))
        apply(CodeDecoded{*code, now_ms}, now_ms);
    if (auto typed = wedge_.take_typed(); !typed.empty() && machine_.screen() == Screen::Search) {
        // A person typing on a real keyboard: same as the on-screen keys.
        for (const auto& ch : utf8_characters(typed))
            apply(Tap{Intent::Key, ch}, now_ms);
    }
    apply(Tick{}, now_ms);
    if (now_ms >= next_sync_refresh_) {
        next_sync_refresh_ = now_ms + opt_.sync_refresh_ms;
        worker_->submit(RefreshSync{});
    }
    return !drained.empty() || machine_.screen() != before;
}

void Runtime::tap(const Tap& t, std::int64_t now_ms) {
    apply(t, now_ms);
}

void Runtime::key_char(const std::string& utf8, std::int64_t now_ms) {
    if (auto code = wedge_.key(utf8, now_ms))
        apply(CodeDecoded{*code, now_ms}, now_ms);
}

void Runtime::key_enter(std::int64_t now_ms) {
    if (auto code = wedge_.enter(now_ms))
        apply(CodeDecoded{*code, now_ms}, now_ms);
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
