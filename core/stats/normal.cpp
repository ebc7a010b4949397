#include "stats/normal.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <string>

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
