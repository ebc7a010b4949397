#pragma once
/// \file
/// Which practices and drivers move which outcomes, and through what: direct, indirect and total
/// effects, and the strongest paths from a driver to an outcome.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/simulation.hpp"
#include "graph/model_graph.hpp"

namespace pathways {

/// Effect of raising `source` by one unit on `outcome`. With finite differences only the total is
/// defined: `direct` and `indirect` are NaN.
struct effect_entry {
    std::size_t source = 0;   ///< node index
    std::size_t outcome = 0;  ///< node index
    double direct = 0.0;
    double indirect = 0.0;
    double total = 0.0;
};

enum class effects_method {
    linear_algebra,      ///< (I − B)⁻¹ − I over the value-carrying edges
    finite_differences,  ///< central differences of the engine's projection at the scenario's levels
};

struct effects_table {
    effects_method method = effects_method::linear_algebra;
    std::vector<std::size_t> sources;   ///< foundational practices, then secondary drivers
    std::vector<std::size_t> outcomes;  ///< student outcomes, then academic outcomes
    std::vector<effect_entry> entries;  ///< source-major: entries[s * outcomes.size() + o]
    std::string unit;                   ///< what one unit of effect means, for people

    [[nodiscard]] const effect_entry& at(std::size_t source_position, std::size_t outcome_position) const {
        return entries[source_position * outcomes.size() + outcome_position];
    }
};

/// The practices and drivers a plan sets: foundational practices, then secondary drivers.
std::vector<std::size_t> effect_sources(const model_graph& graph);
/// Student outcomes, then academic outcomes, in declaration order.
std::vector<std::size_t> effect_outcomes(const model_graph& graph);

/// Linear effects. B holds the weight of every value-carrying edge (effect and composition;
/// moderators change ramps, not values) times `scale` (the `linear` model's parameter, which
/// multiplies every node's change). total = (I − B)⁻¹ − I (the sum over all paths of the product
/// of their weights), direct = B, indirect = total − direct. A DAG makes I − B invertible.
effects_table linear_effects(const model_graph& graph, double scale = 1.0);

/// Marginal effects of any effect model, through the engine: for each source, every wave's target
/// for it is set to that wave's planned level ± `step` (clamped to 0..3), one central run (every
/// quantity at its default) is made for each side, and total = (district mean of the outcome in
/// the final year at +step − at −step) / (mean distance the targets moved, 2·step away from the
/// bounds). The unit is SD of the outcome, district-wide, per level point
/// of the source's target in the plan's schools. Problems of the runs go to `problems`.
effects_table marginal_effects(const simulation_inputs& inputs, double step, diagnostics& problems);

/// The step of `scenario_effects`' central differences, in level points: small against the 0..3
/// scale, large enough that the engine's rounding does not dominate.
inline constexpr double effects_difference_step = 0.25;

/// The effects of a loaded scenario's model: linear_effects at the scenario's `scale` (set in the
/// scenario, else the model's default) for the `linear` model, else marginal_effects with
/// `effects_difference_step`. Problems of the runs go to `problems`.
effects_table scenario_effects(const loaded_scenario& loaded, diagnostics& problems);

/// A path from a source to an outcome over value-carrying edges, with the product of its weights.
struct ranked_path {
    std::vector<std::size_t> edges;
    double strength = 0.0;
};

/// The `top` paths from `from` to `to` by |product of weights|, strongest first (ties keep the
/// order of `model_graph::paths`). At most `max_enumerated` paths are considered.
std::vector<ranked_path> strongest_paths(const model_graph& graph, std::size_t from, std::size_t to, std::size_t top,
                                         std::size_t max_enumerated = 100000);

/// `strongest_paths` for many pairs: remembers which nodes reach each outcome, so listing every
/// source × outcome pair of a large model costs one sweep per outcome, not one per pair.
class path_finder {
public:
    explicit path_finder(const model_graph& graph) : graph_(graph) {}
    [[nodiscard]] std::vector<ranked_path> strongest(std::size_t from, std::size_t to, std::size_t top,
                                                     std::size_t max_enumerated = 100000);

private:
    const model_graph& graph_;
    std::map<std::size_t, std::vector<bool>> reaching_;
};

/// "a → b → c" with node labels.
std::string describe_path(const model_graph& graph, const ranked_path& path);

}  // namespace pathways
