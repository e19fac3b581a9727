#include "doctor_check.hpp"

#include "i18n/catalogue.hpp"

#include <atomic>
#include <cstdlib>

namespace accueil::doctor {

namespace {
std::atomic<int> g_abandoned{0};

const char* tag_key(Outcome o) {
    switch (o) {
    case Outcome::Ok:
        return "doctor.tag.ok";
    case Outcome::Warning:
        return "doctor.tag.warning";
    case Outcome::Problem:
        return "doctor.tag.problem";
    case Outcome::NotChecked:
        break;
    }
    return "doctor.tag.not_checked";
}

// Characters on screen, for the alignment of the tags: UTF-8 continuation bytes take no column.
std::size_t columns(const std::string& s) {
    std::size_t n = 0;
    for (const unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}
} // namespace

std::string check_line(const Check& c) {
    std::size_t width = 0;
    for (const Outcome o : {Outcome::Ok, Outcome::Warning, Outcome::Problem, Outcome::NotChecked})
        width = std::max(width, columns(i18n::tr(tag_key(o))));
    const std::string tag = i18n::tr(tag_key(c.outcome));
    return tag + std::string(width - columns(tag) + 2, ' ') + c.text;
}

void note_abandoned() {
    ++g_abandoned;
}

int abandoned_checks() {
    return g_abandoned.load();
}

std::string system_path(const char* env_name, const std::string& root, const std::string& rest) {
    const char* v = std::getenv(env_name);
    return (v && *v ? std::string(v) : root) + rest;
}

} // namespace accueil::doctor
