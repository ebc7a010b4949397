#pragma once
/// \file
/// Sampling, quantiles and moments of the priors in `pathways::sdk::prior`, with the project's own
/// code so that results do not depend on the standard library (std:: distributions differ between
/// implementations). Every sampler is a deterministic function of the generator's uniforms.
///
/// Parameter rules (std::invalid_argument otherwise; see validate_prior):
/// - normal, lognormal: b >= 0 (b = 0 is a point mass)
/// - truncated_normal: b > 0, lower < upper (either bound may be infinite), and the interval must
///   hold a representable share of the normal's mass (more than 1e-300; i.e. not beyond ~37 SD)
/// - uniform: lower <= upper
/// - beta: a > 0, b > 0, lower < upper
/// Every number used must be finite, except the bounds of a truncated normal.

#include <string>

#include "pathways/sdk/effect_model.hpp"
#include "stats/random.hpp"

namespace pathways::stats {

/// Throws std::invalid_argument, with a lowercase message naming the offending field, when `p`
/// breaks the parameter rules above.
void validate_prior(const sdk::prior& p);

/// Φ⁻¹(u) of one uniform: exactly one uniform per normal, so draws stay aligned across runs.
double sample_standard_normal(counter_rng& rng);
/// mean + sd·Z. Throws std::invalid_argument when sd < 0.
double sample_normal(double mean, double sd, counter_rng& rng);
/// Normal(mean, sd) restricted to [lower, upper], by inverting the CDF between Φ(lower) and Φ(upper)
/// (one uniform per value). Accurate far in either tail; see truncated_normal_quantile.
double sample_truncated_normal(double mean, double sd, double lower, double upper, counter_rng& rng);
/// exp(N(meanlog, sdlog²)).
double sample_lognormal(double meanlog, double sdlog, counter_rng& rng);
/// Uniform on [lower, upper].
double sample_uniform(double lower, double upper, counter_rng& rng);
/// Gamma(shape, scale) by Marsaglia & Tsang (2000); shape < 1 uses Gamma(shape+1)·U^(1/shape).
/// Consumes a variable number of uniforms. Throws std::invalid_argument unless shape > 0, scale > 0.
double sample_gamma(double shape, double scale, counter_rng& rng);
/// Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b), rescaled to [lower, upper].
double sample_beta(double a, double b, double lower, double upper, counter_rng& rng);

/// The p-quantile of Normal(mean, sd) truncated to [lower, upper], p in [0, 1]. An interval wholly
/// above the mean is handled by symmetry, so Φ is only ever evaluated where it is small or near 0.5
/// and keeps full relative precision in either tail. Throws std::invalid_argument like validate_prior.
double truncated_normal_quantile(double mean, double sd, double lower, double upper, double p);

/// Regularized incomplete beta I_x(a, b) (continued fraction, modified Lentz; Press et al., Numerical Recipes, section 6.4).
double regularized_incomplete_beta(double a, double b, double x);

/// One draw of `p`, using the generator's next uniforms.
double sample(const sdk::prior& p, counter_rng& rng);

/// Quantile of `p` at probability q in [0, 1] (p05/p95 for tornado charts, p50 for medians).
/// Closed form for all kinds except beta, which bisects I_x(a, b) = q to full double precision.
/// Throws std::domain_error when q is outside [0, 1]; std::invalid_argument for a bad prior.
double prior_quantile(const sdk::prior& p, double q);

/// Analytic mean of `p`.
double prior_mean(const sdk::prior& p);

/// Analytic standard deviation of `p`.
double prior_sd(const sdk::prior& p);

/// `p` as the prior files spell it, kind and parameters, numbers as format_value prints them:
/// "normal(0.2, 0.05)", "truncated_normal(0.3, 0.1; 0, 1)", "beta(2, 5; 0, 1)", "fixed(0.5)"; an
/// infinite bound is "inf" or "-inf".
std::string prior_text(const sdk::prior& p);

}  // namespace pathways::stats
