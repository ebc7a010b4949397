// monitor and calibrate --observed: the scenario's draws against what happened.
#include "observed_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/sha256.hpp"
#include "common/text_format.hpp"
#include "common/version.hpp"
#include "engine/scenario_loader.hpp"
#include "implementation_command.hpp"
#include "report/monitor_report.hpp"
#include "report/output_files.hpp"
#include "run/manifest.hpp"
#include "run/observed_fit.hpp"
#include "run_options.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/parameter_file.hpp"
#include "scenario/scenario_reader.hpp"
#include "signals.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

/// The scenario's draws with every observed cell's values.
struct observed_run {
    observed_data data;
    std::string sha256;
    run_results results;
    std::vector<observed_match> matches;
    std::size_t draws = 0;
    [[nodiscard]] const finished_run& run() const { return results.runs.front(); }
};

observed_context context_of(const model_graph& graph, const scenario& spec) {
    observed_context context{graph.definition().id, {}, spec.start_year, spec.start_year + spec.years - 1};
    for (const model_node& node : graph.definition().nodes) {
        // A derived gap has no level of its own to observe; descriptive nodes are never evaluated.
        if (node.derived != derived_metric::none || node.descriptive) continue;
        if (node.kind == node_kind::academic_outcome || node.kind == node_kind::student_outcome ||
            node.kind == node_kind::goal) {
            context.outcomes.push_back(node.id);
        }
    }
    return context;
}

/// The scenario reporting exactly the observed subgroups and outcomes: the draws are the same (they are
/// keyed by seed and draw, not by what is reported) and a run reports no more than is compared.
void report_observed_only(scenario& spec, const observed_data& data) {
    std::vector<std::string> subgroups;
    std::vector<std::string> outcomes;
    for (const observed_cell& cell : data.cells) {
        if (std::find(subgroups.begin(), subgroups.end(), cell.subgroup) == subgroups.end()) {
            subgroups.push_back(cell.subgroup);
        }
        if (std::find(outcomes.begin(), outcomes.end(), cell.outcome) == outcomes.end())
            outcomes.push_back(cell.outcome);
    }
    spec.report.subgroups = std::move(subgroups);
    spec.report.outcomes = std::move(outcomes);
    spec.report.reference_groups.clear();
}

/// Too few draws for a 90% interval or a posterior: an error at --draws or at the scenario's draws.
void check_draws(const run_request& request, const scenario& spec, std::int64_t minimum, const std::string& what,
                 diagnostics& found) {
    const std::int64_t draws = request.draws ? request.draws->value : spec.draws;
    if (draws >= minimum) return;
    const std::string message = std::to_string(draws) + " draws are too few for " + what + "; expected at least " +
                                std::to_string(minimum) + " (use --draws)";
    if (request.draws) found.error("<command line>", 0, 0, "", "--draws: " + message);
    else spec.where.error(found, "/uncertainty/draws", message);
}

observed_run run_observed(const observed_options& options, std::int64_t default_draws, std::int64_t minimum_draws,
                          const std::string& purpose, const plugin_registry& registry) {
    diagnostics found;
    run_request request = base_request(options.scenario_file, options.parameters, options.draws, options.seed, found);
    auto spec = read_scenario(options.scenario_file, options.variant, found);
    std::unique_ptr<model_graph> graph = spec ? load_model_graph(spec->model_path, found) : nullptr;
    std::optional<observed_data> data;
    if (graph) data = read_observed_csv(options.observed_file, context_of(*graph, *spec), found);
    if (spec && !request.draws && default_draws > 0) {
        request.draws = setting<std::int64_t>{default_draws, option_origin("--draws")};
    }
    if (spec) check_draws(request, *spec, minimum_draws, purpose, found);
    if (found.has_errors() || !data) throw input_error(found);

    report_observed_only(*spec, *data);
    request.scenario_spec = std::move(*spec);
    request.variant = options.variant;
    if (options.model) request.effect_model = setting<std::string>{*options.model, option_origin("--effect-model")};
    request.threads = options.threads;
    request.sustained_course = false;
    auto plan = prepare(request, registry, found);
    refuse_or_warn(plan, found);

    observed_run out;
    out.sha256 = sha256_file(options.observed_file).value_or("");
    progress_by_run progress(options.quiet);
    out.results = execute(std::move(*plan), progress.hooks(kept_draws::all));
    progress.finish();
    if (out.results.cancelled) return out;
    const finished_run& run = out.results.runs.front();
    out.draws = run.draws ? run.draws->draws : 0;
    // Observed means of small groups are data about few students: withheld like projected ones,
    // at the run's threshold (with --no-suppression, nothing is withheld and outputs say so).
    const std::int64_t min_n = out.results.suppression ? run.loaded->spec.report.min_n : 0;
    if (run.draws) out.matches = match_observed(*data, *run.draws, min_n, found);
    if (found.has_errors() || !run.draws) throw input_error(found);
    out.data = std::move(*data);
    return out;
}

std::string run_description(const observed_run& observed, const observed_options& options) {
    const loaded_scenario& loaded = *observed.run().loaded;
    return loaded.spec.name + " (variant " + options.variant + ", effect model " + loaded.model->name + ", " +
           std::to_string(observed.draws) + " draws, seed " + std::to_string(loaded.spec.seed) + ")";
}

void print_monitor_table(const monitor_table& table) {
    std::cout << "  " << cell("subgroup", 22) << cell("year", 5) << cell("outcome", 28) << cell("actual (SE)", 17)
              << cell("projected mean [90% interval]", 30) << cell("predictive 90%", 18) << cell("pctile", 7)
              << cell("inside", 7) << "z\n";
    for (const monitor_row& row : table.rows) {
        const observed_cell& c = row.cell;
        std::cout << "  " << cell(c.subgroup, 22) << cell(std::to_string(c.year), 5) << cell(c.outcome, 28);
        if (row.suppressed) {
            std::cout << cell("withheld", 17) << "withheld: fewer students than the reporting minimum\n";
            continue;
        }
        std::cout << cell(signed_fixed(c.mean, 3) + " (" + fixed(c.standard_error(), 3) + ")", 17);
        std::cout << cell(stats::interval_text(row.projected, 3), 30)
                  << cell(signed_fixed(row.predictive_p05, 3) + ", " + signed_fixed(row.predictive_p95, 3), 18)
                  << cell(fixed(row.percentile, 0), 7) << cell(row.inside ? "yes" : "NO", 7)
                  << signed_fixed(row.standardised_residual, 2) << "\n";
    }
}

void print_coverage(const monitor_table& table) {
    if (table.compared == 0) {
        std::cout << "\nNo cell could be compared: every observed subgroup is below the reporting minimum.\n";
        return;
    }
    std::cout << "\nCoverage: " << table.inside << " of " << table.compared
              << " observed cells inside their 90% predictive interval (" << fixed(100.0 * table.coverage(), 0)
              << "%; an honest projection covers about 90%).\nThe predictive interval is the projection's draws plus "
                 "each cell's measurement error: where the observed value should fall.\nStandardised residuals (actual "
                 "- mean) / sqrt(sd^2 + "
                 "se^2): root mean square "
              << fixed(table.rms_residual, 2) << " (about 1 when honest; well above 1: overconfident or off).\n";
}

}  // namespace

std::filesystem::path monitor_folder(const observed_options& options) {
    if (!options.out.empty()) return options.out;
    // Beside the run's results folder, not in it: a folder pathways' run did not write would be refused by run.
    return std::filesystem::path("out") / (std::filesystem::path(options.scenario_file).stem().string() + "-monitor");
}

void refuse_existing(const std::vector<std::filesystem::path>& paths, bool force) {
    if (force) return;
    diagnostics found;
    for (const auto& path : paths) {
        if (std::filesystem::exists(path))
            found.error(path.string(), 0, 0, "", "output exists; use --force to overwrite it");
    }
    if (found.has_errors()) throw input_error(found);
}

std::string monitor_manifest(const loaded_scenario& loaded, const observed_options& options,
                             const std::vector<std::pair<std::string, std::string>>& files,
                             const json::value& details) {
    run_manifest manifest = manifest_of(loaded, options.command_line, options.threads, true);
    for (const auto& [name, content] : files) add_output(manifest, name, content);
    return manifest_json_text(manifest, details);
}

int monitor_command(const observed_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    // Both files and their manifest are committed together: a full disk or a kill leaves the folder as it was.
    output_set outputs(monitor_folder(options), options.force);
    outputs.refuse_conflicts({"monitor.csv", "monitor.html", "monitor-manifest.json"});
    const observed_run observed = run_observed(options, 0, 20, "a 90% interval", registry);
    if (observed.results.cancelled) return interrupted_exit();
    const monitor_table table = compare_observed(observed.matches, observed.draws);

    std::cout << "Projected vs actual: " << run_description(observed, options)
              << "\nObserved: " << options.observed_file << " (" << observed.data.cells.size()
              << " cells), compared with the plan's course with its cut risk, level metric\n\n";
    print_monitor_table(table);
    print_coverage(table);

    const loaded_scenario& loaded = *observed.run().loaded;
    const monitor_context context{loaded.spec.name, options.variant,  loaded.model->name,      options.observed_file,
                                  observed.sha256,  loaded.spec.seed, loaded.spec.report.min_n};
    const std::vector<std::pair<std::string, std::string>> files{{"monitor.csv", monitor_csv(table)},
                                                                 {"monitor.html", monitor_html(table, context)}};
    for (const auto& [name, content] : files) outputs.stage(name, content);
    json::value details;
    details.set("variant", options.variant)
        .set("observed", options.observed_file)
        .set("observed_sha256", observed.sha256);
    outputs.stage("monitor-manifest.json", monitor_manifest(loaded, options, files, details));
    if (interrupted()) return interrupted_exit();
    outputs.commit();
    const std::filesystem::path& folder = outputs.folder();
    std::cout << "Wrote " << (folder / "monitor.csv").string() << " " << (folder / "monitor.html").string() << " "
              << (folder / "monitor-manifest.json").string() << "\n";
    return exit_ok;
}

namespace {

/// The posterior as a prior `run` can sample. A normal or truncated-normal prior keeps its family and
/// bounds, its location moved by the shift of the draws' mean and its scale by the ratio of their SDs
/// (posterior over prior draws): with data that say nothing the prior comes back unchanged, even where
/// truncation or clamping make the draws' moments differ from the prior's parameters. A lognormal is
/// moment-matched to the posterior; a uniform or beta prior becomes a normal truncated to its bounds
/// with the posterior's mean and SD. A posterior without spread (all weight on one draw) is fixed.
sdk::prior prior_from(const input_posterior& p) {
    const double mean = p.posterior.mean;
    const double sd = p.posterior.sd;
    const sdk::prior& prior = p.input.prior;
    if (!(sd > 0.0) || !(p.prior.sd > 0.0)) return {sdk::prior_kind::fixed, mean, 0.0, 0.0, 0.0};
    const double scale = sd / p.prior.sd;
    switch (prior.kind) {
        case sdk::prior_kind::normal:
        case sdk::prior_kind::truncated_normal:
            return {prior.kind, prior.a + (mean - p.prior.mean), prior.b * scale, prior.lower, prior.upper};
        case sdk::prior_kind::lognormal: {
            const double sigma2 = std::log1p(sd * sd / (mean * mean));
            return {sdk::prior_kind::lognormal, std::log(mean) - sigma2 / 2.0, std::sqrt(sigma2), 0.0, 0.0};
        }
        case sdk::prior_kind::uniform:
        case sdk::prior_kind::beta: return {sdk::prior_kind::truncated_normal, mean, sd, prior.lower, prior.upper};
        case sdk::prior_kind::fixed: break;
    }
    return {sdk::prior_kind::fixed, mean, 0.0, 0.0, 0.0};
}

/// How far the data moved an input: the shift of its mean and the shrinking of its SD, both in prior SDs.
double movement(const input_posterior& p) {
    if (!(p.prior.sd > 0.0)) return 0.0;
    return std::fabs(p.posterior.mean - p.prior.mean) / p.prior.sd + std::fabs(1.0 - p.posterior.sd / p.prior.sd);
}

/// The inputs the data moved most, at most `shown` of them; the file holds them all.
void print_posterior(std::vector<input_posterior> posterior, std::size_t shown) {
    std::stable_sort(posterior.begin(), posterior.end(),
                     [](const auto& a, const auto& b) { return movement(a) > movement(b); });
    const std::size_t rows = std::min(shown, posterior.size());
    std::size_t width = 10;
    for (std::size_t i = 0; i < rows; ++i) width = std::max(width, posterior[i].input.name.size() + 2);
    std::cout << "  " << cell("input (the " + std::to_string(rows) + " the data moved most)", width)
              << cell("prior mean [90% interval]", 30) << cell("posterior mean [90% interval]", 30)
              << "posterior SD / prior SD\n";
    for (std::size_t i = 0; i < rows; ++i) {
        const input_posterior& p = posterior[i];
        const double ratio = p.prior.sd > 0.0 ? p.posterior.sd / p.prior.sd : 1.0;
        std::cout << "  " << cell(p.input.name, width) << cell(stats::interval_text(p.prior, 3), 30)
                  << cell(stats::interval_text(p.posterior, 3), 30) << fixed(ratio, 2) << "\n";
    }
    if (posterior.size() > rows) {
        std::cout << "  ... and " << posterior.size() - rows
                  << " more inputs, moved less (every input is in the parameter file)\n";
    }
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::filesystem::path calibration_path(const observed_options& options, const std::string& model) {
    if (!options.out.empty()) return options.out;
    return std::filesystem::path("out") / std::filesystem::path(options.scenario_file).stem() /
           ("calibration-observed-" + model + ".json");
}

parameter_file calibrated_file(const observed_run& observed, const std::vector<input_posterior>& posterior,
                               const observed_options& options, const observation_error_model& errors, double ess,
                               const std::vector<double>& weights) {
    const loaded_scenario& loaded = *observed.run().loaded;
    parameter_file file;
    file.model = loaded.model->name;
    for (const auto& [name, value] : loaded.spec.parameters) file.parameters.push_back({name, value, {}});
    std::sort(file.parameters.begin(), file.parameters.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const input_posterior& p : posterior) file.priors.push_back({p.input.name, prior_from(p), {}});
    // In name order, as the file reads back (JSON object keys are read sorted).
    std::sort(file.priors.begin(), file.priors.end(), [](const auto& a, const auto& b) { return a.input < b.input; });
    parameter_provenance& provenance = file.provenance;
    provenance.scenario = options.scenario_file;
    provenance.pathways_version = version;
    provenance.observed = options.observed_file;
    provenance.observed_sha256 = observed.sha256;
    provenance.method =
        "importance-weighted posterior over the prior draws: multivariate normal likelihood of the observed cells, "
        "covariance from each cell's se, the students overlapping groups share, a year shock of SD " +
        json::format_number(errors.year_shock_sd) + ", a persistent group shock of SD " +
        json::format_number(errors.persistent_sd) + " and model discrepancy of SD " +
        json::format_number(errors.discrepancy_sd) +
        ", weights normalised in log space; the joint posterior is kept as the prior draws' "
        "weights (posterior_draws), which every command that projects draws from; the priors summarise each input "
        "on its own by its posterior mean and SD, for sensitivity analysis";
    provenance.created = utc_now();
    provenance.draws = static_cast<std::int64_t>(observed.draws);
    provenance.effective_sample_size = std::round(ess * 10.0) / 10.0;
    std::vector<std::string> inputs;
    for (const uncertain_input& input : observed.run().sim->uncertain_inputs()) inputs.push_back(input.name);
    file.posterior = posterior_draws{loaded.spec.seed, loaded.schools.size(), std::move(inputs), weights, ess, {}};
    return file;
}

}  // namespace

namespace {

/// Each shock SD of the likelihood must be a non-negative number; all are reported at once.
void check_error_model(const observation_error_model& errors) {
    diagnostics found;
    const std::pair<const char*, double> settings[] = {{"--discrepancy-sd", errors.discrepancy_sd},
                                                       {"--year-shock-sd", errors.year_shock_sd},
                                                       {"--persistent-sd", errors.persistent_sd}};
    for (const auto& [flag, sd] : settings) {
        if (sd >= 0.0 && std::isfinite(sd)) continue;
        found.error("<command line>", 0, 0, "",
                    std::string(flag) + ": " + json::format_number(sd) +
                        " is not a non-negative number; expected an SD in the outcomes' units, e.g. 0.02, or 0 "
                        "for none");
    }
    if (found.has_errors()) throw input_error(found);
}

/// Whether some year holds more than one compared cell of an outcome, which a year shock would tie together.
bool cells_share_years(const std::vector<observed_match>& matches) {
    std::set<std::pair<int, std::string>> seen;
    for (const observed_match& match : matches) {
        if (match.suppressed) continue;
        if (!seen.insert({match.cell.year, match.cell.outcome}).second) return true;
    }
    return false;
}

}  // namespace

int calibrate_observed_command(const observed_options& options, const observation_error_model& errors,
                               const plugin_options& plugins) {
    check_error_model(errors);
    const plugin_registry registry = load_plugins(plugins);
    {
        // Before the draws run: a file that exists without --force is refused at once (the scenario's
        // own errors are reported with the others by run_observed).
        diagnostics ignored;
        if (const auto spec = read_scenario(options.scenario_file, options.variant, ignored)) {
            refuse_existing({calibration_path(options, options.model.value_or(spec->effect_model))}, options.force);
        }
    }
    const observed_run observed =
        run_observed(options, default_calibration_draws, 100, "an importance-weighted posterior", registry);
    if (observed.results.cancelled) return interrupted_exit();
    const loaded_scenario& loaded = *observed.run().loaded;
    const std::filesystem::path out = calibration_path(options, loaded.model->name);

    importance_weights weights = weigh_draws(observed.matches, errors);
    if (!options.ratings_file.empty()) weigh_by_ratings(weights, observed.run(), options.ratings_file);
    const std::vector<input_posterior> posterior =
        posterior_of_inputs(*observed.run().sim, loaded.spec.seed, weights.weights);
    std::cout << "Calibrating " << run_description(observed, options) << "\nagainst " << options.observed_file << " ("
              << weights.cells << " cells in the likelihood; shocks beside each cell's se: year "
              << json::format_number(errors.year_shock_sd) << ", persistent "
              << json::format_number(errors.persistent_sd) << ", model discrepancy "
              << json::format_number(errors.discrepancy_sd) << " SD)\n\n";
    if (errors.year_shock_sd == 0.0 && cells_share_years(observed.matches)) {
        std::cerr << "pathways: warning: the groups of one year share no shock in this likelihood (--year-shock-sd "
                     "0): if a test form, a scoring change or a cohort moved every group of a year together, the "
                     "posterior is too confident; give --year-shock-sd the size of that year-to-year movement\n";
    }
    if (posterior.empty()) {
        std::cout << "The scenario has no uncertain input: nothing to calibrate.\n";
        return exit_ok;
    }
    print_posterior(posterior, 15);
    std::cout << "\nEffective sample size (Kish): " << fixed(weights.effective_sample_size, 1) << " of "
              << observed.draws << " draws\n";
    if (effective_sample_collapsed(weights.effective_sample_size, observed.draws)) {
        std::cerr << "pathways: warning: the effective sample size collapsed ("
                  << fixed(weights.effective_sample_size, 1) << " of " << observed.draws
                  << " draws, below 50 or 1%): a few draws carry almost all the weight, so the posterior above is "
                     "unreliable and its intervals too narrow. Run more draws (--draws), or, if more draws do not "
                     "help, the observed data disagree with every draw: check the data, or allow for model "
                     "discrepancy (--discrepancy-sd)\n";
    }
    parameter_file file =
        calibrated_file(observed, posterior, options, errors, weights.effective_sample_size, weights.weights);
    if (!options.ratings_file.empty()) file.provenance.method += ratings_method(options.ratings_file);
    if (!out.parent_path().empty()) std::filesystem::create_directories(out.parent_path());
    write_file_atomically(out, parameter_file_json(file), options.force);
    std::cout << "Wrote " << out.string() << " (use it with --set-file)\n";
    return exit_ok;
}

namespace {

/// monitor compares outcomes (--observed, monitor_command), ratings (--implementation,
/// monitor_implementation_command) or both, outcomes first.
command_action declare_monitor(CLI::App& command) {
    auto options = std::make_shared<observed_options>();
    auto ratings = std::make_shared<std::string>();
    auto plugins = std::make_shared<plugin_options>();
    command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
    command.add_option("--observed", options->observed_file, "Observed outcomes (CSV)");
    command.add_option("--implementation", *ratings,
                       "Schools' ratings on the practices and drivers (CSV): each against the plan's ramp");
    command.add_option("--variant", options->variant, "Variant to compare (default: base)");
    command.add_option("--effect-model", options->model, "Effect model (plugin) to use instead of the scenario's");
    add_parameter_options(command, options->parameters);
    add_draws_option(command, options->draws, "Monte Carlo draws; overrides the scenario");
    add_seed_option(command, options->seed, "Random seed; overrides the scenario");
    add_threads_option(command, options->threads);
    command.add_option("--out", options->out,
                       "Folder for monitor.csv and monitor.html (default: out/<scenario>-monitor)");
    command.add_flag("--force", options->force, "Overwrite existing outputs");
    add_quiet_flag(command, options->quiet);
    add_plugin_options(command, *plugins);
    return [options, ratings, plugins](int argc, char** argv) {
        options->threads = worker_threads(options->threads);
        options->command_line.assign(argv, argv + argc);
        if (ratings->empty() && options->observed_file.empty()) {
            diagnostics found;
            found.error("<command line>", 0, 0, "",
                        "nothing to monitor; expected --observed (outcomes), --implementation (ratings) or both");
            throw input_error(found);
        }
        if (ratings->empty() || !options->observed_file.empty()) {
            const int code = monitor_command(*options, *plugins);
            if (code != exit_ok || ratings->empty()) return code;
        }
        return monitor_implementation_command(*options, *ratings, *plugins);
    };
}

const command_registration registration{{
    .order = 150,
    .name = "monitor",
    .description = "Compare a scenario's projection with observed outcomes, cell by cell",
    .examples = "pathways monitor scenarios/denver-scale-up.json "
                "--observed scenarios/observed/denver-pilot-2017-2019-synthetic.csv\n"
                "  pathways monitor scenarios/denver-pilot-2015.json "
                "--implementation scenarios/observed/denver-pilot-ratings-2015-2019-synthetic.csv",
    .declare = declare_monitor,
}};

}  // namespace

}  // namespace pathways::cli
