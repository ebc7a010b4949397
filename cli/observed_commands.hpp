#pragma once
// monitor and calibrate --observed: a scenario's projection against observed outcomes, and the
// priors of its uncertain inputs updated from them.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "engine/observation_errors.hpp"
#include "engine/scenario_loader.hpp"
#include "report/output_files.hpp"
#include "scenario/json_writer.hpp"

namespace pathways::cli {

/// What both commands run: a scenario's draws against an observed-data file.
struct observed_options {
    std::string scenario_file;
    std::string observed_file;
    std::string ratings_file;  ///< calibrate: schools' ratings beside the outcomes (empty: none)
    std::string variant = "base";
    std::optional<std::string> model;  ///< instead of the scenario's effect model
    parameter_options parameters;      ///< --set and --set-file
    std::optional<std::string> draws;  ///< default: the scenario's (monitor), 2000 (calibrate)
    std::optional<std::string> seed;
    unsigned threads = 0;
    bool quiet = false;
    std::string out;  ///< monitor: a folder; calibrate: the parameter file
    bool force = false;
    std::vector<std::string> command_line;  ///< recorded in monitor's manifests
};

/// Where monitor writes: --out, else out/<scenario>-monitor (beside the run's folder, not in it: a folder
/// pathways' run did not write would be refused by run).
std::filesystem::path monitor_folder(const observed_options& options);

/// Throws input_error naming every one of `paths` that exists, unless `force`.
void refuse_existing(const std::vector<std::filesystem::path>& paths, bool force);

/// The manifest of a monitor folder's files (`NAME-manifest.json`): the scenario as loaded, the command
/// line, each file with its sha256, and `details` (the observed or ratings file and its sha256).
std::string monitor_manifest(const loaded_scenario& loaded, const observed_options& options,
                             const std::vector<std::pair<std::string, std::string>>& files, const json::value& details);

/// `pathways monitor`: every observed cell against the projection (terminal, monitor.csv, monitor.html).
int monitor_command(const observed_options& options, const plugin_options& plugins);

/// `pathways calibrate --observed`: an importance-weighted posterior of every uncertain input, with its
/// effective sample size, written as a parameter file of priors. `errors` are the shocks beside each
/// cell's standard error in the likelihood (engine/observation_errors.hpp).
int calibrate_observed_command(const observed_options& options, const observation_error_model& errors,
                               const plugin_options& plugins);

/// Draws calibrate --observed runs when --draws is not given: enough for an effective sample of
/// some hundreds when the data are moderately informative.
inline constexpr std::int64_t default_calibration_draws = 2000;

}  // namespace pathways::cli
