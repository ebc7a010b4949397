#pragma once
// monitor --implementation: schools' ratings on the Driver Model against the plan's ramp.

#include <string>

#include "observed_commands.hpp"
#include "run/execute.hpp"
#include "run/observed_fit.hpp"

namespace pathways::cli {

/// `pathways monitor SCENARIO --implementation RATINGS`: every rated level of a projected year against
/// the plan (terminal, implementation.csv, implementation.html in the monitor folder).
int monitor_implementation_command(const observed_options& options, const std::string& ratings_file,
                                   const plugin_options& plugins);

/// `calibrate --observed OUTCOMES --ratings RATINGS`: multiplies each draw's weight by the likelihood of
/// the ratings under the draw's ramp (rated levels of the projected years; rating_measurement's
/// assumptions) and updates the effective sample size. A bad ratings file is an input_error.
void weigh_by_ratings(importance_weights& weights, const finished_run& run, const std::string& ratings_file);

/// What the parameter file's provenance adds about the ratings.
std::string ratings_method(const std::string& ratings_file);

}  // namespace pathways::cli
