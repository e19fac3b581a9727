#include "desk_machine.hpp"

#include "text_fold.hpp"

#include <algorithm>
#include <utility>

// GCC 12 reports a false "may be used uninitialized" inside std::variant's move constructor when
// effects are pushed (GCC bug 105562 and friends); the code is plain value semantics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace accueil::kiosk {

const char* desk_screen_key(DeskScreen s) {
    switch (s) {
    case DeskScreen::Search:
        return "search";
    case DeskScreen::Person:
        return "person";
    case DeskScreen::Edit:
        return "edit";
    case DeskScreen::WalkIn:
        return "walk-in";
    case DeskScreen::Duplicates:
        return "duplicates";
    case DeskScreen::ConfirmUndo:
        return "confirm-undo";
    case DeskScreen::Badge:
        return "badge";
    case DeskScreen::Alerts:
        return "alerts";
    }
    return "search";
}

const std::string& form_field(const PersonForm& f, int index) {
    switch (FormField(index)) {
    case FormField::FirstName:
        return f.first_name;
    case FormField::LastName:
        return f.last_name;
    case FormField::Email:
        return f.email;
    case FormField::Organisation:
        return f.organisation;
    case FormField::Category:
        return f.category;
    case FormField::Note:
        break;
    }
    return f.note;
}

std::string& form_field(PersonForm& f, int index) {
    return const_cast<std::string&>(form_field(std::as_const(f), index));
}

const std::vector<std::string>& desk_form_fields() {
    static const std::vector<std::string> fields = {"first_name",   "last_name", "email",
                                                    "organisation", "category",  "note"};
    return fields;
}

namespace {
const char* verdict_stem(Verdict v) {
    switch (v) {
    case Verdict::Admitted:
        return "desk.verdict.admitted";
    case Verdict::AlreadyCheckedIn:
        return "desk.verdict.already";
    case Verdict::NotToday:
        return "desk.verdict.not_today";
    case Verdict::ReplacedBadge:
        return "desk.verdict.replaced";
    case Verdict::InvalidBadge:
        return "desk.verdict.invalid";
    case Verdict::UnknownCode:
        return "desk.verdict.unknown";
    }
    return "desk.verdict.unknown";
}

Tone verdict_tone(Verdict v) {
    switch (v) {
    case Verdict::Admitted:
        return Tone::Success;
    case Verdict::AlreadyCheckedIn:
        return Tone::Info;
    case Verdict::NotToday:
    case Verdict::ReplacedBadge:
        return Tone::Warning;
    case Verdict::InvalidBadge:
    case Verdict::UnknownCode:
        return Tone::Error;
    }
    return Tone::Error;
}

Icon verdict_icon(Verdict v) {
    switch (v) {
    case Verdict::Admitted:
        return Icon::Check;
    case Verdict::AlreadyCheckedIn:
        return Icon::Repeat;
    case Verdict::NotToday:
        return Icon::Calendar;
    case Verdict::ReplacedBadge:
        return Icon::Triangle;
    case Verdict::InvalidBadge:
        return Icon::Cross;
    case Verdict::UnknownCode:
        return Icon::Question;
    }
    return Icon::Question;
}

// A walk-in form started from what was searched: "marie dup" gives first name "marie", last name "dup".
PersonForm form_from_query(const std::string& query) {
    PersonForm f;
    const auto space = query.find(' ');
    if (space == std::string::npos) {
        f.last_name = query;
    } else {
        f.first_name = query.substr(0, space);
        f.last_name = query.substr(space + 1);
    }
    return f;
}
} // namespace

DeskMachine::DeskMachine(const Strings& strings, DeskOptions options) : strings_(strings), opt_(options) {}

std::vector<DeskEffect> DeskMachine::handle(const DeskInput& input, std::int64_t) {
    std::vector<DeskEffect> out;
    std::visit([&](const auto& in) { on(in, out); }, input);
    return out;
}

void DeskMachine::go(DeskScreen s) {
    screen_ = s;
    if (s != DeskScreen::Edit && s != DeskScreen::WalkIn && s != DeskScreen::Duplicates)
        errors_.clear();
}

void DeskMachine::on(const DeskReady& in, std::vector<DeskEffect>&) {
    setup_ = in.setup;
}

void DeskMachine::on(const DeskClock& in, std::vector<DeskEffect>&) {
    clock_ = in.hh_mm;
    sync_ = in.sync;
}

void DeskMachine::query_changed(std::vector<DeskEffect>& out) {
    selected_ = 0;
    banner_.reset();
    if (utf8_chars(query_) >= opt_.min_search_chars) {
        out.push_back(DeskSearch{query_});
    } else {
        rows_.clear();
        searched_.clear();
    }
}

void DeskMachine::on(const DeskKey& k, std::vector<DeskEffect>& out) {
    out.push_back(DeskStopSpeech{}); // the volunteer acts: whatever was being said is stale
    switch (screen_) {
    case DeskScreen::Search:
    case DeskScreen::Person:
        switch (k.kind) {
        case DeskKey::Char:
            if (k.text.empty() || (k.text == " " && (query_.empty() || query_.back() == ' ')))
                return;
            if (screen_ == DeskScreen::Person) {
                // Typing on a person's page starts the next search: the queue moves on.
                query_.clear();
                go(DeskScreen::Search);
            }
            if (utf8_chars(query_) < 60) {
                query_ += k.text;
                query_changed(out);
            }
            return;
        case DeskKey::Backspace:
            if (screen_ == DeskScreen::Search && !query_.empty()) {
                pop_utf8(query_);
                query_changed(out);
            }
            return;
        case DeskKey::Enter:
            if (screen_ == DeskScreen::Search)
                open_row(selected_, out);
            else
                act(DeskAct::CheckIn, -1, {}, out);
            return;
        case DeskKey::Escape:
            back(out);
            return;
        case DeskKey::Up:
        case DeskKey::Down:
            if (screen_ == DeskScreen::Search && !rows_.empty())
                selected_ =
                    std::clamp(selected_ + (k.kind == DeskKey::Up ? -1 : 1), 0, int(rows_.size()) - 1);
            return;
        }
        return;
    case DeskScreen::Duplicates:
    case DeskScreen::Alerts: {
        const int n = int(screen_ == DeskScreen::Duplicates ? duplicates_.size() : alerts_.size());
        if ((k.kind == DeskKey::Up || k.kind == DeskKey::Down) && n > 0)
            selected_ = std::clamp(selected_ + (k.kind == DeskKey::Up ? -1 : 1), 0, n - 1);
        else if (k.kind == DeskKey::Enter)
            open_row(selected_, out);
        else if (k.kind == DeskKey::Escape)
            back(out);
        return;
    }
    case DeskScreen::Edit:
    case DeskScreen::WalkIn:
        // Characters go to the focused field (the drawing layer's text boxes report FieldEdited).
        if (k.kind == DeskKey::Enter)
            act(screen_ == DeskScreen::Edit ? DeskAct::Save : DeskAct::Create, -1, {}, out);
        else if (k.kind == DeskKey::Escape)
            back(out);
        return;
    case DeskScreen::ConfirmUndo:
        if (k.kind == DeskKey::Enter)
            act(DeskAct::ConfirmUndo, -1, {}, out);
        else if (k.kind == DeskKey::Escape)
            back(out);
        return;
    case DeskScreen::Badge:
        if (k.kind == DeskKey::Enter || k.kind == DeskKey::Escape)
            back(out);
        return;
    }
}

void DeskMachine::back(std::vector<DeskEffect>& out) {
    switch (screen_) {
    case DeskScreen::Search:
        if (!query_.empty()) {
            query_.clear();
            query_changed(out);
        }
        banner_.reset();
        return;
    case DeskScreen::Person:
    case DeskScreen::Alerts:
        banner_.reset();
        go(DeskScreen::Search);
        return;
    case DeskScreen::Edit:
    case DeskScreen::ConfirmUndo:
    case DeskScreen::Badge:
        go(person_ ? DeskScreen::Person : DeskScreen::Search);
        return;
    case DeskScreen::WalkIn:
        go(DeskScreen::Search);
        return;
    case DeskScreen::Duplicates:
        go(DeskScreen::WalkIn);
        return;
    }
}

void DeskMachine::open_row(int index, std::vector<DeskEffect>& out) {
    if (index < 0)
        return;
    const auto i = std::size_t(index);
    if (screen_ == DeskScreen::Search && i < rows_.size())
        out.push_back(DeskOpen{rows_[i].id});
    else if (screen_ == DeskScreen::Duplicates && i < duplicates_.size())
        out.push_back(DeskOpen{duplicates_[i].id}); // it is them: no new record
    else if (screen_ == DeskScreen::Alerts && i < alerts_.size())
        out.push_back(DeskOpen{alerts_[i].attendee_id});
}

void DeskMachine::start_form(bool walk_in) {
    errors_.clear();
    if (walk_in) {
        form_ = form_from_query(query_);
        for (const auto& d : setup_.days)
            if (d.date == setup_.today)
                form_.days = {d.date}; // a walk-in usually comes for today only
        if (form_.days.empty())
            for (const auto& d : setup_.days)
                form_.days.push_back(d.date);
        go(DeskScreen::WalkIn);
        return;
    }
    const auto& p = *person_;
    form_ = {p.summary.first_name,   p.summary.last_name, p.email,
             p.summary.organisation, p.summary.category,  p.note,
             p.summary.days};
    if (form_.days.empty())
        for (const auto& d : setup_.days)
            form_.days.push_back(d.date);
    go(DeskScreen::Edit);
}

void DeskMachine::act(DeskAct a, int index, const std::string& text, std::vector<DeskEffect>& out) {
    switch (a) {
    case DeskAct::SwitchLanguage:
        lang_ = lang_ == Lang::Fr ? Lang::En : Lang::Fr;
        return;
    case DeskAct::ToggleContrast:
        high_contrast_ = !high_contrast_;
        return;
    case DeskAct::Repeat:
        out.push_back(DeskRepeatSpeech{});
        return;
    case DeskAct::Back:
        back(out);
        return;
    case DeskAct::Select:
        selected_ = std::max(0, index);
        return;
    case DeskAct::OpenRow:
        open_row(index, out);
        return;
    case DeskAct::Alerts:
        selected_ = 0;
        banner_.reset();
        go(DeskScreen::Alerts);
        out.push_back(DeskLoadAlerts{});
        return;
    case DeskAct::WalkIn:
        if (screen_ == DeskScreen::Search || screen_ == DeskScreen::Person) {
            banner_.reset();
            start_form(true);
        }
        return;
    case DeskAct::SelfService:
        if (opt_.may_leave)
            out.push_back(DeskLeave{});
        return;
    default:
        break;
    }
    // The rest acts on the person on screen or the open form.
    switch (a) {
    case DeskAct::CheckIn:
        if (screen_ == DeskScreen::Person && person_ && !person_->summary.arrived_today)
            out.push_back(DeskDoCheckIn{person_->summary.id});
        return;
    case DeskAct::Undo:
        if (screen_ == DeskScreen::Person && person_ && person_->summary.arrived_today)
            go(DeskScreen::ConfirmUndo);
        return;
    case DeskAct::ConfirmUndo:
        if (screen_ == DeskScreen::ConfirmUndo && person_)
            out.push_back(DeskDoUndo{person_->summary.id});
        return;
    case DeskAct::Edit:
        if (screen_ == DeskScreen::Person && person_) {
            banner_.reset();
            start_form(false);
        }
        return;
    case DeskAct::Reprint:
        if (screen_ == DeskScreen::Person && person_)
            out.push_back(DeskDoReprint{person_->summary.id});
        return;
    case DeskAct::PrintAgain:
        if (screen_ == DeskScreen::Badge && person_ && !badge_code_.empty())
            out.push_back(DeskDoPrint{person_->summary.id, badge_code_});
        return;
    case DeskAct::Save:
        if (screen_ == DeskScreen::Edit && person_)
            out.push_back(DeskDoSave{person_->summary.id, form_, false});
        return;
    case DeskAct::Create:
        if (screen_ == DeskScreen::WalkIn)
            out.push_back(DeskDoSave{"", form_, false});
        return;
    case DeskAct::CreateAnyway:
        if (screen_ == DeskScreen::Duplicates)
            out.push_back(DeskDoSave{"", form_, true});
        return;
    case DeskAct::FieldEdited:
        if (editing() && index >= 0 && index < kFormFields) {
            std::string& value = form_field(form_, index);
            if (value != text) {
                value = text;
                // The message beside a field goes once the field is changed.
                const std::string& key = desk_form_fields()[std::size_t(index)];
                std::erase_if(errors_, [&](const FieldError& e) { return e.field == key; });
            }
        }
        return;
    case DeskAct::ToggleDay:
        if (editing() && index >= 0 && std::size_t(index) < setup_.days.size()) {
            const std::string& date = setup_.days[std::size_t(index)].date;
            auto it = std::find(form_.days.begin(), form_.days.end(), date);
            if (it == form_.days.end())
                form_.days.push_back(date);
            else
                form_.days.erase(it);
            std::erase_if(errors_, [](const FieldError& e) { return e.field == "days"; });
        }
        return;
    default:
        return;
    }
}

void DeskMachine::on(const DeskTap& t, std::vector<DeskEffect>& out) {
    if (t.act != DeskAct::FieldEdited && t.act != DeskAct::Select && t.act != DeskAct::Repeat)
        out.push_back(DeskStopSpeech{});
    act(t.act, t.index, t.text, out);
}

void DeskMachine::on(const DeskCode& c, std::vector<DeskEffect>& out) {
    if (c.code.empty())
        return;
    if (editing()) {
        // A form holds unsaved typing: the scan waits for the volunteer to finish or cancel it.
        set_banner({Tone::Info,
                    Icon::Badge,
                    "desk.banner.finish_form.title",
                    "desk.banner.finish_form.text",
                    {},
                    {}});
        return;
    }
    out.push_back(DeskStopSpeech{});
    out.push_back(DeskResolve{c.code, c.at_ms});
}

void DeskMachine::on(const DeskResults& r, std::vector<DeskEffect>&) {
    if (r.query != query_)
        return; // an answer to an older query: the volunteer kept typing
    searched_ = r.query;
    rows_ = r.rows;
    if (rows_.size() > opt_.max_rows)
        rows_.resize(opt_.max_rows);
    selected_ = std::clamp(selected_, 0, std::max(0, int(rows_.size()) - 1));
}

void DeskMachine::show_person(PersonDetail p) {
    person_ = std::move(p);
    // The results behind the page (Escape goes back to them) show the person as now: arrived, undone,
    // renamed.
    for (auto& row : rows_)
        if (row.id == person_->summary.id)
            row = person_->summary;
    go(DeskScreen::Person);
}

void DeskMachine::on(const DeskPerson& p, std::vector<DeskEffect>&) {
    if (editing())
        return;
    banner_.reset();
    show_person(p.person);
    if (!person_->note.empty() || person_->summary.has_note)
        set_banner({Tone::Info, Icon::Desk, "desk.banner.note.title", "", {}, person_->note});
}

void DeskMachine::on(const DeskCodeVerdict& v, std::vector<DeskEffect>& out) {
    out.push_back(PlaySound{verdict_sound(v.verdict)});
    const std::string stem = verdict_stem(v.verdict);
    if (v.person) {
        show_person(*v.person);
    } else {
        go(DeskScreen::Search);
    }
    set_banner({verdict_tone(v.verdict), verdict_icon(v.verdict), stem + ".title", stem + ".text", {}, {}});
}

void DeskMachine::verdict_banner(const VerdictInfo& info, const PersonDetail& p) {
    const std::string stem = verdict_stem(info.verdict);
    Banner b{verdict_tone(info.verdict),
             verdict_icon(info.verdict),
             stem + ".title",
             stem + ".text",
             {{"name", p.summary.first_name + " " + p.summary.last_name},
              {"time", info.first_hh_mm},
              {"kiosk", info.first_kiosk}},
             p.note};
    set_banner(std::move(b));
}

void DeskMachine::on(const DeskCheckedIn& c, std::vector<DeskEffect>& out) {
    show_person(c.person);
    verdict_banner(c.info, c.person);
    out.push_back(PlaySound{verdict_sound(c.info.verdict)});
    const std::string stem = verdict_stem(c.info.verdict);
    // Spoken only if this device speaks (off at the desk by default); the name only in headphones.
    out.push_back(
        DeskSpeak{tr(stem + ".spoken"), fmt(stem + ".spoken_name", {{"name", c.person.summary.first_name}})});
}

void DeskMachine::on(const DeskUndone& u, std::vector<DeskEffect>&) {
    show_person(u.person);
    set_banner({u.count > 0 ? Tone::Info : Tone::Warning,
                Icon::Repeat,
                u.count > 0 ? "desk.banner.undone.title" : "desk.banner.nothing_undone.title",
                u.count > 0 ? "desk.banner.undone.text" : "desk.banner.nothing_undone.text",
                {{"name", u.person.summary.first_name + " " + u.person.summary.last_name}},
                {}});
}

void DeskMachine::on(const DeskFormRefused& r, std::vector<DeskEffect>& out) {
    if (!editing() && screen_ != DeskScreen::Duplicates)
        return;
    if (screen_ == DeskScreen::Duplicates)
        go(DeskScreen::WalkIn);
    errors_ = r.errors;
    out.push_back(PlaySound{Sound::Error});
}

void DeskMachine::on(const DeskDuplicates& d, std::vector<DeskEffect>&) {
    if (screen_ != DeskScreen::WalkIn)
        return;
    duplicates_ = d.rows;
    selected_ = 0;
    go(DeskScreen::Duplicates);
}

void DeskMachine::on(const DeskSaved& s, std::vector<DeskEffect>& out) {
    show_person(s.person);
    const std::string name = s.person.summary.first_name + " " + s.person.summary.last_name;
    if (!s.badge_code.empty()) {
        badge_code_ = s.badge_code;
        badge_signed_ = s.badge_signed;
        print_state_.clear();
        print_detail_.clear();
        go(DeskScreen::Badge);
        out.push_back(DeskDoPrint{s.person.summary.id, s.badge_code});
        set_banner({Tone::Success,
                    Icon::Check,
                    s.created ? "desk.banner.created.title" : "desk.banner.reprinted.title",
                    s.created ? "desk.banner.created.text" : "desk.banner.reprinted.text",
                    {{"name", name}, {"version", std::to_string(s.person.badge_version)}},
                    {}});
        if (s.created)
            out.push_back(PlaySound{Sound::Admitted});
        return;
    }
    set_banner({Tone::Success,
                Icon::Check,
                "desk.banner.saved.title",
                "desk.banner.saved.text",
                {{"name", name}},
                {}});
}

void DeskMachine::on(const DeskAlerts& a, std::vector<DeskEffect>&) {
    alerts_ = a.alerts;
    alerts_loaded_ = true;
    if (screen_ == DeskScreen::Alerts)
        selected_ = std::clamp(selected_, 0, std::max(0, int(alerts_.size()) - 1));
}

void DeskMachine::on(const DeskPrint& p, std::vector<DeskEffect>&) {
    if (p.job < print_job_)
        return; // an older job's late news
    print_job_ = p.job;
    print_state_ = p.state;
    print_detail_ = p.detail;
}

void DeskMachine::on(const DeskFailure& f, std::vector<DeskEffect>& out) {
    out.push_back(LogError{f.what});
    out.push_back(PlaySound{Sound::Error});
    set_banner({Tone::Error, Icon::Stop, "desk.banner.failed.title", "desk.banner.failed.text", {}, {}});
}

} // namespace accueil::kiosk
