#pragma once
/// \file
/// What a user asked a run to do, each setting with where it came from (a file position or the
/// command-line option), checked in one place before anything is loaded or run.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/scenario_loader.hpp"
#include "plugin/registry.hpp"
#include "scenario/parameter_file.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways {

/// A value and where it was set: `{"<command line>", 0, 0, "--draws"}` for an option.
template <class T>
struct setting {
    T value{};
    source_location origin;
};

/// The origin of a command-line option, for messages like `<command line>: error: --draws: …`.
source_location option_origin(const std::string& option);

/// The range a command-line integer is held to: the same range the scenario file allows.
struct integer_limits {
    std::int64_t min = 0;
    std::int64_t max = 0;
};
inline constexpr integer_limits draws_limits{0, max_draws};
inline constexpr integer_limits seed_limits{0, max_seed};
inline constexpr integer_limits min_n_limits{1, 1'000'000};
inline constexpr integer_limits schools_per_block_limits{1, 1'000'000'000};

/// Reads an integer option's text (`--draws 2.5`, `--seed 18446744073709551616`); an error naming the
/// option when it is not an integer or outside `limits`.
std::optional<setting<std::int64_t>> integer_option(const std::string& option, const std::string& text,
                                                    integer_limits limits, diagnostics& out);

struct run_request {
    std::filesystem::path scenario_file;
    /// A scenario read already (a sweep point, with its patches): used instead of reading `scenario_file`.
    std::optional<scenario> scenario_spec;
    std::string variant = "base";
    bool all_variants = false;  ///< base and every variant of the file, in file order
    /// A name for the run's progress, results and manifest instead of its variant (compare: the
    /// file's stem; compare-models: the model). For requests of one variant.
    std::string label;
    std::optional<setting<std::string>> effect_model;  ///< --model
    std::vector<parameter_setting> parameters;         ///< --set and --set-file, later ones winning
    std::vector<prior_setting> priors;                 ///< the `priors` of --set-file files
    /// The joint posterior of a --set-file file that carries one: the run's draws are drawn from it.
    std::optional<posterior_draws> posterior;
    /// compare-models: settings for other models are skipped rather than errors.
    bool skip_settings_of_other_models = false;
    std::optional<setting<std::int64_t>> draws;
    std::optional<setting<std::int64_t>> seed;
    std::optional<setting<std::int64_t>> min_n;
    unsigned threads = 1;
    bool suppression = true;       ///< false: --no-suppression
    bool sustained_course = true;  ///< also report the plan as if it were sustained
    bool keep_draws = false;       ///< keep per-draw values of the comparable rows (compare)
    /// `--split schools`: ranks split the population's school blocks (each holds only its blocks'
    /// cells and runs every draw over them) instead of the draws. Only `run` offers it.
    bool split_schools = false;
    std::optional<setting<std::int64_t>> schools_per_block;  ///< --schools-per-block
    /// The files a results folder keeps, read instead of those the scenario names (`rerun`, `report`).
    scenario_overrides::input_files inputs;
    std::vector<std::string> command_line;
};

/// Checks every setting of `request` that does not need the scenario: ranges of draws, seed and
/// min_n (naming their origin), the effect model's name against `plugins`, that a scenario is named.
/// Everything found goes to `out`; returns whether all was well.
bool check(const run_request& request, const plugin_registry& plugins, diagnostics& out);

/// What a run does with the joint posterior of a parameter file: draw from it (every command that
/// projects draws), or vary each input over its summary prior in the file (sensitivity analysis, which
/// varies inputs one by one and so cannot keep their correlations).
enum class joint_posterior { draw_from, summarise };

/// Adds the priors of a parameter file to `request`, or, when the file carries a joint posterior
/// (`pathways calibrate --observed` writes one) and `use` is draw_from, the posterior instead: its draws
/// carry every input together, and the priors in the file only summarise them one by one. A second
/// posterior is an error at its place in the file. The file's parameter values are not added here.
void add_priors_of(const parameter_file& file, run_request& request, diagnostics& out,
                   joint_posterior use = joint_posterior::draw_from);

/// The request as the loader's overrides of the scenario file.
scenario_overrides overrides_of(const run_request& request);

/// Whether the outputs of `request` may be published: small groups withheld at the publication floor or above.
bool for_public_release(const run_request& request);

}  // namespace pathways
