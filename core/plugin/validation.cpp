#include "plugin/validation.hpp"

#include <cmath>
#include <set>

#include "common/text_safety.hpp"

namespace pathways {

namespace {

bool is_letter_or_underscore(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_identifier_char(char c) { return is_letter_or_underscore(c) || is_digit(c) || c == '-'; }

bool is_segment(std::string_view segment, bool may_start_with_digit) {
    if (segment.empty()) return false;
    if (!is_letter_or_underscore(segment.front()) && !(may_start_with_digit && is_digit(segment.front()))) {
        return false;
    }
    for (char c : segment) {
        if (!is_identifier_char(c)) return false;
    }
    return true;
}

bool is_whole(double value) { return std::trunc(value) == value; }

std::string single_quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

void check_prior(const sdk::prior& prior, std::string_view where, std::vector<std::string>& problems) {
    using sdk::prior_kind;
    if (prior.kind > prior_kind::beta) {
        problems.push_back(std::string(where) + ": prior kind " + std::to_string(static_cast<int>(prior.kind)) +
                           " is unknown; expected fixed, normal, truncated_normal, lognormal, uniform or beta");
        return;
    }
    if (!std::isfinite(prior.a) || !std::isfinite(prior.b) || !std::isfinite(prior.lower) ||
        !std::isfinite(prior.upper)) {
        problems.push_back(std::string(where) + ": prior has a non-finite number; expected finite a, b, lower, upper");
        return;
    }
    const bool has_sd = prior.kind == prior_kind::normal || prior.kind == prior_kind::truncated_normal ||
                        prior.kind == prior_kind::lognormal;
    if (has_sd && prior.b < 0) {
        problems.push_back(std::string(where) + ": prior sd " + shortest_number(prior.b) +
                           " is negative; expected b >= 0");
    }
    const bool has_bounds = prior.kind == prior_kind::truncated_normal || prior.kind == prior_kind::uniform ||
                            prior.kind == prior_kind::beta;
    if (has_bounds && prior.lower > prior.upper) {
        problems.push_back(std::string(where) + ": prior bounds [" + shortest_number(prior.lower) + ", " +
                           shortest_number(prior.upper) + "] are reversed; expected lower <= upper");
    }
    if (prior.kind == prior_kind::beta && (prior.a <= 0 || prior.b <= 0)) {
        problems.push_back(std::string(where) + ": beta prior shapes must be positive; got a " +
                           shortest_number(prior.a) + ", b " + shortest_number(prior.b));
    }
}

void check_value_type(const sdk::parameter_spec& spec, const std::string& where, std::vector<std::string>& problems) {
    if (spec.type == sdk::parameter_type::integer &&
        !(is_whole(spec.default_value) && is_whole(spec.min) && is_whole(spec.max))) {
        problems.push_back(where + ": integer parameter has a fractional default, min or max");
    }
    if (spec.type == sdk::parameter_type::boolean && spec.default_value != 0.0 && spec.default_value != 1.0) {
        problems.push_back(where + ": boolean default " + shortest_number(spec.default_value) + " is not 0 or 1");
    }
}

void check_parameter_spec(const sdk::parameter_spec& spec, std::vector<std::string>& problems) {
    const std::string where = "parameter " + single_quoted(spec.name);
    if (!is_parameter_name(spec.name)) {
        problems.push_back(where + ": name is not a dotted identifier; expected e.g. 'multiplier.race.black'");
    }
    if (spec.type > sdk::parameter_type::boolean) {
        problems.push_back(where + ": type " + std::to_string(static_cast<int>(spec.type)) +
                           " is unknown; expected real, integer or boolean");
    }
    if (!std::isfinite(spec.default_value) || !std::isfinite(spec.min) || !std::isfinite(spec.max)) {
        problems.push_back(where + ": default, min and max must be finite");
        return;
    }
    if (spec.min > spec.max) {
        problems.push_back(where + ": valid range [" + shortest_number(spec.min) + ", " + shortest_number(spec.max) +
                           "] is reversed; expected min <= max");
    } else if (spec.default_value < spec.min || spec.default_value > spec.max) {
        problems.push_back(where + ": default " + shortest_number(spec.default_value) +
                           " is outside the valid range [" + shortest_number(spec.min) + ", " +
                           shortest_number(spec.max) + "]");
    }
    check_value_type(spec, where, problems);
    check_prior(spec.uncertainty, where, problems);
}

void check_calibration_parameter(const sdk::effect_model_info& info, std::vector<std::string>& problems) {
    if (info.calibration_parameter.empty()) return;
    const std::string where = "calibration_parameter " + single_quoted(info.calibration_parameter);
    const int index = sdk::parameter_index(info.parameters, info.calibration_parameter);
    if (index < 0) {
        problems.push_back(where + " is not a declared parameter; expected the name of one, or empty");
    } else if (info.parameters[static_cast<std::size_t>(index)].type != sdk::parameter_type::real) {
        problems.push_back(where + " is not a real parameter; expected a continuous knob to solve for");
    }
}

}  // namespace

bool is_bare_identifier(std::string_view name) { return is_segment(name, false); }

bool is_parameter_name(std::string_view name) {
    bool first = true;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        const std::string_view segment = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (!is_segment(segment, !first)) return false;
        if (dot == std::string_view::npos) return true;
        first = false;
        start = dot + 1;
    }
}

std::vector<std::string> model_problems(const sdk::effect_model_info& info) {
    std::vector<std::string> problems;
    if (!is_bare_identifier(info.name)) {
        problems.push_back(
            "name is not a bare identifier; expected letters, digits, '_' or '-', starting with a "
            "letter or '_' (no '/', '\\', '.')");
    }
    if (info.evaluate == nullptr) problems.push_back("evaluate is null; expected a function");
    std::set<std::string_view> seen;
    for (const sdk::parameter_spec& spec : info.parameters) {
        if (!seen.insert(spec.name).second) {
            problems.push_back("parameter " + single_quoted(spec.name) + " is declared twice");
            continue;
        }
        check_parameter_spec(spec, problems);
    }
    check_calibration_parameter(info, problems);
    return problems;
}

model_handle copy_model(const sdk::effect_model_info& info, std::string file) {
    model_handle model;
    model.name = std::string(info.name);
    model.version = std::string(info.version);
    model.description = std::string(info.description);
    model.file = std::move(file);
    model.evaluate = info.evaluate;
    model.calibration_parameter = std::string(info.calibration_parameter);
    model.parameters.reserve(info.parameters.size());
    for (const sdk::parameter_spec& spec : info.parameters) {
        model.parameters.push_back({std::string(spec.name), std::string(spec.unit), std::string(spec.description),
                                    std::string(spec.source), std::string(spec.evidence), spec.type, spec.default_value,
                                    spec.min, spec.max, spec.uncertainty});
    }
    return model;
}

}  // namespace pathways
