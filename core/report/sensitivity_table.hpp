#pragma once
/// \file
/// sensitivity.csv: the one definition of its columns, its writer (pathways sensitivity --out) and
/// the reader of the report's tornado chart. Both take the column names from here, so the chart
/// reads the tornado's values and never a Sobol interval bound.

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sensitivity_analysis.hpp"

namespace pathways {

namespace sensitivity_columns {
inline constexpr std::string_view input = "input";
inline constexpr std::string_view prior = "prior";
inline constexpr std::string_view input_p05 = "p05";
inline constexpr std::string_view input_p95 = "p95";
inline constexpr std::string_view value_at_p05 = "value_at_p05";  ///< the tornado's output with the input at its p05
inline constexpr std::string_view value_at_p95 = "value_at_p95";  ///< ... and at its p95
inline constexpr std::string_view swing = "swing";
inline constexpr std::string_view tornado_rank = "tornado_rank";
inline constexpr std::string_view first_order = "first_order";
inline constexpr std::string_view first_order_low = "first_order_low";
inline constexpr std::string_view first_order_high = "first_order_high";
inline constexpr std::string_view total = "total";
inline constexpr std::string_view total_low = "total_low";
inline constexpr std::string_view total_high = "total_high";

/// In the order sensitivity.csv writes them.
inline constexpr std::array all{input,     prior,        input_p05,   input_p95,       value_at_p05,     value_at_p95,
                                swing,     tornado_rank, first_order, first_order_low, first_order_high, total,
                                total_low, total_high};
}  // namespace sensitivity_columns

/// What the analysis holds fixed that the run's headline lets vary, in one sentence for readers of
/// the indices: the program is never cut and each school's effect is the district's average.
inline constexpr std::string_view sensitivity_held_fixed =
    "Held fixed: the program is never cut (the cut risk is not an input) and every school's effect is the\n"
    "district's average (schools' own deviations are not inputs); Var(Y) leaves out the spread those add to a run.";

/// Warnings about estimates too noisy to rank inputs by: first-order indices below 0 and totals below
/// their first-order index (both impossible for the true indices), first-order indices summing above 1,
/// and fewer base samples than inputs. Empty when none applies.
std::vector<std::string> sobol_warnings(const stats::sobol_result& sobol, std::size_t base_samples);

/// sensitivity.csv of `report`: one row per uncertain input, in input order.
std::string sensitivity_csv(const sensitivity_report& report);

}  // namespace pathways
