#pragma once
/// \file
/// The one place that loads a scenario, builds its simulation and runs its draws: every command
/// that projects (run, compare, compare-models, sweep, sensitivity) goes through here and gets
/// typed results back, which the writers (core/report) and the terminal printers take as they are.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/comparison.hpp"
#include "engine/projection.hpp"
#include "engine/stage_gate.hpp"
#include "engine/wave_schools.hpp"
#include "run/run_request.hpp"

namespace pathways {

/// Which per-draw values a run keeps besides its summaries (for paired comparisons and the run summary).
enum class kept_draws { none, final_year, all };

/// A scenario loaded for one variant, with the simulation built on it (which refers into it).
struct prepared_run {
    std::string name;  ///< the request's label, else the variant
    std::unique_ptr<loaded_scenario> loaded;
    std::unique_ptr<simulation> sim;
    /// The publication audit's verdict, [year][subgroup]: decided over every run published with this
    /// one (engine/suppression.hpp); empty when suppression is off.
    std::vector<std::vector<bool>> withheld;
    /// A plan with a stage-gated wave also runs without that wave, on the same draws: what happens in
    /// the draws where the gate stays closed (engine/stage_gate.hpp). Null for a plan without a gate.
    std::unique_ptr<prepared_run> gate_closed;
};

/// Everything a request names, loaded and checked; nothing has run yet.
struct run_plan {
    run_request request;
    std::vector<prepared_run> runs;  ///< one per variant asked for
};

/// Audits the runs of `plans` as one publication (every variant, compared scenario or sweep point
/// written together) and gives each run its verdict; prepare() audits a plan's own runs together.
void audit_together(std::span<run_plan> plans);

/// Loads the scenario (once per variant) and builds each simulation. Problems go to `out`;
/// nullopt when anything was an error, so that a command can check all its inputs before it runs.
std::optional<run_plan> prepare(const run_request& request, const plugin_registry& plugins, diagnostics& out);

/// How a plan's stage gate decided over the run's draws.
struct gate_result {
    std::string wave;  ///< the gated wave's name
    stage_gate gate;
    double measurement_se = 0.0;
    double students = 0.0;  ///< students of the gate's subgroup measured in the gate's year
    double schools = 0.0;   ///< schools the waves before the gate reached
    std::size_t open_draws = 0;
    std::size_t draws = 0;
    double students_reached_closed = 0.0;  ///< students the plan reaches when the gate stays closed
    double projected_mean = 0.0;           ///< the measured effect's mean before noise (this rank's draws)
    [[nodiscard]] double open_share() const {
        return draws == 0 ? 0.0 : static_cast<double>(open_draws) / static_cast<double>(draws);
    }
};

struct finished_run {
    std::string name;
    std::unique_ptr<loaded_scenario> loaded;
    std::unique_ptr<simulation> sim;
    projection_result result;
    /// The comparable rows (with-cut-risk course) per draw, labelled `name`, when kept.
    std::optional<labelled_run> draws;
    /// The same rows of the "if the plan is sustained" course (the summary's second column), kept
    /// with `draws` when the request reports that course.
    std::optional<labelled_run> sustained_draws;
    /// Every row's value in every draw (the rows of `result`, in its order), when the hooks ask for it.
    std::optional<projection_draws> every_draw;
    /// Per draw, the final-year total cost with the cut risk (empty when the plan has no costs), and the
    /// students in the schools the plan reaches: what a cost-effectiveness analysis pairs with the effects.
    std::vector<double> cost_draws;
    double students_reached = 0.0;
    double seconds = 0.0;
    std::optional<gate_result> gate;  ///< for a plan with a stage-gated wave
};

struct run_results {
    std::vector<finished_run> runs;
    bool cancelled = false;
    bool suppression = true;
    bool for_release = true;  ///< small groups withheld at the publication floor or above
    unsigned threads = 1;     ///< per rank
    std::vector<std::string> command_line;
};

struct run_hooks {
    std::function<void(const std::string& run)> started;                ///< before each run, on the calling thread
    std::function<void(std::size_t done, std::size_t total)> progress;  ///< from worker threads
    const std::atomic<bool>* cancel = nullptr;
    kept_draws keep = kept_draws::none;
    bool keep_every_draw = false;  ///< keep every row's per-draw values (`run --per-draw`, the Python module)
};

/// The schools each wave of the run's plan reached, sampled waves as their seed chose them.
std::vector<wave_schools> waves_of(const finished_run& run);

/// Runs every prepared run's draws in order; stops early (`cancelled`) when `hooks.cancel` is set.
/// Under MPI the draws of every run, end to end, are split over the ranks; when all are done and well,
/// rank 0 gathers them in draw order: only its results hold runs, the same bytes as one process.
/// Throws rank_failed (run/ranks.hpp) when another rank failed.
run_results execute(run_plan plan, const run_hooks& hooks);

/// prepare, then execute; throws input_error with every problem of the inputs.
run_results execute(const run_request& request, const plugin_registry& plugins, const run_hooks& hooks);

}  // namespace pathways
