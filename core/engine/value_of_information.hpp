#pragma once
/// \file
/// The value of learning more before choosing among plans (Jackson, Baio, Heath, Strong, Welton &
/// Wilson 2022, Value of Information Analysis in Models to Inform Health Policy): from the draws of a
/// probabilistic run, each option's net benefit in every draw, the expected value of perfect
/// information (EVPI: what knowing everything before choosing would be worth) and of partial perfect
/// information about a group of inputs (EVPPI), estimated by regressing each option's net benefit
/// on the group's inputs (Strong, Oakley & Brennan 2014, Estimating Multiparameter Partial Expected
/// Value of Perfect Information from a Probabilistic Sensitivity Analysis Sample): an additive
/// natural cubic spline per input, fitted by least squares (a GAM without its smoothing penalty).

#include <cstddef>
#include <string>
#include <vector>

namespace pathways {

/// Net benefit of every option in every draw: `values[option][draw]`, all options with the same draws.
using net_benefits = std::vector<std::vector<double>>;

/// EVPI = E[max over options of the net benefit] − max over options of E[net benefit]; 0 or more.
/// Throws std::invalid_argument when there are no options or draws, or their draw counts differ.
double expected_value_of_perfect_information(const net_benefits& values);

struct evppi_estimate {
    double value = 0.0;  ///< EVPPI, in the net benefit's units (0 or more)
    /// Monte Carlo standard error of the outer mean (the spread of the per-draw maxima of the fitted net
    /// benefits over √draws); the fit's own error is not included.
    double standard_error = 0.0;
    std::size_t basis_columns = 0;  ///< columns of the regression (intercept included)
};

/// Spline knots per input (5: four degrees of freedom) unless the draws are too few for them: the
/// regression keeps at least 10 draws per column, down to linear terms (2 knots); below that it cannot
/// be fitted.
inline constexpr std::size_t max_knots_per_input = 5;
inline constexpr std::size_t min_draws_per_column = 10;

/// EVPPI of the inputs in `inputs` (`inputs[k][draw]`, each input's value in every draw of
/// `values`): each option's net benefit relative to option 0 regressed on the inputs, then
/// mean over draws of the largest fitted net benefit minus the largest mean. Inputs constant over the
/// draws are skipped (they carry no information); none left gives 0. Throws std::invalid_argument when
/// the sizes differ or there are too few draws for even linear terms of every input.
evppi_estimate expected_value_of_partial_information(const net_benefits& values,
                                                     const std::vector<std::vector<double>>& inputs);

/// A named group of a run's uncertain inputs, by the names the draws give them ("effect:average",
/// "parameter:multiplier.race.black", "implementation:years_to_half", "program:cut_year",
/// "cost:coaching", "edge:a->b").
struct input_group {
    std::string name;                  ///< e.g. "average PL effect"
    std::vector<std::size_t> columns;  ///< indices into the names
};

/// The groups the value-of-information command reports, in this order, each only when it has inputs:
/// average PL effect (effect:average), subgroup multipliers (parameter:multiplier.*), other effect-model
/// parameters (parameter:*), ramp and fidelity (implementation:years_to_half, decay_per_doubling),
/// cut risk (program:cut_year and what a cut does: practices_years_to_half, gain_persistence), costs
/// (cost:*), theory-of-change links (edge:*) and school doses (schools:*).
std::vector<input_group> input_groups(const std::vector<std::string>& names);

}  // namespace pathways
