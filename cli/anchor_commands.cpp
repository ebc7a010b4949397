// anchors: the published effects and bounds, their synthesis, and every installed model checked against
// them; calibrate --anchors: a model's knob fitted to every anchor at once.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "calibrate_command.hpp"
#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/evidence.hpp"
#include "common/text_format.hpp"
#include "common/version.hpp"
#include "engine/anchor_fit.hpp"
#include "engine/calibration.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/schedule.hpp"
#include "report/output_files.hpp"
#include "run/execute.hpp"
#include "run_options.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/parameter_file.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways::cli {
namespace {

constexpr const char* command_line = "<command line>";

[[noreturn]] void fail(const std::string& message) {
    diagnostics found;
    found.error(command_line, 0, 0, "", message);
    throw input_error(found);
}

anchor_observation observation_of(const anchor& a) {
    return {a.id, a.outcome, a.years, a.effect, a.standard_error, design_inflation(a.design_type)};
}

/// The fitted point anchors of each outcome, in file order.
std::map<std::string, std::vector<anchor_observation>> fitted_by_outcome(const std::vector<anchor>& anchors) {
    std::map<std::string, std::vector<anchor_observation>> by_outcome;
    for (const anchor& a : anchors) {
        if (!a.is_bound() && a.is_fitted()) by_outcome[a.outcome].push_back(observation_of(a));
    }
    return by_outcome;
}

/// Between-study SD of every outcome with at least two fitted anchors (0 for the others).
std::map<std::string, double> between_sds(const std::vector<anchor>& anchors) {
    std::map<std::string, double> sds;
    for (const auto& [outcome, observations] : fitted_by_outcome(anchors)) {
        sds[outcome] = observations.size() >= 2 ? synthesise(observations).between_sd : 0.0;
    }
    return sds;
}

std::string percent(double share) { return fixed(100.0 * share, 0) + "%"; }

void print_synthesis(const std::vector<anchor>& anchors) {
    std::cout << "\nSynthesis of the fitted anchors of each outcome (DerSimonian-Laird random effects, per year of "
                 "exposure;\nquasi-experiments' standard errors x sqrt(2) for design, Cheung & Slavin 2016):\n";
    for (const auto& [outcome, observations] : fitted_by_outcome(anchors)) {
        if (observations.size() < 2) continue;
        const random_effects_synthesis s = synthesise(observations);
        std::cout << "  " << padded(outcome, 28) << "mean " << signed_fixed(s.mean_per_year, 3) << " SD a year (SE "
                  << fixed(s.mean_se, 3) << "), between studies SD " << fixed(s.between_sd, 3)
                  << "; a new district's average " << signed_fixed(s.mean_per_year, 3) << " +/- "
                  << fixed(s.predictive_sd, 3) << " (" << fixed(s.relative_sd(), 2)
                  << " of the mean): at or below 0 with "
                  << "probability " << fixed(s.probability_at_or_below_zero, 2) << " (" << s.studies << " anchors)\n";
    }
}

void print_anchor_list(const std::vector<anchor>& anchors) {
    std::cout << padded("anchor", 28) << padded("outcome", 28) << padded("years", 7) << padded("effect (SD)", 26)
              << "reference\n";
    for (const anchor& a : anchors) {
        const std::string effect = a.is_bound()
                                       ? "at most " + fixed(*a.bound, 2) + " " + a.evidence
                                       : signed_fixed(a.effect, 3) + " " + a.evidence + ", SE " +
                                             json::format_number(a.standard_error) + " " + a.standard_error_evidence;
        const std::string outcome =
            a.is_bound() ? std::to_string(a.outcomes.size()) + " non-academic outcomes" : a.outcome;
        std::cout << padded(a.id, 28) << padded(outcome, 28) << padded(std::to_string(a.years), 7) << padded(effect, 26)
                  << a.reference.substr(0, a.reference.find(')') + 1) << (a.is_fitted() ? "" : " [context: not fitted]")
                  << "\n";
    }
    std::cout << "\nEvidence tags (of the effect, then of its standard error):";
    for (const std::string_view tag : {"S", "S2", "R", "A"}) std::cout << "\n  " << evidence_with_meaning(tag);
    std::cout << "\n";
    print_synthesis(anchors);
}

/// Effects for all students in projected year `year` on each of `outcomes`, from one run.
std::vector<double> effects_in_year(const simulation& sim, const draw_result& result, std::size_t year,
                                    const std::vector<std::string>& outcomes) {
    std::vector<double> effects;
    for (const std::string& outcome : outcomes) {
        effects.push_back(effect_in_year(sim, result, year, subgroup_index(sim, "all"), outcome_index(sim, outcome)));
    }
    return effects;
}

/// The outcomes the anchors name (point outcomes, then bound outcomes), each once, sorted.
std::vector<std::string> anchor_outcomes(const std::vector<const anchor*>& anchors) {
    std::set<std::string> outcomes;
    for (const anchor* a : anchors) {
        if (a->is_bound()) outcomes.insert(a->outcomes.begin(), a->outcomes.end());
        else outcomes.insert(a->outcome);
    }
    return {outcomes.begin(), outcomes.end()};
}

/// Outcomes the model lacks, named in an error of the anchor that asks for them.
void require_outcomes(const model_graph& graph, const std::vector<const anchor*>& anchors) {
    diagnostics found;
    std::vector<std::string> ids;
    for (const model_node& n : graph.definition().nodes) ids.push_back(n.id);
    for (const anchor* a : anchors) {
        const std::vector<std::string> wanted = a->is_bound() ? a->outcomes : std::vector<std::string>{a->outcome};
        for (const std::string& outcome : wanted) {
            if (graph.find(outcome)) continue;
            found.error(a->where.file, a->where.line, a->where.column, a->where.pointer,
                        "anchor '" + a->id + "': '" + outcome + "' is not an outcome of model '" +
                            graph.definition().id + "'" + did_you_mean(outcome, ids));
        }
    }
    if (found.has_errors()) throw input_error(found);
}

/// One model's effects at its defaults on each outcome, by outcome id.
/// One model's central effects on the anchors' outcomes, and how much of each achievement outcome's
/// effect comes through the other outcomes rather than straight from practice.
struct model_check {
    std::map<std::string, double> effects;  ///< by outcome id
    /// By achievement outcome: the share of its effect left with every edge from practice into it at 0;
    /// absent where the model does not move the outcome through its edges at all.
    std::map<std::string, double> mediated_share;
};

bool is_practice(node_kind kind) {
    return kind == node_kind::secondary_driver || kind == node_kind::primary_driver ||
           kind == node_kind::foundational_practice;
}

/// The central run's effects with the edges that `zeroed` accepts set to 0.
template <class Zeroed>
std::vector<double> effects_with(const simulation& sim, const std::vector<std::string>& outcomes, Zeroed zeroed) {
    draw_parameters parameters = sim.central_parameters();
    const auto& edges = sim.graph().definition().edges;
    for (std::size_t e = 0; e < edges.size(); ++e) {
        if (zeroed(edges[e])) parameters.edge_weights[e] = 0.0;
    }
    draw_result result;
    sim.run(parameters, result);
    return effects_in_year(sim, result, static_cast<std::size_t>(sim.years() - 1), outcomes);
}

/// A scenario loaded with one effect model, reporting all students on some outcomes only, and its
/// simulation (which refers to the loaded inputs, so the two stay together where they were made).
struct all_students_model {
    loaded_scenario loaded;
    std::unique_ptr<simulation> sim;
};

std::unique_ptr<all_students_model> all_students(scenario spec, const std::vector<std::string>& outcomes,
                                                 const plugin_registry& registry, const std::string& model) {
    diagnostics found;
    spec.report.subgroups = {"all"};
    spec.report.reference_groups.clear();
    spec.report.outcomes = outcomes;
    auto loaded = load_scenario(std::move(spec), registry, {model, {}, 0, std::nullopt}, found);
    if (!loaded) throw input_error(found);
    auto made = std::make_unique<all_students_model>(all_students_model{std::move(*loaded), nullptr});
    const loaded_scenario& in = made->loaded;
    made->sim = std::make_unique<simulation>(simulation_inputs{*in.graph, in.district, in.schools, in.cells, in.spec,
                                                               *in.model},
                                             found);
    if (found.has_errors()) throw input_error(found);
    return made;
}

model_check check_model(const scenario& spec, const std::vector<std::string>& outcomes, const plugin_registry& registry,
                        const std::string& model) {
    const auto prepared = all_students(spec, outcomes, registry, model);
    const simulation& sim = *prepared->sim;
    const model_definition& graph = sim.graph().definition();
    const auto node = [&](const std::string& id) -> const model_node& { return graph.nodes[*sim.graph().find(id)]; };
    const auto into_achievement = [&](const model_edge& e) {
        return e.role == edge_role::effect && node(e.to).has_role("achievement");
    };
    const std::vector<double> total = effects_with(sim, outcomes, [](const model_edge&) { return false; });
    const std::vector<double> mediated = effects_with(sim, outcomes, [&](const model_edge& e) {
        return into_achievement(e) && is_practice(node(e.from).kind);
    });
    const std::vector<double> no_edges = effects_with(sim, outcomes, into_achievement);
    model_check check;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        check.effects[outcomes[i]] = total[i];
        // A model that ignores the edges into an outcome (one fitted to it directly) has no split to show.
        if (node(outcomes[i]).has_role("achievement") && no_edges[i] != total[i] && total[i] != 0.0) {
            check.mediated_share[outcomes[i]] = mediated[i] / total[i];
        }
    }
    return check;
}

std::string z_cell(double effect, const anchor& a) {
    const double z = anchor_z(effect, observation_of(a));
    // A model fitted to the anchor lands within rounding of it: print +0.0, never -0.0.
    return signed_fixed(effect, 3) + " (z " + signed_fixed(std::fabs(z) < 0.05 ? 0.0 : z, 1) + ")";
}

void print_check_rows(const std::vector<const anchor*>& matching, const std::vector<std::string>& models,
                      const std::vector<model_check>& checks) {
    for (const anchor* a : matching) {
        if (a->is_bound()) continue;
        std::cout << "  " << padded(a->id + (a->is_fitted() ? "" : " [context]"), 38)
                  << padded(signed_fixed(a->effect, 3), 12);
        for (std::size_t m = 0; m < models.size(); ++m)
            std::cout << padded(z_cell(checks[m].effects.at(a->outcome), *a), 18);
        std::cout << "\n";
    }
    for (const anchor* a : matching) {
        if (!a->is_bound()) continue;
        for (const std::string& outcome : a->outcomes) {
            std::cout << "  " << padded(outcome, 38) << padded("<= " + fixed(*a->bound, 2), 12);
            for (std::size_t m = 0; m < models.size(); ++m) {
                const double effect = checks[m].effects.at(outcome);
                std::cout << padded(signed_fixed(effect, 3) + (std::fabs(effect) <= *a->bound ? " ok" : " OVER"), 18);
            }
            std::cout << "\n";
        }
    }
    std::set<std::string> split;
    for (const model_check& check : checks) {
        for (const auto& [outcome, share] : check.mediated_share) split.insert(outcome);
    }
    for (const std::string& outcome : split) {
        std::cout << "  " << padded("mediated share: " + outcome, 50);
        for (const model_check& check : checks) {
            const auto share = check.mediated_share.find(outcome);
            std::cout << padded(share == check.mediated_share.end() ? "n/a" : fixed(share->second, 2), 18);
        }
        std::cout << "\n";
    }
}

void check_scenario(const std::string& file, const std::vector<anchor>& anchors, const plugin_registry& registry) {
    diagnostics found;
    auto spec = read_scenario(file, "base", found);
    if (!spec) throw input_error(found);
    std::vector<const anchor*> matching;
    for (const anchor& a : anchors) {
        if (a.years == spec->years) matching.push_back(&a);
    }
    std::cout << "\n"
              << spec->name << " (" << file << ", " << spec->years << (spec->years == 1 ? " year" : " years")
              << "): each model at its defaults, central run, all students, final year;\n"
              << "  z = (model - anchor) / (SE x design factor: sqrt(2) for a quasi-experiment); a bound holds "
                 "when |model| <= bound\n";
    if (matching.empty()) {
        std::cout << "  no anchor covers " << spec->years << " years\n";
        return;
    }
    std::cout << "  " << padded("anchor", 38) << padded("published", 12);
    std::vector<std::string> models;
    for (const model_handle& model : registry.models()) {
        std::cout << padded(model.name, 18);
        models.push_back(model.name);
    }
    std::cout << "\n";
    const std::vector<std::string> outcomes = anchor_outcomes(matching);
    std::vector<model_check> checks;
    for (const std::string& model : models) checks.push_back(check_model(*spec, outcomes, registry, model));
    print_check_rows(matching, models, checks);
    std::cout << "  (mediated share: of the effect, the part that passes through other outcomes such as agency and "
                 "engagement,\n  the rest coming straight from practice; n/a where a model fits the outcome "
                 "directly)\n";
}

/// The anchors `selection` names: "all" (every fitted anchor, bounds included), or ids, comma-separated.
std::vector<const anchor*> selected_anchors(const std::vector<anchor>& anchors, const std::string& selection) {
    std::vector<const anchor*> chosen;
    if (selection == "all") {
        for (const anchor& a : anchors) {
            if (a.is_fitted()) chosen.push_back(&a);
        }
        return chosen;
    }
    if (selection.ends_with(".json") || std::filesystem::is_regular_file(selection)) {
        fail("--anchors '" + selection +
             "' looks like a file; --anchors selects the anchors to fit (all, or ids separated by commas); "
             "expected --anchors-file FILE to add a file of anchors");
    }
    std::stringstream ids(selection);
    std::string id;
    while (std::getline(ids, id, ',')) {
        const anchor* a = find_anchor(anchors, id);
        if (a == nullptr) fail("--anchors: " + unknown_anchor_message(anchors, id));
        chosen.push_back(a);
    }
    if (std::none_of(chosen.begin(), chosen.end(), [](const anchor* a) { return !a->is_bound(); })) {
        fail("--anchors '" + selection + "' names no anchor with an effect; expected at least one point anchor");
    }
    return chosen;
}

/// A model's predictions of the selected anchors from one central run with its knob at a value.
class anchor_predictions {
public:
    anchor_predictions(const simulation& sim, std::size_t knob, std::vector<const anchor*> anchors)
        : sim_(sim), central_(sim.central_parameters()), knob_(knob), anchors_(std::move(anchors)) {}

    /// Each point anchor's effect in the year its exposure ends; each bound outcome's effect after it.
    std::pair<std::vector<double>, std::vector<double>> operator()(double knob) const {
        draw_parameters parameters = central_;
        parameters.model_parameters.at(knob_) = knob;
        draw_result result;
        sim_.run(parameters, result);
        std::vector<double> points;
        std::vector<double> bounds;
        const std::size_t all = subgroup_index(sim_, "all");
        for (const anchor* a : anchors_) {
            const auto year = static_cast<std::size_t>(a->years - 1);
            if (!a->is_bound()) {
                points.push_back(effect_in_year(sim_, result, year, all, outcome_index(sim_, a->outcome)));
                continue;
            }
            for (const std::string& outcome : a->outcomes) {
                bounds.push_back(effect_in_year(sim_, result, year, all, outcome_index(sim_, outcome)));
            }
        }
        return {points, bounds};
    }

private:
    const simulation& sim_;
    draw_parameters central_;
    std::size_t knob_;
    std::vector<const anchor*> anchors_;
};

void print_fit(const std::vector<const anchor*>& anchors, const std::vector<anchor_observation>& points,
               const std::vector<double>& weights, const anchor_fit& fit, const std::vector<double>& bound_effects) {
    double total_weight = 0.0;
    for (const double w : weights) total_weight += w;
    std::cout << "  " << padded("anchor", 30) << padded("published", 12) << padded("model", 12) << padded("z", 8)
              << "weight\n";
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double z = anchor_z(fit.predictions[i], points[i]);
        std::cout << "  " << padded(points[i].id, 30) << padded(signed_fixed(points[i].effect, 3), 12)
                  << padded(signed_fixed(fit.predictions[i], 3), 12)
                  << padded(signed_fixed(std::fabs(z) < 0.05 ? 0.0 : z, 1), 8) << percent(weights[i] / total_weight)
                  << "\n";
    }
    std::size_t b = 0;
    for (const anchor* a : anchors) {
        if (!a->is_bound()) continue;
        for (const std::string& outcome : a->outcomes) {
            const double effect = bound_effects[b++];
            std::cout << "  " << padded(outcome, 30) << padded("<= " + fixed(*a->bound, 2), 12)
                      << padded(signed_fixed(effect, 3), 12) << (std::fabs(effect) <= *a->bound ? "within" : "OVER")
                      << "\n";
        }
    }
}

std::filesystem::path fit_output_path(const calibrate_options& options, const std::string& model) {
    if (!options.out.empty()) return options.out;
    const std::string which = options.anchor_selection == "all" ? "all-anchors" : "anchors";
    return std::filesystem::path("out") / std::filesystem::path(options.scenario_file).stem() /
           ("calibration-" + which + "-" + model + ".json");
}

/// The scenario as the anchors' studies ran: every school of the district at full implementation from the
/// first year, its alignment and community conditions at their best, an instant ramp, no fidelity loss and
/// no cut, for `years` years.
scenario anchor_check_of(scenario spec, const model_graph& graph, int years) {
    spec.years = years;
    for (const model_node& node : graph.definition().nodes) {
        if (node.has_role("alignment") || node.has_role("community")) spec.plan.conditions[condition_key(node)] = 1.0;
    }
    spec.plan.ramp = {};
    spec.plan.ramp.instant = true;
    spec.plan.fidelity.decay_per_doubling = 1.0;
    spec.plan.program_cut = {};
    wave every_school;
    every_school.name = "every school, full implementation";
    every_school.start_year = spec.start_year;
    every_school.targets = {{"*", 3.0, {}, 0.0}};
    spec.plan.waves = {every_school};
    spec.variant_names.clear();
    return spec;
}

}  // namespace

std::optional<model_weights> anchor_likelihood_weights(const std::string& scenario_file,
                                                       const std::vector<std::string>& models,
                                                       const plugin_registry& registry) {
    diagnostics found;
    const std::vector<anchor> anchors = load_anchors("");
    auto spec = read_scenario(scenario_file, "base", found);
    if (!spec) throw input_error(found);
    const auto graph = load_model_graph(spec->model_path, found);
    if (!graph) throw input_error(found);
    std::vector<const anchor*> points;
    int years = 1;
    for (const anchor& a : anchors) {
        if (a.is_bound() || !a.is_fitted() || !graph->find(a.outcome)) continue;
        points.push_back(&a);
        years = std::max(years, a.years);
    }
    if (points.empty()) return std::nullopt;  // no anchor speaks to this theory of change
    const scenario check = anchor_check_of(*spec, *graph, years);
    model_weights out;
    std::vector<double> log_likelihood;
    for (const std::string& model : models) {
        // Each anchor's effect in the year its exposure ends, from one central run of every year.
        const auto prepared = all_students(check, anchor_outcomes(points), registry, model);
        const simulation& sim = *prepared->sim;
        draw_result result;
        sim.run(sim.central_parameters(), result);
        double sum = 0.0;
        for (const anchor* a : points) {
            const double effect = effect_in_year(sim, result, static_cast<std::size_t>(a->years - 1),
                                                 subgroup_index(sim, "all"), outcome_index(sim, a->outcome));
            const double z = anchor_z(effect, observation_of(*a));
            sum += -0.5 * z * z;
        }
        log_likelihood.push_back(sum);
    }
    // Weights proportional to each model's likelihood of the anchors, computed from the largest down so
    // that exp() cannot underflow to all zeros.
    const double top = *std::max_element(log_likelihood.begin(), log_likelihood.end());
    double total = 0.0;
    for (const double l : log_likelihood) total += std::exp(l - top);
    for (std::size_t m = 0; m < models.size(); ++m) {
        out.weights.emplace_back(models[m], std::exp(log_likelihood[m] - top) / total);
    }
    out.anchors = points.size();
    return out;
}

int anchors_command(const anchors_options& options, const plugin_options& plugins) {
    const std::vector<anchor> anchors = load_anchors(options.anchors_file);
    print_anchor_list(anchors);
    if (options.check_scenarios.empty()) return exit_ok;
    const plugin_registry registry = load_plugins(plugins);
    for (const std::string& file : options.check_scenarios) check_scenario(file, anchors, registry);
    return exit_ok;
}

int calibrate_to_anchors(const calibrate_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const std::vector<anchor> anchors = load_anchors(options.anchors_file);
    const std::vector<const anchor*> chosen = selected_anchors(anchors, options.anchor_selection);

    diagnostics found;
    auto spec = read_scenario(options.scenario_file, "base", found);
    if (spec)
        if (const auto file = model_file_of(options.parameters, found)) spec->model_path = *file;
    if (!spec || found.has_errors()) throw input_error(found);
    const auto graph = load_model_graph(spec->model_path, found);
    if (!graph) throw input_error(found);
    require_outcomes(*graph, chosen);
    // One run covers every anchor: the scenario projected as long as the longest of them.
    int horizon = 1;
    for (const anchor* a : chosen) horizon = std::max(horizon, a->years);
    spec->years = horizon;
    spec->report.subgroups = {"all"};
    spec->report.outcomes = anchor_outcomes(chosen);

    const std::string model_name = options.model.value_or(spec->effect_model);
    const model_handle* model = registry.find(model_name);
    if (model == nullptr) fail(registry.unknown_model_message(model_name));
    if (model->calibration_parameter.empty()) {
        fail("effect model '" + model->name + "' declares no calibration parameter, so it cannot be calibrated");
    }
    const std::string& knob = model->calibration_parameter;
    run_request request;
    request.scenario_spec = std::move(*spec);
    request.effect_model = setting<std::string>{model->name, option_origin("--effect-model")};
    request.parameters = read_settings(options.parameters);
    request.draws = setting<std::int64_t>{0, option_origin("--draws")};
    auto plan = prepare(request, registry, found);
    refuse_or_warn(plan, found);
    const simulation& sim = *plan->runs.front().sim;
    const std::filesystem::path out = fit_output_path(options, model->name);
    if (std::filesystem::exists(out) && !options.force) {
        diagnostics exists;
        exists.error(out.string(), 0, 0, "", "output exists; use --force to overwrite it");
        throw input_error(exists);
    }

    std::vector<anchor_observation> points;
    for (const anchor* a : chosen) {
        if (!a->is_bound()) points.push_back(observation_of(*a));
    }
    const std::map<std::string, double> tau = between_sds(anchors);
    std::vector<double> weights;
    for (const anchor_observation& p : points)
        weights.push_back(anchor_weight(p, tau.count(p.outcome) ? tau.at(p.outcome) : 0.0));
    const std::size_t knob_index = *model->parameter_index(knob);
    const parameter_info& info = model->parameters[knob_index];
    const anchor_predictions predict(sim, knob_index, chosen);
    const anchor_fit fit = fit_knob([&](double x) { return predict(x).first; }, points, weights, info.min, info.max);
    const std::vector<double> bound_effects = predict(fit.knob).second;

    std::cout << "Scenario " << plan->runs.front().loaded->spec.name << ", projected " << horizon
              << (horizon == 1 ? " year" : " years") << ", effect model " << model->name
              << ", central run, all students;\nweighted least squares over " << points.size()
              << " anchors, weights 1 / (SE x design factor)^2 + (years x between-study SD)^2:\n";
    print_fit(chosen, points, weights, fit, bound_effects);
    std::cout << "\n  fitted: " << knob << " = " << json::format_number(fit.knob) << " (" << fit.evaluations
              << " runs; default " << json::format_number(info.default_value) << ")\n\n  --set " << knob << "="
              << json::format_number(fit.knob) << "\n";
    const bool bounds_hold = std::all_of(bound_effects.begin(), bound_effects.end(), [&](double effect) {
        return std::none_of(chosen.begin(), chosen.end(),
                            [&](const anchor* a) { return a->is_bound() && std::fabs(effect) > *a->bound; });
    });
    if (!bounds_hold) std::cerr << "pathways: warning: at the fitted knob an outcome exceeds its bound (OVER above)\n";

    parameter_file file;
    file.model = model->name;
    file.parameters.push_back({knob, fit.knob, {}});
    std::string ids;
    for (const anchor_observation& p : points) ids += (ids.empty() ? "" : ",") + p.id;
    file.provenance.anchor = ids;
    file.provenance.reference = "every anchor listed, fitted at once (pathways calibrate --anchors)";
    file.provenance.method = "weighted least squares, weights 1 / ((SE x design factor)^2 + (years x tau)^2)";
    file.provenance.scenario = options.scenario_file;
    file.provenance.pathways_version = version;
    if (!out.parent_path().empty()) std::filesystem::create_directories(out.parent_path());
    write_file_atomically(out, parameter_file_json(file), options.force);
    std::cout << "Wrote " << out.string() << " (use it with --set-file)\n";
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 130,
    .name = "anchors",
    .description = "List the published effects models are checked against; --check compares every model with them",
    .examples = "pathways anchors\n  pathways anchors --check scenarios/rand-2017-check.json",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<anchors_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("--anchors-file", options->anchors_file, "More anchors (JSON) besides the shipped ones");
        command.add_option("--check", options->check_scenarios,
                           "Scenario to run every installed model on at its defaults (repeatable)");
        add_plugin_options(command, *plugins);
        return [options, plugins](int, char**) { return unless_interrupted(anchors_command(*options, *plugins)); };
    },
}};

}  // namespace

}  // namespace pathways::cli
