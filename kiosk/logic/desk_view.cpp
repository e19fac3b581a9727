// DeskMachine::view(): every word of the desk's screen, from the state and assets/lang/*.json.
#include "desk_machine.hpp"

#include <algorithm>
#include <tuple>

namespace accueil::kiosk {

std::string DeskMachine::days_text(const std::vector<std::string>& days) const {
    if (days.empty())
        return tr("desk.days.all");
    std::string out;
    for (const auto& d : setup_.days)
        if (std::find(days.begin(), days.end(), d.date) != days.end())
            out += (out.empty() ? "" : ", ") + d.label;
    return out.empty() ? tr("desk.days.none_this_event") : out;
}

DeskRow DeskMachine::row_of(const PersonSummary& p) const {
    DeskRow r;
    r.title = p.first_name + " " + p.last_name;
    std::string detail;
    for (const std::string* part : {&p.organisation, &p.category})
        if (!part->empty())
            detail += (detail.empty() ? "" : " · ") + *part;
    const std::string days = days_text(p.days);
    r.detail = detail.empty() ? days : detail + " · " + days;
    if (p.arrived_today) {
        r.status = p.arrived_device.empty() ? fmt("desk.status.arrived", {{"time", p.arrived_hh_mm}})
                                            : fmt("desk.status.arrived_at",
                                                  {{"time", p.arrived_hh_mm}, {"kiosk", p.arrived_device}});
        r.tone = Tone::Success;
    } else if (!p.may_enter_today) {
        r.status = tr("desk.status.not_today");
        r.tone = Tone::Warning;
    } else {
        r.status = tr("desk.status.not_yet");
        r.tone = Tone::Neutral;
    }
    r.note = p.has_note;
    return r;
}

DeskView DeskMachine::view() const {
    DeskView v;
    v.screen = screen_;
    v.french = lang_ == Lang::Fr;
    v.high_contrast = high_contrast_;
    v.device_name = setup_.device_name;
    v.clock = clock_;
    std::tie(v.sync_text, v.sync_tone) = sync_status(strings_, lang_, sync_);
    v.language_label = tr("lang.other");
    v.contrast_label = tr(high_contrast_ ? "contrast.normal" : "contrast.high");
    v.alert_count = int(alerts_.size());
    v.alerts_label = alerts_.empty() ? tr("desk.alerts.button_none")
                                     : fmt("desk.alerts.button", {{"n", std::to_string(alerts_.size())}});

    if (banner_) {
        v.banner_tone = banner_->tone;
        v.banner_icon = banner_->icon;
        v.banner_title = fmt(banner_->title_key, banner_->args);
        if (!banner_->text_key.empty())
            v.banner_text = fmt(banner_->text_key, banner_->args);
        if (!banner_->raw_text.empty())
            v.banner_text +=
                (v.banner_text.empty() ? "" : "\n") + tr("desk.note.prefix") + " " + banner_->raw_text;
    }

    auto button = [&](DeskAct a, const std::string& key, const char* shortcut, bool primary = false,
                      bool danger = false) {
        v.actions.push_back({a, tr(key), shortcut ? tr(shortcut) : std::string(), -1, primary, danger});
    };

    switch (screen_) {
    case DeskScreen::Search: {
        v.title = tr("desk.search.title");
        v.query = query_;
        v.query_label = tr("desk.search.label");
        v.query_placeholder = tr("desk.search.placeholder");
        if (query_.empty())
            v.list_caption = tr("desk.search.hint");
        else if (searched_ != query_)
            v.list_caption = rows_.empty() ? tr("desk.search.too_short") : std::string();
        else if (rows_.empty())
            v.list_caption = tr("desk.search.none");
        else
            v.list_caption = fmt(rows_.size() == 1 ? "desk.search.one" : "desk.search.many",
                                 {{"n", std::to_string(rows_.size())}});
        for (std::size_t i = 0; i < rows_.size(); ++i) {
            DeskRow r = row_of(rows_[i]);
            r.selected = int(i) == selected_;
            v.rows.push_back(std::move(r));
        }
        if (!rows_.empty())
            button(DeskAct::OpenRow, "desk.action.open", "desk.key.enter", true);
        button(DeskAct::WalkIn, "desk.action.walk_in", "desk.key.f2");
        if (opt_.may_leave)
            button(DeskAct::SelfService, "desk.action.self_service", nullptr);
        break;
    }
    case DeskScreen::Person: {
        const auto& p = *person_;
        v.title = p.summary.first_name + " " + p.summary.last_name;
        const DeskRow r = row_of(p.summary);
        v.facts.push_back({tr("desk.fact.today"), r.status});
        if (!p.summary.organisation.empty())
            v.facts.push_back({tr("desk.field.organisation"), p.summary.organisation});
        if (!p.summary.category.empty())
            v.facts.push_back({tr("desk.field.category"), p.summary.category});
        v.facts.push_back({tr("desk.field.days"), days_text(p.summary.days)});
        if (!p.email.empty())
            v.facts.push_back({tr("desk.field.email"), p.email});
        v.facts.push_back({tr("desk.fact.badge"),
                           fmt("desk.fact.badge_version", {{"n", std::to_string(p.badge_version)}})});
        if (!p.note.empty()) {
            v.note_label = tr("desk.field.note");
            v.note = p.note;
        }
        v.history_title = tr("desk.history.title");
        for (const auto& h : p.history) {
            std::string what = tr("desk.history." + h.kind);
            if (!h.detail.empty())
                what += " (" + h.detail + ")";
            if (!h.device.empty())
                what += " · " + h.device;
            v.history.push_back({h.when, what});
        }
        if (!p.summary.arrived_today && p.summary.may_enter_today)
            button(DeskAct::CheckIn, "desk.action.check_in", "desk.key.enter", true);
        if (p.summary.arrived_today)
            button(DeskAct::Undo, "desk.action.undo", nullptr, false, true);
        button(DeskAct::Edit, "desk.action.edit", nullptr);
        button(DeskAct::Reprint, "desk.action.reprint", nullptr);
        button(DeskAct::Back, "desk.action.back", "desk.key.escape");
        break;
    }
    case DeskScreen::Edit:
    case DeskScreen::WalkIn: {
        v.title = screen_ == DeskScreen::Edit ? tr("desk.edit.title") : tr("desk.walk_in.title");
        const auto& keys = desk_form_fields();
        for (int i = 0; i < kFormFields; ++i) {
            const std::string& key = keys[std::size_t(i)];
            DeskField f;
            f.label = tr("desk.field." + key);
            f.value = form_field(form_, i);
            f.multiline = key == "note";
            if (key == "email" || key == "organisation" || key == "category" || key == "note")
                f.hint = tr(key == "note" ? "desk.field.note_hint" : "desk.field.optional");
            for (const auto& e : errors_)
                if (e.field == key)
                    f.error = tr(e.message_key);
            v.fields.push_back(std::move(f));
        }
        v.days_label = tr("desk.field.days");
        for (const auto& d : setup_.days)
            v.days.push_back(
                {d.label, std::find(form_.days.begin(), form_.days.end(), d.date) != form_.days.end()});
        for (const auto& e : errors_)
            if (e.field == "days")
                v.days_error = tr(e.message_key);
        if (screen_ == DeskScreen::Edit)
            button(DeskAct::Save, "desk.action.save", "desk.key.enter", true);
        else
            button(DeskAct::Create, "desk.action.create", "desk.key.enter", true);
        button(DeskAct::Back, "desk.action.cancel", "desk.key.escape");
        break;
    }
    case DeskScreen::Duplicates: {
        v.title = tr("desk.duplicates.title");
        v.list_caption = tr("desk.duplicates.sentence");
        for (std::size_t i = 0; i < duplicates_.size(); ++i) {
            DeskRow r = row_of(duplicates_[i]);
            r.selected = int(i) == selected_;
            v.rows.push_back(std::move(r));
        }
        button(DeskAct::OpenRow, "desk.action.is_them", "desk.key.enter", true);
        button(DeskAct::CreateAnyway, "desk.action.create_anyway", nullptr);
        button(DeskAct::Back, "desk.action.back_to_form", "desk.key.escape");
        break;
    }
    case DeskScreen::ConfirmUndo: {
        const auto& p = *person_;
        v.title = tr("desk.undo.title");
        v.banner_tone = Tone::Warning;
        v.banner_icon = Icon::Triangle;
        v.banner_title =
            fmt("desk.undo.question", {{"name", p.summary.first_name + " " + p.summary.last_name}});
        v.banner_text = tr("desk.undo.sentence");
        button(DeskAct::ConfirmUndo, "desk.action.confirm_undo", "desk.key.enter", true, true);
        button(DeskAct::Back, "desk.action.keep", "desk.key.escape");
        break;
    }
    case DeskScreen::Badge: {
        const auto& p = *person_;
        v.title = fmt("desk.badge.title", {{"name", p.summary.first_name + " " + p.summary.last_name}});
        v.badge_code = badge_code_;
        const std::string state =
            print_state_.empty() ? (setup_.has_printer ? "rendering" : "saved-pdf") : print_state_;
        if (print_state_.empty() && !setup_.has_printer)
            v.print_text = tr("desk.print.no_printer");
        else
            v.print_text = fmt("desk.print." + state, {{"detail", print_detail_}});
        v.print_tone = state == "done"                                         ? Tone::Success
                       : state == "printer-offline" || state == "out-of-paper" ? Tone::Warning
                       : state == "failed"                                     ? Tone::Error
                                                                               : Tone::Info;
        if (!badge_signed_)
            v.print_text += "\n" + tr("desk.badge.unsigned");
        button(DeskAct::Back, "desk.action.done", "desk.key.enter", true);
        if (setup_.has_printer)
            button(DeskAct::PrintAgain, "desk.action.print_again", nullptr);
        break;
    }
    case DeskScreen::Alerts: {
        v.title = tr("desk.alerts.title");
        v.list_caption =
            alerts_.empty() ? tr(alerts_loaded_ ? "desk.alerts.none" : "desk.alerts.loading") : std::string();
        for (std::size_t i = 0; i < alerts_.size(); ++i) {
            const auto& a = alerts_[i];
            DeskRow r;
            r.title = a.name;
            r.detail =
                fmt("desk.alert." + a.kind, {{"devices", a.devices}, {"time", a.when}, {"detail", a.detail}});
            r.status = a.when;
            r.tone = Tone::Warning;
            r.selected = int(i) == selected_;
            v.rows.push_back(std::move(r));
        }
        if (!alerts_.empty())
            button(DeskAct::OpenRow, "desk.action.open", "desk.key.enter", true);
        button(DeskAct::Back, "desk.action.back", "desk.key.escape");
        break;
    }
    }
    return v;
}

} // namespace accueil::kiosk
