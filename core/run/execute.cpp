#include "run/execute.hpp"

#include <algorithm>
#include <chrono>

#include "engine/costs.hpp"

namespace pathways {
namespace {

std::vector<std::string> variants_of(const run_request& request, const scenario& base) {
    std::vector<std::string> variants{request.all_variants ? "base" : request.variant};
    if (request.all_variants) variants.insert(variants.end(), base.variant_names.begin(), base.variant_names.end());
    return variants;
}

std::optional<loaded_scenario> load(const run_request& request, const std::string& variant,
                                    const plugin_registry& plugins, diagnostics& out) {
    if (request.scenario_spec) return load_scenario(*request.scenario_spec, plugins, overrides_of(request), out);
    return load_scenario(request.scenario_file, variant, plugins, overrides_of(request), out);
}

std::unique_ptr<simulation> build(const loaded_scenario& loaded, diagnostics& out) {
    diagnostics found;
    auto sim = std::make_unique<simulation>(simulation_inputs{*loaded.graph, loaded.district, loaded.schools,
                                                              loaded.cells, loaded.spec, *loaded.model},
                                            found);
    const bool failed = found.has_errors();
    out.append(found);
    return failed ? nullptr : std::move(sim);
}

/// Input errors the engine would otherwise raise once the draws start, found here with the other
/// input errors and located where the value was set: per-draw results too large for memory (at
/// --draws when the command line set the draws), and gaps without baseline offsets.
void check_runnable(const run_request& request, const prepared_run& run, diagnostics& out) {
    const scenario& spec = run.loaded->spec;
    check_gap_baselines(*run.sim, spec, out);
    projection_options options;
    options.sustained_course = request.sustained_course;
    const double rows = static_cast<double>(describe_rows(*run.sim, spec, options).size());
    const double draws = static_cast<double>(std::max<std::int64_t>(spec.draws, 1));
    const double bytes = draws * rows * sizeof(double);
    if (bytes <= max_aggregate_bytes) return;
    const source_location where = request.draws ? request.draws->origin : spec.where.at("/uncertainty/draws");
    const std::string message = std::to_string(static_cast<long long>(draws)) + " draws of " +
                                std::to_string(static_cast<long long>(rows)) + " rows need " +
                                std::to_string(static_cast<long long>(bytes / (1 << 20))) +
                                " MiB of per-draw results; expected at most " +
                                std::to_string(static_cast<long long>(max_aggregate_bytes / (1 << 20))) +
                                " MiB: use fewer draws or report fewer subgroups and outcomes";
    if (where.file == "<command line>") out.error(where.file, 0, 0, "", where.pointer + ": " + message);
    else out.error(where.file, where.line, where.column, where.pointer, message);
}

/// The rows of the "if the plan is sustained" course, without the years-to-close metric (undefined
/// in some draws), as comparable_rows keeps those of the other course.
projection_draws sustained_rows(const projection_draws& draws) {
    return rows_where(draws, [](const metric_row& row) {
        return row.course == plan_course::sustained && row.metric != metric::gap_years_to_close &&
               !is_cost_metric(row.metric);
    });
}

std::optional<labelled_run> kept(const run_hooks& hooks, const prepared_run& run, const projection_draws& rows) {
    if (rows.rows.empty()) return std::nullopt;
    labelled_run labelled = label_draws(run.name, rows, *run.sim, run.loaded->spec.start_year);
    // The side-by-side table of variants and the run summary read only the horizon, so only its rows are kept.
    if (hooks.keep == kept_draws::final_year) return final_year_rows(labelled);
    return labelled;
}

}  // namespace

std::vector<wave_schools> waves_of(const finished_run& run) {
    return schools_of_waves(run.sim->schedule(), run.loaded->schools, run.loaded->spec.plan);
}

std::optional<run_plan> prepare(const run_request& request, const plugin_registry& plugins, diagnostics& out) {
    diagnostics found;
    if (!check(request, plugins, found)) {
        out.append(found);
        return std::nullopt;
    }
    run_plan plan{request, {}};
    const std::string first_variant = request.all_variants ? "base" : request.variant;
    auto first = load(request, first_variant, plugins, found);
    if (!first) {
        out.append(found);
        return std::nullopt;
    }
    // The first variant is loaded already (it names the others); each other variant is loaded on its own.
    for (const std::string& variant : variants_of(request, first->spec)) {
        std::optional<loaded_scenario> loaded;
        if (variant == first_variant && first) loaded.swap(first);
        else loaded = load(request, variant, plugins, found);
        if (!loaded) continue;
        prepared_run run{request.label.empty() ? variant : request.label,
                         std::make_unique<loaded_scenario>(std::move(*loaded)), nullptr};
        run.sim = build(*run.loaded, found);
        if (run.sim) check_runnable(request, run, found);
        plan.runs.push_back(std::move(run));
    }
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return plan;
}

run_results execute(run_plan plan, const run_hooks& hooks) {
    run_results results;
    results.suppression = plan.request.suppression;
    results.for_release = for_public_release(plan.request);
    results.threads = plan.request.threads;
    results.command_line = plan.request.command_line;
    for (prepared_run& run : plan.runs) {
        if (hooks.started) hooks.started(run.name);
        const scenario& spec = run.loaded->spec;
        projection_options options{
            spec.draws,     spec.seed,   plan.request.threads, spec.report.min_n, plan.request.suppression,
            hooks.progress, hooks.cancel};
        options.sustained_course = plan.request.sustained_course;
        const auto start = std::chrono::steady_clock::now();
        projection_draws draws = run_draws(*run.sim, spec, options);
        append_cost_rows(draws, {*run.sim, spec, run.loaded->schools, options});
        if (draws.cancelled || (hooks.cancel != nullptr && hooks.cancel->load())) {
            results.cancelled = true;
            return results;
        }
        finished_run done;
        done.name = run.name;
        done.result = summarize_draws(draws);
        done.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (hooks.keep != kept_draws::none) {
            done.draws = kept(hooks, run, comparable_rows(draws));
            done.sustained_draws = kept(hooks, run, sustained_rows(draws));  // none without that course
        }
        done.loaded = std::move(run.loaded);
        done.sim = std::move(run.sim);
        results.runs.push_back(std::move(done));
    }
    return results;
}

run_results execute(const run_request& request, const plugin_registry& plugins, const run_hooks& hooks) {
    diagnostics found;
    auto plan = prepare(request, plugins, found);
    if (!plan) throw input_error(found);
    return execute(std::move(*plan), hooks);
}

}  // namespace pathways
