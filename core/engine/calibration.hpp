#pragma once
/// \file
/// Calibration: the value of an effect model's knob (its declared calibration parameter) at which a
/// scenario's central run reproduces a published effect (an anchor) on one outcome.

#include <cstddef>
#include <functional>
#include <optional>

#include "engine/simulation.hpp"

namespace pathways {

/// Effect (scenario minus business-as-usual level) in projected year `year` (0 = the first) of one reported
/// subgroup and outcome in a run.
double effect_in_year(const simulation& sim, const draw_result& run, std::size_t year, std::size_t subgroup,
                      std::size_t outcome);
/// The same in the final projected year.
double final_year_effect(const simulation& sim, const draw_result& run, std::size_t subgroup, std::size_t outcome);

/// The effect a knob value gives: final-year scenario minus business-as-usual level of one reported
/// subgroup and outcome in the central run (every uncertain quantity at its central value) with the
/// model parameter `parameter` set to the value. Holds `sim` by reference.
class central_effect {
public:
    central_effect(const simulation& sim, std::size_t parameter, std::size_t subgroup, std::size_t outcome);
    double operator()(double knob) const;

private:
    const simulation& sim_;
    draw_parameters central_;
    std::size_t parameter_;
    std::size_t subgroup_;
    std::size_t outcome_;
};

struct knob_solution {
    double value = 0.0;     ///< the knob
    double achieved = 0.0;  ///< the effect it gives
    int evaluations = 0;    ///< runs, the two ends included
};

/// What solving found: a solution, or the effect at both ends of the range when the target lies outside
/// what the knob can reach there (or the knob does not move the effect at all).
struct knob_search {
    double at_lower = 0.0;
    double at_upper = 0.0;
    std::optional<knob_solution> solution;
};

/// Solves effect(x) = target for x in [lower, upper], `effect` monotone there (as a model's calibration
/// parameter must be): the target must lie between effect(lower) and effect(upper), and TOMS 748 (Boost.Math's
/// bracketing root finder: cubic interpolation safeguarded by bisection) narrows the bracket until |effect − target|
/// <= effect_tolerance or the bracket is narrower than 1e-13·max(1, |x|). Never evaluates outside
/// [lower, upper]. No solution when the ends give the same effect, unless it is the target (then lower).
knob_search solve_knob(const std::function<double(double)>& effect, double target, double lower, double upper,
                       double effect_tolerance = 1e-12);

}  // namespace pathways
