#pragma once
/// \file
/// What a plan costs, per draw: every school a wave reaches pays its one-time items in its first
/// program year and its recurring items every year it runs the program, until a draw's program cut.
/// Cost-effectiveness rows (cost per student reached, per 0.1 SD, per percentage point of a gap
/// narrowed, and effect per million) are computed per draw from the cost and the draw's effects, and
/// summarised like every metric.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/projection.hpp"
#include "engine/schedule.hpp"
#include "population/school.hpp"
#include "stats/summary.hpp"

namespace pathways {

/// The cost items a scenario runs with: the district's, with the plan's items replacing those of the
/// same name and adding the others, in name order; the currency and price year are the district's,
/// else the plan's. Empty items when neither gives costs.
cost_settings plan_costs(const district_profile& district, const scenario& spec);

/// Errors (to `found`) for plan costs whose currency or price year differs from the district's, or
/// that give none when the district has no costs.
void check_plan_costs(const scenario& spec, const district_profile& district, diagnostics& found);

/// Per school: the year index (0 = the scenario's first year) its wave first runs the program within
/// the horizon, nullopt for schools no wave reaches in time.
std::vector<std::optional<int>> first_program_years(const implementation_schedule& schedule);

/// What one school costs in year `year` of the horizon when it first ran the program in `first_year`
/// and still runs it (the caller decides whether a cut stopped it), with each item's amount scaled by
/// `factors[item]` (empty: every factor 1).
double school_cost_in_year(const std::vector<cost_item>& items, const school& s, int first_year, int year,
                           std::span<const double> factors = {});

/// Cumulative cost through each year of the horizon ([year]) of the plan in one draw: schools run the
/// program from their first year until the calendar year `cut_year` (none: to the end).
std::vector<double> cumulative_costs(const std::vector<cost_item>& items, const std::vector<school>& schools,
                                     const std::vector<std::optional<int>>& first_years, int start_year, int years,
                                     std::optional<int> cut_year, std::span<const double> factors = {});

/// Students enrolled in the schools that ran the program in at least one year of the horizon.
double students_reached(const std::vector<school>& schools, const std::vector<std::optional<int>>& first_years,
                        int start_year, std::optional<int> cut_year);

/// Each item's cost multiplier in draw `draw`: lognormal with median 1 and 90% within
/// [1/factor, factor], from the stream "cost:<name>"; 1 for certain items and in a central run.
std::vector<double> cost_factors(const std::vector<cost_item>& items, std::uint64_t seed, std::uint64_t draw,
                                 bool central);

/// Whether a metric is one of the cost rows below.
bool is_cost_metric(metric m);
/// Whether a metric is a cost per unit of effect: undefined (NaN) in a draw without a gain.
bool is_cost_per_effect(metric m);

/// Summary of a cost per unit of effect across draws. Cost per effect is undefined where a draw has no
/// gain (its denominator is at most 1e-9, the rounding of two runs that do not differ), and a mean over draws near 0 would be dominated by a few
/// huge ratios; so `prob_positive` is the share of all draws with a gain, and the mean, SD and
/// quantiles are over those draws only (all NaN when no draw gains). Effect per million, the
/// well-defined reciprocal, is reported next to it.
stats::summary summarize_cost_per_effect(std::span<const double> values);

/// Inputs of the cost rows a run reports.
struct cost_inputs {
    const simulation& sim;
    const scenario& spec;
    const std::vector<school>& schools;
    const projection_options& options;
};

/// Appends the cost rows, with every draw's values, to `draws` (the rows run_draws computed for the
/// same simulation and options), when the scenario has cost items. Rows: `cost_total` (cumulative,
/// every year) and `cost_per_student` (final year) for all students, outcome none; final year
/// `cost_per_tenth_sd` and `effect_per_million` for all students and for students in PL schools
/// (pl:yes, when reported) on each outcome; `cost_per_gap_pp` and `gap_pp_per_million` for each
/// reported gap with a proficiency scale, where the gap narrowed is business as usual's proficiency
/// gap minus the plan's, in percentage points. Each course: with the cut risk, recurring costs stop
/// at the draw's cut; if sustained, they run to the end.
void append_cost_rows(projection_draws& draws, const cost_inputs& inputs);

}  // namespace pathways
