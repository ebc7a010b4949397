#include "report/run_writers.hpp"

#include <sstream>

#include "common/diagnostics.hpp"
#include "report/html_report.hpp"
#include "run/manifest.hpp"
#include "scenario/results_writer.hpp"

namespace pathways {

table_context context_of(const finished_run& run, bool for_release) {
    const loaded_scenario& loaded = *run.loaded;
    return {loaded.spec.name, run.name, loaded.model->name, loaded.spec.start_year, run.sim.get(), for_release};
}

std::vector<result_run> result_runs(const run_results& results) {
    std::vector<result_run> runs;
    for (const finished_run& run : results.runs)
        runs.push_back(result_run_of(run.result, context_of(run, results.for_release)));
    return runs;
}

std::vector<costed_run> costed_runs(const run_results& results, const std::vector<result_run>& runs) {
    std::vector<costed_run> costed;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const scenario& spec = results.runs[i].loaded->spec;
        variant_info info = spec.variant_of(spec.variant);
        info.name = results.runs[i].name;
        costed.push_back({&runs[i], info});
    }
    return costed;
}

std::string projection_csv(const run_results& results) {
    return projection_csv_text(result_runs(results), results.for_release);
}

std::string projection_json(const run_results& results) { return projection_json_text(result_runs(results)); }

std::vector<std::string> every_run_file() {
    return {"manifest.json", "projection.csv",         "projection.json",   "report.html",     "draws.csv",
            "inputs.csv",    "cost-effectiveness.csv", "acceptability.csv", kept_inputs_folder};
}

std::set<std::string> parse_output_formats(const std::string& text, const source_location& where,
                                           const std::string& message_prefix) {
    std::set<std::string> formats;
    std::stringstream stream(text);
    diagnostics found;
    const auto refuse = [&](const std::string& message) {
        found.error(where.file, where.line, where.column, where.pointer, message_prefix + message);
    };
    for (std::string item; std::getline(stream, item, ',');) {
        if (item != "csv" && item != "json")
            refuse("unknown output format '" + item + "'; expected csv, json or csv,json");
        formats.insert(item);
    }
    if (formats.empty()) refuse("no output format; expected csv, json or csv,json");
    if (found.has_errors()) throw input_error(found);
    return formats;
}

results_folder results_of(const run_results& results, const run_manifest& manifest,
                          const std::filesystem::path& folder) {
    return {folder, result_runs(results), manifest};
}

namespace {

/// The model's headline outcome (the node with the role "headline"), as the report leads with it.
std::string headline_outcome_id(const run_results& results) {
    for (const model_node& node : results.runs.front().loaded->graph->definition().nodes) {
        if (node.has_role("headline")) return node.id;
    }
    return "";
}

}  // namespace

std::string html_report(const run_results& results, const run_manifest& manifest, const std::filesystem::path& folder) {
    const loaded_scenario& first = *results.runs.front().loaded;
    // Paired comparisons need every run's draws; a run that kept none leaves the report on summaries.
    std::vector<labelled_run> draws;
    for (const finished_run& run : results.runs) {
        if (run.draws) draws.push_back(*run.draws);
    }
    const bool paired = draws.size() == results.runs.size();
    const report_costs costs = costs_for_report(results, headline_outcome_id(results), first.spec.seed);
    return *html_report_for_run(results_of(results, manifest, folder), first.spec, first.district, *first.graph,
                                *first.model, paired ? &draws : nullptr, &costs);
}

}  // namespace pathways
