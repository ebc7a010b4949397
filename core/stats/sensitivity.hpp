#pragma once
/// \file
/// Which uncertain inputs drive an output: variance-based global sensitivity (Sobol indices) and
/// one-at-a-time tornado bars.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "pathways/sdk/effect_model.hpp"

namespace pathways::stats {

/// The model under study: one output from one value per input, in the order of the priors.
using model_function = std::function<double(std::span<const double> inputs)>;

struct sobol_options {
    std::size_t base_samples = 1024;        ///< N, rows of each of the matrices A and B (>= 2)
    std::size_t bootstrap_resamples = 500;  ///< B; 0 skips the bootstrap (interval = the estimate)
    double confidence = 0.95;               ///< coverage of the percentile bootstrap interval, in (0, 1)
    std::uint64_t seed = 0;
};

/// A point estimate with its percentile-bootstrap interval.
struct interval_estimate {
    double estimate = 0.0;
    double low = 0.0;
    double high = 0.0;
};

struct input_sensitivity {
    interval_estimate first_order;  ///< S_i: share of Var(Y) explained by input i alone
    interval_estimate total;        ///< S_Ti: share involving input i, interactions included
};

struct sobol_result {
    double output_variance = 0.0;           ///< Var(Y) over the 2N rows of A and B
    std::size_t model_evaluations = 0;      ///< N·(k + 2)
    std::vector<input_sensitivity> inputs;  ///< one per prior, in input order
};

/// Sobol indices by the design of Saltelli et al. (2010, Comput. Phys. Commun. 181:259–270): matrices
/// A and B (N × k) of independent draws, and A_B^i = A with column i taken from B, N·(k + 2) model
/// runs in all. The estimators that paper recommends (its Table 2, (b) and (f)): Saltelli's for the
/// first-order index and Jansen's (1999) for the total index,
///   V_i  = 1/N Σ_j (f(B)_j − mean) · (f(A_B^i)_j − f(A)_j), S_i  = V_i / Var(Y)
///   V_Ti = 1/(2N) Σ_j (f(A)_j − f(A_B^i)_j)²,             S_Ti = V_Ti / Var(Y)
/// Jansen's first-order form, Var(Y) − 1/(2N) Σ (f(B) − f(A_B^i))², has an error that does not shrink
/// with S_i (about ±0.4 at N = 16 for inputs that do nothing); Saltelli's is exactly 0 for them.
/// Inputs are drawn as prior_quantile(prior, u) of uniforms from counter_rng(seed, row,
/// stream_id("sensitivity.a" / "sensitivity.b")); bootstrap resample b redraws N rows with
/// replacement from counter_rng(seed, b, stream_id("sensitivity.bootstrap")). Estimates can fall
/// slightly outside [0, 1] by sampling error and are reported as computed. When Var(Y) = 0 every
/// index is 0. Deterministic for a given seed: the model is called in a fixed order on one thread.
/// Throws std::invalid_argument for no inputs, an invalid prior or option, and std::runtime_error
/// when the model returns a non-finite value.
sobol_result sobol_indices(std::span<const sdk::prior> inputs, const model_function& model,
                           const sobol_options& options);

/// One bar of a tornado chart.
struct tornado_bar {
    std::size_t input = 0;     ///< index into the priors
    double input_low = 0.0;    ///< the input's low quantile (p05 by default)
    double input_high = 0.0;   ///< the input's high quantile (p95 by default)
    double output_low = 0.0;   ///< model output with this input at input_low, others at their medians
    double output_high = 0.0;  ///< the same at input_high
    double swing = 0.0;        ///< |output_high − output_low|
};

/// Each input in turn at its low and high quantile with every other input at its median; bars
/// sorted by swing, largest first (ties keep input order). Throws std::invalid_argument unless
/// 0 < low_p < high_p < 1 and every prior is valid; std::runtime_error for a non-finite output.
std::vector<tornado_bar> tornado(std::span<const sdk::prior> inputs, const model_function& model, double low_p = 0.05,
                                 double high_p = 0.95);

}  // namespace pathways::stats
