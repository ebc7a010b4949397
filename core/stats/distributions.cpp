#include "stats/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/text_format.hpp"
#include "stats/normal.hpp"

namespace pathways::stats {

namespace {

constexpr double min_truncated_mass = 1e-300;

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument(message); }

std::string number(double x) { return std::to_string(x); }

void require_finite(double x, const char* kind, const char* field) {
    if (!std::isfinite(x)) reject(std::string(kind) + " prior needs a finite " + field + "; got " + number(x));
}

void check_sd(double sd, const char* kind) {
    if (!(sd >= 0.0) || !std::isfinite(sd)) {
        reject(std::string(kind) + " prior needs b (sd) >= 0; got " + number(sd));
    }
}

void check_interval(double lower, double upper, const char* kind) {
    if (!(lower < upper)) {
        reject(std::string(kind) + " prior needs lower < upper; got [" + number(lower) + ", " + number(upper) + "]");
    }
}

// Bounds of a truncated normal in SD units, oriented so that alpha <= 0: an interval above the mean
// is mirrored, so that Φ is evaluated where it is small or near 0.5 and never near 1.
struct standard_interval {
    double alpha;
    double beta;
    bool mirrored;
};

standard_interval standardize(double mean, double sd, double lower, double upper) {
    const double alpha = (lower - mean) / sd;
    const double beta = (upper - mean) / sd;
    if (alpha > 0.0) return {-beta, -alpha, true};
    return {alpha, beta, false};
}

double interval_mass(const standard_interval& s) { return normal_cdf(s.beta) - normal_cdf(s.alpha); }

void check_truncated_normal(double mean, double sd, double lower, double upper) {
    require_finite(mean, "truncated_normal", "a (mean)");
    if (!(sd > 0.0) || !std::isfinite(sd)) reject("truncated_normal prior needs b (sd) > 0; got " + number(sd));
    check_interval(lower, upper, "truncated_normal");
    if (!(interval_mass(standardize(mean, sd, lower, upper)) > min_truncated_mass)) {
        reject("truncated_normal prior interval [" + number(lower) + ", " + number(upper) +
               "] holds no representable probability under normal(" + number(mean) + ", " + number(sd) +
               "); expected bounds within about 37 sd of the mean");
    }
}

void check_beta(double a, double b, double lower, double upper) {
    if (!(a > 0.0 && b > 0.0) || !std::isfinite(a) || !std::isfinite(b)) {
        reject("beta prior needs a > 0 and b > 0; got a = " + number(a) + ", b = " + number(b));
    }
    require_finite(lower, "beta", "lower");
    require_finite(upper, "beta", "upper");
    check_interval(lower, upper, "beta");
}

void check_uniform(double lower, double upper) {
    require_finite(lower, "uniform", "lower");
    require_finite(upper, "uniform", "upper");
    if (!(lower <= upper)) {
        reject("uniform prior needs lower <= upper; got [" + number(lower) + ", " + number(upper) + "]");
    }
}

// x·φ(x), taken as 0 at ±inf where the product is 0·inf in floating point.
double x_times_pdf(double x) { return std::isinf(x) ? 0.0 : x * normal_pdf(x); }

double standard_truncated_quantile(const standard_interval& s, double p) {
    const double lo = normal_cdf(s.alpha);
    const double hi = normal_cdf(s.beta);
    const double q = s.mirrored ? 1.0 - p : p;
    const double x = std::clamp(normal_quantile(lo + q * (hi - lo)), s.alpha, s.beta);
    return s.mirrored ? -x : x;
}

// Marsaglia & Tsang (2000), "A simple method for generating gamma variables", shape >= 1.
double gamma_marsaglia_tsang(double shape, counter_rng& rng) {
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        const double z = sample_standard_normal(rng);
        const double t = 1.0 + c * z;
        if (t <= 0.0) continue;
        const double v = t * t * t;
        const double u = rng.next_uniform();
        if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v;
    }
}

// log of a Gamma(shape, 1) variate; logs keep tiny shapes (U^(1/shape) underflowing) usable for beta.
double log_gamma_variate(double shape, counter_rng& rng) {
    if (shape >= 1.0) return std::log(gamma_marsaglia_tsang(shape, rng));
    const double boosted = gamma_marsaglia_tsang(shape + 1.0, rng);
    return std::log(boosted) + std::log(rng.next_uniform()) / shape;
}

// Modified Lentz evaluation of the continued fraction for I_x(a, b) (Press et al., Numerical Recipes, section 6.4, betacf).
double incomplete_beta_fraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    constexpr double epsilon = 1e-16;
    constexpr int max_terms = 100000;
    const auto guard = [](double v) { return std::fabs(v) < tiny ? tiny : v; };
    double c = 1.0;
    double d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    double h = d;
    for (int m = 1; m <= max_terms; ++m) {
        const double m2 = 2.0 * m;
        const double even = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        const double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        const double step = d * c;
        h *= step;
        if (std::fabs(step - 1.0) < epsilon) break;
    }
    return h;
}

double beta_quantile_unit(double a, double b, double q) {
    if (q == 0.0 || q == 1.0) return q;
    double lo = 0.0;
    double hi = 1.0;
    // Bisection until the bracket cannot shrink: full precision, and monotone in q by construction.
    for (double mid = 0.5; mid > lo && mid < hi; mid = 0.5 * (lo + hi)) {
        if (regularized_incomplete_beta(a, b, mid) < q) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return hi;
}

double truncated_normal_mean(const sdk::prior& p) {
    const standard_interval s = standardize(p.a, p.b, p.lower, p.upper);
    const double shift = (normal_pdf(s.alpha) - normal_pdf(s.beta)) / interval_mass(s);
    return p.a + p.b * (s.mirrored ? -shift : shift);
}

double truncated_normal_sd(const sdk::prior& p) {
    const standard_interval s = standardize(p.a, p.b, p.lower, p.upper);
    const double mass = interval_mass(s);
    const double shift = (normal_pdf(s.alpha) - normal_pdf(s.beta)) / mass;
    const double variance = 1.0 + (x_times_pdf(s.alpha) - x_times_pdf(s.beta)) / mass - shift * shift;
    return p.b * std::sqrt(std::max(variance, 0.0));
}

double beta_sd_unit(double a, double b) { return std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0))); }

}  // namespace

void validate_prior(const sdk::prior& p) {
    switch (p.kind) {
        case sdk::prior_kind::fixed: require_finite(p.a, "fixed", "a (value)"); return;
        case sdk::prior_kind::normal:
            require_finite(p.a, "normal", "a (mean)");
            check_sd(p.b, "normal");
            return;
        case sdk::prior_kind::truncated_normal: check_truncated_normal(p.a, p.b, p.lower, p.upper); return;
        case sdk::prior_kind::lognormal:
            require_finite(p.a, "lognormal", "a (meanlog)");
            check_sd(p.b, "lognormal");
            return;
        case sdk::prior_kind::uniform: check_uniform(p.lower, p.upper); return;
        case sdk::prior_kind::beta: check_beta(p.a, p.b, p.lower, p.upper); return;
    }
    reject("unknown prior kind " + std::to_string(static_cast<int>(p.kind)));
}

double sample_standard_normal(counter_rng& rng) { return normal_quantile(rng.next_uniform()); }

double sample_normal(double mean, double sd, counter_rng& rng) {
    require_finite(mean, "normal", "a (mean)");
    check_sd(sd, "normal");
    return mean + sd * sample_standard_normal(rng);
}

double sample_truncated_normal(double mean, double sd, double lower, double upper, counter_rng& rng) {
    return truncated_normal_quantile(mean, sd, lower, upper, rng.next_uniform());
}

double sample_lognormal(double meanlog, double sdlog, counter_rng& rng) {
    require_finite(meanlog, "lognormal", "a (meanlog)");
    check_sd(sdlog, "lognormal");
    return std::exp(meanlog + sdlog * sample_standard_normal(rng));
}

double sample_uniform(double lower, double upper, counter_rng& rng) {
    check_uniform(lower, upper);
    return lower + (upper - lower) * rng.next_uniform();
}

double sample_gamma(double shape, double scale, counter_rng& rng) {
    if (!(shape > 0.0 && scale > 0.0) || !std::isfinite(shape) || !std::isfinite(scale)) {
        reject("gamma needs shape > 0 and scale > 0; got shape = " + number(shape) + ", scale = " + number(scale));
    }
    if (shape >= 1.0) return scale * gamma_marsaglia_tsang(shape, rng);
    return scale * std::exp(log_gamma_variate(shape, rng));
}

double sample_beta(double a, double b, double lower, double upper, counter_rng& rng) {
    check_beta(a, b, lower, upper);
    const double log_x = log_gamma_variate(a, rng);
    const double log_y = log_gamma_variate(b, rng);
    // X / (X + Y) = 1 / (1 + Y/X), computed from logs so that tiny variates cannot give 0/0.
    const double unit = 1.0 / (1.0 + std::exp(log_y - log_x));
    return lower + (upper - lower) * unit;
}

double truncated_normal_quantile(double mean, double sd, double lower, double upper, double p) {
    check_truncated_normal(mean, sd, lower, upper);
    if (!(p >= 0.0 && p <= 1.0)) throw std::domain_error("quantile probability must be in [0, 1]; got " + number(p));
    return mean + sd * standard_truncated_quantile(standardize(mean, sd, lower, upper), p);
}

double regularized_incomplete_beta(double a, double b, double x) {
    if (!(a > 0.0 && b > 0.0)) reject("incomplete beta needs a > 0 and b > 0");
    if (!(x >= 0.0 && x <= 1.0)) throw std::domain_error("incomplete beta needs x in [0, 1]; got " + number(x));
    if (x == 0.0 || x == 1.0) return x;
    const double log_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    // The continued fraction converges fast only below the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
    if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * incomplete_beta_fraction(a, b, x) / a;
    return 1.0 - std::exp(log_front) * incomplete_beta_fraction(b, a, 1.0 - x) / b;
}

double sample(const sdk::prior& p, counter_rng& rng) {
    switch (p.kind) {
        case sdk::prior_kind::fixed: validate_prior(p); return p.a;
        case sdk::prior_kind::normal: return sample_normal(p.a, p.b, rng);
        case sdk::prior_kind::truncated_normal: return sample_truncated_normal(p.a, p.b, p.lower, p.upper, rng);
        case sdk::prior_kind::lognormal: return sample_lognormal(p.a, p.b, rng);
        case sdk::prior_kind::uniform: return sample_uniform(p.lower, p.upper, rng);
        case sdk::prior_kind::beta: return sample_beta(p.a, p.b, p.lower, p.upper, rng);
    }
    validate_prior(p);  // throws for an unknown kind
    return p.a;
}

double prior_quantile(const sdk::prior& p, double q) {
    validate_prior(p);
    if (!(q >= 0.0 && q <= 1.0)) throw std::domain_error("quantile probability must be in [0, 1]; got " + number(q));
    switch (p.kind) {
        case sdk::prior_kind::fixed: return p.a;
        case sdk::prior_kind::normal: return p.b == 0.0 ? p.a : p.a + p.b * normal_quantile(q);
        case sdk::prior_kind::truncated_normal: return truncated_normal_quantile(p.a, p.b, p.lower, p.upper, q);
        case sdk::prior_kind::lognormal: return std::exp(p.b == 0.0 ? p.a : p.a + p.b * normal_quantile(q));
        case sdk::prior_kind::uniform: return p.lower + (p.upper - p.lower) * q;
        case sdk::prior_kind::beta: return p.lower + (p.upper - p.lower) * beta_quantile_unit(p.a, p.b, q);
    }
    return p.a;
}

double prior_mean(const sdk::prior& p) {
    validate_prior(p);
    switch (p.kind) {
        case sdk::prior_kind::fixed:
        case sdk::prior_kind::normal: return p.a;
        case sdk::prior_kind::truncated_normal: return truncated_normal_mean(p);
        case sdk::prior_kind::lognormal: return std::exp(p.a + 0.5 * p.b * p.b);
        case sdk::prior_kind::uniform: return 0.5 * (p.lower + p.upper);
        case sdk::prior_kind::beta: return p.lower + (p.upper - p.lower) * p.a / (p.a + p.b);
    }
    return p.a;
}

double prior_sd(const sdk::prior& p) {
    validate_prior(p);
    switch (p.kind) {
        case sdk::prior_kind::fixed: return 0.0;
        case sdk::prior_kind::normal: return p.b;
        case sdk::prior_kind::truncated_normal: return truncated_normal_sd(p);
        case sdk::prior_kind::lognormal: return std::sqrt(std::expm1(p.b * p.b)) * std::exp(p.a + 0.5 * p.b * p.b);
        case sdk::prior_kind::uniform: return (p.upper - p.lower) / std::sqrt(12.0);
        case sdk::prior_kind::beta: return (p.upper - p.lower) * beta_sd_unit(p.a, p.b);
    }
    return 0.0;
}

std::string prior_text(const sdk::prior& p) {
    // A plugin may declare a truncated normal with an infinite bound; format_value would leave it blank.
    const auto v = [](double x) { return std::isinf(x) ? std::string(x > 0 ? "inf" : "-inf") : format_value(x); };
    switch (p.kind) {
        case sdk::prior_kind::fixed: return "fixed(" + v(p.a) + ")";
        case sdk::prior_kind::normal: return "normal(" + v(p.a) + ", " + v(p.b) + ")";
        case sdk::prior_kind::truncated_normal:
            return "truncated_normal(" + v(p.a) + ", " + v(p.b) + "; " + v(p.lower) + ", " + v(p.upper) + ")";
        case sdk::prior_kind::lognormal: return "lognormal(" + v(p.a) + ", " + v(p.b) + ")";
        case sdk::prior_kind::uniform: return "uniform(" + v(p.lower) + ", " + v(p.upper) + ")";
        case sdk::prior_kind::beta:
            return "beta(" + v(p.a) + ", " + v(p.b) + "; " + v(p.lower) + ", " + v(p.upper) + ")";
    }
    return "unknown";
}

}  // namespace pathways::stats
