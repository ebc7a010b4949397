// calibrate: the value of an effect model's calibration parameter at which a scenario's central run
// reproduces an anchor's effect; printed as a --set line and written as a parameter file.
#include "calibrate_command.hpp"
#include "common/version.hpp"
#include "run/execute.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/evidence.hpp"
#include "common/text_format.hpp"
#include "engine/calibration.hpp"
#include "engine/scenario_loader.hpp"
#include "observed_commands.hpp"
#include "report/output_files.hpp"
#include "run_options.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/parameter_file.hpp"
#include "scenario/scenario_reader.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

constexpr const char* command_line = "<command line>";

[[noreturn]] void fail(const std::string& file, const std::string& message) {
    diagnostics found;
    found.error(file, 0, 0, "", message);
    throw input_error(found);
}

void fail_at(const source_location& where, const std::string& message) {
    diagnostics found;
    found.error(where.file, where.line, where.column, where.pointer, message);
    throw input_error(found);
}

}  // namespace

std::vector<anchor> load_anchors(const std::string& user_file) {
    diagnostics found;
    auto anchors = read_embedded_anchors(found);
    if (!anchors) throw input_error(found);
    if (user_file.empty()) return *anchors;
    auto added = read_anchors_file(user_file, found);
    if (!added) throw input_error(found);
    for (anchor& a : *added) {
        if (find_anchor(*anchors, a.id) != nullptr) {
            found.error(a.where.file, a.where.line, a.where.column, a.where.pointer + "/id",
                        "anchor id '" + a.id + "' is already a shipped anchor; expected a new id");
        }
    }
    if (found.has_errors()) throw input_error(found);
    anchors->insert(anchors->end(), added->begin(), added->end());
    return *anchors;
}

namespace {

/// The scenario as calibration runs it: one central run that reports the whole district on the anchor's outcome.
scenario calibration_scenario(const calibrate_options& options, const anchor& target) {
    diagnostics found;
    auto spec = read_scenario(options.scenario_file, "base", found);
    if (!spec) throw input_error(found);
    const auto graph = load_model_graph(spec->model_path, found);
    if (!graph) throw input_error(found);
    const auto node = graph->find(target.outcome);
    const bool outcome = node && (graph->definition().nodes[*node].kind == node_kind::academic_outcome ||
                                  graph->definition().nodes[*node].kind == node_kind::student_outcome ||
                                  graph->definition().nodes[*node].kind == node_kind::goal);
    if (!outcome) {
        std::vector<std::string> ids;
        for (const model_node& n : graph->definition().nodes) ids.push_back(n.id);
        fail_at({target.where.file, target.where.line, target.where.column, target.where.pointer + "/outcome"},
                "anchor '" + target.id + "': '" + target.outcome + "' is not an outcome of model '" +
                    graph->definition().id + "'" + did_you_mean(target.outcome, ids));
    }
    std::vector<std::string>& groups = spec->report.subgroups;
    if (std::find(groups.begin(), groups.end(), "all") == groups.end()) groups.push_back("all");
    std::vector<std::string>& outcomes = spec->report.outcomes;
    if (!outcomes.empty() && std::find(outcomes.begin(), outcomes.end(), target.outcome) == outcomes.end()) {
        outcomes.push_back(target.outcome);
    }
    return std::move(*spec);
}

}  // namespace

std::size_t subgroup_index(const simulation& sim, const std::string& name) {
    const auto& groups = sim.subgroups();
    const auto found =
        std::find_if(groups.begin(), groups.end(), [&](const reported_subgroup& g) { return g.group.name == name; });
    return static_cast<std::size_t>(found - groups.begin());
}

std::size_t outcome_index(const simulation& sim, const std::string& id) {
    const auto& outcomes = sim.outcomes();
    const auto found =
        std::find_if(outcomes.begin(), outcomes.end(), [&](const reported_outcome& o) { return o.id == id; });
    return static_cast<std::size_t>(found - outcomes.begin());
}

namespace {

std::string calibratable_models(const plugin_registry& registry) {
    std::string text;
    for (const model_handle& model : registry.models()) {
        if (model.calibration_parameter.empty()) continue;
        text += (text.empty() ? "" : ", ") + model.name + " (" + model.calibration_parameter + ")";
    }
    return text.empty() ? "none is installed" : text;
}

std::filesystem::path output_path(const calibrate_options& options, const std::string& model) {
    if (!options.out.empty()) return options.out;
    return std::filesystem::path("out") / std::filesystem::path(options.scenario_file).stem() /
           ("calibration-" + options.anchor + "-" + model + ".json");
}

void print_anchor(const anchor& a) {
    std::cout << "Anchor " << a.id << ": " << a.reference << "\n  " << a.design << "\n  " << a.outcome << ": effect "
              << signed_fixed(a.effect, 3) << " SD over " << a.years << (a.years == 1 ? " year" : " years")
              << ", evidence " << evidence_with_meaning(a.evidence) << "\n  standard error "
              << json::format_number(a.standard_error) << ", evidence "
              << evidence_with_meaning(a.standard_error_evidence) << "\n";
    if (!a.note.empty()) std::cout << "  " << a.note << "\n";
}

}  // namespace

int calibrate_command(const calibrate_options& options, const plugin_options& plugins) {
    if (!options.anchor_selection.empty()) {
        if (!options.anchor.empty()) {
            fail(command_line,
                 "--anchor and --anchors both given; expected one anchor (--anchor ID) or several "
                 "fitted at once (--anchors all, or --anchors ID,ID)");
        }
        return calibrate_to_anchors(options, plugins);
    }
    if (options.anchor.empty()) {
        fail(command_line,
             "nothing to calibrate against; expected --anchor ID, --anchors all (see pathways anchors) or "
             "--observed FILE");
    }
    const plugin_registry registry = load_plugins(plugins);
    const std::vector<anchor> anchors = load_anchors(options.anchors_file);
    const anchor* target = find_anchor(anchors, options.anchor);
    if (target == nullptr) fail(command_line, "--anchor: " + unknown_anchor_message(anchors, options.anchor));

    scenario spec = calibration_scenario(options, *target);
    {
        diagnostics found;
        if (const auto file = model_file_of(options.parameters, found)) spec.model_path = *file;
        if (found.has_errors()) throw input_error(found);
    }
    const std::string model_name = options.model.value_or(spec.effect_model);
    const model_handle* model = registry.find(model_name);
    if (model == nullptr) fail(command_line, registry.unknown_model_message(model_name));
    if (model->calibration_parameter.empty()) {
        fail(command_line, "effect model '" + model->name +
                               "' declares no calibration parameter, so it cannot be "
                               "calibrated; expected a model that does: " +
                               calibratable_models(registry));
    }
    const std::string& knob = model->calibration_parameter;
    std::vector<parameter_setting> settings = read_settings(options.parameters);
    for (const parameter_setting& setting : settings) {
        if (setting.name == knob && (setting.model.empty() || setting.model == model->name)) {
            fail_at(setting.where,
                    "parameter '" + knob + "' is the knob calibration solves for; expected it not pinned");
        }
    }
    run_request request;
    request.scenario_spec = std::move(spec);
    request.effect_model = setting<std::string>{model->name, option_origin("--effect-model")};
    request.parameters = std::move(settings);
    request.draws = setting<std::int64_t>{0, option_origin("--draws")};  // calibration solves on the central run
    diagnostics found;
    auto plan = prepare(request, registry, found);
    refuse_or_warn(plan, found);
    const auto& loaded = plan->runs.front().loaded;
    const simulation& sim = *plan->runs.front().sim;

    const std::filesystem::path out = output_path(options, model->name);
    if (std::filesystem::exists(out) && !options.force)
        fail(out.string(), "output exists; use --force to overwrite it");

    const std::size_t knob_index = *model->parameter_index(knob);
    const parameter_info& info = model->parameters[knob_index];
    const central_effect effect(sim, knob_index, subgroup_index(sim, "all"), outcome_index(sim, target->outcome));
    const knob_search search = solve_knob(effect, target->effect, info.min, info.max);

    print_anchor(*target);
    const int horizon = loaded->spec.years;
    std::cout << "Scenario " << loaded->spec.name << " (" << horizon << (horizon == 1 ? " year" : " years")
              << "), effect model " << model->name << ", central run, all students, year "
              << loaded->spec.start_year + horizon - 1 << "\n";
    if (horizon != target->years) {
        std::cerr << "pathways: note: the anchor's effect is over " << target->years
                  << " year(s) and the scenario projects " << horizon
                  << "; the knob is solved for the scenario's final year all the same\n";
    }
    if (!search.solution && search.at_lower == search.at_upper) {
        fail(command_line, "'" + knob + "' does not move " + target->outcome + " in this scenario (" +
                               signed_fixed(search.at_lower, 4) + " at both ends of its range [" +
                               json::format_number(info.min) + ", " + json::format_number(info.max) +
                               "]); expected an anchor on an outcome that the knob of effect model '" + model->name +
                               "' scales");
    }
    if (!search.solution) {
        fail(command_line,
             "no value of '" + knob + "' in its declared range [" + json::format_number(info.min) + ", " +
                 json::format_number(info.max) + "] gives the anchor's effect " + json::format_number(target->effect) +
                 ": " + knob + " = " + json::format_number(info.min) + " gives " + signed_fixed(search.at_lower, 4) +
                 ", " + knob + " = " + json::format_number(info.max) + " gives " + signed_fixed(search.at_upper, 4));
    }
    const knob_solution& solution = *search.solution;
    std::cout << "  " << knob << " = " << json::format_number(info.min) << " gives " << signed_fixed(search.at_lower, 4)
              << ", " << knob << " = " << json::format_number(info.max) << " gives " << signed_fixed(search.at_upper, 4)
              << ", the default " << json::format_number(info.default_value) << " gives "
              << signed_fixed(effect(info.default_value), 4) << "\n  solved: " << knob << " = "
              << json::format_number(solution.value) << " gives " << signed_fixed(solution.achieved, 6) << " ("
              << solution.evaluations << " runs)\n\n  --set " << knob << "=" << json::format_number(solution.value)
              << "\n";

    parameter_file file;
    file.model = model->name;
    for (const auto& [name, value] : loaded->spec.parameters) {
        if (name != knob) file.parameters.push_back({name, value, {}});
    }
    file.parameters.push_back({knob, solution.value, {}});
    std::sort(file.parameters.begin(), file.parameters.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    file.provenance = {target->id,        target->reference,     target->outcome, target->effect,
                       solution.achieved, options.scenario_file, version};
    if (!out.parent_path().empty()) std::filesystem::create_directories(out.parent_path());
    write_file_atomically(out, parameter_file_json(file), options.force);
    std::cout << "Wrote " << out.string() << " (use it with --set-file)\n";
    return exit_ok;
}

namespace {

/// calibrate solves for an anchor, or with --observed (calibrate_observed_command) updates the priors
/// from observed outcomes; the options both read (scenario, model, --set, --out, --force) are declared
/// once, in `options`, and copied for the latter.
command_action declare_calibrate(CLI::App& command) {
    auto options = std::make_shared<calibrate_options>();
    auto observed = std::make_shared<observed_options>();
    auto errors = std::make_shared<observation_error_model>();
    auto plugins = std::make_shared<plugin_options>();
    command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
    command.add_option("--anchor", options->anchor, "Anchor to reproduce, e.g. rand2017-math");
    command.add_option("--anchors", options->anchor_selection,
                       "Anchors to fit at once: all, or ids separated by commas");
    command.add_option("--effect-model", options->model,
                       "Effect model (plugin) to calibrate instead of the scenario's");
    command.add_option("--anchors-file", options->anchors_file, "More anchors (JSON) besides the shipped ones");
    add_parameter_options(command, options->parameters);
    command.add_option("--out", options->out,
                       "Parameter file to write (default: out/<scenario>/calibration-<anchor>-<model>.json)");
    command.add_flag("--force", options->force, "Overwrite an existing parameter file");
    add_plugin_options(command, *plugins);
    // calibrate --observed (issue 14): the projection against observed outcomes.
    command.add_option("--observed", observed->observed_file,
                       "Observed outcomes (CSV): update the priors of every uncertain input from them instead "
                       "of solving for an anchor");
    command.add_option("--ratings", observed->ratings_file,
                       "With --observed: schools' ratings on the practices and drivers (CSV), whose "
                       "likelihood under each draw's ramp also weighs the draws");
    command.add_option("--discrepancy-sd", errors->discrepancy_sd,
                       "With --observed: model discrepancy SD, independent per cell, beside its standard error "
                       "(default 0)");
    command.add_option("--year-shock-sd", errors->year_shock_sd,
                       "With --observed: SD of a shock every group of a year shares (test form, cohort), in the "
                       "outcome's SD units (default 0)");
    command.add_option("--persistent-sd", errors->persistent_sd,
                       "With --observed: SD of a shock a group's schools keep from year to year (default 0)");
    command.add_option("--variant", observed->variant, "With --observed: variant to run (default: base)");
    add_draws_option(command, observed->draws, "With --observed: prior draws (default: 2000)");
    add_seed_option(command, observed->seed, "With --observed: random seed; overrides the scenario");
    add_threads_option(command, observed->threads);
    add_quiet_flag(command, observed->quiet);
    return [options, observed, errors, plugins](int, char**) {
        if (observed->observed_file.empty() && !observed->ratings_file.empty()) {
            diagnostics found;
            found.error("<command line>", 0, 0, "",
                        "--ratings without --observed; expected the observed outcomes the ratings go beside");
            throw input_error(found);
        }
        if (!observed->observed_file.empty()) {
            if (!options->anchor.empty()) {
                diagnostics found;
                found.error("<command line>", 0, 0, "",
                            "--anchor and --observed both given; expected one: an anchor to solve a knob for, or "
                            "observed outcomes to update the priors from");
                throw input_error(found);
            }
            observed->scenario_file = options->scenario_file;
            observed->model = options->model;
            observed->parameters = options->parameters;
            observed->out = options->out;
            observed->force = options->force;
            observed->threads = worker_threads(observed->threads);
            return calibrate_observed_command(*observed, *errors, *plugins);
        }
        return unless_interrupted(calibrate_command(*options, *plugins));
    };
}

const command_registration registration{{
    .order = 140,
    .name = "calibrate",
    .description = "Fit an effect model's knob to published effects (--anchors all, or one --anchor), or update its "
                   "priors from observed outcomes (--observed)",
    .examples = "pathways calibrate scenarios/rand-2017-check.json --anchors all --effect-model linear\n"
                "  pathways calibrate scenarios/rand-2017-check.json --anchor rand2017-math --effect-model linear\n"
                "  pathways calibrate scenarios/denver-scale-up.json "
                "--observed scenarios/observed/denver-pilot-2017-2019-synthetic.csv",
    .declare = declare_calibrate,
}};

}  // namespace

}  // namespace pathways::cli
