#include "badge/badge_code.hpp"
#include "badge/event_keys.hpp"
#include "badge/qr_render.hpp"
#include "checkin.hpp"
#include "commands.hpp"
#include "errors.hpp"
#include "store.hpp"

#include <iostream>

namespace accueil::cli {

void add_badge_command(CLI::App& app, Action& run) {
    auto* cmd = app.add_subcommand("badge", "Write the QR code of a badge as PNG and/or SVG");
    auto db = std::make_shared<std::string>();
    auto what = std::make_shared<std::string>();
    auto png = std::make_shared<std::string>();
    auto svg = std::make_shared<std::string>();
    auto key = std::make_shared<std::string>();
    cmd->add_option("--db", *db, "Database file")->required();
    cmd->add_option("code", *what, "A badge code, or an attendee (id or ticket code) to sign a badge for")
        ->required();
    cmd->add_option("--png", *png, "PNG file to write");
    cmd->add_option("--svg", *svg, "SVG file to write");
    cmd->add_option("--key", *key, "Private key file, to sign an attendee's badge (default: <db>.key)");
    cmd->callback([=, &run] {
        run = [=] {
            Store store = Store::open(*db);
            std::string code;
            if (looks_like_badge_code(*what)) {
                // An existing code: checked, so a mistyped one is not printed as if it were valid.
                const auto check = verify_badge_code(*what, store.event().uid, load_event_keys(store.db()));
                if (!check)
                    throw InputError("", std::string("not a valid badge of this event: ") +
                                             to_string(check.error));
                code = *what;
                std::cout << "badge of attendee " << badge_attendee_id(*check.payload) << ", version "
                          << check.payload->badge_version << "\n";
            } else {
                const auto a = find_by_code(store, *what);
                if (!a)
                    throw InputError("", "no attendee has the id or ticket code \"" + *what + "\"");
                const auto signing = load_signing_key(store, key->empty() ? default_key_path(*db) : *key);
                code = badge_code_for(*a, store.event(), signing);
                std::cout << a->full_name() << ", badge version " << a->badge_version << "\n";
            }
            const auto qr = encode_qr(code);
            std::cout << code << "\nQR version " << qr.version << " (" << qr.width << " modules, level M)\n";
            if (!png->empty()) {
                write_qr_png(qr, *png);
                std::cout << "wrote " << *png << "\n";
            }
            if (!svg->empty()) {
                write_qr_svg(qr, *svg);
                std::cout << "wrote " << *svg << "\n";
            }
            return 0;
        };
    });
}

} // namespace accueil::cli
