#pragma once
/// \file
/// Parameter files: effect-model parameter values with where they came from, written by
/// `pathways calibrate` and read by `--set-file`. The `parameters` object has the same shape as a
/// scenario's `effect_model.parameters`, so its keys can be pasted there.
///
/// ```json
/// {
///   "pathways_parameters": 1,
///   "model": "linear",
///   "parameters": {"scale": 0.42},
///   "provenance": {"anchor": "rand2017-math", "reference": "Pane, J. F., ...", "outcome": "academic.achievement.math",
///                  "target_effect": 0.09, "achieved_effect": 0.09, "scenario": "rand-2017-check.json",
///                  "pathways_version": "0.1.0"}
/// }
/// ```

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/model.hpp"

namespace pathways {

inline constexpr int parameter_file_format = 1;

/// One parameter value and where the file gives it (file, line, column, JSON pointer).
struct parameter_value {
    std::string name;
    double value = 0.0;
    source_location where;
};

/// Where calibrated values came from. Every field is optional in a file a person writes; `calibrate`
/// fills them all. Nothing here depends on the date, so the same calibration writes the same bytes.
struct parameter_provenance {
    std::string anchor;
    std::string reference;
    std::string outcome;
    std::optional<double> target_effect;
    std::optional<double> achieved_effect;
    std::string scenario;
    std::string pathways_version;
};

struct parameter_file {
    std::string model;                        ///< the effect model the values belong to
    std::vector<parameter_value> parameters;  ///< in the file's key order (sorted by name)
    parameter_provenance provenance;
    source_location model_where;  ///< where `model` is given, for messages about it
};

/// Reads a parameter file; every problem is reported to `out` (file:line:col and pointer), and nullopt
/// is returned when there was any. Values are only checked to be numbers here: the effect model they are
/// used with checks names and ranges, with these locations.
std::optional<parameter_file> read_parameter_file(const std::filesystem::path& path, diagnostics& out);

/// The file's text: keys in a fixed order, numbers in their shortest exact form, ending in a newline.
std::string parameter_file_json(const parameter_file& file);

}  // namespace pathways
