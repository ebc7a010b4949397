#pragma once
/// \file
/// The plans of a run set against what they cost (engine/cost_effectiveness.hpp): built from the
/// runs' draws, and shown in the terminal, as CSV (cost-effectiveness.csv, acceptability.csv) and in
/// the report. Only plans are compared; assumptions (how the world might be) are no choice to price.

#include <cstdint>
#include <string>
#include <vector>

#include "common/scenario_types.hpp"
#include "engine/cost_effectiveness.hpp"
#include "report/cost_summary.hpp"
#include "report/ingredients_table.hpp"
#include "run/execute.hpp"

namespace pathways {

/// The plans among `results`' runs with their cost and `headline` effect for all students in every
/// draw (runs kept with kept_draws::final_year or all); `variants` says what each run stands for.
struct plans_for_analysis {
    std::vector<plan_draws> plans;
    std::vector<variant_info> variants;  ///< per plan
};

/// The plans of `results` that have costs and kept their draws; empty when none has both.
plans_for_analysis plans_of(const run_results& results, const std::string& headline);

/// What the report shows of costs beyond the runs' cost rows: every run's ingredients, and the plans
/// against what they cost.
struct report_costs {
    std::vector<labelled_cost_table> ingredients;  ///< per run
    plans_for_analysis plans;
    cost_effectiveness_analysis analysis;
    std::string currency;
};

/// The report's costs of `results` (`headline`: the outcome effects are taken on); `seed` draws the
/// bootstrap resamples. Throws input_error when a run's waves cannot be resolved (they were, to run).
report_costs costs_for_report(const run_results& results, const std::string& headline, std::uint64_t seed);

/// The terminal block of `run` and `compare`, at most 100 columns and a line per run plus two: each
/// run's total cost (with the cut risk, [90%] when there are draws, if sustained), and for the plans
/// `analysis` holds (`analysed`, by name) the cost per student reached with Kraft's band, SD per $1,000
/// per student, cost per student for 0.1 SD and standing. Empty when no run has cost rows.
std::string costs_and_effectiveness_text(const std::vector<costed_run>& runs,
                                         const cost_effectiveness_analysis& analysis,
                                         const std::vector<variant_info>& analysed, const cost_settings& costs,
                                         const std::string& headline);

/// The terminal block: a line per plan (cost per student reached with Kraft's band, SD per $1,000 and
/// per $100 per student, cost per student for 0.1 SD, dominance or incremental ratio), then the
/// willingness to pay at which each plan is most often best. Empty without plans.
std::string cost_effectiveness_text(const cost_effectiveness_analysis& analysis,
                                    const std::vector<variant_info>& variants, const std::string& currency,
                                    const std::string& headline);

/// cost-effectiveness.csv: one line per plan with every figure and its interval.
std::string cost_effectiveness_csv(const cost_effectiveness_analysis& analysis,
                                   const std::vector<variant_info>& variants, const std::string& currency,
                                   const std::string& headline);

/// acceptability.csv: one line per willingness to pay and option (each plan, then business as usual).
std::string acceptability_csv(const cost_effectiveness_analysis& analysis, const std::vector<variant_info>& variants);

/// The report's cost-effectiveness tables, as HTML. Empty without plans.
std::string cost_effectiveness_html(const cost_effectiveness_analysis& analysis,
                                    const std::vector<variant_info>& variants, const std::string& currency,
                                    const std::string& headline);

}  // namespace pathways
