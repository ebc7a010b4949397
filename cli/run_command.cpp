// run: project a scenario (and its variants) against business as usual and write the tables.
#include <iostream>
#include <memory>
#include <set>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "commands.hpp"
#include "compare_command.hpp"
#include "engine/cost_effectiveness.hpp"
#include "engine/costs.hpp"
#include "report/cost_effectiveness_report.hpp"
#include "report/cost_summary.hpp"
#include "report/draw_writers.hpp"
#include "report/evidence_caveat.hpp"
#include "report/output_files.hpp"
#include "report/run_writers.hpp"
#include "run/manifest.hpp"
#include "run/ranks.hpp"
#include "run_options.hpp"
#include "run_summary.hpp"
#include "scenario/results_reader.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

run_request request_of(const run_options& options) {
    diagnostics found;
    run_request request = base_request(options.scenario_file, options.parameters, options.draws, options.seed, found);
    request.variant = options.variant;
    request.all_variants = options.all_variants;
    if (options.model) request.effect_model = setting<std::string>{*options.model, option_origin("--effect-model")};
    if (options.min_n) request.min_n = integer_option("--min-n", *options.min_n, min_n_limits, found);
    apply_split(options.split, request, found);
    request.threads = options.threads;
    request.suppression = !options.no_suppression;
    request.sustained_course = true;  // every run reports the plan sustained and with the district's cut risk
    request.command_line = options.command_line;
    if (found.has_errors()) throw input_error(found);
    return request;
}

cost_settings costs_of_run(const run_results& results) {
    const finished_run& first = results.runs.front();
    return plan_costs(first.loaded->district, first.loaded->spec);
}

/// The plans set against what they cost, from the runs' draws (empty when no plan has costs).
struct analysed_plans {
    plans_for_analysis plans;
    cost_effectiveness_analysis analysis;
};

analysed_plans analyse_plans(const run_results& results) {
    const finished_run& first = results.runs.front();
    analysed_plans out{plans_of(results, headline_outcome(*first.sim)), {}};
    if (!out.plans.plans.empty())
        out.analysis =
            analyse_cost_effectiveness(out.plans.plans, first.loaded->spec.seed, default_willingness_to_pay());
    return out;
}

/// The files of a run, in the order they are written; the manifest comes last and lists the others.
std::vector<std::pair<std::string, std::string>> result_files(const run_results& results,
                                                              const std::set<std::string>& formats,
                                                              const run_options& options,
                                                              const std::filesystem::path& folder,
                                                              run_manifest& manifest) {
    std::vector<std::pair<std::string, std::string>> files;
    if (formats.contains("csv")) files.emplace_back("projection.csv", projection_csv(results));
    if (formats.contains("json")) files.emplace_back("projection.json", projection_json(results));
    if (options.per_draw) {
        files.emplace_back("draws.csv", draws_csv(results));
        files.emplace_back("inputs.csv", inputs_csv(results));
    }
    if (formats.contains("csv") && !costs_of_run(results).items.empty()) {
        const analysed_plans analysed = analyse_plans(results);
        const std::string headline = headline_outcome(*results.runs.front().sim);
        files.emplace_back("cost-effectiveness.csv", cost_effectiveness_csv(analysed.analysis, analysed.plans.variants,
                                                                            costs_of_run(results).currency, headline));
        files.emplace_back("acceptability.csv", acceptability_csv(analysed.analysis, analysed.plans.variants));
    }
    for (const auto& [name, content] : files) add_output(manifest, name, content);
    // The report shows the manifest as it stands before the report's own hash is added to it.
    if (options.report) {
        files.emplace_back("report.html", html_report(results, manifest, folder));
        add_output(manifest, "report.html", files.back().second);
    }
    return files;
}

/// The one-screen summary of the runs (each kept its final year's draws), led by the first run's
/// headline outcome and cut risk.
std::string summary_of(const run_results& results) {
    const finished_run& first = results.runs.front();
    const run_summary_context context{first.loaded->spec.name,
                                      first.loaded->model->name,
                                      headline_outcome(*first.sim),
                                      first.result.cut,
                                      first.result.draws,
                                      results.for_release,
                                      evidence_caveat_text(first.sim->graph().definition()),
                                      gate_lines(results.runs)};
    std::vector<summarized_run> runs;
    for (const finished_run& run : results.runs) runs.push_back(final_year_for_summary(run));
    return run_summary(runs, context);
}

/// Every run's cost, then the plans against what they cost, when the plans have costs.
std::string costs_of(const run_results& results) {
    const std::vector<result_run> runs = result_runs(results);
    const std::vector<costed_run> costed = costed_runs(results, runs);
    const cost_settings costs = costs_of_run(results);
    const analysed_plans analysed = analyse_plans(results);
    return costs_and_effectiveness_text(costed, analysed.analysis, analysed.plans.variants, costs,
                                        headline_outcome(*results.runs.front().sim));
}

/// What the terminal shows by default: the summary and the files written, by name.
void print_summary(const run_results& results, const std::filesystem::path& folder,
                   const std::vector<std::string>& written) {
    std::cout << summary_of(results) << costs_of(results) << "\nWrote to " << folder.string() << ":";
    for (const std::string& name : written) std::cout << ' ' << name;
    std::cout << '\n';
}

/// What the terminal shows with --detail: each run's tables and the schools its waves reached, the
/// variants side by side, the files written.
void print_detail(const run_results& results, const std::filesystem::path& folder,
                  const std::vector<std::string>& written) {
    std::vector<labelled_run> variant_draws;
    for (const finished_run& run : results.runs) {
        std::cout << projection_summary(run.result, context_of(run, results.for_release)) << waves_text(waves_of(run))
                  << "\n";
        if (run.draws) variant_draws.push_back(*run.draws);
    }
    if (variant_draws.size() > 1) std::cout << comparison_table(compare_runs(variant_draws)) << "\n";
    std::cout << "Wrote";
    for (const std::string& name : written) std::cout << ' ' << (folder / name).string();
    std::cout << '\n';
}

}  // namespace

int run_command(const run_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    return run_into_folder(request_of(options), options, registry);
}

int run_into_folder(const run_request& request, const run_options& options, const plugin_registry& registry) {
    const std::set<std::string> formats =
        parse_output_formats(options.formats, {"<command line>", 0, 0, ""}, "--format: ");
    diagnostics found;
    auto plan = prepare(request, registry, found);
    refuse_or_warn(plan, found);

    const std::filesystem::path folder =
        options.out_dir.empty() ? std::filesystem::path("out") / std::filesystem::path(options.scenario_file).stem()
                                : std::filesystem::path(options.out_dir);
    std::vector<std::string> names{"manifest.json"};
    for (const std::string& format : formats) names.push_back("projection." + format);
    if (options.report) names.push_back("report.html");
    if (options.per_draw) names.insert(names.end(), {"draws.csv", "inputs.csv"});
    const loaded_scenario& first_loaded = *plan->runs.front().loaded;
    if (formats.contains("csv") && !plan_costs(first_loaded.district, first_loaded.spec).items.empty())
        names.insert(names.end(), {"cost-effectiveness.csv", "acceptability.csv"});
    // Only rank 0 writes (under MPI the other ranks run their draws and hand them over).
    std::optional<output_set> outputs;
    if (is_root_rank()) outputs.emplace(folder, options.force);
    if (outputs) outputs->refuse_conflicts(names);

    progress_by_run progress(options.quiet);
    // The summary reads every run's final year, draw by draw, as the side-by-side table of variants does.
    run_hooks hooks = progress.hooks(kept_draws::final_year);
    hooks.keep_every_draw = options.per_draw;
    const run_results results = execute(std::move(*plan), hooks);
    progress.finish();
    if (results.cancelled) return interrupted_exit();
    if (!outputs) return exit_ok;

    run_manifest manifest = manifest_of(results);
    // The inputs as read go with the results: `pathways rerun` and `pathways report` use them.
    const std::vector<kept_input> kept = keep_inputs(manifest, options.parameters.set_files);
    const auto files = result_files(results, formats, options, folder, manifest);
    for (const kept_input& input : kept) outputs->stage(kept_inputs_folder, input.name, input.content);
    for (const auto& [name, content] : files) outputs->stage(name, content);
    outputs->stage("manifest.json", manifest_json_text(manifest));
    // A results folder holds one run: what the run before wrote goes, whether or not this one writes it
    // again; files of other commands (a calibration, a monitor) stay.
    outputs->drop_on_commit(every_run_file());
    outputs->drop_on_commit(files_of_run(folder));
    if (interrupted()) return interrupted_exit();
    outputs->commit();
    std::vector<std::string> written;
    for (const auto& [name, content] : files) written.push_back(name);
    written.emplace_back("manifest.json");
    if (options.detail) print_detail(results, folder, written);
    else print_summary(results, folder, written);
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 70,
    .name = "run",
    .description = "Project a scenario against business as usual",
    .examples =
        "pathways run scenarios/denver-scale-up.json --all-variants --force\n"
        "  pathways run scenarios/denver-scale-up.json --variant pilot_only --detail --out out/pilot-only\n"
        "  pathways run scenarios/rand-2017-check.json --effect-model linear --draws 0 --out out/central\n"
        "  pathways run scenarios/denver-scale-up.json --variant patient_district --draws 1000 --seed 7 --report",
    .projects = true,
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<run_options>();
        auto plugins = std::make_shared<plugin_options>();
        add_run_options(command, *options);
        add_plugin_options(command, *plugins);
        command.add_flag("--report", options->report,
                         "Also write report.html, a self-contained report to read in a browser");
        command.add_flag("--per-draw", options->per_draw,
                         "Also write draws.csv (every row's value in every draw, suppressed rows left out) and "
                         "inputs.csv (what every draw sampled)");
        return [options, plugins](int argc, char** argv) {
            options->threads = worker_threads(options->threads);
            options->command_line.assign(argv, argv + argc);
            return run_command(*options, *plugins);
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
