#pragma once
/// \file
/// Everything a run needs, loaded and cross-checked: scenario (with its variant), model graph,
/// district, schools, population cells and the effect model. All problems of all files are
/// reported together.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/school_blocks.hpp"
#include "graph/model_graph.hpp"
#include "plugin/registry.hpp"
#include "population/cells.hpp"
#include "population/school.hpp"

namespace pathways {

/// One effect-model parameter pinned from outside the scenario: `--set [MODEL:]NAME=VALUE` or a
/// parameter file (`--set-file`).
struct parameter_setting {
    std::string model;  ///< the only effect model it applies to; empty: whichever model runs
    std::string name;
    double value = 0.0;
    source_location where;  ///< the parameter file's line:col, or "<command line>"
};

/// A prior replaced from outside the scenario: the `priors` of a parameter file (`--set-file`), e.g.
/// the posterior `pathways calibrate --observed` wrote. Draws sample the input from it instead of
/// from the model file's or the plugin's prior; a value pinned with --set or in the scenario still wins.
struct prior_setting {
    std::string model;  ///< the effect model a `parameter:` prior is for; empty: whichever model runs
    std::string input;  ///< `edge:FROM->TO` or `parameter:NAME`, as sensitivity analysis names inputs
    sdk::prior prior;
    source_location where;  ///< the parameter file's line:col
};

/// Command-line changes to a scenario: `--model`, `--set`, `--set-file`, `--draws`, `--seed`.
struct scenario_overrides {
    std::optional<std::string> effect_model;
    std::vector<parameter_setting> parameters;  ///< over the scenario's values; a later one wins over an earlier one
    std::optional<std::int64_t> draws;
    std::optional<std::uint64_t> seed;
    /// For runs of one scenario under several models (compare-models): a setting for another model,
    /// or a plain one the model does not declare, is skipped rather than an error. The caller checks
    /// that every setting applies to some model.
    bool skip_settings_of_other_models = false;
    /// A suppression threshold from the command line; the only way below the publication floor.
    std::optional<std::int64_t> min_n{};
    std::vector<prior_setting> priors{};  ///< replaced priors (--set-file); a later one wins over an earlier one
    /// Schools per block (engine/school_blocks.hpp): the unit in which the population is summed.
    std::size_t schools_per_block = default_schools_per_block;
    /// `--split schools`: hold the cells of part `part` of `parts` of the school blocks only (the
    /// schools of the others get none here). Unset: every school's cells.
    struct school_split {
        std::size_t part = 0;
        std::size_t parts = 1;
    };
    std::optional<school_split> split{};
    /// Files a results folder keeps (`pathways rerun`, `pathways report`), read instead of the paths the
    /// scenario and its district name, so that a run is repeated from the bytes it read.
    struct input_files {
        std::optional<std::filesystem::path> district;
        std::optional<std::filesystem::path> schools_csv;
        std::optional<std::filesystem::path> model;
        std::optional<std::filesystem::path> ratings;
        std::vector<std::filesystem::path> goals;  ///< in the order of the waves that name a goals file
    };
    input_files inputs{};
};

struct loaded_scenario {
    scenario spec;
    std::unique_ptr<model_graph> graph;
    district_profile district;
    std::vector<school> schools;
    population_cells cells;
    population_report population;
    school_blocks blocks;                 ///< the school blocks `cells` hold (no exchange: the run layer sets it)
    const model_handle* model = nullptr;  ///< owned by the registry (which must outlive this), or by the next
    /// A copy of the registry's model with replaced parameter priors, when overrides replace any.
    std::shared_ptr<const model_handle> model_with_priors;
};

/// A district profile with what pathways builds from it: its schools and population cells.
struct loaded_district {
    std::unique_ptr<model_graph> graph;
    district_profile district;
    std::vector<school> schools;
    population_cells cells;
    population_report population;
};

/// Reads a model file, or the embedded DPS model when `path` is empty, and builds its graph.
std::unique_ptr<model_graph> load_model_graph(const std::filesystem::path& path, diagnostics& out);

/// Loads and checks `path` with `variant`; nullopt when anything was an error.
std::optional<loaded_scenario> load_scenario(const std::filesystem::path& path, const std::string& variant,
                                             const plugin_registry& plugins, const scenario_overrides& overrides,
                                             diagnostics& out);

/// Loads the district profile at `path`, its schools CSV and population cells, checked against
/// the model at `model_path` (the embedded DPS model when empty); nullopt when anything was an error.
std::optional<loaded_district> load_district(const std::filesystem::path& path, const std::filesystem::path& model_path,
                                             diagnostics& out);

/// Loads an already-read scenario (for example one read with patches applied): the same checks
/// and loading as above after the scenario file itself is read.
std::optional<loaded_scenario> load_scenario(scenario spec, const plugin_registry& plugins,
                                             const scenario_overrides& overrides, diagnostics& out);

/// Reads the schools CSV of `district` and checks it, and that the profile's enrollment is its sum.
void check_district_schools(const district_profile& district, diagnostics& out);

/// A profile validated on its own: its schools, and, when its baselines or conditions name any node or
/// condition of the embedded model (the profile was written for it), its conditions, starting levels and
/// trends against that model, as a scenario using the two would check them. A profile written for
/// another model is checked against it by the scenario that names both.
void check_district_alone(const district_profile& district, diagnostics& out);

/// Checks `spec`, read from the same file as `base` and naming the same district and model file,
/// against what `base` loaded: its effect model and parameters, its wave targets and reported
/// outcomes. Nothing is read or built again, so checking many variants costs little. Which schools
/// the waves select is left to the caller (implementation_schedule or simulation). Returns the
/// effect model `spec` runs (its parameters resolved into `spec`), or nullptr when anything was an error.
const model_handle* check_scenario_on(scenario& spec, const loaded_scenario& base, const plugin_registry& plugins,
                                      diagnostics& out);

}  // namespace pathways
