#include "scenario/scenario_patch.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "common/text_format.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways {
namespace {

constexpr const char* command_line = "<command line>";
constexpr const char* expected_number = "expected a pointer to a number in the scenario";

std::optional<grid_axis> parse_axis(const std::string& argument, diagnostics& out) {
    const auto equals = argument.rfind('=');
    if (equals == std::string::npos || equals == 0 || argument.front() != '/') {
        out.error(command_line, 0, 0, "",
                  "--grid '" + argument +
                      "' is malformed; expected /json/pointer=v1,v2,... (the pointer starts with '/')");
        return std::nullopt;
    }
    grid_axis axis{argument.substr(0, equals), {}};
    const std::string list = argument.substr(equals + 1);
    std::size_t start = 0;
    bool valid = true;
    while (start <= list.size()) {
        const auto comma = std::min(list.find(',', start), list.size());
        const std::string item = list.substr(start, comma - start);
        if (const auto value = parse_number(item)) {
            axis.values.push_back(*value);
        } else {
            out.error(command_line, 0, 0, axis.pointer,
                      "--grid value '" + item + "' is not a finite number; expected numbers separated by commas");
            valid = false;
        }
        start = comma + 1;
    }
    if (!valid) return std::nullopt;
    return axis;
}

/// RFC 6901 reference tokens of `pointer` ("/a~1b/0" → {"a/b", "0"}); nullopt for a bad escape.
std::optional<std::vector<std::string>> pointer_tokens(const std::string& pointer) {
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < pointer.size(); ++i) {
        if (pointer[i] == '/') {
            tokens.emplace_back();
            continue;
        }
        if (pointer[i] != '~') {
            tokens.back() += pointer[i];
            continue;
        }
        if (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) return std::nullopt;
        tokens.back() += pointer[i + 1] == '0' ? '~' : '/';
        ++i;
    }
    return tokens;
}

std::optional<std::size_t> array_index(const std::string& token) {
    if (token.empty() || token.size() > 9 || (token.size() > 1 && token.front() == '0')) return std::nullopt;
    if (!std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    return static_cast<std::size_t>(std::stoul(token));
}

/// "a string", "an object", "null".
std::string type_phrase(const nlohmann::json& value) {
    const std::string name = json::json_type_name(value);
    if (name == "null") return name;
    return (name.front() == 'a' || name.front() == 'o' ? "an " : "a ") + name;
}

/// The value `pointer` leads to, or nullptr after reporting why it leads nowhere.
nlohmann::json* resolve(nlohmann::json& root, const std::string& pointer, diagnostics& out) {
    const auto tokens = pointer.starts_with('/') ? pointer_tokens(pointer) : std::nullopt;
    if (!tokens) {
        out.error(command_line, 0, 0, pointer,
                  "not a JSON pointer; " + std::string(expected_number) + ", like /implementation/ramp/years_to_half");
        return nullptr;
    }
    nlohmann::json* value = &root;
    std::string at;
    for (const std::string& token : *tokens) {
        const std::string where = at.empty() ? "the top level" : at;
        if (value->is_object()) {
            const auto member = value->find(token);
            if (member == value->end()) {
                std::vector<std::string> keys;
                for (const auto& item : value->items()) keys.push_back(item.key());
                out.error(command_line, 0, 0, pointer,
                          "no key '" + token + "' in " + where + "; " + expected_number + did_you_mean(token, keys));
                return nullptr;
            }
            value = &*member;
        } else if (value->is_array()) {
            const auto index = array_index(token);
            if (!index || *index >= value->size()) {
                const std::string range = value->empty()
                                              ? "the array is empty"
                                              : "expected an index from 0 to " + std::to_string(value->size() - 1);
                out.error(command_line, 0, 0, pointer, "no element '" + token + "' in " + where + "; " + range);
                return nullptr;
            }
            value = &(*value)[*index];
        } else {
            out.error(command_line, 0, 0, pointer,
                      where + " holds " + type_phrase(*value) + ", which has no '" + token + "'; " + expected_number);
            return nullptr;
        }
        at = json::pointer_append(at, token);
    }
    if (!value->is_number()) {
        out.error(command_line, 0, 0, pointer, "holds " + type_phrase(*value) + ", not a number; " + expected_number);
        return nullptr;
    }
    return value;
}

/// Integral values stay JSON integers so that fields read as integers (a wave's `count`) see
/// exactly what a user would have written.
nlohmann::json as_json(double value) {
    constexpr double exact_integers = 9007199254740992.0;  // 2^53
    if (std::trunc(value) == value && std::fabs(value) < exact_integers) return static_cast<std::int64_t>(value);
    return value;
}

}  // namespace

std::vector<grid_axis> parse_grid(const std::vector<std::string>& arguments, diagnostics& out) {
    diagnostics found;
    std::vector<grid_axis> axes;
    for (const std::string& argument : arguments) {
        auto axis = parse_axis(argument, found);
        if (!axis) continue;
        const bool repeated =
            std::any_of(axes.begin(), axes.end(), [&](const grid_axis& a) { return a.pointer == axis->pointer; });
        if (repeated) {
            found.error(command_line, 0, 0, axis->pointer,
                        "--grid gives this pointer twice; expected each pointer once");
            continue;
        }
        axes.push_back(std::move(*axis));
    }
    std::size_t points = 1;
    for (const grid_axis& axis : axes) {
        if (points > max_grid_points / axis.values.size()) {
            found.error(command_line, 0, 0, "",
                        "--grid spans more than " + std::to_string(max_grid_points) +
                            " points; expected a smaller grid");
            break;
        }
        points *= axis.values.size();
    }
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return {};
    return axes;
}

std::vector<std::vector<scenario_patch>> expand_grid(std::span<const grid_axis> axes) {
    std::vector<std::vector<scenario_patch>> points{{}};
    for (const grid_axis& axis : axes) {
        std::vector<std::vector<scenario_patch>> next;
        next.reserve(points.size() * axis.values.size());
        for (const auto& point : points) {
            for (double value : axis.values) {
                next.push_back(point);
                next.back().push_back({axis.pointer, value});
            }
        }
        points = std::move(next);
    }
    return points;
}

std::optional<std::string> scenario_with_next_wave(const std::filesystem::path& path, const next_wave_edit& edit,
                                                   diagnostics& out) {
    const auto doc = json::parse_file(path, out);
    if (!doc) return std::nullopt;
    nlohmann::json plan = doc->root;
    if (edit.variant != "base") plan.merge_patch(plan["variants"][edit.variant]);
    plan.erase("variants");
    plan["name"] = edit.name;
    plan["description"] = edit.description;
    plan["district"] = edit.district;
    if (edit.model) plan["model"] = *edit.model;
    auto& waves = plan["implementation"]["waves"];
    const nlohmann::json targets = waves.empty() ? nlohmann::json{{"*", 2.0}} : waves.back()["targets"];
    waves.push_back({{"name", edit.wave_name},
                     {"start_year", edit.start_year},
                     {"schools", {{"ids", edit.school_ids}}},
                     {"targets", targets}});
    return plan.dump(2) + "\n";
}

std::optional<scenario> read_patched_scenario(const std::filesystem::path& path, const std::string& variant,
                                              std::span<const scenario_patch> patches, diagnostics& out) {
    const auto apply = [patches](json::document& doc, diagnostics& problems) {
        for (const scenario_patch& patch : patches) {
            if (!std::isfinite(patch.value)) {
                problems.error(command_line, 0, 0, patch.pointer,
                               "value is not a finite number; expected a finite number");
                continue;
            }
            if (nlohmann::json* value = resolve(doc.root, patch.pointer, problems)) *value = as_json(patch.value);
        }
    };
    diagnostics found;
    auto spec = read_scenario(path, variant, apply, found);
    // A value the grid put in is the command line's mistake, not the file's: say so.
    for (diagnostic d : found.items()) {
        const bool patched = std::any_of(patches.begin(), patches.end(),
                                         [&](const scenario_patch& p) { return p.pointer == d.pointer; });
        if (patched && d.file != command_line) {
            d = {command_line, 0, 0, d.pointer, d.level, "--grid value: " + d.message};
        }
        out.add(std::move(d));
    }
    return spec;
}

}  // namespace pathways
