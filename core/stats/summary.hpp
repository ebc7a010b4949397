#pragma once
/// \file
/// Summaries of Monte Carlo output: mean, sd, quantiles, share positive; and a running accumulator.

#include <cstddef>
#include <span>
#include <string>

namespace pathways::stats {

/// The numbers every projection row carries.
struct summary {
    double mean = 0.0;
    double sd = 0.0;  ///< sample sd with n − 1 in the denominator; 0 when n = 1
    double p05 = 0.0;
    double p50 = 0.0;
    double p95 = 0.0;
    double prob_positive = 0.0;  ///< share of values strictly greater than 0
};

/// a − b, or exactly 0 when a and b agree to rounding (|a − b| ≤ 1e-12 · max(|a|, |b|)). Two plans that
/// are the same until some year reach the same numbers through sums in different orders; the last bits
/// of their difference must read as a tie, not as one plan beating the other in a share of draws.
double difference_or_tie(double a, double b);

/// Quantile of already sorted values by Hyndman & Fan (1996) type 7, the default of R and numpy:
/// h = (n − 1)·p, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) (0-based).
/// Throws std::invalid_argument when `sorted` is empty, std::domain_error when p is outside [0, 1].
double quantile_type7(std::span<const double> sorted, double p);

/// Summary of `values` in the order given (sums run front to back, so the result is reproducible).
/// Quantiles are type 7 (see quantile_type7). Throws std::invalid_argument when `values` is empty
/// or holds a NaN.
summary summarize(std::span<const double> values);

/// Summary of the distribution that puts weight `weights[i]` on `values[i]` (weights are normalised to
/// sum to 1), e.g. a mixture of several models' draws. Mean Σ w·x; sd with the reliability-weight
/// correction sqrt(Σ w·(x − mean)² / (1 − Σ w²)), which is the n − 1 sd for equal weights (0 for one
/// value); prob_positive Σ w·[x > 0]. Quantiles generalise Hyndman & Fan (1996) type 7, as summarize
/// uses, to weights: the sorted values x_1 ≤ … ≤ x_n sit at positions
///   u_i = (W_i − w_i/2 − w_1/2) / (1 − w_1/2 − w_n/2),
/// W_i the cumulative weight up to and including value i, so the first sits at 0 and the last at 1; p is
/// interpolated linearly between the positions around it. Equal weights give u_i = (i − 1)/(n − 1), so
/// the quantiles are quantile_type7's (to rounding), and a mixture row reads like every other row. One
/// value is every quantile; with two values the positions are 0 and 1 whatever the weights, so weights
/// move the quantiles only of three values or more (a mixture of models has many draws each). Values
/// of weight 0 are left out. Throws
/// std::invalid_argument when the sizes differ or are 0, a value is NaN, or a weight is negative, not
/// finite, or all weights are 0.
summary summarize_weighted(std::span<const double> values, std::span<const double> weights);

/// The mean and 90% interval as the terminal tables print them, signed, with `decimals` digits:
/// "+0.120 [-0.010, +0.250]".
std::string interval_text(const summary& s, int decimals);

/// Welford's running mean and variance, for streams too long to keep.
class running_moments {
public:
    void add(double x);
    [[nodiscard]] std::size_t count() const { return count_; }
    /// 0 when empty.
    [[nodiscard]] double mean() const { return mean_; }
    /// Sample variance (n − 1); 0 when fewer than two values.
    [[nodiscard]] double variance() const;
    [[nodiscard]] double sd() const;

private:
    std::size_t count_ = 0;
    double mean_ = 0.0;
    double sum_squares_ = 0.0;  // sum of squared deviations from the running mean
};

}  // namespace pathways::stats
