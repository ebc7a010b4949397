#include "stats/normal.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "pathways/sdk/effect_model.hpp"  // PATHWAYS_VECTORISED

namespace pathways::stats {

namespace {

// Horner evaluation; coefficients are listed from the constant term up.
double polynomial(std::span<const double> coefficients, double x) {
    double sum = 0.0;
    for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) sum = sum * x + *it;
    return sum;
}

// AS241 coefficients, PPND16 (Wichura 1988): central region |p - 0.5| <= 0.425.
constexpr double central_num[] = {3.387132872796366608,  133.14166789178437745, 1971.5909503065514427,
                                  13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
                                  33430.575583588128105, 2509.0809287301226727};
constexpr double central_den[] = {1.0,
                                  42.313330701600911252,
                                  687.1870074920579083,
                                  5394.1960214247511077,
                                  21213.794301586595867,
                                  39307.89580009271061,
                                  28729.085735721942674,
                                  5226.495278852854561};
// Intermediate tail: r = sqrt(-log(min(p, 1-p))) <= 5.
constexpr double middle_num[] = {1.42343711074968357734,   4.6303378461565452959,   5.7694972214606914055,
                                 3.64784832476320460504,   1.27045825245236838258,  0.24178072517745061177,
                                 0.0227238449892691845833, 7.7454501427834140764e-4};
constexpr double middle_den[] = {1.0,
                                 2.05319162663775882187,
                                 1.6763848301838038494,
                                 0.68976733498510000455,
                                 0.14810397642748007459,
                                 0.0151986665636164571966,
                                 5.475938084995344946e-4,
                                 1.05075007164441684324e-9};
// Far tail: r > 5 (p below about 1.4e-11).
constexpr double far_num[] = {6.6579046435011037772,     5.4637849111641143699,    1.7848265399172913358,
                              0.29656057182850489123,    0.026532189526576123093,  0.0012426609473880784386,
                              2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double far_den[] = {1.0,
                              0.59983220655588793769,
                              0.13692988092273580531,
                              0.0148753612908506148525,
                              7.868691311456132591e-4,
                              1.8463183175100546818e-5,
                              1.4215117583164458887e-7,
                              2.04426310338993978564e-15};

// Adding and then subtracting 1.5·2^52 rounds a double below 2^51 in magnitude to a whole number.
constexpr double shifter = 0x1.8p52;

// Cody (1969), erf(y) = y·A(y²)/B(y²) for y <= 0.46875 (A from the constant term up, B monic).
constexpr double erf_num[] = {3.20937758913846947e03, 3.77485237685302021e02, 1.13864154151050156e02,
                              3.16112374387056560e00, 1.85777706184603153e-1};
constexpr double erf_den[] = {2.84423683343917062e03, 1.28261652607737228e03, 2.44024637934444173e02,
                              2.36012909523441209e01, 1.0};
// Cody (1969), erfc(y) = exp(−y²)·C(y)/D(y) for 0.46875 < y <= 4.
constexpr double erfc_num[] = {1.23033935479799725e03, 2.05107837782607147e03, 1.71204761263407058e03,
                               8.81952221241769090e02, 2.98635138197400131e02, 6.61191906371416295e01,
                               8.88314979438837594e00, 5.64188496988670089e-1, 2.15311535474403846e-8};
constexpr double erfc_den[] = {1.23033935480374942e03, 3.43936767414372164e03, 4.36261909014324716e03,
                               3.29079923573345963e03, 1.62138957456669019e03, 5.37181101862009858e02,
                               1.17693950891312499e02, 1.57449261107098347e01, 1.0};
constexpr double erf_limit = 0.46875;
constexpr double erfc_limit = 4.0;

// Horner evaluation of a fixed array (constant term first) written out term by term, with no inner
// loop left for the compiler to keep it from vectorising the loop over values at -O2.
template <std::size_t N, std::size_t... I>
[[gnu::always_inline]] inline double horner_terms(const double (&c)[N], double x, std::index_sequence<I...>) {
    double sum = c[N - 1];
    ((sum = sum * x + c[N - 2 - I]), ...);
    return sum;
}

template <std::size_t N>
[[gnu::always_inline]] inline double horner(const double (&c)[N], double x) {
    return horner_terms(c, x, std::make_index_sequence<N - 1>{});
}

/// exp(x) for |x| <= 40 to about 1 ulp, without branches so a loop of it vectorises: x = k·ln2 + r
/// with k whole and |r| <= ln2/2; exp(r) by its Taylor series to r^13 (the rest is below 1e-17 of it);
/// 2^k written into the exponent bits. k is rounded by adding 1.5·2^52, which leaves it in the low
/// bits of the sum (no double-to-integer conversion, which AVX2 lacks).
[[gnu::always_inline]] inline double exp_small(double x) {
    constexpr double log2e = 1.44269504088896340736;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // k·ln2_hi is exact for |k| < 2^20
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    const double shifted = x * log2e + shifter;
    const double k = shifted - shifter;
    const double r = (x - k * ln2_hi) - k * ln2_lo;
    constexpr double taylor[] = {
        1.0,        1.0,         1.0 / 2,      1.0 / 6,       1.0 / 24,       1.0 / 120,       1.0 / 720,
        1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800};
    const std::int64_t whole = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(shifter);
    return horner(taylor, r) * std::bit_cast<double>((whole + 1023) << 52);
}

/// Φ(x) by Cody's approximations; correct for |x|/√2 <= erfc_limit only (the caller replaces the rest).
/// Both intervals are computed and one chosen, as a vector loop must; one division serves both.
[[gnu::always_inline]] inline double normal_cdf_near(double x) {
    const double y = std::fabs(x) / std::numbers::sqrt2;
    const double y2 = y * y;
    const bool small = y <= erf_limit;
    const double ratio = (small ? y * horner(erf_num, y2) : horner(erfc_num, y)) /
                         (small ? horner(erf_den, y2) : horner(erfc_den, y));  // erf(y), or erfc(y)·exp(y²)
    // exp(−y²) = exp(−t²)·exp(−(y − t)(y + t)) with t = y rounded to sixteenths: t² and y − t are
    // exact, so the rounding of y² is not amplified by the exponential.
    const double t = ((y * 16.0 + shifter) - shifter) / 16.0;
    const double decay = exp_small(-t * t) * exp_small(-(y - t) * (y + t));
    const double half_erfc = small ? 0.5 - 0.5 * ratio : 0.5 * (decay * ratio);  // Φ(−|x|)
    return x > 0.0 ? 1.0 - half_erfc : half_erfc;
}

PATHWAYS_VECTORISED bool normal_cdf_near_all(const double* x, double* out, std::size_t n) {
    unsigned far = 0;
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = normal_cdf_near(x[i]);
        far |= static_cast<unsigned>(!(std::fabs(x[i]) / std::numbers::sqrt2 <= erfc_limit));  // also NaN
    }
    return far == 0;
}

double tail_quantile(double r) {
    if (r <= 5.0) return polynomial(middle_num, r - 1.6) / polynomial(middle_den, r - 1.6);
    return polynomial(far_num, r - 5.0) / polynomial(far_den, r - 5.0);
}

void check_probability(double p, const char* what) {
    if (!(p >= 0.0 && p <= 1.0)) {
        throw std::domain_error(std::string(what) + " must be a probability in [0, 1]; got " + std::to_string(p));
    }
}

}  // namespace

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

void normal_cdf(std::span<const double> x, std::span<double> out) {
    if (x.size() != out.size()) {
        throw std::invalid_argument("normal_cdf: " + std::to_string(x.size()) + " values for " +
                                    std::to_string(out.size()) + " results");
    }
    if (normal_cdf_near_all(x.data(), out.data(), x.size())) return;
    // The tails (below about 1e-8 or above 1 − 1e-8), infinities and NaN, rare here: one at a time.
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!(std::fabs(x[i]) / std::numbers::sqrt2 <= erfc_limit)) out[i] = normal_cdf(x[i]);
    }
}

double normal_pdf(double x) {
    constexpr double inv_sqrt_2pi = 0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2;
    return inv_sqrt_2pi * std::exp(-0.5 * x * x);
}

double normal_quantile(double p) {
    check_probability(p, "normal quantile p");
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    const double q = p - 0.5;
    if (std::fabs(q) <= 0.425) {
        const double r = 0.180625 - q * q;
        return q * polynomial(central_num, r) / polynomial(central_den, r);
    }
    const double tail = tail_quantile(std::sqrt(-std::log(q < 0.0 ? p : 1.0 - p)));
    return q < 0.0 ? -tail : tail;
}

double shifted_share(double p0, double d) {
    check_probability(p0, "baseline share p0");
    return normal_cdf(normal_quantile(p0) + d);
}

double percentile_shift(double p0, double d) { return 100.0 * (shifted_share(p0, d) - p0); }

}  // namespace pathways::stats
