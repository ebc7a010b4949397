#pragma once
/// \file
/// The standard normal distribution and the effect-size conversions of the normal model (percentile shift, share above a cut score).

#include <span>

namespace pathways::stats {

/// Φ(x) = 0.5·erfc(−x/√2). Accurate in both tails (no cancellation); Φ(±inf) = 1 or 0; NaN gives NaN.
double normal_cdf(double x);

/// Φ of every value of `x` into `out` (the same size), in a loop that vectorises: the rational
/// approximations of erf and erfc of Cody (1969, "Rational Chebyshev approximations for the error
/// function", Math. Comp. 23:631–637) up to |x|/√2 = 4, with exp(−y²) in two factors so the rounding of
/// y² is not amplified, and the scalar normal_cdf beyond. Within about 1e-15 of normal_cdf relative to
/// Φ(x) (tested); the same bits with or without AVX2. Throws std::invalid_argument when the sizes differ.
void normal_cdf(std::span<const double> x, std::span<double> out);

/// Standard normal density φ(x); φ(±inf) = 0.
double normal_pdf(double x);

/// Φ⁻¹(p) by Wichura's algorithm AS241 (PPND16, Applied Statistics 37:477–484, 1988), relative
/// error about 1e-16. Φ⁻¹(0) = −inf and Φ⁻¹(1) = +inf.
/// Throws std::domain_error when p is NaN or outside [0, 1].
double normal_quantile(double p);

/// Share of a normal population above (or below) a fixed cut after every member moves by `d` SD:
/// Φ(Φ⁻¹(p0) + d). With p0 = baseline proficiency rate, the new proficiency rate.
/// Throws std::domain_error when p0 is NaN or outside [0, 1].
double shifted_share(double p0, double d);

/// Percentile points gained by a student starting at percentile p0 (a share, 0.5 = median) whose
/// score moves by `d` SD: 100·(Φ(Φ⁻¹(p0) + d) − p0). Throws like shifted_share.
double percentile_shift(double p0, double d);

}  // namespace pathways::stats
