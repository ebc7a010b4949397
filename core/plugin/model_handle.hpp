#pragma once
/// \file
/// A loaded effect model as the host keeps it: host-owned copies of everything the plugin declared.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pathways/sdk/effect_model.hpp"

namespace pathways {

class plugin_library;

/// One declared parameter (see `sdk::parameter_spec`), copied into host memory.
struct parameter_info {
    std::string name;
    std::string unit;
    std::string description;
    std::string source;
    std::string evidence;
    sdk::parameter_type type = sdk::parameter_type::real;
    double default_value = 0.0;
    double min = 0.0;  ///< inclusive
    double max = 0.0;  ///< inclusive
    sdk::prior uncertainty;
};

/// One effect model. A model found by the `plugin_registry` has `library` set and `evaluate` null: its
/// plugin is loaded when the model first runs (`evaluate_checked`), and stays loaded while any handle
/// to it exists. A model made in the host process itself sets `evaluate` instead.
struct model_handle {
    std::string name;
    std::string version;
    std::string description;
    std::string file;                        ///< absolute path of the plugin library
    std::vector<parameter_info> parameters;  ///< in declaration order, as `evaluation::parameters` is
    void (*evaluate)(const sdk::evaluation&) = nullptr;
    std::string calibration_parameter;              ///< a declared real parameter, or empty: not calibratable
    std::shared_ptr<const plugin_library> library;  ///< the plugin that defines it, not loaded before use

    /// The declared parameter called `parameter_name`, or null.
    [[nodiscard]] const parameter_info* find_parameter(std::string_view parameter_name) const;
    /// Position of `parameter_name` in `parameters`, or nothing.
    [[nodiscard]] std::optional<std::size_t> parameter_index(std::string_view parameter_name) const;
    /// Every parameter's default, in declaration order.
    [[nodiscard]] std::vector<double> default_values() const;
    /// The file name of `file`, for messages.
    [[nodiscard]] std::string file_name() const;
};

}  // namespace pathways
