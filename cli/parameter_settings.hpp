#pragma once
// --set and --set-file: effect-model parameters pinned from the command line or a parameter file.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario_loader.hpp"
#include "run/run_request.hpp"

namespace pathways::cli {

struct parameter_options {
    std::vector<std::string> set;        ///< `[MODEL:]NAME=VALUE`
    std::vector<std::string> set_files;  ///< parameter files (pathways calibrate writes them)
    /// `--model FILE`: the theory of change to use instead of the scenario's (JSON, lavaan or DAGitty).
    std::optional<std::string> model_file;
};

/// Every file's values (in the order given) and then every `--set` (in the order given), so that a
/// `--set` wins over a file and a later one over an earlier one. A file's values are for the model it
/// names and keep their file:line:col. Throws input_error with every malformed option and unreadable file.
std::vector<parameter_setting> read_settings(const parameter_options& options);

/// `--model FILE`: the run reads that theory of change instead of the scenario's. A value that is not a
/// model file's name (the effect model's old spelling, `--model linear`) is an error that names
/// --effect-model.
void apply_model_file(const parameter_options& options, run_request& request, diagnostics& found);

/// The model file `--model` names, checked as apply_model_file checks it (errors to `found`); nothing
/// when it names none. For commands that read the scenario themselves before they build a request.
std::optional<std::filesystem::path> model_file_of(const parameter_options& options, diagnostics& found);

/// The `priors` of every parameter file, in the order given (a later file's prior wins), or a file's
/// joint posterior (run_request.hpp, add_priors_of). Throws input_error with every unreadable file.
void add_priors(const parameter_options& options, run_request& request,
                joint_posterior use = joint_posterior::draw_from);

/// For runs under several models: an error for each setting that pins nothing in any of `models` (a
/// plain one no model declares, or one for a model not among them). Throws input_error.
void check_settings_apply(const std::vector<parameter_setting>& settings,
                          const std::vector<const model_handle*>& models);

}  // namespace pathways::cli
