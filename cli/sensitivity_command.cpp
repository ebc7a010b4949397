// sensitivity: which uncertain input drives one projected value, by a one-at-a-time tornado and
// Sobol indices with bootstrap intervals.
#include "sensitivity_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <numeric>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "engine/sensitivity_analysis.hpp"
#include "report/output_files.hpp"
#include "report/projection_writer.hpp"
#include "report/sensitivity_table.hpp"
#include "run/manifest.hpp"
#include "run/observed_fit.hpp"
#include "run/ranks.hpp"
#include "run_options.hpp"
#include "stats/distributions.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

constexpr std::size_t max_bootstrap = 100'000;
/// The Sobol design's outputs are kept in memory, N·(g + 2) of them for g inputs and groups; its input
/// vectors are made when run. This bounds them, with the per-run scratch, as the old bound on the
/// design's N·(k + 2)·k values did (1 GiB).
constexpr std::size_t max_design_values = std::size_t{1} << 27;
constexpr std::size_t shown_inputs = 10;

void check_sizes(const sensitivity_command_options& options, std::size_t factors) {
    diagnostics found;
    if (options.base_samples < 2) {
        found.error("<command line>", 0, 0, "",
                    "--n " + std::to_string(options.base_samples) + " is too small; expected at least 2");
    } else if (options.base_samples > max_design_values / (factors + 2)) {
        found.error("<command line>", 0, 0, "",
                    "--n " + std::to_string(options.base_samples) + " with " + std::to_string(factors) +
                        " uncertain inputs and groups needs too much memory; expected at most " +
                        std::to_string(max_design_values / (factors + 2)));
    }
    if (options.bootstrap > max_bootstrap) {
        found.error("<command line>", 0, 0, "",
                    "--bootstrap " + std::to_string(options.bootstrap) + " is too large; expected at most " +
                        std::to_string(max_bootstrap));
    }
    if (found.has_errors()) throw input_error(found);
}

sensitivity_course parsed_course(const std::string& name) {
    if (const auto course = parse_sensitivity_course(name)) return *course;
    diagnostics found;
    found.error("<command line>", 0, 0, "", "--course " + not_a_course_text(name));
    throw input_error(found);
}

std::string interval_text(const stats::interval_estimate& e) {
    return fixed(e.estimate, 3) + " [" + fixed(e.low, 3) + ", " + fixed(e.high, 3) + "]";
}

/// The name of Sobol entry f: a scalar input's, then the groups'.
std::string factor_name(const sensitivity_report& report, std::size_t f) {
    return f < report.inputs.size() ? report.inputs[f].name : report.groups[f - report.inputs.size()].name;
}

/// The Sobol entries to show: the top ones by total, then any group below them (groups are few, and
/// what they hold is what the headline adds to the scalar inputs).
std::vector<std::size_t> shown_factors(const sensitivity_report& report) {
    std::vector<std::size_t> order(report.sobol.inputs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return report.sobol.inputs[a].total.estimate > report.sobol.inputs[b].total.estimate;
    });
    std::vector<std::size_t> shown;
    for (std::size_t r = 0; r < order.size(); ++r) {
        if (r < shown_inputs || order[r] >= report.inputs.size()) shown.push_back(order[r]);
    }
    return shown;
}

std::string summary_line(const sensitivity_report& report) {
    std::string groups;
    for (const uncertain_group& group : report.groups)
        groups += (groups.empty() ? "" : ", ") + group.name + " (" + std::to_string(group.priors.size()) + ")";
    return std::to_string(report.inputs.size()) + " uncertain inputs and " + std::to_string(report.groups.size()) +
           " groups" + (groups.empty() ? "" : " of inputs: " + groups) + "; " +
           std::to_string(report.sobol.model_evaluations) + " Sobol runs + " +
           std::to_string(2 * report.inputs.size() + 1) + " tornado runs; value at the medians " +
           signed_fixed(report.central, 4) + ", Var(Y) " + fmt::format("{:.3g}", report.sobol.output_variance);
}

void print_tornado(const sensitivity_report& report, std::size_t width) {
    const std::size_t shown = std::min(shown_inputs, report.tornado.size());
    std::cout << "Tornado (each scalar input at its p05 and p95, the others at their medians";
    if (!report.groups.empty()) std::cout << ", the groups at theirs: " << report.groups_in_tornado;
    std::cout << "), top " << shown_inputs << ":\n  " << padded("input", width) << padded("p05 .. p95", 24)
              << padded("value at p05 .. p95", 24) << "swing\n";
    for (std::size_t i = 0; i < shown; ++i) {
        const stats::tornado_bar& bar = report.tornado[i];
        std::cout << "  " << padded(report.inputs[bar.input].name, width)
                  << padded(format_value(bar.input_low) + " .. " + format_value(bar.input_high), 24)
                  << padded(signed_fixed(bar.output_low, 4) + " .. " + signed_fixed(bar.output_high, 4), 24)
                  << fixed(bar.swing, 4) << "\n";
    }
}

void print_sobol(const sensitivity_report& report, const std::vector<std::size_t>& shown, std::size_t width) {
    std::cout
        << "\nSobol indices (Saltelli first-order and Jansen total estimators, a group's inputs swapped together; "
           "95% bootstrap intervals),\ntop "
        << shown_inputs << " by total and every group:\n  " << padded("input or group", width)
        << padded("first order S_i", 28) << "total S_Ti\n";
    for (const std::size_t f : shown) {
        const stats::input_sensitivity& s = report.sobol.inputs[f];
        std::cout << "  " << padded(factor_name(report, f), width) << padded(interval_text(s.first_order), 28)
                  << interval_text(s.total) << "\n";
    }
    for (const uncertain_group& group : report.groups)
        std::cout << "  (" << group.name << ": " << group.description << ")\n";
}

void print_report(const sensitivity_report& report, const std::string& what, std::size_t base_samples) {
    const std::vector<std::size_t> shown = shown_factors(report);
    std::size_t width = 20;
    for (const std::size_t f : shown) width = std::max(width, factor_name(report, f).size() + 2);
    for (std::size_t r = 0; r < std::min(shown_inputs, report.tornado.size()); ++r)
        width = std::max(width, report.inputs[report.tornado[r].input].name.size() + 2);
    std::cout << what << "\n" << summary_line(report) << "\n\n";
    print_tornado(report, width);
    print_sobol(report, shown, width);
    std::cout << "\n" << sensitivity_held_fixed(report) << "\n";
    for (const std::string& warning : sobol_warnings(report.sobol, base_samples)) {
        std::cout << "warning: " << warning << "\n";
    }
}

json::value::array group_names(const sensitivity_report& report) {
    json::value::array names;
    for (const uncertain_group& group : report.groups) names.emplace_back(group.name);
    return names;
}

json::value::array held_fixed_names(const sensitivity_report& report) {
    json::value::array names;
    for (const held_fixed_quantity& held : report.held_fixed) names.emplace_back(held.name + ": " + held.held_at);
    return names;
}

/// What marks a folder holding only sensitivity.csv as a results folder of pathways: the shared
/// manifest of the scenario studied, with what was studied and how.
std::string sensitivity_manifest(const sensitivity_command_options& options, const loaded_scenario& loaded,
                                 const sensitivity_report& report, const std::string& csv) {
    run_manifest manifest = manifest_of(loaded, options.command_line, options.threads, true);
    manifest.draws = 0;  // no Monte Carlo draws: the design's runs are counted by n
    manifest_run studied;
    studied.name = studied.variant = options.variant;
    studied.min_n = loaded.spec.report.min_n;
    manifest.runs.push_back(std::move(studied));
    add_output(manifest, "sensitivity.csv", csv);
    json::value details;
    details.set("variant", options.variant)
        .set("outcome", options.outcome)
        .set("subgroup", options.subgroup)
        .set("metric", options.metric)
        .set("course", options.course)
        .set("groups", group_names(report))
        .set("held_fixed", held_fixed_names(report))
        .set("n", options.base_samples)
        .set("bootstrap", options.bootstrap);
    return manifest_json_text(manifest, details);
}

}  // namespace

int sensitivity_command(const sensitivity_command_options& options, const plugin_options& plugins) {
    const sensitivity_course course = parsed_course(options.course);
    const plugin_registry registry = load_plugins(plugins);
    diagnostics found;
    run_request request = base_request(options.scenario_file, options.parameters, std::nullopt, options.seed, found);
    if (found.has_errors()) throw input_error(found);
    if (request.posterior) {
        std::cerr << "pathways: note: sensitivity varies each input over its posterior summary in "
                  << request.posterior->where.file
                  << " (one input at a time cannot keep the joint posterior's correlations)\n";
        const posterior_draws& posterior = *request.posterior;
        if (effective_sample_collapsed(posterior.effective_sample_size, posterior.weights.size())) {
            std::cerr << "pathways: warning: the joint posterior rests on an effective sample of "
                      << fixed(posterior.effective_sample_size, 1) << " of " << posterior.weights.size()
                      << " draws (below 50 or 1%), so its summaries are unreliable and the inputs' ranges too "
                         "narrow; calibrate with more draws or allow for model discrepancy\n";
        }
        request.posterior.reset();
        request.priors.clear();
        add_priors(options.parameters, request, joint_posterior::summarise);
    }
    request.variant = options.variant;
    request.threads = options.threads;
    apply_split(options.split, request, found);
    if (found.has_errors()) throw input_error(found);
    auto plan = prepare(request, registry, found);
    refuse_or_warn(plan, found);
    const auto& loaded = plan->runs.front().loaded;
    const simulation& sim = *plan->runs.front().sim;
    const auto target = find_sensitivity_target(sim, loaded->spec, options.outcome, options.subgroup, options.year,
                                                options.metric, found);
    if (!target) throw input_error(found);
    const std::size_t factors = sim.uncertain_inputs().size() + sim.uncertain_groups().size();
    if (factors == 0) {
        found.error(loaded->spec.file, 0, 0, "",
                    "the scenario has no uncertain input; expected edges or parameters with priors");
        throw input_error(found);
    }
    check_sizes(options, factors);

    std::optional<output_set> outputs;
    if (!options.out_dir.empty() && is_root_rank()) {  // rank 0 writes
        outputs.emplace(options.out_dir, options.force);
        outputs->refuse_conflicts({"sensitivity.csv", "sensitivity-manifest.json"});
    }

    progress_display progress("sensitivity", options.quiet);
    sensitivity_options analysis{options.base_samples,
                                 options.bootstrap,
                                 loaded->spec.seed,
                                 options.threads,
                                 progress.callback(),
                                 &interrupted(),
                                 request.split_schools ? values_of_first_rank : spread_over_ranks,
                                 course};
    const sensitivity_report report = analyse_sensitivity(sim, *target, analysis);
    if (report.cancelled || interrupted()) {
        return interrupted_exit();
    }
    if (!is_root_rank()) return exit_ok;  // every rank has the values; rank 0 prints and writes
    const std::string what =
        loaded->spec.name + " — " + std::string(to_string(target->metric)) + " of " +
        sim.outcomes()[target->outcome].id + " for " + sim.subgroups()[target->subgroup].group.name + " in " +
        std::to_string(loaded->spec.start_year + target->year) + ", course " + std::string(to_string(course)) +
        " (effect model '" + loaded->model->name + "', N = " + std::to_string(options.base_samples) + ", seed " +
        std::to_string(loaded->spec.seed) + ")";
    if (outputs) {
        const std::string csv = sensitivity_csv(report);
        outputs->stage("sensitivity.csv", csv);
        outputs->stage("sensitivity-manifest.json", sensitivity_manifest(options, *loaded, report, csv));
        if (interrupted()) return interrupted_exit();
        outputs->commit();
    }
    print_report(report, what, options.base_samples);
    if (outputs) {
        std::cout << "\nWrote " << (outputs->folder() / "sensitivity.csv").string() << ' '
                  << (outputs->folder() / "sensitivity-manifest.json").string() << '\n';
    }
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 120,
    .name = "sensitivity",
    .description = "Which uncertain input drives a value: tornado and Sobol indices",
    .examples = "pathways sensitivity scenarios/denver-scale-up.json --outcome academic.achievement.math "
                "--subgroup all --n 64",
    .projects = true,
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<sensitivity_command_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
        command.add_option("--outcome", options->outcome, "Reported outcome, e.g. academic.achievement.math")
            ->required();
        command.add_option("--subgroup", options->subgroup, "Reported subgroup, e.g. all or race:black")->required();
        command.add_option("--year", options->year, "Calendar year (default: the final year)");
        command.add_option("--metric", options->metric,
                           "effect (default), level, bau_level, percentile_shift or gap_sd");
        command.add_option("--course", options->course,
                           "with_cut_risk (default: the course the run's headline reports, the program cut an "
                           "input) or if_sustained (the program never cut)");
        add_parameter_options(command, options->parameters);
        command.add_option("--variant", options->variant, "Variant to study (default: base)");
        command.add_option("--n", options->base_samples, "Base samples N of the Saltelli design (default 256)");
        command.add_option("--bootstrap", options->bootstrap, "Bootstrap resamples for the intervals (default 200)");
        add_seed_option(command, options->seed, "Random seed; overrides the scenario");
        add_threads_option(command, options->threads);
        command.add_option("--out", options->out_dir, "Folder for sensitivity.csv (default: print only)");
        command.add_flag("--force", options->force, "Overwrite an existing sensitivity.csv");
        add_quiet_flag(command, options->quiet);
        add_split_options(command, options->split);
        add_plugin_options(command, *plugins);
        return [options, plugins](int argc, char** argv) {
            options->threads = worker_threads(options->threads);
            options->command_line.assign(argv, argv + argc);
            return sensitivity_command(*options, *plugins);
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
