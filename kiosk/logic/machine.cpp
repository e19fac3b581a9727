#include "machine.hpp"

#include "event_calendar.hpp"
#include "join_runner.hpp"

#include <algorithm>
#include <tuple>

// GCC 12 reports a false "may be used uninitialized" inside std::variant's move constructor when
// effects are pushed (GCC bug 105562 and friends); the code is plain value semantics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace accueil::kiosk {

const char* screen_key(Screen s) {
    switch (s) {
    case Screen::Scan:
        return "scan";
    case Screen::Checking:
        return "checking";
    case Screen::Verdict:
        return "verdict";
    case Screen::Search:
        return "search";
    case Screen::Confirm:
        return "confirm";
    case Screen::GoToDesk:
        return "desk";
    case Screen::OutOfOrder:
        return "out-of-order";
    case Screen::Pin:
        return "pin";
    case Screen::NotSetUp:
        return "not-set-up";
    case Screen::Closed:
        return "closed";
    }
    return "scan";
}

namespace {
// Length in bytes of the UTF-8 sequence starting with byte c (1 for a stray continuation byte).
std::size_t utf8_len(unsigned char c) {
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

// Upper-case the first letter for display ("églantine" typed in an import stays readable).
std::string first_code_point(const std::string& s) {
    if (s.empty())
        return {};
    return s.substr(0, std::min(s.size(), utf8_len(static_cast<unsigned char>(s[0]))));
}

const char* verdict_stem(Verdict v) {
    switch (v) {
    case Verdict::Admitted:
        return "verdict.admitted";
    case Verdict::AlreadyCheckedIn:
        return "verdict.already";
    case Verdict::NotToday:
        return "verdict.not_today";
    case Verdict::ReplacedBadge:
        return "verdict.replaced";
    case Verdict::InvalidBadge:
        return "verdict.invalid";
    case Verdict::UnknownCode:
        return "verdict.unknown";
    }
    return "verdict.unknown";
}

} // namespace

std::size_t utf8_chars(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

void pop_utf8(std::string& s) {
    while (!s.empty()) {
        const unsigned char c = static_cast<unsigned char>(s.back());
        s.pop_back();
        if ((c & 0xC0) != 0x80)
            return;
    }
}

Sound verdict_sound(Verdict v) {
    switch (v) {
    case Verdict::Admitted:
        return Sound::Admitted;
    case Verdict::AlreadyCheckedIn:
        return Sound::AlreadyCheckedIn;
    case Verdict::NotToday:
        return Sound::NotToday;
    case Verdict::ReplacedBadge:
        return Sound::ReplacedBadge;
    case Verdict::InvalidBadge:
        return Sound::InvalidBadge;
    case Verdict::UnknownCode:
        return Sound::UnknownCode;
    }
    return Sound::UnknownCode;
}

std::string mask_name(const std::string& first_name, const std::string& last_name) {
    std::string out = first_name;
    const std::string initial = first_code_point(last_name);
    if (!initial.empty())
        out += (out.empty() ? "" : " ") + initial + ".";
    return out;
}

std::string spoken_time(Lang lang, const std::string& hh_mm) {
    if (hh_mm.size() != 5 || hh_mm[2] != ':')
        return hh_mm;
    const int h = std::stoi(hh_mm.substr(0, 2));
    const std::string mm = hh_mm.substr(3, 2);
    if (lang == Lang::Fr)
        return std::to_string(h) + " h " + mm;
    return std::to_string(h) + ":" + mm;
}

std::pair<std::string, Tone> sync_status(const Strings& strings, Lang lang, const SyncState& sync) {
    std::pair<std::string, Tone> out{strings.get(lang, "status.local_only"), Tone::Neutral};
    if (!sync.known)
        return out;
    out = sync.online ? std::pair{strings.get(lang, "status.online"), Tone::Success}
                      : std::pair{strings.get(lang, "status.offline"), Tone::Warning};
    if (sync.pending > 0)
        out.first += " · " + strings.format(lang, "status.pending", {{"n", std::to_string(sync.pending)}});
    return out;
}

Machine::Machine(const Strings& strings, MachineOptions options)
    : strings_(strings), opt_(std::move(options)) {
    setup_.ready = opt_.set_up;
    if (!setup_.ready)
        screen_ = Screen::NotSetUp;
}

std::optional<std::int64_t> Machine::deadline() const {
    if (deadline_ == 0)
        return std::nullopt;
    return deadline_;
}

void Machine::go(Screen s, std::int64_t now) {
    // A kiosk that is not set up has nothing to scan for: its start screen says how to enrol it.
    if (s == Screen::Scan && !setup_.ready)
        s = Screen::NotSetUp;
    screen_ = s;
    entered_at_ = now;
    switch (s) {
    case Screen::Scan:
    case Screen::NotSetUp:
    case Screen::Closed:
        deadline_ = 0;
        break;
    case Screen::Checking:
        deadline_ = now + opt_.checking_ms; // a worker that never answers must not freeze the kiosk
        break;
    case Screen::Verdict:
        deadline_ = now + opt_.verdict_ms;
        break;
    case Screen::Search:
    case Screen::Confirm:
    case Screen::Pin:
        deadline_ = now + opt_.typing_ms;
        break;
    case Screen::GoToDesk:
        deadline_ = now + opt_.desk_ms;
        break;
    case Screen::OutOfOrder:
        deadline_ = worker_down_ ? 0 : now + opt_.out_of_order_ms; // no retry while the worker is down
        break;
    }
    if (s == Screen::Scan || s == Screen::NotSetUp) {
        // Nothing typed or matched outlives the person who typed it.
        typed_.clear();
        searched_.clear();
        matches_.clear();
        chosen_ = {};
        pin_.clear();
        print_for_.clear();
        print_state_.clear();
    }
}

std::vector<Effect> Machine::handle(const Input& input, std::int64_t now_ms) {
    std::vector<Effect> out;
    std::visit([&](const auto& in) { on(in, now_ms, out); }, input);
    return out;
}

void Machine::start_checkin(const CodeDecoded& c, std::int64_t now, std::vector<Effect>& out) {
    print_for_.clear(); // a scanned badge is in their hand
    print_state_.clear();
    go(Screen::Checking, now);
    if (is_enrolment_code(c.code))
        deadline_ = now + opt_.joining_ms; // it talks to the server and downloads the roster
    out.push_back(StartCheckin{c.code, c.at_ms, ++last_job_});
}

void Machine::take_code(const CodeDecoded& c, std::int64_t now, std::vector<Effect>& out) {
    if (!setup_.ready && !is_enrolment_code(c.code))
        not_set_up_badge(now, out);
    else
        start_checkin(c, now, out);
}

void Machine::not_set_up_badge(std::int64_t now, std::vector<Effect>& out) {
    // Not "invalid": the badge may well be good; this kiosk cannot tell yet.
    desk_reason_ = "kiosk.setup.badge";
    go(Screen::GoToDesk, now);
    out.push_back(PlaySound{Sound::Error});
    speak(now, Sound::Error, out);
}

void Machine::out_of_order(const std::string& reason_key, const std::string& what, std::int64_t now,
                           std::vector<Effect>& out) {
    failure_ = what;
    if (screen_ == Screen::Closed) {
        // Nobody is served while closed: logged, and the opening shows out of order if it still is.
        out.push_back(LogError{what});
        if (!worker_down_ || fault_key_.empty())
            fault_key_ = reason_key;
        return;
    }
    pending_.clear(); // the screen sends everyone to the desk
    out.push_back(LogError{what});
    if (screen_ != Screen::OutOfOrder)
        out.push_back(PlaySound{Sound::Error});
    if (!worker_down_ || fault_key_.empty())
        fault_key_ = reason_key;
    go(Screen::OutOfOrder, now);
}

void Machine::on(const CodeDecoded& c, std::int64_t now, std::vector<Effect>& out) {
    if (c.code.empty())
        return;
    // A badge held in front of the camera is seen many times a second: one check-in only.
    const bool repeat = c.code == last_code_ && now - last_code_at_ < opt_.same_code_ms;
    last_code_ = c.code;
    last_code_at_ = now;
    if (repeat)
        return;
    switch (screen_) {
    case Screen::Closed:
        light_closed(now, out); // a badge scanner still types: no check-in, but the screen says why
        return;
    case Screen::Checking:
        pending_.push_back(c); // the next person was quick: keep the scan
        return;
    case Screen::OutOfOrder:
        return; // the screen sends people to the desk until the kiosk recovers
    default:
        if (!pending_.empty()) {
            pending_.push_back(c);
            return;
        }
        take_code(c, now, out);
    }
}

void Machine::on(const VerdictReady& v, std::int64_t now, std::vector<Effect>& out) {
    if (!answers_current(v.job))
        return; // a late answer for a flow that was abandoned (out of order)
    verdict_ = v.info;
    joined_.reset();
    go(Screen::Verdict, now);
    out.push_back(PlaySound{verdict_sound(v.info.verdict)});
    speak(now, verdict_sound(v.info.verdict), out);
}

void Machine::speak(std::int64_t now, std::optional<Sound> after, std::vector<Effect>& out) const {
    if (!opt_.speech)
        return;
    // What the screen shows, in its language; the name only in the headphones' version.
    const ViewModel vm = view(now);
    auto join = [](std::initializer_list<const std::string*> parts) {
        std::string s;
        for (const auto* p : parts)
            if (!p->empty())
                s += (s.empty() ? "" : " ") + *p;
        return s;
    };
    std::string title = vm.title;
    if (screen_ == Screen::Verdict && !joined_ && verdict_.verdict == Verdict::Admitted)
        title = tr("verdict.admitted.title_noname");
    out.push_back(
        Speak{join({&title, &vm.sentence, &vm.hint}), join({&vm.title, &vm.sentence, &vm.hint}), after});
}

void Machine::on(const SearchDone& s, std::int64_t, std::vector<Effect>&) {
    if (screen_ != Screen::Search || s.query != typed_)
        return; // an answer to an older query: the person kept typing
    searched_ = s.query;
    matches_ = s.matches;
    if (matches_.size() > opt_.max_matches)
        matches_.resize(opt_.max_matches);
}

void Machine::typed_changed(std::vector<Effect>& out) {
    matches_.clear();
    searched_.clear();
    if (utf8_chars(typed_) >= opt_.min_search_chars)
        out.push_back(StartSearch{typed_});
}

void Machine::on(const Tap& t, std::int64_t now, std::vector<Effect>& out) {
    // Closed: any touch lights the screen, so that the volunteers see the kiosk is alive. (The closed
    // screen has no buttons; the language and contrast still follow the command line's settings.)
    if (screen_ == Screen::Closed && t.intent != Intent::SwitchLanguage &&
        t.intent != Intent::ToggleContrast) {
        light_closed(now, out);
        return;
    }
    if (t.intent == Intent::Repeat) {
        out.push_back(RepeatSpeech{});
        deadline_ = std::max(deadline_, now + opt_.verdict_ms); // time to hear it again
        return;
    }
    // The person acts: speech stops (a language switch says the screen again in the new language).
    out.push_back(StopSpeech{});
    // Language and contrast work on every screen and never reset what the person was doing.
    if (t.intent == Intent::SwitchLanguage || t.intent == Intent::ToggleContrast) {
        if (t.intent == Intent::SwitchLanguage) {
            lang_ = lang_ == Lang::Fr ? Lang::En : Lang::Fr;
            if (screen_ == Screen::Verdict || screen_ == Screen::GoToDesk)
                speak(now, std::nullopt, out);
        } else {
            high_contrast_ = !high_contrast_;
        }
        if (screen_ == Screen::Search || screen_ == Screen::Confirm)
            deadline_ = std::max(deadline_, now + opt_.typing_ms);
        else if (screen_ == Screen::Verdict || screen_ == Screen::GoToDesk)
            deadline_ = std::max(deadline_, now + opt_.verdict_ms); // time to read it again
        return;
    }
    if (t.intent == Intent::NoBadge && !setup_.ready)
        return; // nobody to look for: the kiosk has no roster yet
    switch (screen_) {
    case Screen::Closed:
    case Screen::NotSetUp:
        return; // only an enrolment code moves it
    case Screen::Scan:
        if (t.intent == Intent::NoBadge) {
            go(Screen::Search, now);
            typed_.clear();
        } else if (t.intent == Intent::Organiser) {
            // Five taps on the clock within 3 s: hidden from attendees, easy for an organiser.
            std::erase_if(clock_taps_, [&](std::int64_t at) { return now - at > 3000; });
            clock_taps_.push_back(now);
            if (clock_taps_.size() < 5)
                return;
            clock_taps_.clear();
            pin_.clear();
            pin_status_ = "pin.sentence";
            go(Screen::Pin, now);
        }
        return;
    case Screen::Pin:
        deadline_ = std::max(deadline_, now + opt_.typing_ms);
        if (t.intent == Intent::Key && t.text.size() == 1 && t.text[0] >= '0' && t.text[0] <= '9' &&
            pin_.size() < 12 && !pin_checking_)
            pin_ += t.text;
        else if (t.intent == Intent::Backspace && !pin_.empty() && !pin_checking_)
            pin_.pop_back();
        else if (t.intent == Intent::Ok && pin_.size() >= 4 && !pin_checking_) {
            pin_checking_ = true;
            pin_status_ = "pin.checking";
            out.push_back(CheckPin{pin_});
        } else if (t.intent == Intent::Back)
            go(Screen::Scan, now);
        return;
    case Screen::Checking:
        return; // nothing to cancel: the arrival is being written
    case Screen::OutOfOrder:
        if (worker_down_)
            return; // nothing works until the database is back: the screen stays
        [[fallthrough]];
    case Screen::Verdict:
    case Screen::GoToDesk:
        if (t.intent == Intent::PrintBadge && screen_ == Screen::Verdict && may_print() &&
            print_state_.empty()) {
            print_state_ = "rendering";
            deadline_ = now + std::max<std::int64_t>(opt_.verdict_ms, 30000); // printing takes a moment
            out.push_back(PrintBadge{print_for_});
            return;
        }
        if (t.intent == Intent::Ok || t.intent == Intent::Back)
            go(Screen::Scan, now);
        else if (t.intent == Intent::NoBadge && screen_ != Screen::OutOfOrder)
            go(Screen::Search, now);
        return;
    case Screen::Search:
        deadline_ = std::max(deadline_, now + opt_.typing_ms); // any tap gives time back
        switch (t.intent) {
        case Intent::Key:
            if (utf8_chars(typed_) < 40) {
                typed_ += t.text;
                typed_changed(out);
            }
            return;
        case Intent::Space:
            if (!typed_.empty() && typed_.back() != ' ') {
                typed_ += ' ';
                typed_changed(out);
            }
            return;
        case Intent::Backspace:
            if (!typed_.empty()) {
                pop_utf8(typed_);
                typed_changed(out);
            }
            return;
        case Intent::PickMatch:
            if (t.index < 0 || std::size_t(t.index) >= matches_.size())
                return;
            chosen_ = matches_[std::size_t(t.index)];
            if (chosen_.options.empty() || chosen_.correct < 0) {
                desk_reason_ = "desk.cannot_confirm";
                go(Screen::GoToDesk, now);
                speak(now, std::nullopt, out);
            } else {
                go(Screen::Confirm, now);
            }
            return;
        case Intent::Back:
            go(Screen::Scan, now);
            return;
        default:
            return;
        }
    case Screen::Confirm:
        deadline_ = std::max(deadline_, now + opt_.typing_ms);
        switch (t.intent) {
        case Intent::PickOption:
            if (t.index < 0 || std::size_t(t.index) >= chosen_.options.size())
                return;
            if (t.index == chosen_.correct) {
                const std::string id = chosen_.attendee_id;
                print_for_ = id; // no badge with them: the verdict may offer to print one
                print_state_.clear();
                go(Screen::Checking, now);
                out.push_back(StartCheckinAttendee{id, now, ++last_job_});
            } else {
                // One try only: guessing someone else's arrival must not be a game.
                desk_reason_ = "desk.not_confirmed";
                go(Screen::GoToDesk, now);
                speak(now, std::nullopt, out);
            }
            return;
        case Intent::NoneOfThese:
            desk_reason_ = "desk.not_confirmed";
            go(Screen::GoToDesk, now);
            speak(now, std::nullopt, out);
            return;
        case Intent::Back:
            go(Screen::Search, now);
            return;
        default:
            return;
        }
    }
}

void Machine::on(const Tick&, std::int64_t now, std::vector<Effect>& out) {
    if (screen_ == Screen::Closed) {
        if (lit_until_ != 0 && now >= lit_until_) {
            lit_until_ = 0;
            deadline_ = 0;
            out.push_back(SetBacklight{false});
        }
        return;
    }
    // Codes that arrived during a check-in go next, once the verdict has been on screen a moment.
    const bool can_start = screen_ != Screen::Checking && screen_ != Screen::OutOfOrder &&
                           (screen_ != Screen::Verdict || now - entered_at_ >= 1500);
    if (!pending_.empty() && can_start) {
        const CodeDecoded next = pending_.front();
        pending_.pop_front();
        take_code(next, now, out);
        return;
    }
    close_if_due(now, out);
    if (deadline_ == 0 || now < deadline_)
        return;
    if (screen_ == Screen::Checking)
        out_of_order("out_of_order.reason.no_answer",
                     "no answer from the check-in worker after " +
                         std::to_string((now - entered_at_) / 1000) + " s",
                     now, out);
    else
        go(Screen::Scan, now);
}

void Machine::on(const Failure& f, std::int64_t now, std::vector<Effect>& out) {
    out_of_order("out_of_order.reason.error", f.what, now, out);
}

void Machine::on(const WorkerState& w, std::int64_t now, std::vector<Effect>& out) {
    if (!w.running) {
        if (worker_down_)
            return; // already said
        worker_down_ = true;
        fault_key_.clear();
        out_of_order("out_of_order.reason.database", "check-in worker down: " + w.what, now, out);
        return;
    }
    if (!worker_down_)
        return;
    worker_down_ = false;
    if (screen_ == Screen::OutOfOrder)
        go(Screen::Scan, now); // back in service
}

void Machine::on(const CameraState& c, std::int64_t, std::vector<Effect>&) {
    camera_ = c;
}

void Machine::on(const SyncState& s, std::int64_t, std::vector<Effect>&) {
    sync_ = s;
}

void Machine::on(const Joined& j, std::int64_t now, std::vector<Effect>& out) {
    // The status line names the kiosk as the organisers do, in the event's time zone.
    if (!j.kiosk_name.empty())
        opt_.kiosk_name = j.kiosk_name;
    if (!j.timezone.empty())
        opt_.timezone = j.timezone;
    if (j.ok()) { // enrolled: the worker's SetupState says so too, and whether the event came with it
        setup_.server = j.server;
        setup_.kiosk_name = j.kiosk_name;
    }
    if (!answers_current(j.job))
        return;
    joined_ = j;
    go(Screen::Verdict, now);
    // The person setting the kiosk up reads what to do next: more time than a verdict.
    deadline_ = now + std::max(opt_.verdict_ms, opt_.typing_ms);
    out.push_back(PlaySound{j.ok()                                    ? Sound::Admitted
                            : j.outcome == JoinOutcome::AlreadyJoined ? Sound::AlreadyCheckedIn
                                                                      : Sound::Error});
}

void Machine::on(const SetupState& s, std::int64_t now, std::vector<Effect>& out) {
    const bool was_ready = setup_.ready;
    setup_ = s;
    if (!s.kiosk_name.empty())
        opt_.kiosk_name = s.kiosk_name;
    if (!s.timezone.empty())
        opt_.timezone = s.timezone;
    if (!s.ready && s.refused_job != 0 && answers_current(s.refused_job)) {
        not_set_up_badge(now, out);
        return;
    }
    // The event arrived (the join's first exchange, or the agent later): the kiosk is in service.
    if (s.ready && !was_ready && screen_ == Screen::NotSetUp)
        go(Screen::Scan, now);
    else if (!s.ready && screen_ == Screen::Closed) { // its store lost the event: how to enrol it
        lit_until_ = 0;
        go(Screen::NotSetUp, now);
        out.push_back(SetCamera{true});
        out.push_back(SetBacklight{true});
    } else if (!s.ready && screen_ == Screen::Scan)
        go(Screen::NotSetUp, now);
}

void Machine::on(const HoursState& h, std::int64_t now, std::vector<Effect>& out) {
    closing_due_ = !h.open;
    if (!h.open) {
        opens_at_ = h.opens_at;
        close_if_due(now, out);
        return;
    }
    if (screen_ != Screen::Closed)
        return;
    lit_until_ = 0;
    go(worker_down_ ? Screen::OutOfOrder : Screen::Scan, now);
    out.push_back(SetCamera{true});
    out.push_back(SetBacklight{true});
}

void Machine::close_if_due(std::int64_t now, std::vector<Effect>& out) {
    // Only at rest: the person at the screen finishes, and nothing scanned is left waiting. A kiosk
    // out of order or not set up stays as it is: someone has to see it.
    if (!closing_due_ || screen_ != Screen::Scan || !pending_.empty())
        return;
    lit_until_ = 0;
    go(Screen::Closed, now);
    out.push_back(StopSpeech{});
    out.push_back(SetCamera{false});
    out.push_back(SetBacklight{false});
}

void Machine::light_closed(std::int64_t now, std::vector<Effect>& out) {
    if (lit_until_ == 0)
        out.push_back(SetBacklight{true});
    lit_until_ = now + opt_.closed_lit_ms;
    deadline_ = lit_until_;
}

void Machine::view_closed(ViewModel& vm) const {
    // Both languages at once: nobody picks one on a dark screen. No clock, no sync state: an unchanged
    // view is never drawn again, so the closed kiosk draws nothing until it is touched or opens.
    const Lang other = lang_ == Lang::Fr ? Lang::En : Lang::Fr;
    vm.title = strings_.format(lang_, "kiosk.closed.title", {{"time", opens_at_}});
    vm.sentence = strings_.format(other, "kiosk.closed.title", {{"time", opens_at_}});
    vm.hint = tr("kiosk.closed.no_scan") + "\n" + strings_.get(other, "kiosk.closed.no_scan");
    vm.lit = lit_until_ != 0;
    vm.kiosk_name.clear();
    vm.clock.clear();
    vm.sync_text.clear();
    vm.sync_tone = Tone::Neutral;
    vm.seconds_left = -1;
}

bool Machine::may_print() const {
    return opt_.can_print && !print_for_.empty() && !joined_ &&
           (verdict_.verdict == Verdict::Admitted || verdict_.verdict == Verdict::AlreadyCheckedIn);
}

void Machine::on(const PrintProgress& p, std::int64_t now, std::vector<Effect>& out) {
    if (screen_ != Screen::Verdict || print_state_.empty())
        return; // the person has gone: nothing to say
    print_state_ = p.state;
    if (p.state == "done" || p.state == "saved-pdf")
        deadline_ = now + opt_.verdict_ms;
    else if (p.state == "printer-offline" || p.state == "out-of-paper" || p.state == "failed") {
        deadline_ = now + opt_.verdict_ms;
        out.push_back(PlaySound{Sound::Error});
    }
}

void Machine::on(const PinChecked& p, std::int64_t now, std::vector<Effect>& out) {
    pin_checking_ = false;
    if (screen_ != Screen::Pin)
        return;
    pin_.clear(); // never kept once checked, right or wrong
    switch (p.result) {
    case PinChecked::Result::Ok:
        go(Screen::Scan, now);
        out.push_back(SwitchToDesk{});
        return;
    case PinChecked::Result::Wrong:
        pin_status_ = "pin.wrong";
        break;
    case PinChecked::Result::Locked:
        pin_status_ = "pin.locked";
        pin_locked_minutes_ = std::max<std::int64_t>(1, (p.locked_until_ms - now + 59999) / 60000);
        break;
    case PinChecked::Result::NoPinSet:
        pin_status_ = "pin.none";
        break;
    }
    out.push_back(PlaySound{Sound::Error});
}

ViewModel Machine::view(std::int64_t now) const {
    ViewModel vm;
    vm.screen = screen_;
    vm.french = lang_ == Lang::Fr;
    vm.high_contrast = high_contrast_;
    vm.kiosk_name = setup_.ready || !setup_.server.empty() ? opt_.kiosk_name : tr("kiosk.setup.status");
    vm.clock = local_hh_mm(now, opt_.timezone);
    std::tie(vm.sync_text, vm.sync_tone) = sync_status(strings_, lang_, sync_);
    vm.language_label = tr("lang.other");
    vm.contrast_label = tr(high_contrast_ ? "contrast.normal" : "contrast.high");
    if (deadline_ != 0)
        vm.seconds_left = int(std::max<std::int64_t>(0, (deadline_ - now + 999) / 1000));

    switch (screen_) {
    case Screen::Scan:
        vm.icon = Icon::Badge;
        vm.title = tr("scan.title");
        vm.sentence = tr("scan.sentence");
        vm.show_preview = camera_.available;
        if (!camera_.available)
            vm.camera_note = tr("scan.no_camera");
        vm.actions.push_back({Intent::NoBadge, tr("scan.no_badge"), -1, false});
        break;
    case Screen::Checking:
        vm.icon = Icon::Hourglass;
        vm.title = tr("checking.title");
        vm.sentence = tr("checking.sentence");
        vm.seconds_left = -1; // its deadline is a safeguard, not something to count down
        break;
    case Screen::NotSetUp:
        view_not_set_up(vm);
        break;
    case Screen::Verdict: {
        if (joined_) {
            view_joined(vm);
            break;
        }
        const std::string stem = verdict_stem(verdict_.verdict);
        switch (verdict_.verdict) {
        case Verdict::Admitted:
            vm.tone = Tone::Success;
            vm.icon = Icon::Check;
            vm.title = verdict_.first_name.empty() ? tr("verdict.admitted.title_noname")
                                                   : strings_.format(lang_, "verdict.admitted.title",
                                                                     {{"name", verdict_.first_name}});
            break;
        case Verdict::AlreadyCheckedIn:
            vm.tone = Tone::Info;
            vm.icon = Icon::Repeat;
            vm.title = tr(stem + ".title");
            break;
        case Verdict::NotToday:
            vm.tone = Tone::Warning;
            vm.icon = Icon::Calendar;
            vm.title = tr(stem + ".title");
            break;
        case Verdict::ReplacedBadge:
            vm.tone = Tone::Warning;
            vm.icon = Icon::Triangle;
            vm.title = tr(stem + ".title");
            break;
        case Verdict::InvalidBadge:
            vm.tone = Tone::Error;
            vm.icon = Icon::Cross;
            vm.title = tr(stem + ".title");
            break;
        case Verdict::UnknownCode:
            vm.tone = Tone::Error;
            vm.icon = Icon::Question;
            vm.title = tr(stem + ".title");
            break;
        }
        if (verdict_.verdict == Verdict::AlreadyCheckedIn)
            vm.sentence = strings_.format(
                lang_,
                verdict_.first_kiosk.empty() ? "verdict.already.sentence_nokiosk"
                                             : "verdict.already.sentence",
                {{"time", spoken_time(lang_, verdict_.first_hh_mm)}, {"kiosk", verdict_.first_kiosk}});
        else
            vm.sentence = tr(stem + ".sentence");
        vm.hint = tr(verdict_.see_desk && verdict_.verdict == Verdict::Admitted ? "verdict.admitted.see_desk"
                                                                                : stem + ".hint");
        vm.actions.push_back({Intent::Ok, tr("verdict.ok"), -1, true});
        if (may_print() && print_state_.empty())
            vm.actions.push_back({Intent::PrintBadge, tr("verdict.print"), -1, false});
        if (!print_state_.empty())
            vm.hint = tr("kiosk.print." + print_state_);
        if (opt_.speech)
            vm.actions.push_back({Intent::Repeat, tr("verdict.repeat"), -1, false});
        break;
    }
    case Screen::Search: {
        vm.icon = Icon::Search;
        vm.title = tr("search.title");
        vm.show_keyboard = true;
        vm.typed = typed_;
        vm.typed_placeholder = tr("search.placeholder");
        vm.backspace_label = tr("search.backspace");
        vm.space_label = tr("search.space");
        vm.can_extend = true;
        vm.more_time_label = tr("common.more_time");
        if (utf8_chars(typed_) < opt_.min_search_chars) {
            vm.sentence = tr("search.sentence");
        } else if (searched_ == typed_) {
            if (matches_.empty())
                vm.sentence = tr("search.no_match");
            else
                vm.sentence = tr("search.pick");
            for (std::size_t i = 0; i < matches_.size(); ++i)
                vm.choices.push_back({Intent::PickMatch, matches_[i].masked_name, int(i), false});
        } else {
            vm.sentence = tr("search.searching");
        }
        vm.actions.push_back({Intent::Back, tr("common.back"), -1, false});
        break;
    }
    case Screen::Confirm:
        vm.icon = Icon::Key;
        vm.title = strings_.format(lang_, "confirm.title", {{"name", chosen_.masked_name}});
        vm.sentence = tr("confirm.sentence");
        vm.can_extend = true;
        vm.more_time_label = tr("common.more_time");
        for (std::size_t i = 0; i < chosen_.options.size(); ++i)
            vm.choices.push_back({Intent::PickOption, chosen_.options[i], int(i), false});
        vm.choices.push_back({Intent::NoneOfThese, tr("confirm.none"), -1, false});
        vm.actions.push_back({Intent::Back, tr("common.back"), -1, false});
        break;
    case Screen::GoToDesk:
        vm.tone = Tone::Warning;
        vm.icon = Icon::Desk;
        vm.title = tr("desk.title");
        vm.sentence = tr(desk_reason_.empty() ? "desk.not_confirmed" : desk_reason_);
        vm.actions.push_back({Intent::Ok, tr("verdict.ok"), -1, true});
        if (opt_.speech)
            vm.actions.push_back({Intent::Repeat, tr("verdict.repeat"), -1, false});
        break;
    case Screen::Pin:
        vm.icon = Icon::Key;
        vm.title = tr("pin.title");
        vm.sentence = strings_.format(lang_, pin_status_, {{"n", std::to_string(pin_locked_minutes_)}});
        vm.tone = pin_status_ == "pin.wrong" || pin_status_ == "pin.locked" || pin_status_ == "pin.none"
                      ? Tone::Error
                      : Tone::Neutral;
        for (std::size_t i = 0; i < pin_.size(); ++i)
            vm.typed += "•"; // the digits are never drawn
        vm.typed_placeholder = tr("pin.placeholder");
        vm.backspace_label = tr("search.backspace");
        vm.actions.push_back({Intent::Ok, tr("pin.ok"), -1, true});
        vm.actions.push_back({Intent::Back, tr("common.back"), -1, false});
        break;
    case Screen::Closed:
        view_closed(vm);
        break;
    case Screen::OutOfOrder:
        vm.tone = Tone::Error;
        vm.icon = Icon::Stop;
        vm.title = tr("out_of_order.title");
        vm.sentence = tr("out_of_order.sentence");
        vm.hint = tr(fault_key_.empty() ? "out_of_order.reason.error" : fault_key_);
        vm.seconds_left = -1; // it retries by itself; no countdown to worry anyone
        break;
    }
    return vm;
}

void Machine::view_not_set_up(ViewModel& vm) const {
    vm.tone = Tone::Warning;
    vm.icon = Icon::Gear;
    const std::string file = opt_.db_file.empty()
                                 ? std::string()
                                 : strings_.format(lang_, "kiosk.setup.file", {{"file", opt_.db_file}});
    if (setup_.server.empty()) {
        vm.show_preview = camera_.available; // to aim the enrolment code at the camera
        if (!camera_.available)
            vm.camera_note = tr("scan.no_camera");
        vm.title = tr("kiosk.setup.title");
        vm.sentence = tr("kiosk.setup.sentence");
        vm.hint = file;
    } else {
        // Enrolled, but the event has not arrived: the agent brings it once the server answers.
        vm.title = tr("kiosk.setup.waiting.title");
        vm.sentence = strings_.format(lang_, "kiosk.setup.waiting.sentence",
                                      {{"name", opt_.kiosk_name}, {"server", setup_.server}});
        vm.hint = tr("kiosk.setup.waiting.hint") + (file.empty() ? "" : "\n" + file);
    }
}

void Machine::view_joined(ViewModel& vm) const {
    const Joined& j = *joined_;
    const std::string stem = join_words(j.outcome);
    switch (j.outcome) {
    case JoinOutcome::Joined:
        vm.tone = Tone::Success;
        vm.icon = Icon::Check;
        break;
    case JoinOutcome::JoinedNotSynced:
        vm.tone = Tone::Info;
        vm.icon = Icon::Hourglass;
        break;
    case JoinOutcome::AlreadyJoined:
        vm.tone = Tone::Info;
        vm.icon = Icon::Repeat;
        break;
    case JoinOutcome::DamagedCode:
        vm.tone = Tone::Warning;
        vm.icon = Icon::Triangle;
        break;
    default:
        vm.tone = Tone::Error;
        vm.icon = Icon::Cross;
        break;
    }
    const i18n::Args args{{"server", j.server},
                          {"name", j.kiosk_name.empty() ? opt_.kiosk_name : j.kiosk_name},
                          {"file", opt_.db_file}};
    vm.title = strings_.format(lang_, stem + ".title", args);
    vm.sentence = strings_.format(lang_, stem + ".sentence", args);
    vm.hint = strings_.format(lang_, stem + ".hint", args);
    vm.actions.push_back({Intent::Ok, tr("verdict.ok"), -1, true});
}

} // namespace accueil::kiosk
