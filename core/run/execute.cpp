#include "run/execute.hpp"

#include <algorithm>
#include <chrono>

#include "common/text_format.hpp"
#include "engine/costs.hpp"
#include "engine/suppression.hpp"
#include "run/observed_fit.hpp"
#include "run/ranks.hpp"

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

/// A joint posterior weighs the prior's draws of the run it was calibrated on: its inputs and schools must
/// be this run's, or its weights would fall on other draws.
void use_posterior(const posterior_draws& posterior, std::size_t loaded_schools, simulation& sim, diagnostics& out) {
    std::vector<std::string> inputs;
    for (const uncertain_input& input : sim.uncertain_inputs()) inputs.push_back(input.name);
    const auto [mine, theirs] =
        std::mismatch(inputs.begin(), inputs.end(), posterior.inputs.begin(), posterior.inputs.end());
    std::string difference;
    if (mine != inputs.end() || theirs != posterior.inputs.end()) {
        difference = "input " + (theirs != posterior.inputs.end() ? "'" + *theirs + "'" : std::string("(none)")) +
                     " where this run has " + (mine != inputs.end() ? "'" + *mine + "'" : std::string("none"));
    } else if (posterior.schools != loaded_schools) {
        difference =
            std::to_string(posterior.schools) + " schools where this run has " + std::to_string(loaded_schools);
    }
    if (!difference.empty()) {
        out.error(posterior.where.file, posterior.where.line, posterior.where.column, posterior.where.pointer,
                  "the joint posterior was drawn for other inputs (" + difference +
                      "); expected a run of the scenario and district it was calibrated on (a variant that "
                      "changes only the plan is one)");
        return;
    }
    sim.draw_from_posterior(posterior.seed, posterior.weights);
    if (effective_sample_collapsed(posterior.effective_sample_size, posterior.weights.size())) {
        out.add({posterior.where.file, posterior.where.line, posterior.where.column, posterior.where.pointer,
                 severity::warning,
                 "the joint posterior rests on an effective sample of " + fixed(posterior.effective_sample_size, 1) +
                     " of " + std::to_string(posterior.weights.size()) +
                     " draws (below 50 or 1%): a few draws carry almost all the weight, so this run's intervals "
                     "are too narrow; calibrate with more draws or allow for model discrepancy"});
    }
}

std::unique_ptr<simulation> build(const run_request& request, const loaded_scenario& loaded, diagnostics& out) {
    diagnostics found;
    school_blocks blocks = loaded.blocks;
    if (request.split_schools) blocks.exchange = &rank_exchange();
    auto sim = std::make_unique<simulation>(simulation_inputs{*loaded.graph, loaded.district, loaded.schools,
                                                              loaded.cells, loaded.spec, *loaded.model, blocks},
                                            found);
    if (!found.has_errors() && request.posterior) use_posterior(*request.posterior, loaded.schools.size(), *sim, found);
    const bool failed = found.has_errors();
    out.append(found);
    return failed ? nullptr : std::move(sim);
}

/// Under `--split schools` each rank fitted its own schools: the population's report over every rank
/// (most IPF cycles, the worst fit and its school, the students and cells), the same on every rank.
void report_every_rank(population_report& report) {
    constexpr std::size_t fields = 5;
    const std::vector<double> every =
        rank_exchange().gather(std::vector<double>{static_cast<double>(report.max_iterations), report.worst_max_error,
                                                   static_cast<double>(report.worst_school), report.total_students,
                                                   static_cast<double>(report.cells)});
    report.max_iterations = 0;
    report.worst_max_error = 0.0;
    report.total_students = 0.0;
    report.cells = 0;
    for (std::size_t at = 0; at < every.size(); at += fields) {
        report.max_iterations = std::max(report.max_iterations, static_cast<int>(every[at]));
        if (at == 0 || every[at + 1] > report.worst_max_error) {
            report.worst_max_error = every[at + 1];
            report.worst_school = static_cast<std::uint32_t>(every[at + 2]);
        }
        report.total_students += every[at + 3];
        report.cells += static_cast<std::size_t>(every[at + 4]);
    }
}

/// Input errors the engine would otherwise raise once the draws start, found here with the other
/// input errors and located where the value was set: per-draw results too large for memory (at
/// --draws when the command line set the draws), and gaps without baseline offsets.
void check_runnable(const run_request& request, const prepared_run& run, diagnostics& out) {
    const scenario& spec = run.loaded->spec;
    check_gap_baselines(*run.sim, spec, out);
    projection_options options;
    options.sustained_course = request.sustained_course;
    options.suppress = false;  // only the number of rows matters here
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

std::size_t draws_of(const scenario& spec) { return spec.draws > 0 ? static_cast<std::size_t>(spec.draws) : 1; }

/// Where this rank's share of the plan's draws (every run's draws end to end, split over the ranks in
/// contiguous ranges) falls in each run: runs with few draws each, such as sweep points or variants,
/// still keep every rank busy. One rank: every draw of every run.
std::vector<work_share> shares_in_runs(const run_plan& plan) {
    std::vector<work_share> shares;
    if (plan.request.split_schools) {  // every rank runs every draw over its school blocks
        for (const prepared_run& run : plan.runs) shares.push_back({0, draws_of(run.loaded->spec)});
        return shares;
    }
    std::size_t all = 0;
    for (const prepared_run& run : plan.runs) all += draws_of(run.loaded->spec);
    const work_share mine = share_of_this_rank(all);
    std::size_t offset = 0;
    for (const prepared_run& run : plan.runs) {
        const std::size_t draws = draws_of(run.loaded->spec);
        const std::size_t begin = std::clamp(mine.first, offset, offset + draws);
        const std::size_t end = std::clamp(mine.first + mine.count, offset, offset + draws);
        shares.push_back({begin - offset, end - begin});
        offset += draws;
    }
    return shares;
}

/// Every rank's values of a run on rank 0, in draw order (the ranks' shares are contiguous and in
/// rank order), with the draws cut over all ranks.
void gather_run(projection_draws& draws, std::size_t total) {
    draws.values = gather_on_root(draws.values);
    draws.cut.cut_draws = sum_on_root(draws.cut.cut_draws);
    draws.draws = total;
}

/// The plan without its gated wave, loaded and built as `loaded` was: what runs where the gate stays closed.
std::unique_ptr<prepared_run> prepare_gate_closed(const run_request& request, const std::string& name,
                                                  const loaded_scenario& loaded, const plugin_registry& plugins,
                                                  diagnostics& out) {
    auto closed = load_scenario(with_gate_closed(loaded.spec), plugins, overrides_of(request), out);
    if (!closed) return nullptr;
    auto run = std::make_unique<prepared_run>();
    run->name = name + " (gate closed)";
    run->loaded = std::make_unique<loaded_scenario>(std::move(*closed));
    run->sim = build(request, *run->loaded, out);
    return run->sim ? std::move(run) : nullptr;
}

/// Schools the waves that started by the gate's year reached (the gate measures their students).
double schools_measured(const prepared_run& closed, int gate_year) {
    double schools = 0.0;
    for (const wave_schools& w :
         schools_of_waves(closed.sim->schedule(), closed.loaded->schools, closed.loaded->spec.plan)) {
        if (w.start_year <= gate_year) schools += static_cast<double>(w.school_ids.size());
    }
    return schools;
}

/// `open`'s draws with those where the gate stays closed taken from the plan run without its gated wave.
projection_draws gate_draws(prepared_run& run, projection_draws open, projection_options options, gate_result& result) {
    prepared_run& closed = *run.gate_closed;
    const scenario& spec = run.loaded->spec;
    options.withheld = closed.withheld.empty() ? nullptr : &closed.withheld;
    projection_draws closed_draws = run_draws(*closed.sim, closed.loaded->spec, options);
    append_cost_rows(closed_draws, {*closed.sim, closed.loaded->spec, closed.loaded->schools, options});
    if (closed_draws.cancelled) {
        open.cancelled = true;
        return open;
    }
    const wave& gated = spec.plan.waves.at(*gated_wave(spec));
    const gate_decisions decided =
        decide_gate(closed_draws, *closed.sim, gated, schools_measured(closed, gated.gate->year), spec.start_year,
                    spec.seed, options.first_draw, spec.draws == 0);
    result = {gated.name,
              *gated.gate,
              decided.measurement_se,
              decided.students,
              decided.schools,
              static_cast<std::size_t>(std::count(decided.open.begin(), decided.open.end(), 1)),
              decided.open.size(),
              plan_students_reached(*closed.sim, closed.loaded->schools),
              decided.projected_mean};
    return mix_by_gate(std::move(open), closed_draws, decided);
}

/// The run summarized, with the draws `hooks` keeps; `seconds` spent on its draws before; how its gate
/// decided, for a gated plan.
finished_run finish(prepared_run& run, projection_draws draws, const run_hooks& hooks, double seconds,
                    std::optional<gate_result> gate) {
    const auto start = std::chrono::steady_clock::now();
    finished_run done;
    done.name = run.name;
    done.gate = std::move(gate);
    done.result = summarize_draws(draws);
    done.cost_draws = final_cost_draws(draws, *run.sim);
    done.students_reached = plan_students_reached(*run.sim, run.loaded->schools);
    if (done.gate) {  // expected students reached: the gated wave's only in the draws where its gate opened
        const double open = done.gate->open_share();
        done.students_reached = open * done.students_reached + (1.0 - open) * done.gate->students_reached_closed;
    }
    if (hooks.keep != kept_draws::none) {
        done.draws = kept(hooks, run, comparable_rows(draws));
        done.sustained_draws = kept(hooks, run, sustained_rows(draws));  // none without that course
    }
    if (hooks.keep_every_draw) done.every_draw = std::move(draws);
    done.seconds = seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    done.loaded = std::move(run.loaded);
    done.sim = std::move(run.sim);
    return done;
}

}  // namespace

void audit_together(std::span<run_plan> plans) {
    publication_audit audit;
    std::vector<prepared_run*> audited;
    for (run_plan& plan : plans) {
        for (prepared_run& run : plan.runs) {
            if (!plan.request.suppression || !run.sim) continue;
            audit.add(*run.sim, run.loaded->spec.report.min_n);
            audited.push_back(&run);
            // A gated plan publishes a mixture of both runs: each is audited as published.
            if (!run.gate_closed) continue;
            audit.add(*run.gate_closed->sim, run.loaded->spec.report.min_n);
            audited.push_back(run.gate_closed.get());
        }
    }
    for (std::size_t i = 0; i < audited.size(); ++i) audited[i]->withheld = audit.withheld(i);
}

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
                         std::make_unique<loaded_scenario>(std::move(*loaded)),
                         nullptr,
                         {},
                         nullptr};
        run.sim = build(request, *run.loaded, found);
        if (run.sim && request.split_schools) report_every_rank(run.loaded->population);
        if (run.sim) check_runnable(request, run, found);
        if (run.sim && gated_wave(run.loaded->spec))
            run.gate_closed = prepare_gate_closed(request, run.name, *run.loaded, plugins, found);
        plan.runs.push_back(std::move(run));
    }
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    audit_together(std::span<run_plan>(&plan, 1));
    return plan;
}

run_results execute(run_plan plan, const run_hooks& hooks) {
    run_results results;
    results.suppression = plan.request.suppression;
    results.for_release = for_public_release(plan.request);
    results.threads = plan.request.threads;
    results.command_line = plan.request.command_line;
    const std::vector<work_share> shares = shares_in_runs(plan);
    std::vector<projection_draws> parts;  // under MPI: this rank's draws of each run, exchanged at the end
    std::vector<double> seconds;
    std::vector<std::optional<gate_result>> gates;
    for (std::size_t i = 0; i < plan.runs.size(); ++i) {
        prepared_run& run = plan.runs[i];
        if (hooks.started) hooks.started(run.name);
        const scenario& spec = run.loaded->spec;
        projection_options options{
            spec.draws,     spec.seed,   plan.request.threads, spec.report.min_n, plan.request.suppression,
            hooks.progress, hooks.cancel};
        options.sustained_course = plan.request.sustained_course;
        if (!run.withheld.empty()) options.withheld = &run.withheld;
        options.first_draw = shares[i].first;
        options.draw_count = shares[i].count;
        const auto start = std::chrono::steady_clock::now();
        projection_draws draws = run_draws(*run.sim, spec, options);
        append_cost_rows(draws, {*run.sim, spec, run.loaded->schools, options});
        std::optional<gate_result> gate;
        if (run.gate_closed && !draws.cancelled) draws = gate_draws(run, std::move(draws), options, gate.emplace());
        if (draws.cancelled || (hooks.cancel != nullptr && hooks.cancel->load())) {
            results.cancelled = true;
            return results;
        }
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (plan.request.split_schools) {
            // Rank 0 finished every draw's means from every rank's blocks; the others hold no runs.
            if (is_root_rank()) results.runs.push_back(finish(run, std::move(draws), hooks, elapsed, gate));
            continue;
        }
        if (rank_count() == 1) {
            results.runs.push_back(finish(run, std::move(draws), hooks, elapsed, gate));
            continue;
        }
        parts.push_back(std::move(draws));
        seconds.push_back(elapsed);
        gates.push_back(gate);
    }
    if (rank_count() == 1 || plan.request.split_schools) return results;
    // Every rank's draws are done: a failed rank stops the others here, before any values move.
    all_ranks_well();
    for (std::size_t i = 0; i < plan.runs.size(); ++i) {
        gather_run(parts[i], draws_of(plan.runs[i].loaded->spec));
        if (gates[i]) {
            // Each rank decided its own draws: the counts and the measured effect's sum add up over the ranks.
            const auto local_draws = static_cast<double>(gates[i]->draws);
            double projected_sum = 0.0;
            for (const double sum : gather_on_root({gates[i]->projected_mean * local_draws})) projected_sum += sum;
            gates[i]->open_draws = sum_on_root(gates[i]->open_draws);
            gates[i]->draws = parts[i].draws;
            gates[i]->projected_mean = projected_sum / static_cast<double>(std::max<std::size_t>(1, parts[i].draws));
        }
        // Rank 0 holds every draw, summarizes and writes; the other ranks' results hold no runs.
        if (is_root_rank())
            results.runs.push_back(finish(plan.runs[i], std::move(parts[i]), hooks, seconds[i], gates[i]));
        parts[i] = projection_draws{};  // release this run's draws before the next is gathered
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
