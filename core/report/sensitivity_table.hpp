#pragma once
/// \file
/// sensitivity.csv: the one definition of its columns, its writer (pathways sensitivity --out) and
/// the reader of the report's tornado chart. Both take the column names from here, so the chart
/// reads the tornado's values and never a Sobol interval bound.

#include <array>
#include <optional>
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
/// "input" (a scalar input: a tornado bar and Sobol indices), "group" (inputs varied together: Sobol
/// indices only; `prior` says what its numbers are) or "held_fixed" (what a run's draws vary that the
/// analysis holds fixed: `prior` says at what; no numbers).
inline constexpr std::string_view kind = "kind";
inline constexpr std::string_view course = "course";  ///< with_cut_risk or if_sustained, on every row

/// In the order sensitivity.csv writes them.
inline constexpr std::array all{input,     prior,        input_p05,   input_p95,       value_at_p05,     value_at_p95,
                                swing,     tornado_rank, first_order, first_order_low, first_order_high, total,
                                total_low, total_high,   kind,        course};
}  // namespace sensitivity_columns

/// What the analysis held fixed, in one paragraph for readers of the indices.
std::string sensitivity_held_fixed(const sensitivity_report& report);

/// Warnings about estimates too noisy to rank inputs by: first-order indices below 0 and totals below
/// their first-order index (both impossible for the true indices), first-order indices summing above 1,
/// and fewer base samples than inputs. Empty when none applies.
std::vector<std::string> sobol_warnings(const stats::sobol_result& sobol, std::size_t base_samples);

/// One row of sensitivity.csv; a field absent here is empty there.
struct sensitivity_row {
    std::string input;  ///< the input's, group's or held-fixed quantity's name
    std::string prior;  ///< the prior; a group's description; what a held-fixed quantity is held at
    std::optional<stats::tornado_bar> tornado;      ///< scalar inputs only
    std::optional<std::size_t> tornado_rank;        ///< 1 for the widest swing; scalar inputs only
    std::optional<stats::input_sensitivity> sobol;  ///< inputs and groups
    std::string kind;                               ///< input, group or held_fixed
    std::string course;                             ///< with_cut_risk or if_sustained
};

/// The rows of sensitivity.csv: one per scalar input, in input order, then one per group, then one
/// per thing held fixed. The CSV and the Python module's table are both made from these.
std::vector<sensitivity_row> sensitivity_rows(const sensitivity_report& report);

/// sensitivity.csv of `report`: its header and sensitivity_rows, in the order of sensitivity_columns::all.
std::string sensitivity_csv(const sensitivity_report& report);

}  // namespace pathways
