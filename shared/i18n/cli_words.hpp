#pragma once
// Makes a CLI11 command line (Debian 12's CLI11 2.1.2) speak the process language (i18n::process_lang(),
// French when the locale is French): the help's labels and group names, the help flag's description,
// and the parse errors people meet as plain sentences with where to find help. The words are the
// catalogue's `cli.words.*` keys (assets/lang/<fr|en>/cli.json). Header-only: accueil_core does not link
// CLI11, the programs do.
//
//     CLI::App app{i18n::tr("cli.app.description"), "accueil"};
//     ... add every subcommand and option (descriptions through i18n::tr) ...
//     i18n::localise_cli(app);                 // after the last subcommand, before parse
//     try { app.parse(argc, argv); } catch (const CLI::ParseError& e) { return i18n::cli_exit(app, e); }
//
// A program with a --lang option that changes the language calls set_process_lang() before this.
#include "i18n/catalogue.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace accueil::i18n {

namespace cli_detail {

// CLI11's default names, which it compares and prints as they are.
inline constexpr const char* kOptionsGroup = "Options";
inline constexpr const char* kSubcommandsGroup = "Subcommands";

// "accueil keys init": the program's file name, then the subcommands chosen on this command line.
inline std::string command_path(const CLI::App& app) {
    const CLI::App* root = &app;
    while (root->get_parent())
        root = root->get_parent();
    std::string path = std::filesystem::path(root->get_name()).filename().string();
    for (const CLI::App* a = root;;) {
        const auto chosen = a->get_subcommands();
        if (chosen.empty())
            break;
        a = chosen.front();
        path += (path.empty() ? "" : " ") + a->get_name();
    }
    return path;
}

// The deepest subcommand chosen so far: the one whose options an error is about.
inline const CLI::App& chosen_command(const CLI::App& app) {
    const CLI::App* a = &app;
    while (!a->get_subcommands().empty())
        a = a->get_subcommands().front();
    return *a;
}

inline std::string subcommand_names(const CLI::App& app) {
    std::string names;
    for (const CLI::App* s : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }))
        names += (names.empty() ? "" : ", ") + s->get_name();
    return names;
}

// "fr,en" as people write it: "fr, en".
inline std::string list_text(const std::string& items) {
    std::string out;
    for (const char c : items)
        out += c == ',' ? std::string(", ") : std::string(1, c);
    return out;
}

// What follows `prefix` in `text`, or nothing when `text` does not start with it.
inline bool after(const std::string& text, const std::string& prefix, std::string& rest) {
    if (text.rfind(prefix, 0) != 0)
        return false;
    rest = text.substr(prefix.size());
    return true;
}

// CLI11's names of value types, as shown in help ("--db TEXT"), and what people read instead.
inline std::string type_word(const std::string& type) {
    if (type == "TEXT")
        return tr("cli.words.type_text");
    if (type == "INT" || type == "UINT" || type == "FLOAT")
        return tr("cli.words.type_number");
    return type;
}

inline bool is_number_type(const std::string& type_name) {
    const std::string base = type_name.substr(0, type_name.find(':'));
    return base == "INT" || base == "UINT" || base == "FLOAT" || base == tr("cli.words.type_number");
}

inline void localise_tree(CLI::App& app, const std::string& options, const std::string& subcommands,
                          const std::string& help) {
    if (CLI::Option* h = app.get_help_ptr())
        h->description(help);
    for (CLI::Option* o : app.get_options()) {
        if (o->get_group() == kOptionsGroup)
            o->group(options);
        // The type's own name, not the formatter's label: an option with a validator shows
        // "TEXT:{fr,en}", which no label matches.
        const std::string full = o->get_type_name();
        const std::string base = full.substr(0, full.find(':'));
        if (o->get_type_size() != 0 && type_word(base) != base)
            o->type_name(type_word(base));
    }
    app.option_defaults()->group(options);
    for (CLI::App* s : app.get_subcommands([](CLI::App*) { return true; })) {
        if (s->get_group() == kSubcommandsGroup)
            s->group(subcommands);
        localise_tree(*s, options, subcommands, help);
    }
}

} // namespace cli_detail

// One plain sentence (and a line saying where help is) for a CLI11 parse error, in the process language,
// ending with a newline. Errors it does not know keep CLI11's own text.
inline std::string cli_error_text(const CLI::App& app, const CLI::Error& e) {
    using namespace cli_detail;
    const CLI::App& cmd = chosen_command(app);
    const std::string path = command_path(app);
    const std::string what = e.what();
    std::string sentence, rest;
    // The option an error names, with its description when it has one ("--db: Database file").
    const auto named = [&](const std::string& name) {
        const CLI::Option* o = cmd.get_option_no_throw(name);
        return o && !o->get_description().empty()
                   ? tr("cli.words.option_about", {{"option", name}, {"description", o->get_description()}})
                   : name;
    };
    if (dynamic_cast<const CLI::RequiredError*>(&e)) {
        if (what.rfind("A subcommand", 0) == 0) {
            // CLI11 says "A subcommand is required" also for a word that is no command: say which.
            std::string word;
            for (const auto& r : cmd.remaining())
                if (!r.empty() && r.front() != '-') {
                    word = r;
                    break;
                }
            sentence = word.empty()
                           ? tr("cli.words.error_which_command",
                                {{"command", path}, {"commands", subcommand_names(cmd)}})
                           : tr("cli.words.error_not_a_command",
                                {{"word", word}, {"command", path}, {"commands", subcommand_names(cmd)}});
        } else if (what.size() > 12 && what.ends_with(" is required")) {
            const std::string name = what.substr(0, what.size() - 12);
            const CLI::Option* o = cmd.get_option_no_throw(name);
            sentence =
                tr(o && o->get_positional() ? "cli.words.error_missing_argument" : "cli.words.error_missing",
                   {{"option", named(name)}});
        }
    } else if (const auto* extras = dynamic_cast<const CLI::ExtrasError*>(&e); extras) {
        const auto colon = what.find(": ");
        const std::string args = colon == std::string::npos ? what : what.substr(colon + 2);
        sentence = !args.empty() && args.front() == '-'
                       ? tr("cli.words.error_unknown_option", {{"option", args}, {"command", path}})
                       : tr("cli.words.error_extra_argument", {{"argument", args}, {"command", path}});
    } else if (dynamic_cast<const CLI::ConversionError*>(&e) && after(what, "Could not convert: ", rest)) {
        const auto eq = rest.find(" = ");
        const std::string name = rest.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : rest.substr(eq + 3);
        const CLI::Option* o = cmd.get_option_no_throw(name);
        sentence = o && is_number_type(o->get_type_name())
                       ? tr("cli.words.error_not_a_number", {{"option", name}, {"value", value}})
                       : tr("cli.words.error_bad_value", {{"option", name}, {"value", value}});
    } else if (dynamic_cast<const CLI::ValidationError*>(&e)) {
        // "--lang: de not in {fr,en}" from CLI::IsMember, "--count: Value -3 not in range 1 to 1000000"
        // from CLI::Range; other validators' own sentences pass through.
        const auto colon = what.find(": ");
        const auto not_in = what.find(" not in {");
        const auto range = what.find(" not in range ");
        const auto to = what.rfind(" to ");
        if (colon != std::string::npos && not_in != std::string::npos && not_in > colon &&
            what.ends_with("}"))
            sentence = tr("cli.words.error_not_one_of",
                          {{"option", what.substr(0, colon)},
                           {"value", what.substr(colon + 2, not_in - colon - 2)},
                           {"choices", list_text(what.substr(not_in + 9, what.size() - not_in - 10))}});
        else if (colon != std::string::npos && after(what.substr(colon + 2), "Value ", rest) &&
                 range != std::string::npos && to != std::string::npos && to > range)
            sentence =
                tr("cli.words.error_out_of_range", {{"option", what.substr(0, colon)},
                                                    {"value", what.substr(colon + 8, range - colon - 8)},
                                                    {"min", what.substr(range + 14, to - range - 14)},
                                                    {"max", what.substr(to + 4)}});
    } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
        const auto colon = what.find(": ");
        const std::string name = what.substr(0, colon);
        if (colon != std::string::npos && what.ends_with(" missing"))
            sentence = tr("cli.words.error_needs_value", {{"option", named(name)}});
        else if (colon != std::string::npos && what.find("At Most") != std::string::npos)
            sentence = tr("cli.words.error_repeated", {{"option", name}});
    }
    if (sentence.empty())
        sentence = what;
    return tr("cli.words.error_line", {{"command", path}, {"sentence", sentence}}) + "\n" +
           tr("cli.words.see_help", {{"command", path}}) + "\n";
}

// Call once on the top-level app after every subcommand and option is added: help labels, group names,
// the help flag's description and parse error messages in the process language.
inline void localise_cli(CLI::App& app) {
    const auto f = app.get_formatter();
    f->label("Usage", tr("cli.words.usage"));
    f->label("OPTIONS", tr("cli.words.options_marker"));
    f->label("SUBCOMMAND", tr("cli.words.subcommand_marker"));
    f->label("SUBCOMMANDS", tr("cli.words.subcommands_marker"));
    f->label("Positionals", tr("cli.words.positionals"));
    f->label("REQUIRED", tr("cli.words.required"));
    f->label("Env", tr("cli.words.env"));
    f->label("Needs", tr("cli.words.needs"));
    f->label("Excludes", tr("cli.words.excludes"));
    // French labels and descriptions are longer: a wider first column keeps them on one line.
    f->column_width(34);
    cli_detail::localise_tree(app, tr("cli.words.options"), tr("cli.words.subcommands"),
                              tr("cli.words.help_flag"));
    app.failure_message([](const CLI::App* a, const CLI::Error& e) { return cli_error_text(*a, e); });
}

// Like CLI::App::exit: help (--help) on standard output, a parse error as cli_error_text on standard
// error; returns CLI11's exit code (0 for help).
inline int cli_exit(const CLI::App& app, const CLI::ParseError& e) {
    if (dynamic_cast<const CLI::Success*>(&e) || dynamic_cast<const CLI::RuntimeError*>(&e))
        return app.exit(e);
    std::cerr << cli_error_text(app, e) << std::flush;
    return e.get_exit_code();
}

} // namespace accueil::i18n
