#include "plugin/model_handle.hpp"

#include <filesystem>

namespace pathways {

const parameter_info* model_handle::find_parameter(std::string_view parameter_name) const {
    const std::optional<std::size_t> index = parameter_index(parameter_name);
    return index ? &parameters[*index] : nullptr;
}

std::optional<std::size_t> model_handle::parameter_index(std::string_view parameter_name) const {
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        if (parameters[i].name == parameter_name) return i;
    }
    return std::nullopt;
}

std::vector<double> model_handle::default_values() const {
    std::vector<double> values;
    values.reserve(parameters.size());
    for (const parameter_info& parameter : parameters) values.push_back(parameter.default_value);
    return values;
}

std::string model_handle::file_name() const { return std::filesystem::path(file).filename().string(); }

}  // namespace pathways
