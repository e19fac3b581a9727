#include "desk_runtime.hpp"

#include "store.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace accueil::kiosk {

DeskRuntime::DeskRuntime(const Strings& strings, DeskRuntimeOptions options)
    : opt_(std::move(options)), machine_(strings, opt_.machine) {
    if (opt_.pdf_dir.empty())
        opt_.pdf_dir = (std::filesystem::path(opt_.db_path).parent_path() / "badges").string();
    try {
        // A short-lived read of this device's printer settings; the worker keeps its own connection.
        auto store = Store::open(opt_.db_path);
        printer_settings_ = load_printer_settings(store);
    } catch (const std::exception& e) {
        spdlog::error("desk: {}", e.what()); // the worker reports it too, on screen
    }
}

DeskRuntime::~DeskRuntime() {
    // Mirror order of start(): no new codes, finish the writes, then the printer and the sound.
    capture_.reset();
    worker_.reset();
    printer_.reset();
    speaker_.reset();
    sound_.reset();
}

void DeskRuntime::post(DeskInput in) {
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        inbox_.push_back(std::move(in));
        wake = wake_;
    }
    if (wake)
        wake();
}

void DeskRuntime::start(std::function<void()> wake) {
    {
        std::lock_guard lock(mutex_);
        wake_ = wake;
    }
    mailbox_.set_wake(std::move(wake));
    sound_ = std::make_unique<SoundPlayer>(opt_.sound);
    SpeakerOptions so;
    so.enabled = opt_.speech;
    so.headphones = opt_.headphones;
    speaker_ = std::make_unique<Speaker>(so);
    printer_ = std::make_unique<BadgePrinter>([this](const PrintStatus& s) {
        post(DeskPrint{s.job, to_string(s.state), s.state == PrintState::SavedPdf ? s.pdf_path : s.detail});
        if (s.state == PrintState::Failed || s.state == PrintState::PrinterOffline)
            spdlog::warn("print job {}: {} ({})", s.job, to_string(s.state), s.detail);
    });
    worker_ = std::make_unique<DeskWorker>(
        opt_.db_path, !printer_settings_.printer.empty(), [this](DeskInput in) { post(std::move(in)); },
        [this](DeskPrintJob j) {
            printer_->submit({std::move(j.event), std::move(j.attendee), std::move(j.code), printer_settings_,
                              opt_.pdf_dir});
        });
    capture_ = std::make_unique<Capture>(opt_.capture, mailbox_);
}

void DeskRuntime::run(const std::vector<DeskEffect>& effects) {
    std::chrono::milliseconds tune{0}; // speech waits for the verdict's tune
    for (const auto& e : effects) {
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, PlaySound>) {
                    sound_->play(x.sound);
                    tune = tune_length(x.sound);
                } else if constexpr (std::is_same_v<T, LogError>)
                    spdlog::error("desk: {}", x.what);
                else if constexpr (std::is_same_v<T, DeskSpeak>)
                    speaker_->say({x.public_text, x.private_text}, machine_.lang(), tune + kSpeechAfterTune);
                else if constexpr (std::is_same_v<T, DeskStopSpeech>)
                    speaker_->stop();
                else if constexpr (std::is_same_v<T, DeskRepeatSpeech>)
                    speaker_->repeat();
                else if constexpr (std::is_same_v<T, DeskLeave>)
                    leave_ = true;
                else
                    worker_->submit(x);
            },
            e);
    }
}

void DeskRuntime::apply(const DeskInput& in, std::int64_t now_ms) {
    run(machine_.handle(in, now_ms));
}

bool DeskRuntime::pump(std::int64_t now_ms) {
    std::vector<DeskInput> inputs;
    {
        std::lock_guard lock(mutex_);
        inputs.swap(inbox_);
    }
    auto drained = mailbox_.drain();
    for (const auto& in : inputs)
        apply(in, now_ms);
    for (const auto& in : drained.inputs)
        if (const auto* c = std::get_if<CodeDecoded>(&in))
            apply(DeskCode{c->code, c->at_ms}, now_ms);
    if (drained.preview)
        preview_ = std::move(drained.preview);
    bool changed = !inputs.empty() || !drained.empty();
    if (auto code = wedge_.poll(now_ms)) {
        apply(DeskCode{*code, now_ms}, now_ms);
        changed = true;
    }
    if (auto typed = wedge_.take_typed(); !typed.empty()) {
        // A person typing: each character into the search (forms get theirs through their text boxes).
        if (!machine_.editing())
            for (const auto& ch : utf8_characters(typed))
                apply(DeskKey{DeskKey::Char, ch}, now_ms);
        changed = true;
    }
    if (now_ms >= next_refresh_) {
        next_refresh_ = now_ms + opt_.refresh_ms;
        worker_->submit(DeskRefresh{});
    }
    if (now_ms >= next_alerts_) {
        next_alerts_ = now_ms + opt_.alerts_ms;
        worker_->submit(DeskLoadAlerts{});
    }
    return changed;
}

void DeskRuntime::key(const DeskKey& k, std::int64_t now_ms) {
    // Letters the wedge still holds (it tells a person from a scanner by their pace) come first: "x"
    // then Backspace erases the "x". A key ends a burst the way Enter does.
    if (auto code = wedge_.enter(now_ms))
        apply(DeskCode{*code, now_ms}, now_ms);
    pump(now_ms);
    apply(k, now_ms);
}

void DeskRuntime::key_char(const std::string& utf8, std::int64_t now_ms) {
    if (auto code = wedge_.key(utf8, now_ms))
        apply(DeskCode{*code, now_ms}, now_ms);
}

void DeskRuntime::key_enter(std::int64_t now_ms) {
    if (auto code = wedge_.enter(now_ms)) {
        apply(DeskCode{*code, now_ms}, now_ms);
        return;
    }
    // Typed text first (the wedge held it back to tell a person from a scanner), then the Enter.
    pump(now_ms);
    apply(DeskKey{DeskKey::Enter}, now_ms);
}

void DeskRuntime::tap(const DeskTap& t, std::int64_t now_ms) {
    // The same for F2 and buttons: the walk-in form starts from the whole name typed.
    if (auto code = wedge_.enter(now_ms))
        apply(DeskCode{*code, now_ms}, now_ms);
    pump(now_ms);
    apply(t, now_ms);
}

void DeskRuntime::fail(const std::string& what, std::int64_t now_ms) {
    apply(DeskFailure{what}, now_ms);
}

std::optional<GreyImage> DeskRuntime::take_preview() {
    std::optional<GreyImage> p;
    p.swap(preview_);
    return p;
}

std::optional<std::int64_t> DeskRuntime::next_wake(std::int64_t now_ms) const {
    std::int64_t t = std::min(next_refresh_, next_alerts_);
    if (wedge_.pending())
        t = std::min(t, now_ms + 50);
    return t;
}

} // namespace accueil::kiosk
