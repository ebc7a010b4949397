#pragma once
/// \file
/// One self-contained HTML file a school board reads from the top: first the decision (which variant
/// does best for whom, by how much against business as usual and the runner-up, and how sure), then
/// what changes for students over the years and the opportunity gaps on honest scales (a zero line,
/// one scale per comparison), what the scenario does, the theory of change, sensitivity where a run
/// exists, and where every number comes from, the detail behind collapsed links. Inline CSS and SVG
/// only: no script, font or address is loaded.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/comparison.hpp"
#include "graph/model_graph.hpp"
#include "plugin/registry.hpp"
#include "report/cost_effectiveness_report.hpp"
#include "scenario/results_reader.hpp"

namespace pathways {

/// One input of a one-at-a-time sensitivity run: the output with the input at its low and high value.
struct sensitivity_bar {
    std::string input;
    std::string outcome;  ///< empty when the file has no outcome column
    double low = 0.0;
    double high = 0.0;
    std::optional<double> base;
};

/// Reads `sensitivity.csv` (written by `pathways sensitivity --out`). Columns are found by their
/// whole name: the input (`input`, `parameter` or `name`), the output with the input at its low and
/// at its high value (`value_at_p05`/`value_at_p95` as pathways writes them, else `output_low`,
/// `low`, `y_low` and their `high` forms), and optionally `outcome` and a central value (`base`,
/// `central`, `output_base`). Problems go to `out`; nullopt when any was an error.
std::optional<std::vector<sensitivity_bar>> read_sensitivity_csv(const std::filesystem::path& file, diagnostics& out);

struct report_inputs {
    const results_folder& results;
    const scenario& spec;  ///< the base scenario
    const district_profile* district = nullptr;
    const model_graph& graph;
    const model_handle* model = nullptr;  ///< the effect model, when its plugin could be loaded
    const std::vector<sensitivity_bar>* sensitivity = nullptr;
    std::string sensitivity_problem;  ///< why sensitivity.csv could not be shown, if it exists
    /// Each run's final-year draws, in the order of `results.runs`, for comparisons paired draw by draw
    /// (common random numbers); without them the report compares summaries.
    const std::vector<labelled_run>* draws = nullptr;
    /// Every run's ingredients and the plans against what they cost, when the runs are at hand.
    const report_costs* costs = nullptr;
};

/// The whole report as one HTML document.
std::string render_html_report(const report_inputs& inputs);

/// Reads the scenario, district and model the manifest of `results` names and renders the report, with
/// each run's final-year draws in the order of `results.runs` when they are known (null otherwise).
/// Problems go to `out`; nullopt when any was an error.
std::optional<std::string> html_report_for_results(const results_folder& results, const plugin_registry& plugins,
                                                   const std::vector<labelled_run>* draws, diagnostics& out);

/// The report for results that are not on disk yet (`pathways run --report`), with each run's
/// final-year draws when the run kept them (null otherwise).
std::optional<std::string> html_report_for_run(const results_folder& results, const scenario& spec,
                                               const district_profile& district, const model_graph& graph,
                                               const model_handle& model,
                                               const std::vector<labelled_run>* draws = nullptr,
                                               const report_costs* costs = nullptr);

}  // namespace pathways
