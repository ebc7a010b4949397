#pragma once
/// \file
/// What a plan costs, per draw, by the ingredients method (Levin, McEwan, Belfield, Bowden & Shand 2018,
/// Economic Evaluation in Education): every ingredient has a quantity per school, student, teacher or
/// the district and a price; quantities follow the plan (the schools and students it reaches, how far
/// its targets move practices, how far it raises district conditions); every school a wave reaches pays
/// its one-time items in its first program year and its recurring items every year it runs the program,
/// until a draw's program cut; each year's spending is discounted to the plan's first year.
/// Cost-effectiveness rows (cost per student reached, per 0.1 SD, per percentage point of a gap
/// narrowed, and effect per million) are computed per draw from the cost and the draw's effects, and
/// summarised like every metric.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/projection.hpp"
#include "engine/schedule.hpp"
#include "graph/model_graph.hpp"
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

/// Units of `item`'s basis in school `s`: 1 for a school, its students, or its teachers (students over
/// the district's students per teacher); 0 for a district item.
double basis_units(const cost_item& item, const school& s, const cost_settings& costs);

/// How far a plan moves what each item follows, in units of the item's reference: per school, the mean
/// levels its practices climb from their start to its wave's targets (over the practices the scaling
/// names); for a condition, how far the plan raises it above the district's own value. 1 for items
/// that follow nothing.
struct plan_intensity {
    std::vector<double> practice_change;    ///< [school]: mean levels climbed, foundational practices and drivers
    std::vector<double> foundation_change;  ///< [school]: foundational practices only
    std::vector<double> driver_change;      ///< [school]: secondary drivers only
    std::map<std::string, double> condition_change;  ///< condition → max(0, plan − district)
};

/// The intensity of `spec`'s plan in every school the schedule reaches (0 elsewhere).
plan_intensity intensity_of(const implementation_schedule& schedule, const model_graph& graph,
                            const district_profile& district, const scenario& spec);

/// The scale of `item` in `school` under `intensity`: what it follows over its reference (1 when it
/// follows nothing).
double item_scale(const cost_item& item, const plan_intensity& intensity, std::size_t school);

/// A plan's spending on each ingredient in each year of the horizon at central prices if sustained,
/// each year's spending discounted to the first year: fixed before any draw, so a draw only scales
/// items by its price factors and stops at its cut.
struct cost_schedule {
    std::size_t items = 0;
    int years = 0;
    std::vector<double> spending;      ///< [item * years + year], present value
    std::vector<double> units;         ///< [item]: basis units the plan reaches by the horizon (schools, students, ...)
    std::vector<double> scaled_units;  ///< [item]: the same, each school's units times the item's scale
};

/// The cost schedule of the items in `costs` over schools that first run the program in `first_years`
/// (index; nullopt: never), with each school's scale from `intensity`. District items run every year
/// some school does, their one-time amount in the first such year.
cost_schedule schedule_costs(const cost_settings& costs, const std::vector<school>& schools,
                             const std::vector<std::optional<int>>& first_years, const plan_intensity& intensity,
                             int years);

/// Cumulative cost through each year of the horizon ([year]) in one draw: the schedule with each item
/// scaled by `factors[item]` (empty: every factor 1), and nothing from the calendar year `cut_year` on.
std::vector<double> cumulative_costs(const cost_schedule& schedule, int start_year, std::optional<int> cut_year,
                                     std::span<const double> factors = {});

/// What one more school costs at central prices, present value, if it joins in year `first_year`
/// (index) and runs to the horizon at its items' reference intensity (district items excluded: one
/// more school does not add a central office).
double added_school_cost(const cost_settings& costs, const school& s, int first_year, int years);

/// The discount factor of year `year` (index) at `rate`: 1 / (1 + rate)^year.
double discount_factor(double rate, int year);

/// One ingredient of a plan at central prices if the plan is sustained to the horizon.
struct ingredient_cost {
    cost_item item;
    double units = 0.0;         ///< basis units reached (schools, students, teachers; 1 for the district)
    double scaled_units = 0.0;  ///< the same times what the item follows over its reference
    double present_value = 0.0;
};

/// The ingredients table of one plan: what `pathways costs` prints and the report shows.
struct plan_cost_table {
    cost_settings costs;  ///< currency, price year, discount rate, students per teacher
    std::vector<ingredient_cost> ingredients;
    double present_value = 0.0;     ///< sum over the ingredients
    double students_reached = 0.0;  ///< by the horizon, if sustained
    int first_year = 0;             ///< the year costs are discounted to
};

/// The ingredients table of `spec`'s plan (problems resolving its waves go to `found`).
plan_cost_table cost_table(const model_graph& graph, const district_profile& district,
                           const std::vector<school>& schools, const scenario& spec, diagnostics& found);

/// Students enrolled in the schools that ran the program in at least one year of the horizon.
double students_reached(const std::vector<school>& schools, const std::vector<std::optional<int>>& first_years,
                        int start_year, std::optional<int> cut_year);

/// Per draw, the final-year total cost with the cut risk for all students (the `cost_total` row that
/// append_cost_rows adds); empty when `draws` has no such row.
std::vector<double> final_cost_draws(const projection_draws& draws, const simulation& sim);

/// Students in the schools `sim`'s plan reaches within the horizon (if sustained).
double plan_students_reached(const simulation& sim, const std::vector<school>& schools);

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
