#include "plugin/parameter_check.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "common/text_safety.hpp"

namespace pathways {

namespace {

std::string unknown_message(const model_handle& model, std::string_view name) {
    std::string text = "unknown parameter '" + std::string(name) + "' of effect model '" + model.name + "'";
    if (model.parameters.empty()) return text + "; it declares no parameters";
    std::vector<std::string> names;
    for (const parameter_info& parameter : model.parameters) names.push_back(parameter.name);
    const std::string suggestion = did_you_mean(name, names);
    if (!suggestion.empty()) return text + suggestion;
    text += "; expected one of ";
    for (std::size_t i = 0; i < names.size(); ++i) text += (i == 0 ? "'" : ", '") + names[i] + "'";
    return text;
}

/// What is wrong with `value` for `parameter`, or empty.
std::string value_problem(const parameter_info& parameter, double value) {
    if (!std::isfinite(value)) return "must be a finite number; got " + shortest_number(value);
    if (value < parameter.min || value > parameter.max) {
        return "is " + shortest_number(value) + ", outside its valid range [" + shortest_number(parameter.min) + ", " +
               shortest_number(parameter.max) + "]";
    }
    if (parameter.type == sdk::parameter_type::integer && std::trunc(value) != value) {
        return "must be a whole number; got " + shortest_number(value);
    }
    if (parameter.type == sdk::parameter_type::boolean && value != 0.0 && value != 1.0) {
        return "must be true or false (1 or 0); got " + shortest_number(value);
    }
    return {};
}

}  // namespace

bool check_parameter(const model_handle& model, std::string_view name, double value, const source_location& where,
                     diagnostics& problems) {
    const parameter_info* parameter = model.find_parameter(name);
    std::string message = parameter == nullptr ? unknown_message(model, name) : value_problem(*parameter, value);
    if (message.empty()) return true;
    if (parameter != nullptr) {
        message = "parameter '" + parameter->name + "' of effect model '" + model.name + "' " + message;
    }
    problems.error(where.file, where.line, where.column, where.pointer, std::move(message));
    return false;
}

}  // namespace pathways
