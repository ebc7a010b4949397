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
    std::size_t model_evaluations = 0;      ///< N·(g + 2) for g groups (k + 2 when each input is its own)
    std::vector<input_sensitivity> inputs;  ///< one per group of the design, in group order
};

/// Inputs (columns of the design) that move together as one factor of a Sobol analysis, such as
/// every school's own deviation or the uniforms that decide a program cut; a single input is a group
/// of one.
using input_group = std::vector<std::size_t>;

/// The design of Saltelli et al. (2010, Comput. Phys. Commun. 181:259–270) for groups of inputs:
/// matrices A and B (N × k) of independent draws, and for each group G the matrix A_B^G = A with the
/// columns of G taken from B; N·(g + 2) runs, in the order A, B, A_B^1, …, A_B^g (row by row within
/// each). Inputs are drawn as prior_quantile(prior, u) of uniforms from counter_rng(seed, row,
/// stream_id("sensitivity.a" / "sensitivity.b")), one per column in column order. A run's values
/// are regenerated when asked for, so a design of many inputs (one per school) holds no N·k matrix.
/// Throws std::invalid_argument for no inputs or groups, an empty group, a column out of range or
/// named twice in a group, an invalid prior or option.
class sobol_design {
public:
    sobol_design(std::span<const sdk::prior> inputs, std::vector<input_group> groups, const sobol_options& options);
    [[nodiscard]] std::size_t runs() const { return options_.base_samples * (groups_.size() + 2); }
    [[nodiscard]] std::size_t inputs() const { return inputs_.size(); }
    [[nodiscard]] const std::vector<input_group>& groups() const { return groups_; }
    [[nodiscard]] const sobol_options& options() const { return options_; }
    /// The input values of run `run` (0 ≤ run < runs()) into `values`, resized to the number of inputs.
    void row(std::size_t run, std::vector<double>& values) const;

private:
    void base_row(std::size_t row, std::uint64_t stream, std::vector<double>& values) const;
    std::vector<sdk::prior> inputs_;
    std::vector<input_group> groups_;
    sobol_options options_;
};

/// Sobol indices of each group of `design` from the model's outputs at its runs, in run order (one
/// per run). The estimators Saltelli et al. (2010) recommend (their Table 2, (b) and (f)), with the
/// columns of group G swapped together: Saltelli's for the first-order index and Jansen's (1999)
/// for the total index,
///   V_G  = 1/N Σ_j (f(B)_j − mean) · (f(A_B^G)_j − f(A)_j), S_G  = V_G / Var(Y)
///   V_TG = 1/(2N) Σ_j (f(A)_j − f(A_B^G)_j)²,             S_TG = V_TG / Var(Y)
/// S_G is the share of Var(Y) explained by the group's inputs together (interactions among them
/// included), S_TG the share involving any of them. Jansen's first-order form, Var(Y) − 1/(2N)
/// Σ (f(B) − f(A_B^G))², has an error that does not shrink with S_G (about ±0.4 at N = 16 for
/// inputs that do nothing); Saltelli's is exactly 0 for them. Bootstrap resample b redraws N rows
/// with replacement from counter_rng(seed, b, stream_id("sensitivity.bootstrap")). Estimates can
/// fall slightly outside [0, 1] by sampling error and are reported as computed. When Var(Y) = 0
/// every index is 0. Throws std::invalid_argument when the outputs are not one per run and
/// std::runtime_error when one is not finite.
sobol_result sobol_indices(const sobol_design& design, std::span<const double> outputs);

/// The same with `model` called at every run of the design, in run order on one thread; `groups`
/// gives the factors (result.inputs holds one per group, in group order).
sobol_result sobol_indices(std::span<const sdk::prior> inputs, std::vector<input_group> groups,
                           const model_function& model, const sobol_options& options);

/// The same with each input a group of its own (result.inputs holds one per prior, in input order).
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
