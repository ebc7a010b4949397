#include "engine/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include <boost/math/tools/roots.hpp>

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

/// The root of g = effect − target in [a, b], g(a) and g(b) of opposite signs, by TOMS 748 (Alefeld,
/// Potra & Shi 1995; Boost.Math's toms748_solve). Stops once an evaluated point has |g| <= tolerance or
/// the bracket is narrower than 1e-13·max(1, |x|); returns the evaluated point of smallest |g|.
knob_solution bracketed_root(const std::function<double(double)>& g, double a, double b, double ga, double gb,
                             double tolerance) {
    knob_solution best = std::abs(ga) < std::abs(gb) ? knob_solution{a, ga, 0} : knob_solution{b, gb, 0};
    const auto recorded = [&](double x) {
        const double gx = g(x);
        if (std::abs(gx) < std::abs(best.achieved)) best = knob_solution{x, gx, 0};
        return gx;
    };
    const auto done = [&](double low, double high) {
        return std::abs(best.achieved) <= tolerance || std::abs(high - low) <= 1e-13 * std::max(1.0, std::abs(low));
    };
    std::uintmax_t evaluations = 200;  // in: the most allowed; out: those made
    boost::math::tools::toms748_solve(recorded, a, b, ga, gb, done, evaluations);
    best.evaluations = 2 + static_cast<int>(evaluations);  // the two ends were evaluated before
    return best;
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
        knob_solution found = bracketed_root(g, lower, upper, g_lower, g_upper, effect_tolerance);
        found.achieved += target;  // the root finder returns effect − target
        search.solution = found;
    }
    return search;
}

}  // namespace pathways
