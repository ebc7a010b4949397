#pragma once
/// \file
/// Comparing runs that share seed and draws (common random numbers): rows aligned by name across
/// runs, per-draw paired differences against the first run, which run closes which gap most by the
/// horizon; and one scenario under several effect models, with their mixture.

#include <compare>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "engine/projection.hpp"
#include "stats/summary.hpp"

namespace pathways {

/// What identifies a row across runs of different simulations: names, not indices.
struct row_key {
    int year = 0;  ///< calendar year
    std::string subgroup;
    std::string outcome;
    pathways::metric metric = pathways::metric::level;
    std::string reference;
    auto operator<=>(const row_key&) const = default;
};

struct labelled_row {
    row_key key;
    bool academic = false;
    bool suppressed = false;
};

/// One run's per-draw values with named rows: `values[draw * rows.size() + row]`.
struct labelled_run {
    std::string name;
    std::vector<labelled_row> rows;
    std::vector<double> values;
    std::size_t draws = 0;
};

/// Names the rows of `draws` with `sim`'s subgroups and outcomes and calendar years from `start_year`.
labelled_run label_draws(std::string name, const projection_draws& draws, const simulation& sim, int start_year);

/// `run` with only the rows of its last year, for comparisons that show only the horizon and
/// should not hold every year's draws.
labelled_run final_year_rows(const labelled_run& run);

/// Per-draw `run − baseline` over the rows both have, in `baseline`'s row order; a row is
/// suppressed when it is in either run. Throws std::invalid_argument when the draw counts differ.
labelled_run paired_differences(const labelled_run& run, const labelled_run& baseline);

/// One aligned row: every run's summary and, per run, its paired difference from run 0 (entry 0
/// is run 0 with itself, exactly zero).
struct comparison_row {
    row_key key;
    bool academic = false;
    bool suppressed = false;  ///< suppressed in at least one run: summaries are not for publication
    std::vector<stats::summary> runs;
    std::vector<stats::summary> differences;
};

/// For one gap (focal vs reference) and outcome: each run's mean share of the baseline gap closed
/// by the horizon (percent), and the run that closes the most.
struct gap_race {
    std::string focal;
    std::string reference;
    std::string outcome;
    int year = 0;
    std::vector<double> closed_pct;          ///< per run, mean over draws
    std::vector<double> closes_probability;  ///< per run: share of draws where the gap is closed
    std::size_t best = 0;                    ///< run with the largest closed_pct (first on a tie)
    stats::summary best_versus_first;        ///< paired difference of closed_pct, best run − run 0
};

struct comparison {
    std::vector<std::string> runs;
    std::size_t draws = 0;
    int final_year = 0;
    std::vector<comparison_row> rows;  ///< rows every run has, in run 0's order
    std::vector<gap_race> gaps;        ///< in run 0's row order; only gaps no run suppresses
};

/// Compares runs that share seed and draw count, run 0 being the baseline of the comparison.
/// Throws std::invalid_argument when there are no runs or the draw counts differ.
comparison compare_runs(const std::vector<labelled_run>& runs);

/// The weights of `names` in a mixture of models: `weights` as given, normalised to sum to 1, or equal
/// weights when `weights` is empty. Throws std::invalid_argument when a weight is missing, unknown,
/// given twice, not finite or not positive (the message says which).
std::vector<double> mixture_weights(const std::vector<std::string>& names,
                                    const std::vector<std::pair<std::string, double>>& weights);

/// One (outcome, subgroup) of the final year under every model.
struct model_row {
    std::string outcome;
    std::string subgroup;
    bool suppressed = false;
    std::vector<stats::summary> models;  ///< per model
    stats::summary mixture;              ///< the models' draws pooled with the mixture weights
    double spread = 0.0;                 ///< max − min of the models' means
};

struct model_comparison {
    std::vector<std::string> models;
    std::vector<double> weights;  ///< per model, summing to 1
    bool equal_weights = true;
    std::size_t draws = 0;
    int year = 0;
    pathways::metric metric = pathways::metric::effect;
    std::vector<model_row> rows;  ///< in the runs' row order
    std::vector<std::size_t>
        by_spread;  ///< indices into `rows`, largest spread first (ties in row order), suppressed last
};

/// The same scenario under several effect models with the same draws: `metric` in the final year
/// per (outcome, subgroup), the spread between models, and their mixture: every model's draws pooled,
/// model m's weighted w_m (equal unless `weights` says otherwise, see mixture_weights) and shared equally
/// among its draws. The mixture is what "one of these models is right, with these probabilities" implies,
/// so its interval carries the models' disagreement as well as each model's own uncertainty; with one
/// draw per model it is the spread of their central values. Throws std::invalid_argument when `models`
/// is empty, the draw counts differ or the weights are invalid.
model_comparison compare_models(const std::vector<labelled_run>& models,
                                pathways::metric metric = pathways::metric::effect,
                                const std::vector<std::pair<std::string, double>>& weights = {});

}  // namespace pathways
