#include "engine/scenario_loader.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/subgroup.hpp"
#include "common/text_safety.hpp"
#include "engine/costs.hpp"
#include "engine/schedule.hpp"
#include "engine/school_ratings.hpp"
#include "engine/stage_gate.hpp"
#include "plugin/parameter_check.hpp"
#include "population/national_synthesis.hpp"
#include "population/schools_csv.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways {
namespace {

std::vector<std::string> pattern_suggestions(const model_graph& graph) {
    std::vector<std::string> names{"*"};
    for (const model_node& node : graph.definition().nodes) {
        if (node.kind != node_kind::secondary_driver && node.kind != node_kind::foundational_practice) continue;
        names.push_back(node.id);
        const std::string group = node.id.substr(0, node.id.rfind('.'));
        if (std::find(names.begin(), names.end(), group + ".*") == names.end()) names.push_back(group + ".*");
    }
    return names;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string list;
    for (const std::string& name : names) list += (list.empty() ? "'" : ", '") + name + "'";
    return list;
}

void check_levels(const std::vector<level_rule>& rules, const model_graph& graph, const position_index& where,
                  diagnostics& out) {
    for (const level_rule& rule : rules) {
        if (pattern_matches_any(graph, rule.pattern)) continue;
        where.error(out, rule.where.pointer,
                    "'" + rule.pattern + "' matches no practice or driver of model '" + graph.definition().id + "'" +
                        "; expected one of " + quoted_list(pattern_suggestions(graph)) +
                        did_you_mean(rule.pattern, pattern_suggestions(graph)));
    }
}

std::vector<std::string> node_ids(const model_graph& graph, bool outcomes_only) {
    std::vector<std::string> ids;
    for (const model_node& node : graph.definition().nodes) {
        const bool outcome = node.kind == node_kind::student_outcome || node.kind == node_kind::academic_outcome ||
                             node.kind == node_kind::goal;
        if (!outcomes_only || outcome) ids.push_back(node.id);
    }
    return ids;
}

/// Names and ranges of the conditions a scenario or profile may set: the model's settable conditions,
/// each 0 to 1 except the program runway (years).
std::map<std::string, double, std::less<>> condition_limits(const model_graph& graph) {
    std::map<std::string, double, std::less<>> limits;
    for (const model_node& node : graph.definition().nodes) {
        if (is_settable_condition(node))
            limits[condition_key(node)] = node.has_role("program_runway") ? max_runway_years : 1.0;
    }
    return limits;
}

/// Each (name, value) at `prefix`/name must be a condition of the model, within its range.
void check_condition_values(const std::vector<std::pair<std::string, double>>& values, const std::string& prefix,
                            const position_index& where, const model_graph& graph, diagnostics& out) {
    const auto limits = condition_limits(graph);
    std::vector<std::string> names;
    for (const auto& [name, limit] : limits) names.push_back(name);
    for (const auto& [name, value] : values) {
        const auto limit = limits.find(name);
        if (limit == limits.end()) {
            where.error(out, prefix + name,
                        "unknown condition '" + name + "' of model '" + graph.definition().id + "'; expected " +
                            (names.empty() ? std::string("none: the model has no condition to set")
                                           : "one of " + quoted_list(names)) +
                            did_you_mean(name, names));
        } else if (value > limit->second) {
            where.error(out, prefix + name,
                        shortest_number(value) + " is out of range; expected 0 to " + shortest_number(limit->second));
        }
    }
}

void check_plan_conditions(const scenario& spec, const model_graph& graph, diagnostics& out) {
    const std::vector<std::pair<std::string, double>> values(spec.plan.conditions.begin(), spec.plan.conditions.end());
    check_condition_values(values, "/implementation/conditions/", spec.where, graph, out);
}

void check_report(const scenario& spec, const model_graph& graph, diagnostics& out) {
    const auto outcomes = node_ids(graph, true);
    for (std::size_t i = 0; i < spec.report.outcomes.size(); ++i) {
        const std::string& id = spec.report.outcomes[i];
        if (std::find(outcomes.begin(), outcomes.end(), id) != outcomes.end()) continue;
        spec.where.error(out, "/report/outcomes/" + std::to_string(i),
                         "unknown outcome '" + id + "'; expected an outcome or goal of model '" +
                             graph.definition().id + "'" + did_you_mean(id, outcomes));
    }
    for (const auto& [focal, reference] : spec.report.reference_groups) {
        for (const std::string& name : {focal, reference}) {
            if (std::find(spec.report.subgroups.begin(), spec.report.subgroups.end(), name) !=
                spec.report.subgroups.end())
                continue;
            spec.where.error(out, "/report/reference_groups",
                             "subgroup '" + name + "' of a gap is not reported; expected it in /report/subgroups");
        }
    }
}

/// A warning at `pointer` of the district profile: the run goes on, the user is told what it assumes.
void warn(const district_profile& district, std::string_view pointer, std::string message, diagnostics& out) {
    const source_location where = district.where.at(pointer);
    out.add({where.file, where.line, where.column, where.pointer, severity::warning, std::move(message)});
}

/// An achievement outcome without a baseline starts at 0 SD for every student: no proficiency share and
/// no starting gaps between subgroups. The run is still meaningful for effects, so this is a warning.
void check_baselines_cover_achievement(const district_profile& district, const model_graph& graph, diagnostics& out) {
    for (const model_node& node : graph.definition().nodes) {
        if (!node.has_role("achievement")) continue;
        const bool given = std::any_of(district.baselines.begin(), district.baselines.end(),
                                       [&](const outcome_baseline& b) { return b.node == node.id; });
        if (given) continue;
        warn(district, "/baseline",
             "no baseline for '" + node.id + "' of model '" + graph.definition().id +
                 "': every student starts at 0 SD, so its proficiency share and starting gaps are not known; "
                 "expected /baseline/" +
                 node.id + " with proficient, offsets, source and evidence",
             out);
    }
}

void check_district_nodes(const district_profile& district, const model_graph& graph, diagnostics& out) {
    const auto ids = node_ids(graph, false);
    bool for_this_model = true;
    for (const outcome_baseline& baseline : district.baselines) {
        if (graph.find(baseline.node)) continue;
        for_this_model = false;
        district.where.error(out, "/baseline/" + baseline.node,
                             "unknown node '" + baseline.node + "' in model '" + graph.definition().id +
                                 "'; expected a node of that model (a profile's baselines name the nodes of one "
                                 "model: pair the profile with the model it was written for, or use a profile "
                                 "written for '" +
                                 graph.definition().id + "')" + did_you_mean(baseline.node, ids));
    }
    // Missing baselines are news only when the profile was written for this model.
    if (for_this_model) check_baselines_cover_achievement(district, graph, out);
    std::vector<std::pair<std::string, double>> conditions;
    for (const auto& [name, value] : district.conditions) conditions.emplace_back(name, value.value);
    check_condition_values(conditions, "/conditions/", district.where, graph, out);
    check_levels(district.starting_levels, graph, district.where, out);
    const auto outcomes = node_ids(graph, true);
    for (std::size_t i = 0; i < district.trends.size(); ++i) {
        const std::string& node = district.trends[i].node;
        if (node.empty() || std::find(outcomes.begin(), outcomes.end(), node) != outcomes.end()) continue;
        district.where.error(out, "/trends/" + std::to_string(i) + "/node",
                             "unknown outcome '" + node + "' in model '" + graph.definition().id +
                                 "'; expected an outcome or goal node" + did_you_mean(node, outcomes));
    }
}

/// The profile's enrollment is what reports show for the district while the population is built from
/// the schools CSV, so the two must agree.
std::int64_t csv_enrollment(const std::vector<school>& schools) {
    std::int64_t total = 0;
    for (const school& s : schools) total += s.enrollment;
    return total;
}

void check_enrollment(const district_profile& district, const std::vector<school>& schools, diagnostics& out) {
    if (district.enrollment.value <= 0.0 || schools.empty()) return;
    const std::int64_t total = csv_enrollment(schools);
    if (static_cast<double>(total) == district.enrollment.value) return;
    district.where.error(out, "/enrollment/value",
                         "enrollment " + shortest_number(district.enrollment.value) + " disagrees with the " +
                             std::to_string(total) + " students of the " + std::to_string(schools.size()) +
                             " schools in " +
                             (district.synthesized_schools ? std::string("/synthesized_schools")
                                                           : district.schools_csv.filename().string()) +
                             "; expected the sum of the schools' enrollment");
}

/// A profile without /enrollment takes the CSV's sum, so reports never show a district of 0 students;
/// a note says where the number came from.
void fill_enrollment(district_profile& district, const std::vector<school>& schools, diagnostics& out) {
    if (district.enrollment.value > 0.0 || schools.empty()) return;
    const std::int64_t total = csv_enrollment(schools);
    district.enrollment = {static_cast<double>(total),
                           "the sum of the enrollment column of " + district.schools_csv.filename().string(), "S"};
    const source_location where = district.where.at("");
    out.add({where.file, where.line, where.column, "/enrollment", severity::note,
             "no enrollment given; using the " + std::to_string(total) + " students of the " +
                 std::to_string(schools.size()) + " schools in " + district.schools_csv.filename().string()});
}

seed_table to_seed_table(const seed_associations& seed) {
    seed_table table;
    table.ell_given_race = seed.ell_given_race;
    table.frl_odds = seed.frl_odds;
    table.sped_odds = seed.sped_odds;
    return table;
}

/// Whether `setting` pins a parameter of `model`; a setting for another model is an error unless the
/// overrides say such settings are skipped.
bool setting_applies(const parameter_setting& setting, const model_handle& model, const scenario_overrides& overrides,
                     diagnostics& out) {
    if (overrides.skip_settings_of_other_models) {
        const bool for_model =
            setting.model.empty() ? model.find_parameter(setting.name) != nullptr : setting.model == model.name;
        return for_model;
    }
    if (setting.model.empty() || setting.model == model.name) return true;
    out.error(setting.where.file, setting.where.line, setting.where.column, setting.where.pointer,
              "parameter '" + setting.name + "' is for effect model '" + setting.model + "', but this run uses '" +
                  model.name + "'; expected --effect-model " + setting.model + " or a setting for '" + model.name +
                  "'");
    return false;
}

const model_handle* resolve_model(scenario& spec, const plugin_registry& plugins, const scenario_overrides& overrides,
                                  diagnostics& out) {
    if (overrides.effect_model && *overrides.effect_model != spec.effect_model) {
        // The scenario's parameters belong to the model it names; another model starts from its own defaults.
        spec.effect_model = *overrides.effect_model;
        spec.parameters.clear();
        spec.parameter_locations.clear();
    }
    const model_handle* model = plugins.find(spec.effect_model);
    if (model == nullptr) {
        spec.where.error(out, "/effect_model/plugin", plugins.unknown_model_message(spec.effect_model));
        return nullptr;
    }
    for (const parameter_setting& setting : overrides.parameters) {
        if (!setting_applies(setting, *model, overrides, out)) continue;
        std::erase_if(spec.parameters, [&](const auto& p) { return p.first == setting.name; });
        spec.parameters.emplace_back(setting.name, setting.value);
        spec.parameter_locations[setting.name] = setting.where;
    }
    for (const auto& [name, value] : spec.parameters) {
        source_location where = spec.parameter_locations[name];
        check_parameter(*model, name, value, where, out);
    }
    return model;
}

/// The central value of a replaced prior, which central runs (--draws 0) use: its mean where a prior
/// is given by it (fixed, normal, truncated normal as pathways writes posteriors, lognormal); none for
/// uniform and beta priors, whose central value stays the model's.
std::optional<double> central_value(const sdk::prior& prior) {
    switch (prior.kind) {
        case sdk::prior_kind::fixed:
        case sdk::prior_kind::normal:
        case sdk::prior_kind::truncated_normal: return prior.a;
        case sdk::prior_kind::lognormal: return std::exp(prior.a + prior.b * prior.b / 2.0);
        default: return std::nullopt;
    }
}

/// The graph with every `edge:` prior of `priors` in place, rebuilt; unknown edges are errors.
std::unique_ptr<model_graph> with_edge_priors(std::unique_ptr<model_graph> graph,
                                              const std::vector<prior_setting>& priors, diagnostics& out) {
    model_definition definition = graph->definition();
    bool changed = false;
    for (const prior_setting& setting : priors) {
        if (!setting.input.starts_with("edge:")) continue;
        std::vector<std::string> names;
        bool found = false;
        for (model_edge& edge : definition.edges) {
            const std::string name = "edge:" + edge.from + "->" + edge.to;
            names.push_back(name);
            if (name != setting.input) continue;
            edge.uncertainty = setting.prior;
            if (const auto central = central_value(setting.prior)) edge.weight = *central;
            found = changed = true;
        }
        if (!found) {
            out.error(setting.where.file, setting.where.line, setting.where.column, setting.where.pointer,
                      "'" + setting.input + "' is no edge of model '" + definition.id +
                          "'; expected an edge the model file declares" + did_you_mean(setting.input, names));
        }
    }
    if (!changed) return graph;
    auto rebuilt = model_graph::build(std::move(definition), out);
    return rebuilt ? std::make_unique<model_graph>(std::move(*rebuilt)) : nullptr;
}

/// The run's model with every `parameter:` prior of the overrides in place; null when none applies.
std::shared_ptr<const model_handle> with_parameter_priors(const model_handle& model,
                                                          const scenario_overrides& overrides, diagnostics& out) {
    std::shared_ptr<model_handle> copy;
    for (const prior_setting& setting : overrides.priors) {
        if (!setting.input.starts_with("parameter:")) continue;
        const std::string name = setting.input.substr(std::string_view("parameter:").size());
        if (!setting.model.empty() && setting.model != model.name) {
            if (overrides.skip_settings_of_other_models) continue;
            out.error(setting.where.file, setting.where.line, setting.where.column, setting.where.pointer,
                      "the prior of '" + name + "' is for effect model '" + setting.model + "', but this run uses '" +
                          model.name + "'; expected --effect-model " + setting.model);
            continue;
        }
        const auto index = model.parameter_index(name);
        if (!index) {
            std::vector<std::string> names;
            for (const parameter_info& info : model.parameters) names.push_back(info.name);
            out.error(setting.where.file, setting.where.line, setting.where.column, setting.where.pointer,
                      "effect model '" + model.name + "' declares no parameter '" + name + "'; expected one of " +
                          quoted_list(names) + did_you_mean(name, names));
            continue;
        }
        if (!copy) copy = std::make_shared<model_handle>(model);
        parameter_info& info = copy->parameters[*index];
        info.uncertainty = setting.prior;
        if (const auto central = central_value(setting.prior))
            info.default_value = std::clamp(*central, info.min, info.max);
    }
    return copy;
}

/// The scenario's plan with every `implementation:` prior of `priors` in place, each with its central
/// value; a prior of a ramp the scenario made instant, or of a fidelity loss it turned off, is an error.
void with_implementation_priors(scenario& spec, const std::vector<prior_setting>& priors, diagnostics& out) {
    const auto refuse = [&](const prior_setting& setting, const std::string& why) {
        out.error(setting.where.file, setting.where.line, setting.where.column, setting.where.pointer,
                  "'" + setting.input + "' has nothing to replace: " + why);
    };
    for (const prior_setting& setting : priors) {
        const std::optional<double> central = central_value(setting.prior);
        if (setting.input == "implementation:years_to_half") {
            ramp_settings& ramp = spec.plan.ramp;
            if (ramp.instant) {
                refuse(setting, "the scenario's ramp is instant; expected a scenario whose schools ramp up");
                continue;
            }
            ramp.years_to_half_prior = setting.prior;
            if (central) {
                const double to_90 = ramp.years_to_90 - ramp.years_to_half;
                ramp.years_to_half = std::max(minimum_years_to_half, *central);
                ramp.years_to_90 = ramp.years_to_half + to_90;
            }
        } else if (setting.input == "implementation:decay_per_doubling") {
            fidelity_settings& fidelity = spec.plan.fidelity;
            if (!(fidelity.decay_per_doubling < 1.0)) {
                refuse(setting,
                       "the scenario turned fidelity loss off (decay_per_doubling 1); expected a decay below 1");
                continue;
            }
            fidelity.decay_prior = setting.prior;
            if (central) fidelity.decay_per_doubling = std::clamp(*central, 0.0, 1.0);
        } else if (setting.input == "implementation:practices_years_to_half" ||
                   setting.input == "implementation:gain_persistence") {
            program_cut_settings& cut = spec.plan.program_cut;
            if (!(cut.annual_probability > 0.0)) {
                refuse(setting, "the scenario has no program-cut risk; expected an annual_probability above 0");
                continue;
            }
            if (setting.input == "implementation:gain_persistence") {
                cut.gain_persistence_prior = setting.prior;
                if (central) cut.gain_persistence = std::clamp(*central, 0.0, 1.0);
            } else {
                cut.practices_years_to_half_prior = setting.prior;
                if (central) cut.practices_years_to_half = std::max(0.1, *central);
            }
        } else if (setting.input == "effect:average") {
            spec.plan.average_effect_prior = setting.prior;
        }
    }
}

/// The school blocks a run holds: every block, or its part of them under `--split schools`.
school_blocks blocks_to_hold(std::size_t schools, const scenario_overrides& overrides, const scenario& spec,
                             diagnostics& found) {
    school_blocks blocks;
    blocks.schools_per_block = overrides.schools_per_block;
    const std::size_t population_blocks = block_count(schools, blocks.schools_per_block);
    blocks.count = population_blocks;
    if (!overrides.split) return blocks;
    const work_share share = share_of(population_blocks, overrides.split->part, overrides.split->parts);
    if (share.count == 0) {
        spec.where.error(found, "/district",
                         std::to_string(overrides.split->parts) + " ranks for the " +
                             std::to_string(population_blocks) + " school blocks of " +
                             std::to_string(blocks.schools_per_block) +
                             " schools this district has; expected at most one rank a block with --split schools "
                             "(fewer ranks, a smaller --schools-per-block, or --split draws)");
    }
    blocks.first = share.first;
    blocks.count = share.count;
    return blocks;
}

/// The cells of the schools in `blocks`, each cell's school its index among all `schools`.
population_cells cells_of_blocks(const std::vector<school>& schools, const school_blocks& blocks,
                                 const seed_table& seed, population_report& report, diagnostics& found) {
    const std::size_t first = std::min(schools.size(), blocks.first * blocks.schools_per_block);
    const std::size_t last = std::min(schools.size(), (blocks.first + blocks.count) * blocks.schools_per_block);
    if (first == 0 && last == schools.size()) return synthesize_population(schools, seed, ipf_options{}, report, found);
    const std::vector<school> held(schools.begin() + static_cast<std::ptrdiff_t>(first),
                                   schools.begin() + static_cast<std::ptrdiff_t>(last));
    population_cells cells = synthesize_population(held, seed, ipf_options{}, report, found);
    for (std::uint32_t& s : cells.school) s += static_cast<std::uint32_t>(first);
    for (school_fit_summary& fit : report.schools) fit.school += static_cast<std::uint32_t>(first);
    report.worst_school += static_cast<std::uint32_t>(first);
    return cells;
}

}  // namespace

std::unique_ptr<model_graph> load_model_graph(const std::filesystem::path& path, diagnostics& out) {
    auto definition = path.empty() ? read_embedded_model(out) : read_model_file(path, out);
    if (!definition) return nullptr;
    auto graph = model_graph::build(std::move(*definition), out);
    if (!graph) return nullptr;
    return std::make_unique<model_graph>(std::move(*graph));
}

std::optional<loaded_district> load_district(const std::filesystem::path& path, const std::filesystem::path& model_path,
                                             diagnostics& out) {
    diagnostics found;
    loaded_district loaded;
    loaded.graph = load_model_graph(model_path, found);
    auto district = read_district(path, found);
    if (district) loaded.schools = district_schools(*district, found);
    if (district) check_enrollment(*district, loaded.schools, found);
    if (district) fill_enrollment(*district, loaded.schools, found);
    if (district && loaded.graph) check_district_nodes(*district, *loaded.graph, found);
    if (found.has_errors() || !district || !loaded.graph) {
        out.append(found);
        return std::nullopt;
    }
    loaded.cells =
        synthesize_population(loaded.schools, to_seed_table(district->seed), ipf_options{}, loaded.population, found);
    loaded.district = std::move(*district);
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return loaded;
}

void check_district_schools(const district_profile& district, diagnostics& out) {
    const std::vector<school> schools = district_schools(district, out);
    check_enrollment(district, schools, out);
    if (district.baselines.empty()) {
        warn(district, "",
             "no /baseline: every outcome starts at 0 SD for every student, so proficiency shares and starting gaps "
             "are not known; expected a baseline for each achievement outcome of the model the profile is used with",
             out);
    }
}

void check_district_alone(const district_profile& district, diagnostics& out) {
    check_district_schools(district, out);
    diagnostics model_problems;
    const auto embedded = load_model_graph({}, model_problems);
    if (!embedded) {
        out.append(model_problems);
        return;
    }
    // Written for the embedded model when it names any of that model's nodes or conditions: a profile
    // for another model (tutoring's) names none, and a typo among the right names is then reported.
    const auto conditions = condition_limits(*embedded);
    const bool written_for_embedded =
        std::any_of(district.baselines.begin(), district.baselines.end(),
                    [&](const outcome_baseline& baseline) { return embedded->find(baseline.node).has_value(); }) ||
        std::any_of(district.conditions.begin(), district.conditions.end(),
                    [&](const auto& condition) { return conditions.contains(condition.first); });
    if (written_for_embedded) check_district_nodes(district, *embedded, out);
}

const model_handle* check_scenario_on(scenario& spec, const loaded_scenario& base, const plugin_registry& plugins,
                                      diagnostics& out) {
    diagnostics found;
    const model_handle* model = resolve_model(spec, plugins, scenario_overrides{}, found);
    for (const wave& w : spec.plan.waves) check_levels(w.targets, *base.graph, spec.where, found);
    apply_wave_goals(spec, base.schools, base.district, *base.graph, found);
    check_plan_conditions(spec, *base.graph, found);
    check_gates(spec, *base.graph, found);
    check_report(spec, *base.graph, found);
    check_plan_costs(spec, base.district, found);
    const bool failed = found.has_errors();
    out.append(found);
    return failed ? nullptr : model;
}

std::optional<loaded_scenario> load_scenario(const std::filesystem::path& path, const std::string& variant,
                                             const plugin_registry& plugins, const scenario_overrides& overrides,
                                             diagnostics& out) {
    auto spec = read_scenario(path, variant, out);
    if (!spec) return std::nullopt;
    return load_scenario(std::move(*spec), plugins, overrides, out);
}

namespace {

/// Points `spec` at the files a results folder keeps instead of those its own paths name.
void use_input_files(const scenario_overrides::input_files& inputs, scenario& spec) {
    if (inputs.district) spec.district_path = *inputs.district;
    if (inputs.model) spec.model_path = *inputs.model;
    if (inputs.ratings) spec.plan.ratings = *inputs.ratings;
    auto goals = inputs.goals.begin();
    for (wave& w : spec.plan.waves) {
        if (!w.goals.empty() && goals != inputs.goals.end()) w.goals = *goals++;
    }
}

/// Which schools each wave selects, checked even when other parts of the scenario were refused, so that
/// one pass of `validate` reports every independent error. The schedule's only findings are about
/// school selection; anything else it would trip over follows from errors already reported.
void check_wave_selection(const model_graph& graph, const district_profile& district,
                          const std::vector<school>& schools, const scenario& spec, diagnostics& found) {
    if (schools.empty() || spec.years < 1) return;
    try {
        const implementation_schedule waves(graph, district, schools, spec, found);
    } catch (const std::exception&) {
        // An inconsistency the errors already found explain; they are what the user needs to fix.
    }
}

}  // namespace

std::optional<loaded_scenario> load_scenario(scenario spec, const plugin_registry& plugins,
                                             const scenario_overrides& overrides, diagnostics& out) {
    diagnostics found;
    if (overrides.draws) spec.draws = *overrides.draws;
    if (overrides.seed) spec.seed = *overrides.seed;
    if (overrides.min_n) spec.report.min_n = *overrides.min_n;
    use_input_files(overrides.inputs, spec);
    loaded_scenario loaded;
    loaded.graph = load_model_graph(spec.model_path, found);
    std::optional<district_profile> district;
    if (std::filesystem::is_regular_file(spec.district_path)) {
        district = read_district(spec.district_path, found);
        if (district && overrides.inputs.schools_csv) district->schools_csv = *overrides.inputs.schools_csv;
    } else {
        spec.where.error(found, "/district",
                         "district file '" + spec.district_path.string() +
                             "' does not exist; expected a district profile");
    }
    loaded.model = resolve_model(spec, plugins, overrides, found);
    if (loaded.graph) loaded.graph = with_edge_priors(std::move(loaded.graph), overrides.priors, found);
    with_implementation_priors(spec, overrides.priors, found);
    if (loaded.model) loaded.model_with_priors = with_parameter_priors(*loaded.model, overrides, found);
    if (loaded.model_with_priors) loaded.model = loaded.model_with_priors.get();
    if (district) loaded.schools = district_schools(*district, found);
    if (district) check_enrollment(*district, loaded.schools, found);
    if (district) check_plan_costs(spec, *district, found);
    if (district) fill_enrollment(*district, loaded.schools, found);
    if (loaded.graph) {
        for (const wave& w : spec.plan.waves) check_levels(w.targets, *loaded.graph, spec.where, found);
        check_plan_conditions(spec, *loaded.graph, found);
        check_gates(spec, *loaded.graph, found);
        check_report(spec, *loaded.graph, found);
        if (district) check_district_nodes(*district, *loaded.graph, found);
        if (district) apply_ratings_and_goals(spec, loaded.schools, *district, *loaded.graph, found);
    }
    if (found.has_errors() || !district || !loaded.graph) {
        if (district && loaded.graph) check_wave_selection(*loaded.graph, *district, loaded.schools, spec, found);
        out.append(found);
        return std::nullopt;
    }
    loaded.blocks = blocks_to_hold(loaded.schools.size(), overrides, spec, found);
    if (!found.has_errors()) {
        loaded.cells =
            cells_of_blocks(loaded.schools, loaded.blocks, to_seed_table(district->seed), loaded.population, found);
    }
    loaded.spec = std::move(spec);
    loaded.district = std::move(*district);
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return loaded;
}

}  // namespace pathways
