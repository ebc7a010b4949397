#pragma once
/// \file
/// The cost rows of a run (engine/costs.hpp) as a reader takes them in: the total to the horizon,
/// per student reached, the effect per million, and the cost per 0.1 SD and per percentage point of a
/// gap narrowed (over the draws with a gain, with how often there is one), in the terminal and as a
/// self-contained report section.

#include <string>
#include <vector>

#include "common/scenario_types.hpp"
#include "scenario/results_reader.hpp"

namespace pathways {

/// One figure of the costs block: what it is, and its value with the cut risk and if sustained
/// (empty when the run has no such row).
struct cost_figure {
    std::string label;
    std::string with_cut_risk;
    std::string if_sustained;
};

/// A whole number with thousands separators: "25,000".
std::string with_thousands_text(double amount);

/// An amount in `currency` in words a board reads: "USD 1.25 million", "USD 2,082".
std::string money_text(double amount, const std::string& currency);

/// The figures of `run`'s final year on outcome `headline`; empty when the run has no cost rows.
std::vector<cost_figure> cost_figures(const result_run& run, const std::string& headline, const cost_settings& costs);

/// The terminal block, 4 lines of at most 100 columns: total and per student reached, cost per 0.1 SD
/// for all students and in PL schools (empty when the run has no cost rows; every figure is in the
/// files and the report).
std::string costs_text(const result_run& run, const std::string& headline, const cost_settings& costs);

/// One run as the cost tables name it: its variant (or label) and what it stands for.
struct costed_run {
    const result_run* run = nullptr;
    variant_info variant;
};

/// The terminal block of every run's cost: one line each with the total to the horizon (with the cut
/// risk, 90% interval when there are draws, and if sustained) and per student reached; the first line
/// states currency, price year, discount rate and year. Empty when no run has cost rows.
std::string runs_costs_text(const std::vector<costed_run>& runs, const cost_settings& costs);

/// The same as an HTML table, for the report's "What it costs" section.
std::string runs_costs_html(const std::vector<costed_run>& runs, const cost_settings& costs);

/// The report's "What it costs" section, as HTML (empty when the run has no cost rows).
std::string costs_html_section(const result_run& run, const std::string& headline, const cost_settings& costs);

}  // namespace pathways
