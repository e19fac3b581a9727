#include "sync/strict_json.hpp"

#include <set>
#include <vector>

namespace accueil::sync {

namespace {
using json = nlohmann::json;

// A SAX pass that builds nothing: depth and duplicate keys, stopping at the first problem.
class Checker : public nlohmann::json_sax<json> {
public:
    explicit Checker(std::size_t max_depth) : max_depth_(max_depth) {}
    std::string error;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return fail("binary values are not JSON"); }
    bool start_object(std::size_t) override {
        keys_.emplace_back();
        return enter();
    }
    bool key(string_t& k) override {
        if (!keys_.back().insert(k).second)
            return fail("the key \"" + k.substr(0, 40) + "\" appears twice in one object");
        return true;
    }
    bool end_object() override {
        keys_.pop_back();
        --depth_;
        return true;
    }
    bool start_array(std::size_t) override {
        keys_.emplace_back(); // unused, keeps the stack aligned with the depth
        return enter();
    }
    bool end_array() override {
        keys_.pop_back();
        --depth_;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
        return fail("not valid JSON (at byte " + std::to_string(position) + ")");
    }

private:
    bool enter() {
        if (++depth_ > max_depth_)
            return fail("nested deeper than " + std::to_string(max_depth_) + " levels");
        return true;
    }
    bool fail(std::string why) {
        if (error.empty())
            error = std::move(why);
        return false;
    }
    std::size_t max_depth_;
    std::size_t depth_ = 0;
    std::vector<std::set<std::string>> keys_;
};
} // namespace

std::optional<json> parse_strict_json(std::string_view text, const JsonLimits& limits, std::string& error) {
    if (text.size() > limits.max_bytes) {
        error = "larger than " + std::to_string(limits.max_bytes) + " bytes";
        return std::nullopt;
    }
    Checker checker(limits.max_depth);
    const bool ok = json::sax_parse(text.begin(), text.end(), &checker, json::input_format_t::json, true);
    if (!ok) {
        error = checker.error.empty() ? "not valid JSON" : checker.error;
        return std::nullopt;
    }
    // Bounded and without duplicates: the tree built now is exactly what was checked.
    return json::parse(text.begin(), text.end(), nullptr, false);
}

} // namespace accueil::sync
