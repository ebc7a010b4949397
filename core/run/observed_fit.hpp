#pragma once
/// \file
/// Projections against what happened: each observed cell next to the projection's draws for it
/// (`pathways monitor`), and the prior draws reweighted by how well they predicted the observed
/// cells, an importance-sampling posterior of every uncertain input (`pathways calibrate --observed`).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/comparison.hpp"
#include "engine/observation_errors.hpp"
#include "engine/simulation.hpp"
#include "scenario/observed_reader.hpp"
#include "stats/summary.hpp"

namespace pathways {

/// An observed cell with the projection's value for it in every draw: the `level` metric of the
/// with-cut-risk course (what the district will see, cuts included), year and subgroup as observed.
struct observed_match {
    observed_cell cell;
    /// Too few students to publish — the projection's group or the observed cell (n below min_n): none of
    /// its numbers, observed or projected, is shown or used.
    bool suppressed = false;
    std::vector<double> values;  ///< per draw
};

/// The rows of `run` for every cell of `data`, in the data's order. A cell the run does not report is
/// an error at the cell's row (the caller reports every observed subgroup and outcome, so this
/// means a run of another scenario). A cell is suppressed when its run row is, or when fewer than
/// `min_n` students stand behind the observed mean. Returns what matched.
std::vector<observed_match> match_observed(const observed_data& data, const labelled_run& run, std::int64_t min_n,
                                           diagnostics& out);

/// One observed cell against the projection. An observed mean is the true mean plus measurement
/// error, so it is compared with the *predictive* distribution: each draw's projected level plus
/// Normal(0, se²), the mixture of those normals over the draws. That is the distribution an honest
/// projection says the observed value comes from; the projection's own interval (of the true mean) is
/// narrower, and data with sizeable standard errors would fall outside it far more than 10% of the time.
struct monitor_row {
    observed_cell cell;
    bool suppressed = false;
    stats::summary projected;     ///< the draws' levels: mean, sd, 90% interval of the true mean (p05, p95)
    double predictive_p05 = 0.0;  ///< 90% predictive interval of the observed value
    double predictive_p95 = 0.0;
    /// Where the actual falls in the predictive distribution, 100 × mean over draws of Φ((actual − draw) / se):
    /// uniform on 0..100 across cells when the projection is honest.
    double percentile = 0.0;
    bool inside = false;  ///< predictive_p05 <= actual <= predictive_p95
    /// (actual − projected mean) / sqrt(projected sd² + se²): projection and measurement uncertainty
    /// together, so about 95% of cells lie within ±2 when the projection is honest.
    double standardised_residual = 0.0;
};

struct monitor_table {
    std::vector<monitor_row> rows;
    std::size_t draws = 0;
    std::size_t compared = 0;  ///< cells not suppressed
    std::size_t inside = 0;    ///< of those, inside their 90% predictive interval
    /// Root mean square of the standardised residuals of the compared cells; about 1 when honest.
    double rms_residual = 0.0;
    /// Share of compared cells inside their 90% predictive interval (0 when none is compared).
    [[nodiscard]] double coverage() const { return compared ? static_cast<double>(inside) / compared : 0.0; }
};

/// The p-quantile of the predictive distribution: the mixture over `values` of Normal(value, se²)
/// (bisection to 1e-12 of the range). Throws std::invalid_argument when `values` is empty or se <= 0.
double predictive_quantile(std::span<const double> values, double se, double p);

/// Compares every matched cell; `draws` is the number of draws behind each match.
monitor_table compare_observed(const std::vector<observed_match>& matches, std::size_t draws);

/// Normalised importance weights of the draws and their effective sample size.
struct importance_weights {
    std::vector<double> weights;  ///< per draw, summing to 1
    /// Kish's effective sample size, 1 / Σ w²: how many equally weighted draws the weighted draws are
    /// worth. It falls towards 1 when a few draws carry all the weight (the posterior is then unreliable).
    double effective_sample_size = 0.0;
    std::size_t cells = 0;  ///< cells in the likelihood (suppressed ones are left out)
};

/// Each draw's weight is its likelihood: the multivariate normal density of the cells that are not
/// suppressed, observed − the draw's value, under the covariance of engine/observation_errors.hpp —
/// each cell's se, the students overlapping groups share, the year shock every group of a year shares,
/// a persistent shock per group, and model discrepancy (how far the model may miss even with the right
/// inputs). Computed in log space and normalised by the largest log-likelihood, so no draw underflows.
/// Throws std::invalid_argument when the matches hold different draw counts or none, a draw value is
/// not finite, or the covariance cannot be formed (see observation_likelihood).
importance_weights weigh_draws(const std::vector<observed_match>& matches, const observation_error_model& errors);

/// Whether the effective sample size has collapsed: below 50, or below 1% of the draws.
bool effective_sample_collapsed(double effective_sample_size, std::size_t draws);

/// One uncertain input's prior and posterior over the same draws.
struct input_posterior {
    uncertain_input input;
    stats::summary prior;      ///< the draws' values, equally weighted
    stats::summary posterior;  ///< the same values, importance-weighted
};

/// The value input `input` takes in `parameters` (as sample_parameters drew it).
double input_value(const draw_parameters& parameters, const uncertain_input& input);

/// Prior and posterior of every input of `sim.uncertain_inputs()`, over draws 0..weights.size()−1 of
/// `seed` (the draws `run_draws` ran with that seed).
std::vector<input_posterior> posterior_of_inputs(const simulation& sim, std::uint64_t seed,
                                                 std::span<const double> weights);

}  // namespace pathways
