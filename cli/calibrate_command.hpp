#pragma once
// calibrate: solve an effect model's knob so that a scenario reproduces a published effect (an anchor).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "engine/simulation.hpp"
#include "plugin/registry.hpp"
#include "scenario/anchor_reader.hpp"

namespace pathways::cli {

struct calibrate_options {
    std::string scenario_file;
    std::string anchor;
    std::string anchor_selection;      ///< --anchors: "all" or ids, comma-separated, fitted at once
    std::optional<std::string> model;  ///< instead of the scenario's effect model
    std::string anchors_file;          ///< more anchors besides the shipped ones
    parameter_options parameters;      ///< other parameters pinned while solving
    std::string out;                   ///< parameter file (default out/<scenario>/calibration-<anchor>-<model>.json)
    bool force = false;
};
int calibrate_command(const calibrate_options& options, const plugin_options& plugins);
/// calibrate --anchors: the knob fitted to several anchors at once (anchor_commands.cpp).
int calibrate_to_anchors(const calibrate_options& options, const plugin_options& plugins);

/// Mixture weights of effect models from how well each, at its defaults, reproduces the shipped anchors.
struct model_weights {
    std::vector<std::pair<std::string, double>> weights;  ///< per model, in the order given, summing to 1
    std::size_t anchors = 0;                              ///< point anchors the likelihoods cover
};
/// Weights proportional to exp(-z²/2) summed over the anchors (z against each anchor's design-weighed
/// standard error), each model run on `scenario_file`'s district with every school at full implementation
/// for as many years as the longest anchor; nullopt when no anchor names an outcome of its model.
std::optional<model_weights> anchor_likelihood_weights(const std::string& scenario_file,
                                                       const std::vector<std::string>& models,
                                                       const plugin_registry& registry);

/// The shipped anchors, then those of `user_file` (none when empty); a user anchor may not reuse a shipped id.
std::vector<anchor> load_anchors(const std::string& user_file);
/// Position of a reported subgroup (by name) and of a reported outcome (by id) in a simulation's results.
std::size_t subgroup_index(const simulation& sim, const std::string& name);
std::size_t outcome_index(const simulation& sim, const std::string& id);

struct anchors_options {
    std::string anchors_file;                  ///< more anchors besides the shipped ones
    std::vector<std::string> check_scenarios;  ///< run every model at its defaults on each and compare
};
/// Lists the anchors; with scenarios to check, the effect every installed model gives at its defaults
/// next to each anchor whose horizon and outcome the scenario matches.
int anchors_command(const anchors_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
