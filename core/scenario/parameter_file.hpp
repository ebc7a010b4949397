#pragma once
/// \file
/// Parameter files: effect-model parameter values with where they came from, written by
/// `pathways calibrate` and read by `--set-file`. The `parameters` object has the same shape as a
/// scenario's `effect_model.parameters`, so its keys can be pasted there.
///
/// A file may also replace priors (`pathways calibrate --observed` writes the posterior so): `priors`
/// maps an uncertain input, named as sensitivity analysis names it (`edge:FROM->TO` or
/// `parameter:NAME`), to a prior in the model file's syntax. `parameters` may then be `{}`.
///
/// ```json
///   "priors": {"edge:practice.x->outcome.y": {"dist": "normal", "mean": 0.21, "sd": 0.04}},
///   "provenance": {"observed": "scenarios/observed/x.csv", "observed_sha256": "…", "method": "…",
///                  "created": "2026-11-24T19:00:00Z", "draws": 2000, "effective_sample_size": 412.5, …}
/// ```
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

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/model.hpp"
#include "pathways/sdk/effect_model.hpp"

namespace pathways {

inline constexpr int parameter_file_format = 1;

/// One parameter value and where the file gives it (file, line, column, JSON pointer).
struct parameter_value {
    std::string name;
    double value = 0.0;
    source_location where;
};

/// A replaced prior of one uncertain input and where the file gives it.
struct prior_value {
    std::string input;  ///< `edge:FROM->TO` or `parameter:NAME`
    sdk::prior prior;
    source_location where;
};

/// Where calibrated values came from. Every field is optional in a file a person writes; `calibrate`
/// fills the anchor's fields, `calibrate --observed` the observed data's. Only `created` depends on
/// the date, and only an observed calibration writes it.
struct parameter_provenance {
    std::string anchor;
    std::string reference;
    std::string outcome;
    std::optional<double> target_effect;
    std::optional<double> achieved_effect;
    std::string scenario;
    std::string pathways_version;
    std::string observed{};         ///< the observed-data file the posterior was fitted to
    std::string observed_sha256{};  ///< its bytes' SHA-256
    std::string method{};           ///< how the posterior was computed
    std::string created{};          ///< when, UTC, ISO 8601
    std::optional<std::int64_t> draws{};
    std::optional<double> effective_sample_size{};
};

/// The joint posterior `pathways calibrate --observed` found: the importance weight of each draw of the
/// prior it ran (draw d of seed `seed`), so that a run can draw whole input vectors from it — every
/// calibrated input, school effects and program cut included, with their correlations — instead of
/// each input's summary on its own. `inputs` names the uncertain inputs those draws sampled, in order,
/// and `schools` counts the schools whose effects they drew, so a run whose inputs differ (another model
/// or district) is refused.
///
/// ```json
///   "posterior_draws": {"seed": 7, "schools": 207, "inputs": ["edge:a->b", ...],
///                       "effective_sample_size": 412.5, "weights": [0.0004, 0.0011, ...]}
/// ```
struct posterior_draws {
    std::uint64_t seed = 0;
    std::size_t schools = 0;
    std::vector<std::string> inputs;
    std::vector<double> weights;  ///< per prior draw, non-negative, summing to 1
    double effective_sample_size = 0.0;
    source_location where;
};

struct parameter_file {
    std::string model;                         ///< the effect model the values belong to
    std::vector<parameter_value> parameters;   ///< in the file's key order (sorted by name)
    std::vector<prior_value> priors;           ///< in the file's key order
    std::optional<posterior_draws> posterior;  ///< the joint posterior, when calibrate --observed wrote one
    parameter_provenance provenance;
    source_location model_where;  ///< where `model` is given, for messages about it
};

/// The engine's own uncertain inputs, as `pathways sensitivity` and parameter files name them.
inline constexpr std::array<std::string_view, 5> engine_input_names{"implementation:years_to_half",
                                                                    "implementation:decay_per_doubling",
                                                                    "implementation:practices_years_to_half",
                                                                    "implementation:gain_persistence",
                                                                    "effect:average"};

/// Whether `input` names an input a prior can replace: `edge:FROM->TO`, `parameter:NAME` or one of
/// `engine_input_names`.
bool is_prior_input_name(std::string_view input);

/// Reads a parameter file; every problem is reported to `out` (file:line:col and pointer), and nullopt
/// is returned when there was any. Values are only checked to be numbers here: the effect model they are
/// used with checks names and ranges, with these locations.
std::optional<parameter_file> read_parameter_file(const std::filesystem::path& path, diagnostics& out);
/// The same on text in memory; `file` names it in messages.
std::optional<parameter_file> read_parameter_text(std::string_view text, const std::string& file, diagnostics& out);

/// The file's text: keys in a fixed order, numbers in their shortest exact form, ending in a newline.
std::string parameter_file_json(const parameter_file& file);

}  // namespace pathways
