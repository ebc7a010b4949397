#pragma once
/// \file
/// The decision the report leads with: for one outcome and one group of students in the final year,
/// which run (the base scenario or a variant) does best against business as usual, by how much, and
/// how sure, against business as usual and against the runner-up. With every run's draws on common
/// random numbers the comparisons are paired draw by draw; from the summaries alone (a results
/// folder) the runner-up comparison is the difference of means without an interval.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/scenario_types.hpp"
#include "engine/comparison.hpp"
#include "scenario/results_reader.hpp"
#include "stats/summary.hpp"

namespace pathways {

/// One run's final-year effect against business as usual.
struct run_effect {
    std::size_t run = 0;  ///< index into the runs
    bool plan = true;     ///< a plan (ranked) or an assumption (an "if ..." row beside the base plan)
    stats::summary effect;
    double p_better = 0.0;         ///< share of draws where the effect is above 0
    std::optional<double> p_harm;  ///< share of draws where it is below 0; unknown from summaries
};

/// The decision for one (outcome, group).
struct group_decision {
    std::string outcome;
    std::string subgroup;
    bool suppressed = false;       ///< suppressed in some run: nothing below is filled in
    std::vector<run_effect> runs;  ///< every run with the row, in run order
    /// Index into `runs`: the plan with the largest mean effect (the earlier run on a tie); the first
    /// run when no run is a plan.
    std::size_t best = 0;
    /// Index into `runs`: the plan with the second largest mean; none with one plan. Assumptions are
    /// never best or runner-up: they say how the world might be, not what the district can choose.
    std::optional<std::size_t> runner_up;
    /// best − runner-up: paired per draw when the draws are known, else the difference of means only
    /// (interval and probability empty).
    double margin = 0.0;
    std::optional<stats::summary> paired_margin;
    std::optional<double> p_best_beats_runner_up;  ///< share of draws where best > runner-up
};

/// The decision for `outcome` and `subgroup` from the runs' final-year "effect" rows of the
/// with-cut-risk course. `draws`, when given, holds each run's final-year per-draw rows, in the
/// order of `runs` (execute with kept_draws::final_year); it is used only when every run has the row
/// and the draw counts agree. `kinds`, when not empty, says for each run whether it is a plan or an
/// assumption (empty: every run is a plan). nullopt when no run reports the row.
std::optional<group_decision> decide(const std::vector<result_run>& runs, const std::vector<labelled_run>* draws,
                                     const std::string& outcome, const std::string& subgroup,
                                     std::span<const variant_kind> kinds = {});

/// The kind of each run of `runs`, by its variant's label in `spec` (the base scenario): what `decide`
/// ranks.
std::vector<variant_kind> run_kinds(const std::vector<result_run>& runs, const scenario& spec);

/// How the report words a probability of being better: "very likely" (at least 0.95), "likely" (at
/// least 0.75), "more likely than not" (above 0.55), "about a coin flip" (0.45 to 0.55), "unlikely" (below 0.45).

}  // namespace pathways
