// compare and compare-models: run several what-ifs (or effect models) on the same draws and set
// them side by side with paired differences.
#include "common/version.hpp"
#include "compare_command.hpp"
#include "run_summary.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "thread_count.hpp"
#include "common/sha256.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "report/output_files.hpp"
#include "report/projection_writer.hpp"

namespace pathways::cli {
namespace {

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%+.*f", decimals, value);
    return buffer;
}

std::string plain(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string interval(const stats::summary& s, int decimals) {
    return fixed(s.mean, decimals) + " [" + fixed(s.p05, decimals) + ", " + fixed(s.p95, decimals) + "]";
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text + ' ';
}

std::string summary_fields(const stats::summary& s, bool suppressed) {
    if (suppressed) return ",,,,,";
    return format_value(s.mean) + "," + format_value(s.sd) + "," + format_value(s.p05) + "," + format_value(s.p50) + "," +
           format_value(s.p95) + "," + format_value(s.prob_positive);
}

/// Runs one loaded scenario's draws and names its rows; nullopt when interrupted.
std::optional<labelled_run> run_labelled(const std::string& name, const loaded_scenario& loaded, unsigned threads, bool quiet) {
    diagnostics found;
    const simulation sim({*loaded.graph, loaded.district, loaded.schools, loaded.cells, loaded.spec, *loaded.model}, found);
    if (found.has_errors()) throw input_error(found);
    progress_display progress(name, quiet);
    const projection_options projection{loaded.spec.draws, loaded.spec.seed, threads, loaded.spec.report.min_n, true,
                                        progress.callback(), &interrupted()};
    const projection_draws draws = run_draws(sim, loaded.spec, projection);
    if (draws.cancelled) return std::nullopt;
    return label_draws(name, comparable_rows(draws), sim, loaded.spec.start_year);
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
void align_draws(std::vector<loaded_scenario>& scenarios, const std::vector<std::string>& names) {
    const loaded_scenario& first = scenarios.front();
    for (std::size_t i = 1; i < scenarios.size(); ++i) {
        scenario& spec = scenarios[i].spec;
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
void note_differences(const std::vector<loaded_scenario>& scenarios, const std::vector<std::string>& names) {
    const scenario& first = scenarios.front().spec;
    for (std::size_t i = 1; i < scenarios.size(); ++i) {
        const scenario& spec = scenarios[i].spec;
        if (spec.start_year != first.start_year || spec.years != first.years) {
            std::cerr << "pathways: warning: " << names[i] << " projects " << spec.start_year << " for " << spec.years
                      << " years but " << names[0] << " projects " << first.start_year << " for " << first.years
                      << "; their differences mix the plans with the calendar\n";
        }
        if (scenarios[i].model->name != scenarios.front().model->name) {
            std::cerr << "pathways: warning: " << names[i] << " uses effect model '" << scenarios[i].model->name << "' but "
                      << names[0] << " uses '" << scenarios.front().model->name
                      << "'; differences mix the plans with the models (compare-models compares models on one plan)\n";
        }
    }
}

void check_outputs(const output_set& outputs, const std::vector<std::string>& names) {
    diagnostics found;
    for (const std::string& path : outputs.conflicts(names)) found.error(path, 0, 0, "", "output exists; use --force to overwrite it");
    if (found.has_errors()) throw input_error(found);
}

struct manifest_run {
    std::string name;
    const loaded_scenario* loaded = nullptr;
};

std::string manifest_json(const std::vector<std::string>& command_line, const std::vector<manifest_run>& runs,
                          unsigned threads, const std::vector<std::pair<std::string, std::string>>& outputs) {
    const scenario& first = runs.front().loaded->spec;
    std::ostringstream out;
    out << "{\n  \"pathways_version\": " << json_quote(version) << ",\n  \"sdk_abi\": " << sdk::abi_version
        << ",\n  \"build\": " << json_quote(PATHWAYS_BUILD_FINGERPRINT) << ",\n  \"command_line\": [";
    for (std::size_t i = 0; i < command_line.size(); ++i) out << (i ? ", " : "") << json_quote(command_line[i]);
    out << "],\n  \"seed\": " << first.seed << ",\n  \"draws\": " << first.draws << ",\n  \"threads\": " << threads
        << ",\n  \"runs\": [";
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const loaded_scenario& loaded = *runs[i].loaded;
        out << (i ? "," : "") << "\n    {\"name\": " << json_quote(runs[i].name) << ", \"scenario\": " << json_quote(loaded.spec.name)
            << ", \"variant\": " << json_quote(loaded.spec.variant) << ", \"file\": " << json_quote(loaded.spec.file)
            << ", \"sha256\": " << json_quote(sha256_file(loaded.spec.file).value_or("unreadable"))
            << ", \"effect_model\": {\"name\": " << json_quote(loaded.model->name)
            << ", \"version\": " << json_quote(loaded.model->version) << ", \"pinned\": {";
        for (std::size_t p = 0; p < loaded.spec.parameters.size(); ++p) {
            out << (p ? ", " : "") << json_quote(loaded.spec.parameters[p].first) << ": "
                << format_value(loaded.spec.parameters[p].second);
        }
        out << "}}}";
    }
    out << "\n  ],\n  \"outputs\": {";
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        out << (i ? ", " : "") << json_quote(outputs[i].first) << ": " << json_quote(sha256_hex(outputs[i].second));
    }
    out << "}\n}\n";
    return out.str();
}

/// Stages `table` and the manifest and renames both into place; false when interrupted first.
bool write_outputs(output_set& outputs, const std::string& table_name, const std::string& table,
                   const std::vector<std::string>& command_line, const std::vector<manifest_run>& runs, unsigned threads) {
    const std::vector<std::pair<std::string, std::string>> written{{table_name, table}};
    outputs.stage(table_name, table);
    outputs.stage("manifest.json", manifest_json(command_line, runs, threads, written));
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
        out << "  " << gap.focal << " vs " << gap.reference << ", " << gap.outcome << ": " << compared.runs[gap.best];
        if (gap.best != 0) out << ", " << interval(gap.best_versus_first, 2) << " pts vs " << compared.runs[0];
        out << "\n     ";
        for (std::size_t r = 0; r < compared.runs.size(); ++r) {
            char value[64];
            std::snprintf(value, sizeof value, " %+.2f%% (P %.2f)", gap.closed_pct[r], gap.closes_probability[r]);
            out << (r ? " |" : "") << " " << compared.runs[r] << value;
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

std::string mixture_label(const model_comparison& compared) { return "mixture of models (" + weights_text(compared) + ")"; }

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
            found.error("<command line>", 0, 0, "", "--weights item '" + item + "' is malformed; expected MODEL=NUMBER");
            continue;
        }
        weights.emplace_back(item.substr(0, equals), weight);
    }
    if (found.has_errors()) throw input_error(found);
    return weights;
}

/// Checks `--weights` against the compared models before anything runs.
std::vector<std::pair<std::string, double>> checked_weights(const std::string& text, const std::vector<std::string>& models) {
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
        line += padded(fixed(row.models[m].mean, 4), std::max<std::size_t>(compared.models[m].size(), 8));
    }
    return line;
}

std::string model_header(const model_comparison& compared) {
    std::string line;
    for (const std::string& model : compared.models) line += padded(model, std::max<std::size_t>(model.size(), 8));
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
            out << "  " << padded(compared.models[m], 36) << interval(row.models[m], 4) << "\n";
        }
        out << "  " << padded(mixture_label(compared), 36) << interval(row.mixture, 4) << "   spread "
            << plain(row.spread, 4) << "\n";
    }
    out << "\nWhere they disagree most (spread = largest minus smallest model mean):\n  " << padded("outcome", 28)
        << padded("subgroup", 22) << padded("spread", 8) << model_header(compared) << "mixture [90%]\n";
    std::size_t shown = 0;
    for (const std::size_t i : compared.by_spread) {
        const model_row& row = compared.rows[i];
        if (row.suppressed || shown == top) break;
        out << "  " << padded(row.outcome, 28) << padded(row.subgroup, 22) << padded(plain(row.spread, 4), 8)
            << model_columns(compared, row) << interval(row.mixture, 4) << "\n";
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
        const std::string prefix = std::to_string(compared.year) + "," + csv_field(row.subgroup) + "," + csv_field(row.outcome) +
                                   "," + std::string(to_string(compared.metric)) + ",";
        const std::string suffix = "," + (row.suppressed ? std::string() : format_value(row.spread)) + "," +
                                   (row.suppressed ? std::string() : std::to_string(rank[i])) + "\n";
        for (std::size_t m = 0; m < compared.models.size(); ++m) {
            out += prefix + csv_field(compared.models[m]) + "," + summary_fields(row.models[m], row.suppressed) + suffix;
        }
        out += prefix + csv_field(mixture_label(compared)) + "," + summary_fields(row.mixture, row.suppressed) + suffix;
    }
    return out;
}

}  // namespace

std::string comparison_table(const comparison& compared) {
    std::map<row_key, const comparison_row*> effects;
    for (const comparison_row& row : compared.rows) {
        if (row.key.metric == metric::effect && row.key.year == compared.final_year && row.academic) effects.emplace(row.key, &row);
    }
    std::vector<std::string> outcomes;
    for (const comparison_row& row : compared.rows) {
        if (row.academic && std::find(outcomes.begin(), outcomes.end(), row.key.outcome) == outcomes.end()) {
            outcomes.push_back(row.key.outcome);
        }
    }
    std::ostringstream out;
    out << "Side by side, year " << compared.final_year << ": effect vs business as usual (SD), mean [90% interval] over "
        << compared.draws << (compared.draws == 1 ? " run" : " draws") << "; difference paired with " << compared.runs[0]
        << " on the same draws\n";
    for (const std::string& outcome : outcomes) {
        out << "\n" << outcome << "\n  " << padded("subgroup", 22) << padded("run", 26) << padded("effect", 28)
            << "vs " << compared.runs[0] << "\n";
        for (const std::string& group : key_subgroups(compared)) {
            const auto found = effects.find({compared.final_year, group, outcome, metric::effect, ""});
            if (found == effects.end()) continue;
            const comparison_row& row = *found->second;
            if (row.suppressed) {
                out << "  " << padded(group, 22) << "suppressed (fewer than min_n students)\n";
                continue;
            }
            for (std::size_t r = 0; r < compared.runs.size(); ++r) {
                out << "  " << padded(r == 0 ? group : "", 22) << padded(compared.runs[r], 26) << padded(interval(row.runs[r], 4), 28);
                if (r != 0) {
                    char probability[32];
                    std::snprintf(probability, sizeof probability, "  P(>0) %.2f", row.differences[r].prob_positive);
                    out << interval(row.differences[r], 4) << probability;
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

/// The one-screen summary of a comparison: its final year of every run, the first scenario's headline outcome.
std::string compare_summary(const comparison& compared, const std::vector<labelled_run>& runs,
                            const std::vector<loaded_scenario>& scenarios) {
    std::vector<summarized_run> summarized;
    for (const labelled_run& run : runs) summarized.push_back(year_for_summary(run, compared.final_year));
    const loaded_scenario& first = scenarios.front();
    const bool one_model = std::all_of(scenarios.begin(), scenarios.end(),
                                       [&](const loaded_scenario& s) { return s.model == first.model; });
    run_summary_context context{"Scenarios compared", one_model ? first.model->name : "",
                                headline_outcome(*first.graph, first.spec.report.outcomes), {}, compared.draws, true};
    return run_summary(summarized, context) + "\nEvery subgroup and outcome side by side: --detail, or --out for the file.\n";
}

int compare_command(const compare_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const scenario_overrides overrides{std::nullopt, read_settings(options.parameters), options.draws, options.seed};
    diagnostics found;
    std::vector<loaded_scenario> scenarios;
    for (const std::string& file : options.scenario_files) {
        if (auto loaded = load_scenario(file, options.variant, registry, overrides, found)) scenarios.push_back(std::move(*loaded));
    }
    if (found.has_errors() || scenarios.size() != options.scenario_files.size()) throw input_error(found);
    const std::vector<std::string> names = run_names(options.scenario_files, options.variant);
    align_draws(scenarios, names);
    note_differences(scenarios, names);

    std::optional<output_set> outputs;
    if (!options.out_dir.empty()) {
        outputs.emplace(options.out_dir, options.force);
        check_outputs(*outputs, {"comparison.csv", "manifest.json"});
    }
    const unsigned threads = worker_threads(options.threads);
    std::vector<labelled_run> runs;
    std::vector<manifest_run> described;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        auto run = run_labelled(names[i], scenarios[i], threads, options.quiet);
        if (!run) return interrupted_exit();
        runs.push_back(std::move(*run));
        described.push_back({names[i], &scenarios[i]});
    }
    const comparison compared = compare_runs(runs);
    if (outputs && !write_outputs(*outputs, "comparison.csv", comparison_csv(compared), options.command_line, described, threads)) {
        return interrupted_exit();
    }
    if (options.detail) std::cout << comparison_table(compared);
    else std::cout << compare_summary(compared, runs, scenarios);
    if (outputs) std::cout << "Wrote " << (outputs->folder() / "comparison.csv").string() << ' ' << (outputs->folder() / "manifest.json").string() << '\n';
    return exit_ok;
}

int compare_models_command(const compare_models_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const std::vector<std::string> models = split_models(options.models, registry);
    const auto weights = checked_weights(options.weights, models);
    const std::vector<parameter_setting> settings = read_settings(options.parameters);
    std::vector<const model_handle*> handles;
    for (const std::string& model : models) handles.push_back(registry.find(model));
    check_settings_apply(settings, handles);
    diagnostics found;
    std::vector<loaded_scenario> scenarios;
    for (const std::string& model : models) {
        const scenario_overrides overrides{model, settings, options.draws, options.seed, true};
        auto loaded = load_scenario(options.scenario_file, options.variant, registry, overrides, found);
        if (!loaded) throw input_error(found);
        scenarios.push_back(std::move(*loaded));
    }
    std::optional<output_set> outputs;
    if (!options.out_dir.empty()) {
        outputs.emplace(options.out_dir, options.force);
        check_outputs(*outputs, {"models.csv", "manifest.json"});
    }
    const unsigned threads = worker_threads(options.threads);
    std::vector<labelled_run> runs;
    std::vector<manifest_run> described;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        auto run = run_labelled(models[i], scenarios[i], threads, options.quiet);
        if (!run) return interrupted_exit();
        runs.push_back(std::move(*run));
        described.push_back({models[i], &scenarios[i]});
    }
    const model_comparison compared = compare_models(runs, metric::effect, weights);
    if (outputs && !write_outputs(*outputs, "models.csv", models_csv(compared), options.command_line, described, threads)) {
        return interrupted_exit();
    }
    std::cout << models_table(compared, scenarios.front().spec.name, options.top);
    if (outputs) std::cout << "Wrote " << (outputs->folder() / "models.csv").string() << ' ' << (outputs->folder() / "manifest.json").string() << '\n';
    return exit_ok;
}

}  // namespace pathways::cli
