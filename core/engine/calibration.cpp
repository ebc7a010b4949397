#include "engine/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace pathways {

central_effect::central_effect(const simulation& sim, std::size_t parameter, std::size_t subgroup, std::size_t outcome)
    : sim_(sim), central_(sim.central_parameters()), parameter_(parameter), subgroup_(subgroup), outcome_(outcome) {}

double effect_in_year(const simulation& sim, const draw_result& run, std::size_t year, std::size_t subgroup,
                      std::size_t outcome) {
    const std::size_t at = (year * sim.subgroups().size() + subgroup) * sim.outcomes().size() + outcome;
    return run.scenario.levels.at(at) - run.business_as_usual.levels.at(at);
}

double final_year_effect(const simulation& sim, const draw_result& run, std::size_t subgroup, std::size_t outcome) {
    return effect_in_year(sim, run, static_cast<std::size_t>(sim.years() - 1), subgroup, outcome);
}

double central_effect::operator()(double knob) const {
    draw_parameters parameters = central_;
    parameters.model_parameters.at(parameter_) = knob;
    draw_result result;
    sim_.run(parameters, result);
    return final_year_effect(sim_, result, subgroup_, outcome_);
}

namespace {

/// Brent's root finder on g = effect − target over a bracket [a, b] with g(a), g(b) of opposite signs.
/// After Brent (1973), "Algorithms for Minimization without Derivatives", ch. 4, as in Press et al.'s zbrent.
knob_solution brent(const std::function<double(double)>& g, double a, double b, double ga, double gb, double tolerance,
                    int evaluations) {
    double c = b;
    double gc = gb;
    double d = b - a;
    double e = d;
    constexpr int max_iterations = 200;
    for (int iteration = 0; iteration < max_iterations; ++iteration) {
        if ((gb > 0.0) == (gc > 0.0)) {  // keep the root between b and c
            c = a;
            gc = ga;
            d = b - a;
            e = d;
        }
        if (std::abs(gc) < std::abs(gb)) {  // b is the best guess so far
            a = b;
            b = c;
            c = a;
            ga = gb;
            gb = gc;
            gc = ga;
        }
        const double x_tolerance = 1e-13 * std::max(1.0, std::abs(b));
        const double half = 0.5 * (c - b);
        if (std::abs(gb) <= tolerance || std::abs(half) <= x_tolerance) break;
        if (std::abs(e) >= x_tolerance && std::abs(ga) > std::abs(gb)) {
            // Inverse quadratic interpolation (secant when only two points are distinct).
            const double s = gb / ga;
            double p = 0.0;
            double q = 0.0;
            if (a == c) {
                p = 2.0 * half * s;
                q = 1.0 - s;
            } else {
                const double r = gb / gc;
                const double t = ga / gc;
                p = s * (2.0 * half * t * (t - r) - (b - a) * (r - 1.0));
                q = (t - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if (p > 0.0) q = -q;
            p = std::abs(p);
            if (2.0 * p < std::min(3.0 * half * q - std::abs(x_tolerance * q), std::abs(e * q))) {
                e = d;
                d = p / q;
            } else {  // interpolation would leave the bracket or converge slowly: bisect
                d = half;
                e = d;
            }
        } else {
            d = half;
            e = d;
        }
        a = b;
        ga = gb;
        b += std::abs(d) > x_tolerance ? d : std::copysign(x_tolerance, half);
        gb = g(b);
        ++evaluations;
    }
    return {b, gb, evaluations};
}

}  // namespace

knob_search solve_knob(const std::function<double(double)>& effect, double target, double lower, double upper,
                       double effect_tolerance) {
    knob_search search{effect(lower), effect(upper), std::nullopt};
    const auto g = [&](double x) { return effect(x) - target; };
    const double g_lower = search.at_lower - target;
    const double g_upper = search.at_upper - target;
    if (std::abs(g_lower) <= effect_tolerance) {
        search.solution = knob_solution{lower, search.at_lower, 2};
    } else if (std::abs(g_upper) <= effect_tolerance && search.at_lower != search.at_upper) {
        search.solution = knob_solution{upper, search.at_upper, 2};
    } else if ((g_lower < 0.0) != (g_upper < 0.0)) {
        knob_solution found = brent(g, lower, upper, g_lower, g_upper, effect_tolerance, 2);
        found.achieved += target;  // brent returns effect − target
        search.solution = found;
    }
    return search;
}

}  // namespace pathways
