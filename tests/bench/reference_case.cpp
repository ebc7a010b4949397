#include "reference_case.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>

#include "engine/subgroups.hpp"

namespace pathways::bench {
namespace {

// The engine's between-school spread of the PL dose: SD 0.10 / 0.09 around 1 (simulation.cpp, from
// Pane et al. 2017 and Gnagey & Lavertu 2016). Only the NumPy reference's timed draws use it.
constexpr double school_dose_sd = 0.10 / 0.09;

bool is_evaluated(node_kind kind) {
    return kind == node_kind::student_outcome || kind == node_kind::academic_outcome || kind == node_kind::goal ||
           kind == node_kind::primary_driver;
}

bool carries_dose(node_kind kind) {
    return kind == node_kind::secondary_driver || kind == node_kind::primary_driver ||
           kind == node_kind::foundational_practice;
}

double weighted_mean(const std::vector<double>& values, const std::vector<double>& weights, std::size_t offset) {
    double sum = 0.0;
    double total = 0.0;
    for (std::size_t c = 0; c < weights.size(); ++c) {
        sum += weights[c] * values[offset + c];
        total += weights[c];
    }
    return total > 0.0 ? sum / total : 0.0;
}

/// Baselines as the engine sets them: schedule start levels, re-centred outcome offsets, then each
/// primary driver the mean of its members.
std::vector<double> initial_values(const simulation& sim, const loaded_scenario& loaded) {
    const auto& nodes = loaded.graph->definition().nodes;
    const population_cells& cells = loaded.cells;
    const std::size_t n = cells.size();
    std::vector<double> initial(nodes.size() * n, 0.0);
    const auto& driven = sim.schedule().driven_nodes();
    for (std::size_t k = 0; k < driven.size(); ++k) {
        for (std::size_t c = 0; c < n; ++c) initial[driven[k] * n + c] = sim.schedule().start_level(cells.school[c], k);
    }
    for (const outcome_baseline& baseline : loaded.district.baselines) {
        const auto node = loaded.graph->find(baseline.node);
        if (!node) continue;
        const std::size_t offset = *node * n;
        for (const auto& [term_text, shift] : baseline.offsets) {
            std::string error;
            const auto term = parse_subgroup(term_text, error);
            if (!term || term->terms.size() != 1) continue;
            for (std::size_t c = 0; c < n; ++c) {
                if (cell_has_term(cells, c, term->terms.front())) initial[offset + c] += shift;
            }
        }
        const double mean = weighted_mean(initial, cells.students, offset);
        for (std::size_t c = 0; c < n; ++c) initial[offset + c] -= mean;
    }
    for (std::size_t node : loaded.graph->topological_order()) {
        if (nodes[node].kind != node_kind::primary_driver) continue;
        const auto members = loaded.graph->members_of_group(nodes[node].id);
        for (std::size_t m : members) {
            for (std::size_t c = 0; c < n; ++c) initial[node * n + c] += initial[m * n + c];
        }
        if (!members.empty()) {
            for (std::size_t c = 0; c < n; ++c) initial[node * n + c] /= static_cast<double>(members.size());
        }
    }
    return initial;
}

void add_structure(const loaded_scenario& loaded, reference_case& ref) {
    const auto& graph = *loaded.graph;
    const auto& nodes = graph.definition().nodes;
    const auto& edges = graph.definition().edges;
    std::map<std::tuple<std::size_t, bool, std::uint8_t>, int> slots;
    for (std::size_t node : graph.topological_order()) {
        if (!is_evaluated(nodes[node].kind) || nodes[node].derived != derived_metric::none) continue;
        reference_node evaluated{node,
                                 nodes[node].kind == node_kind::primary_driver,
                                 nodes[node].has_role("achievement"),
                                 {}};
        const edge_role wanted = evaluated.composes ? edge_role::composition : edge_role::effect;
        for (std::size_t e : graph.incoming_edges(node)) {
            if (edges[e].role != wanted) continue;
            const std::size_t parent = *graph.find(edges[e].from);
            const bool dose = !evaluated.composes && carries_dose(nodes[parent].kind);
            const std::uint8_t bands = edges[e].grade_bands;
            int view = -1;
            if (dose || bands != all_grade_bands) {
                const auto [it, inserted] =
                    slots.try_emplace({parent, dose, bands}, static_cast<int>(ref.views.size()));
                if (inserted) {
                    reference_view added{parent, dose, std::vector<double>(ref.cells, 1.0)};
                    for (std::size_t c = 0; c < ref.cells; ++c) {
                        if (((bands >> loaded.cells.grade_band[c]) & 1u) == 0) added.mask[c] = 0.0;
                    }
                    ref.views.push_back(std::move(added));
                }
                view = it->second;
            }
            evaluated.parents.push_back({parent, e, view});
        }
        ref.evaluated.push_back(std::move(evaluated));
    }
}

std::vector<double> plan_levels(const simulation& sim, const draw_parameters& central, bool business_as_usual) {
    const implementation_draw plan{central.years_to_half, central.years_to_90, central.decay_per_doubling,
                                   central.cut_year, central.edge_weights};
    implementation_schedule::result result;
    sim.schedule().compute(plan, business_as_usual, result);
    const implementation_schedule& schedule = sim.schedule();
    std::vector<double> flat;
    for (int year = 0; year < schedule.years(); ++year) {
        for (std::size_t s = 0; s < schedule.school_count(); ++s) {
            for (std::size_t k = 0; k < schedule.driven_nodes().size(); ++k)
                flat.push_back(schedule.level(result, year, s, k));
        }
    }
    return flat;
}

/// The engine's business-as-usual trend of every reported outcome per cell: subgroup terms add up.
void add_reporting(const simulation& sim, const loaded_scenario& loaded, reference_case& ref) {
    const auto& groups = sim.subgroups();
    for (int y = 0; y < ref.years; ++y) {
        for (const reported_subgroup& group : groups) {
            std::vector<double> member(ref.cells, 0.0);
            for (std::uint32_t c : group.cells_in(y)) member[c] = 1.0;
            ref.members.insert(ref.members.end(), member.begin(), member.end());
            ref.group_students.push_back(group.students_in(y));
        }
    }
    const auto& nodes = loaded.graph->definition().nodes;
    for (const reported_outcome& outcome : sim.outcomes()) {
        std::vector<double> rates(ref.cells, 0.0);
        for (const outcome_trend& trend : loaded.district.trends) {
            if (trend.node != nodes[outcome.node].id) continue;
            std::fill(rates.begin(), rates.end(), 0.0);
            for (const auto& [term_text, per_year] : trend.per_year) {
                std::string error;
                const auto group = parse_subgroup(term_text, error);
                if (!group) continue;
                for (std::uint32_t c : select_cells(*group, loaded.cells)) rates[c] += per_year;
            }
        }
        ref.outcome_trend.insert(ref.outcome_trend.end(), rates.begin(), rates.end());
    }
}

// --- .npy output: magic, version 1.0, a Python-literal header padded to 64 bytes, raw little-endian data.

template <class T>
void write_npy(const std::filesystem::path& file, const std::vector<std::size_t>& shape, const std::vector<T>& data) {
    std::string dims;
    for (std::size_t d : shape) dims += std::to_string(d) + ", ";
    if (shape.size() > 1) dims.resize(dims.size() - 2);
    std::string header = std::string("{'descr': '") + (std::is_same_v<T, double> ? "<f8" : "<i8") +
                         "', 'fortran_order': False, 'shape': (" + dims + "), }";
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::ofstream out(file, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const auto length = static_cast<std::uint16_t>(header.size());
    const char length_bytes[2] = {static_cast<char>(length & 0xffu), static_cast<char>(length >> 8u)};
    out.write(length_bytes, 2);
    out << header;
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size() * sizeof(T)));
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

nlohmann::json prior_json(const sdk::prior& p) {
    static const char* const kinds[] = {"fixed", "normal", "truncated_normal", "lognormal", "uniform", "beta"};
    return {{"kind", kinds[static_cast<int>(p.kind)]}, {"a", p.a}, {"b", p.b}, {"lower", p.lower}, {"upper", p.upper}};
}

nlohmann::json structure_json(const reference_case& ref, const simulation& sim, const loaded_scenario& loaded) {
    nlohmann::json evaluated = nlohmann::json::array();
    for (const reference_node& node : ref.evaluated) {
        nlohmann::json parents = nlohmann::json::array();
        for (const reference_parent& p : node.parents)
            parents.push_back({{"node", p.node}, {"edge", p.edge}, {"view", p.view}});
        evaluated.push_back({{"node", node.node},
                             {"composes", node.composes},
                             {"accumulates", node.accumulates},
                             {"parents", parents}});
    }
    nlohmann::json views = nlohmann::json::array();
    for (const reference_view& view : ref.views) views.push_back({{"node", view.node}, {"dose", view.dose}});
    nlohmann::json edges = nlohmann::json::array();
    const auto& model_edges = loaded.graph->definition().edges;
    for (std::size_t e = 0; e < model_edges.size(); ++e) {
        edges.push_back({{"weight", ref.central_weights[e]}, {"prior", prior_json(model_edges[e].uncertainty)}});
    }
    nlohmann::json outcomes = nlohmann::json::array();
    for (const reported_outcome& outcome : sim.outcomes()) outcomes.push_back(outcome.node);
    nlohmann::json groups = nlohmann::json::array();
    for (const reported_subgroup& group : sim.subgroups()) groups.push_back(group.group.name);
    return {{"scenario", loaded.spec.name},
            {"model", loaded.model->name},
            {"cells", ref.cells},
            {"schools", ref.schools},
            {"years", ref.years},
            {"nodes", loaded.graph->definition().nodes.size()},
            {"driven", ref.driven},
            {"evaluated", evaluated},
            {"views", views},
            {"edges", edges},
            {"scale", ref.scale},
            {"outcomes", outcomes},
            {"subgroups", groups},
            {"school_dose_sd", school_dose_sd}};
}

}  // namespace

reference_case build_reference_case(const simulation& sim, const loaded_scenario& loaded) {
    if (loaded.model->name != "linear") throw std::runtime_error("the reference case needs the linear model");
    reference_case ref;
    ref.cells = loaded.cells.size();
    ref.schools = loaded.schools.size();
    ref.years = sim.years();
    ref.students = loaded.cells.students;
    ref.school.assign(loaded.cells.school.begin(), loaded.cells.school.end());
    ref.initial = initial_values(sim, loaded);
    ref.driven = sim.schedule().driven_nodes();
    const draw_parameters central = sim.central_parameters();
    ref.central_weights = central.edge_weights;
    ref.scale = central.model_parameters.at(0);
    ref.levels_scenario = plan_levels(sim, central, false);
    ref.levels_bau = plan_levels(sim, central, true);
    add_structure(loaded, ref);
    if (ref.evaluated.size() != sim.evaluated_node_count()) {
        throw std::runtime_error("the reference case evaluates " + std::to_string(ref.evaluated.size()) +
                                 " nodes, the engine " + std::to_string(sim.evaluated_node_count()));
    }
    add_reporting(sim, loaded, ref);
    return ref;
}

void write_reference_case(const reference_case& ref, const simulation& sim, const loaded_scenario& loaded,
                          const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "case.json") << structure_json(ref, sim, loaded).dump(1) << '\n';
    const std::size_t years = static_cast<std::size_t>(ref.years);
    const std::size_t nodes = ref.initial.size() / ref.cells;
    const std::size_t groups = sim.subgroups().size();
    const std::size_t outcomes = sim.outcomes().size();
    write_npy(dir / "students.npy", {ref.cells}, ref.students);
    write_npy(dir / "school.npy", {ref.cells}, ref.school);
    write_npy(dir / "initial.npy", {nodes, ref.cells}, ref.initial);
    write_npy(dir / "levels_scenario.npy", {years, ref.schools, ref.driven.size()}, ref.levels_scenario);
    write_npy(dir / "levels_bau.npy", {years, ref.schools, ref.driven.size()}, ref.levels_bau);
    std::vector<double> masks;
    for (const reference_view& view : ref.views) masks.insert(masks.end(), view.mask.begin(), view.mask.end());
    write_npy(dir / "view_mask.npy", {ref.views.size(), ref.cells}, masks);
    write_npy(dir / "members.npy", {years, groups, ref.cells}, ref.members);
    write_npy(dir / "group_students.npy", {years, groups}, ref.group_students);
    write_npy(dir / "outcome_trend.npy", {outcomes, ref.cells}, ref.outcome_trend);

    draw_result central;
    sim.run(sim.central_parameters(), central);
    std::vector<double> engine = central.scenario.levels;
    engine.insert(engine.end(), central.business_as_usual.levels.begin(), central.business_as_usual.levels.end());
    write_npy(dir / "engine_levels.npy", {2, years, groups, outcomes}, engine);
}

}  // namespace pathways::bench
