// compare and compare-models: run several what-ifs (or effect models) on the same draws and set
// them side by side with paired differences.
#include "compare_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "calibrate_command.hpp"
#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "engine/cost_effectiveness.hpp"
#include "engine/costs.hpp"
#include "report/cost_effectiveness_report.hpp"
#include "report/evidence_caveat.hpp"
#include "report/output_files.hpp"
#include "report/projection_writer.hpp"
#include "report/run_writers.hpp"
#include "run/manifest.hpp"
#include "run/ranks.hpp"
#include "run_options.hpp"
#include "run_summary.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

std::string summary_fields(const stats::summary& s, bool suppressed) {
    if (suppressed) return ",,,,,";
    return format_value(s.mean) + "," + format_value(s.sd) + "," + format_value(s.p05) + "," + format_value(s.p50) +
           "," + format_value(s.p95) + "," + format_value(s.prob_positive);
}

/// A display name per scenario file: its stem, with the variant, unique among the runs.
std::vector<std::string> run_names(const std::vector<std::string>& files, const std::string& variant) {
    std::vector<std::string> names;
    std::set<std::string> taken;
    for (const std::string& file : files) {
        std::string base = std::filesystem::path(file).stem().string();
        if (variant != "base") base += ":" + variant;
        std::string name = base;
        for (int copy = 2; taken.contains(name); ++copy) name = base + " (" + std::to_string(copy) + ")";
        taken.insert(name);
        names.push_back(name);
    }
    return names;
}

/// Gives every run the first run's seed and draw count so the draws pair up; says so when it changes one.
void align_draws(std::vector<run_plan>& plans, const std::vector<std::string>& names) {
    const loaded_scenario& first = *plans.front().runs.front().loaded;
    for (std::size_t i = 1; i < plans.size(); ++i) {
        scenario& spec = plans[i].runs.front().loaded->spec;
        if (spec.seed != first.spec.seed) {
            std::cerr << "pathways: note: " << names[i] << " uses seed " << spec.seed << "; using " << names[0]
                      << "'s seed " << first.spec.seed << " for every run so the draws pair up\n";
            spec.seed = first.spec.seed;
        }
        if (spec.draws != first.spec.draws) {
            std::cerr << "pathways: note: " << names[i] << " asks for " << spec.draws << " draws; using " << names[0]
                      << "'s " << first.spec.draws << " for every run so the draws pair up\n";
            spec.draws = first.spec.draws;
        }
    }
}

/// Paired differences of scenarios with other horizons or effect models mix what the plan changes
/// with what the model or the calendar changes; that may be the point, but it should not go unnoticed.
/// Scenarios whose horizons share no year have nothing to pair: refused before anything runs.
void note_differences(const std::vector<run_plan>& plans, const std::vector<std::string>& names) {
    const loaded_scenario& first_run = *plans.front().runs.front().loaded;
    const scenario& first = first_run.spec;
    diagnostics disjoint;
    for (std::size_t i = 1; i < plans.size(); ++i) {
        const loaded_scenario& run = *plans[i].runs.front().loaded;
        const scenario& spec = run.spec;
        const int last = spec.start_year + spec.years - 1;
        const int first_last = first.start_year + first.years - 1;
        if (spec.start_year > first_last || last < first.start_year) {
            disjoint.error(names[i], 0, 0, "",
                           "projects " + std::to_string(spec.start_year) + "-" + std::to_string(last) + " and " +
                               names[0] + " projects " + std::to_string(first.start_year) + "-" +
                               std::to_string(first_last) +
                               ": no year in common to compare; expected scenarios whose horizons overlap");
            continue;
        }
        if (spec.start_year != first.start_year || spec.years != first.years) {
            std::cerr << "pathways: warning: " << names[i] << " projects " << spec.start_year << " for " << spec.years
                      << " years but " << names[0] << " projects " << first.start_year << " for " << first.years
                      << "; their differences mix the plans with the calendar\n";
        }
        if (run.model->name != first_run.model->name) {
            std::cerr << "pathways: warning: " << names[i] << " uses effect model '" << run.model->name << "' but "
                      << names[0] << " uses '" << first_run.model->name
                      << "'; differences mix the plans with the models (compare-models compares models on one plan)\n";
        }
    }
    if (disjoint.has_errors()) throw input_error(disjoint);
}

/// Runs every plan in order into one set of results (with per-draw values for the paired
/// differences); the results are cancelled when any run was.
run_results run_all(std::vector<run_plan> plans, bool quiet) {
    progress_by_run progress(quiet);
    run_results all;
    for (run_plan& plan : plans) {
        run_results results = execute(std::move(plan), progress.hooks(kept_draws::all));
        all.suppression = results.suppression;
        all.for_release = results.for_release;
        all.threads = results.threads;
        all.command_line = results.command_line;
        for (finished_run& run : results.runs) all.runs.push_back(std::move(run));
        if (results.cancelled) {
            all.cancelled = true;
            break;
        }
    }
    progress.finish();
    return all;
}

std::vector<labelled_run> labelled_runs(const run_results& results) {
    std::vector<labelled_run> runs;
    for (const finished_run& run : results.runs) runs.push_back(*run.draws);
    return runs;
}

/// Stages `table` and the manifest and renames both into place; false when interrupted first.
bool write_outputs(output_set& outputs, const std::string& table_name, const std::string& table,
                   const run_results& results) {
    run_manifest manifest = manifest_of(results, true);
    add_output(manifest, table_name, table);
    outputs.stage(table_name, table);
    outputs.stage("manifest.json", manifest_json_text(manifest));
    if (interrupted()) return false;
    outputs.commit();
    return true;
}

std::vector<std::string> split_models(const std::string& text, const plugin_registry& registry) {
    std::vector<std::string> models;
    diagnostics found;
    std::stringstream stream(text);
    for (std::string name; std::getline(stream, name, ',');) {
        if (name.empty()) {
            found.error("<command line>", 0, 0, "", "--models has an empty name; expected names separated by commas");
        } else if (std::find(models.begin(), models.end(), name) != models.end()) {
            found.error("<command line>", 0, 0, "", "--models lists '" + name + "' twice; expected each model once");
        } else if (registry.find(name) == nullptr) {
            found.error("<command line>", 0, 0, "", registry.unknown_model_message(name));
        }
        models.push_back(name);
    }
    if (models.empty()) found.error("<command line>", 0, 0, "", "--models is empty; expected e.g. linear,saturating");
    if (found.has_errors()) throw input_error(found);
    return models;
}

/// Key subgroups of the table: the whole district and every gap's focal and reference group, in row order.
std::vector<std::string> key_subgroups(const comparison& compared) {
    std::vector<std::string> groups{"all"};
    auto add = [&](const std::string& name) {
        if (std::find(groups.begin(), groups.end(), name) == groups.end()) groups.push_back(name);
    };
    for (const gap_race& gap : compared.gaps) {
        add(gap.focal);
        add(gap.reference);
    }
    return groups;
}

std::string gap_lines(const comparison& compared) {
    if (compared.gaps.empty() || compared.runs.size() < 2) return "";
    std::ostringstream out;
    out << "\nWhich run closes which gap most by " << compared.final_year
        << ": percent of the starting gap closed (mean; negative: it widens), P = share of draws where it is closed\n";
    for (const gap_race& gap : compared.gaps) {
        out << "  " << gap.focal << " vs " << gap.reference << ", " << gap.outcome << ": ";
        // A run that narrows nothing closes nothing: the least widening is not a closing.
        if (gap.closed_pct[gap.best] <= 0.0)
            out << "no run closes it; " << compared.runs[gap.best] << " widens it least";
        else out << compared.runs[gap.best];
        if (gap.best != 0)
            out << ", " << stats::interval_text(gap.best_versus_first, 2) << " pts vs " << compared.runs[0];
        out << "\n     ";
        for (std::size_t r = 0; r < compared.runs.size(); ++r) {
            out << (r ? " |" : "") << " " << compared.runs[r]
                << fmt::format(" {:+.2f}% (P {:.2f})", gap.closed_pct[r], gap.closes_probability[r]);
        }
        out << "\n";
    }
    return out.str();
}

/// "equal weights" or "weights linear=0.75, evidence=0.25" (normalised).
std::string weights_text(const model_comparison& compared) {
    if (compared.equal_weights) return "equal weights";
    std::string text = "weights ";
    for (std::size_t m = 0; m < compared.models.size(); ++m) {
        text += (m ? ", " : "") + compared.models[m] + "=" + format_value(compared.weights[m]);
    }
    return text;
}

std::string mixture_label(const model_comparison& compared) {
    return "mixture of models (" + weights_text(compared) + ")";
}

/// `--weights NAME=NUMBER,...`; every malformed item is reported.
std::vector<std::pair<std::string, double>> parse_weights(const std::string& text) {
    std::vector<std::pair<std::string, double>> weights;
    if (text.empty()) return weights;
    diagnostics found;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
        const auto equals = item.find('=');
        const std::string number = equals == std::string::npos ? "" : item.substr(equals + 1);
        char* end = nullptr;
        const double weight = std::strtod(number.c_str(), &end);
        if (equals == std::string::npos || equals == 0 || number.empty() || *end != '\0') {
            found.error("<command line>", 0, 0, "",
                        "--weights item '" + item + "' is malformed; expected MODEL=NUMBER");
            continue;
        }
        weights.emplace_back(item.substr(0, equals), weight);
    }
    if (found.has_errors()) throw input_error(found);
    return weights;
}

/// Checks `--weights` against the compared models before anything runs.
std::vector<std::pair<std::string, double>> checked_weights(const std::string& text,
                                                            const std::vector<std::string>& models) {
    const auto weights = parse_weights(text);
    try {
        mixture_weights(models, weights);
    } catch (const std::invalid_argument& e) {
        diagnostics found;
        found.error("<command line>", 0, 0, "", std::string("--weights: ") + e.what());
        throw input_error(found);
    }
    return weights;
}

std::string model_columns(const model_comparison& compared, const model_row& row) {
    std::string line;
    for (std::size_t m = 0; m < compared.models.size(); ++m) {
        line += cell(signed_fixed(row.models[m].mean, 4), std::max<std::size_t>(compared.models[m].size(), 8));
    }
    return line;
}

std::string model_header(const model_comparison& compared) {
    std::string line;
    for (const std::string& model : compared.models) line += cell(model, std::max<std::size_t>(model.size(), 8));
    return line;
}

std::string models_table(const model_comparison& compared, const std::string& scenario_name, std::size_t top) {
    std::ostringstream out;
    out << scenario_name << " — " << compared.models.size() << " effect models on the same " << compared.draws
        << (compared.draws == 1 ? " run" : " draws") << ", year " << compared.year << ", " << to_string(compared.metric)
        << " vs business as usual (SD), mean [90% interval]\n"
        << "The mixture pools every model's draws (" << weights_text(compared)
        << "): its interval holds each model's own uncertainty and their disagreement.\n";
    for (const model_row& row : compared.rows) {
        if (row.subgroup != "all" || row.suppressed) continue;
        out << "\n" << row.outcome << ", all students\n";
        for (std::size_t m = 0; m < compared.models.size(); ++m) {
            out << "  " << cell(compared.models[m], 36) << stats::interval_text(row.models[m], 4) << "\n";
        }
        out << "  " << cell(mixture_label(compared), 36) << stats::interval_text(row.mixture, 4) << "   spread "
            << fixed(row.spread, 4) << "\n";
    }
    out << "\nWhere they disagree most (spread = largest minus smallest model mean):\n  " << cell("outcome", 28)
        << cell("subgroup", 22) << cell("spread", 8) << model_header(compared) << "mixture [90%]\n";
    std::size_t shown = 0;
    for (const std::size_t i : compared.by_spread) {
        const model_row& row = compared.rows[i];
        if (row.suppressed || shown == top) break;
        out << "  " << cell(row.outcome, 28) << cell(row.subgroup, 22) << cell(fixed(row.spread, 4), 8)
            << model_columns(compared, row) << stats::interval_text(row.mixture, 4) << "\n";
        ++shown;
    }
    return out.str();
}

std::string models_csv(const model_comparison& compared) {
    std::string out = "year,subgroup,outcome,metric,model,mean,sd,p05,p50,p95,prob_positive,spread,rank\n";
    std::vector<std::size_t> rank(compared.rows.size());
    for (std::size_t r = 0; r < compared.by_spread.size(); ++r) rank[compared.by_spread[r]] = r + 1;
    for (std::size_t i = 0; i < compared.rows.size(); ++i) {
        const model_row& row = compared.rows[i];
        const std::string prefix = std::to_string(compared.year) + "," + csv_field(row.subgroup) + "," +
                                   csv_field(row.outcome) + "," + std::string(to_string(compared.metric)) + ",";
        const std::string suffix = "," + (row.suppressed ? std::string() : format_value(row.spread)) + "," +
                                   (row.suppressed ? std::string() : std::to_string(rank[i])) + "\n";
        for (std::size_t m = 0; m < compared.models.size(); ++m) {
            out +=
                prefix + csv_field(compared.models[m]) + "," + summary_fields(row.models[m], row.suppressed) + suffix;
        }
        out += prefix + csv_field(mixture_label(compared)) + "," + summary_fields(row.mixture, row.suppressed) + suffix;
    }
    return out;
}

}  // namespace

std::string comparison_table(const comparison& compared) {
    std::map<row_key, const comparison_row*> effects;
    for (const comparison_row& row : compared.rows) {
        if (row.key.metric == metric::effect && row.key.year == compared.final_year && row.academic)
            effects.emplace(row.key, &row);
    }
    std::vector<std::string> outcomes;
    for (const comparison_row& row : compared.rows) {
        if (row.academic && std::find(outcomes.begin(), outcomes.end(), row.key.outcome) == outcomes.end()) {
            outcomes.push_back(row.key.outcome);
        }
    }
    std::ostringstream out;
    out << "Side by side, year " << compared.final_year
        << ": effect vs business as usual (SD), mean [90% interval] over " << compared.draws
        << (compared.draws == 1 ? " run" : " draws") << "; difference paired with " << compared.runs[0]
        << " on the same draws\n";
    for (const std::string& outcome : outcomes) {
        out << "\n"
            << outcome << "\n  " << cell("subgroup", 22) << cell("run", 26) << cell("effect", 28) << "vs "
            << compared.runs[0] << "\n";
        for (const std::string& group : key_subgroups(compared)) {
            const auto found = effects.find({compared.final_year, group, outcome, metric::effect, ""});
            if (found == effects.end()) continue;
            const comparison_row& row = *found->second;
            if (row.suppressed) {
                out << "  " << cell(group, 22) << "suppressed (fewer than min_n students)\n";
                continue;
            }
            for (std::size_t r = 0; r < compared.runs.size(); ++r) {
                out << "  " << cell(r == 0 ? group : "", 22) << cell(compared.runs[r], 26)
                    << cell(stats::interval_text(row.runs[r], 4), 28);
                if (r != 0) {
                    out << stats::interval_text(row.differences[r], 4) << "  P(>0) "
                        << fixed(row.differences[r].prob_positive, 2);
                }
                out << "\n";
            }
        }
    }
    return out.str() + gap_lines(compared);
}

std::string comparison_csv(const comparison& compared) {
    std::string out = "year,subgroup,outcome,metric,reference,run,versus,mean,sd,p05,p50,p95,prob_positive\n";
    for (const comparison_row& row : compared.rows) {
        const std::string prefix = std::to_string(row.key.year) + "," + csv_field(row.key.subgroup) + "," +
                                   csv_field(row.key.outcome) + "," + std::string(to_string(row.key.metric)) + "," +
                                   csv_field(row.key.reference) + ",";
        for (std::size_t r = 0; r < compared.runs.size(); ++r) {
            out += prefix + csv_field(compared.runs[r]) + ",," + summary_fields(row.runs[r], row.suppressed) + "\n";
        }
        for (std::size_t r = 1; r < compared.runs.size(); ++r) {
            out += prefix + csv_field(compared.runs[r]) + "," + csv_field(compared.runs[0]) + "," +
                   summary_fields(row.differences[r], row.suppressed) + "\n";
        }
    }
    return out;
}

std::vector<run_plan> prepare_all(const std::vector<run_request>& requests, const plugin_registry& registry) {
    diagnostics found;
    std::vector<run_plan> plans;
    for (const run_request& request : requests) {
        if (auto plan = prepare(request, registry, found)) plans.push_back(std::move(*plan));
    }
    if (found.has_errors() || plans.size() != requests.size()) throw input_error(found);
    print_diagnostics(found, diagnostic_format::text);  // warnings: a joint posterior from a collapsed sample
    audit_together(plans);  // one output publishes every run: no group may be given away across them
    return plans;
}

/// Every compared run's cost and, for those that are plans, cost-effectiveness on the same draws (in the
/// first run's currency and prices; empty when it has no costs).
std::string compared_costs(const run_results& results, const std::string& headline) {
    const finished_run& first = results.runs.front();
    const cost_settings costs = plan_costs(first.loaded->district, first.loaded->spec);
    if (costs.items.empty()) return "";
    const std::vector<result_run> runs = result_runs(results);
    const std::vector<costed_run> costed = costed_runs(results, runs);
    const plans_for_analysis plans = plans_of(results, headline);
    cost_effectiveness_analysis analysis;
    if (!plans.plans.empty())
        analysis = analyse_cost_effectiveness(plans.plans, first.loaded->spec.seed, default_willingness_to_pay());
    return costs_and_effectiveness_text(costed, analysis, plans.variants, costs, headline);
}

/// The one-screen summary of a comparison: the final year of every run, the first scenario's headline outcome.
std::string compare_summary(const comparison& compared, const run_results& results) {
    std::vector<summarized_run> summarized;
    for (const finished_run& run : results.runs)
        summarized.push_back(year_for_summary(*run.draws, compared.final_year));
    const finished_run& first = results.runs.front();
    const bool one_model = std::all_of(results.runs.begin(), results.runs.end(), [&](const finished_run& run) {
        return run.loaded->model == first.loaded->model;
    });
    const run_summary_context context{"Scenarios compared",
                                      one_model ? first.loaded->model->name : "",
                                      headline_outcome(*first.sim),
                                      {},
                                      compared.draws,
                                      results.for_release,
                                      evidence_caveat_text(first.sim->graph().definition()),
                                      gate_lines(results.runs)};
    return run_summary(summarized, context) + compared_costs(results, context.headline) +
           "\nEvery subgroup and outcome side by side: --detail, or --out for the file.\n";
}

int compare_command(const compare_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const std::vector<std::string> names = run_names(options.scenario_files, options.variant);
    const unsigned threads = worker_threads(options.threads);
    diagnostics found;
    std::vector<run_request> requests;
    for (std::size_t i = 0; i < options.scenario_files.size(); ++i) {
        run_request request =
            base_request(options.scenario_files[i], options.parameters, options.draws, options.seed, found);
        request.variant = options.variant;
        request.label = names[i];
        request.threads = threads;
        request.sustained_course = false;
        request.command_line = options.command_line;
        apply_split(options.split, request, found);
        requests.push_back(std::move(request));
        if (found.has_errors()) throw input_error(found);
    }
    std::vector<run_plan> plans = prepare_all(requests, registry);
    align_draws(plans, names);
    note_differences(plans, names);

    std::optional<output_set> outputs;
    if (!options.out_dir.empty() && is_root_rank()) {  // rank 0 writes
        outputs.emplace(options.out_dir, options.force);
        outputs->refuse_conflicts({"comparison.csv", "manifest.json"});
    }
    const run_results results = run_all(std::move(plans), options.quiet);
    if (results.cancelled) return interrupted_exit();
    if (!is_root_rank()) return exit_ok;  // its draws are on rank 0
    const comparison compared = compare_runs(labelled_runs(results));
    if (outputs && !write_outputs(*outputs, "comparison.csv", comparison_csv(compared), results))
        return interrupted_exit();
    if (options.detail) std::cout << comparison_table(compared);
    else std::cout << compare_summary(compared, results);
    if (outputs)
        std::cout << "Wrote " << (outputs->folder() / "comparison.csv").string() << ' '
                  << (outputs->folder() / "manifest.json").string() << '\n';
    return exit_ok;
}

int compare_models_command(const compare_models_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const std::vector<std::string> models = split_models(options.models, registry);
    // Given weights are checked before anything runs; by default the mixture weighs each model by how
    // well it reproduces the anchors.
    std::vector<std::pair<std::string, double>> weights;
    if (!options.weights.empty() && options.weights != "equal") weights = checked_weights(options.weights, models);
    const unsigned threads = worker_threads(options.threads);
    diagnostics found;
    std::vector<run_request> requests;
    for (const std::string& model : models) {
        run_request request =
            base_request(options.scenario_file, options.parameters, options.draws, options.seed, found);
        if (found.has_errors()) throw input_error(found);
        request.variant = options.variant;
        request.label = model;
        request.effect_model = setting<std::string>{model, option_origin("--models")};
        request.skip_settings_of_other_models = true;
        request.threads = threads;
        request.sustained_course = false;
        request.command_line = options.command_line;
        apply_split(options.split, request, found);
        if (found.has_errors()) throw input_error(found);
        requests.push_back(std::move(request));
    }
    std::vector<const model_handle*> handles;
    for (const std::string& model : models) handles.push_back(registry.find(model));
    check_settings_apply(requests.front().parameters, handles);
    std::vector<run_plan> plans = prepare_all(requests, registry);
    std::optional<output_set> outputs;
    if (!options.out_dir.empty() && is_root_rank()) {  // rank 0 writes
        outputs.emplace(options.out_dir, options.force);
        outputs->refuse_conflicts({"models.csv", "manifest.json"});
    }
    const run_results results = run_all(std::move(plans), options.quiet);
    if (results.cancelled) return interrupted_exit();
    if (!is_root_rank()) return exit_ok;  // its draws are on rank 0
    std::string weights_basis = "weights as given by --weights";
    if (options.weights == "equal") {
        weights_basis = "equal weights, as asked";
    } else if (options.weights.empty()) {
        if (const auto fitted = anchor_likelihood_weights(options.scenario_file, models, registry)) {
            weights = fitted->weights;
            weights_basis = "proportional to each model's likelihood of the " + std::to_string(fitted->anchors) +
                            " published anchors (exp(-z^2/2) summed; each model at its defaults with every school "
                            "fully implementing); --weights equal for equal weights";
        } else {
            weights_basis = "equal: no published anchor names an outcome of this theory of change";
        }
    }
    const model_comparison compared = compare_models(labelled_runs(results), metric::effect, weights);
    if (outputs && !write_outputs(*outputs, "models.csv", models_csv(compared), results)) return interrupted_exit();
    std::cout << models_table(compared, results.runs.front().loaded->spec.name, options.top)
              << "Mixture weights: " << weights_basis << ".\n";
    if (outputs)
        std::cout << "Wrote " << (outputs->folder() / "models.csv").string() << ' '
                  << (outputs->folder() / "manifest.json").string() << '\n';
    return exit_ok;
}

namespace {

const command_registration compare_registration{{
    .order = 160,
    .name = "compare",
    .description = "Run several scenarios on the same draws, side by side with paired differences",
    .examples = "pathways compare scenarios/denver-scale-up.json scenarios/denver-pilot-2015.json --draws 200\n"
                "  pathways compare scenarios/denver-scale-up.json scenarios/national-baseline.json --detail",
    .projects = true,
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<compare_options>();
        auto plugins = std::make_shared<plugin_options>();
        command
            .add_option("scenarios", options->scenario_files,
                        "Scenario files; the first is what the others are compared with")
            ->required();
        add_parameter_options(command, options->parameters);
        command.add_option("--variant", options->variant, "Variant of every scenario to run (default: base)");
        add_draws_option(command, options->draws, "Monte Carlo draws; overrides the scenarios");
        add_seed_option(command, options->seed, "Random seed for every run (default: the first scenario's)");
        add_threads_option(command, options->threads);
        command.add_option("--out", options->out_dir,
                           "Folder for comparison.csv and manifest.json (default: print only)");
        command.add_flag("--force", options->force, "Overwrite existing outputs");
        add_quiet_flag(command, options->quiet);
        command.add_flag("--detail", options->detail,
                         "Print every subgroup and outcome side by side, not the one-screen summary");
        add_split_options(command, options->split);
        add_plugin_options(command, *plugins);
        return [options, plugins](int argc, char** argv) {
            options->command_line.assign(argv, argv + argc);
            return compare_command(*options, *plugins);
        };
    },
}};

const command_registration compare_models_registration{{
    .order = 170,
    .name = "compare-models",
    .description = "Run one scenario under several effect models on the same draws",
    .examples = "pathways compare-models scenarios/rand-2017-check.json --models linear,lagged",
    .projects = true,
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<compare_models_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
        command.add_option("--models", options->models,
                           "Effect models, comma-separated (default: linear,saturating,lagged,subgroup,evidence)");
        command.add_option(
            "--weights", options->weights,
            "Weights of the models in the mixture, e.g. linear=0.5,evidence=0.5, or equal (default: each model's "
            "likelihood of the published anchors)");
        add_parameter_options(command, options->parameters);
        command.add_option("--variant", options->variant, "Variant to run (default: base)");
        add_draws_option(command, options->draws, "Monte Carlo draws; overrides the scenario");
        add_seed_option(command, options->seed, "Random seed; overrides the scenario");
        add_threads_option(command, options->threads);
        command.add_option("--out", options->out_dir, "Folder for models.csv and manifest.json (default: print only)");
        command.add_flag("--force", options->force, "Overwrite existing outputs");
        add_quiet_flag(command, options->quiet);
        add_split_options(command, options->split);
        add_plugin_options(command, *plugins);
        return [options, plugins](int argc, char** argv) {
            options->command_line.assign(argv, argv + argc);
            return compare_models_command(*options, *plugins);
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
