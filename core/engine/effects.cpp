#include "engine/effects.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "engine/schedule.hpp"

namespace pathways {
namespace {

constexpr double max_level = 3.0;

std::vector<std::size_t> nodes_of_kinds(const model_graph& graph, std::initializer_list<node_kind> kinds) {
    std::vector<std::size_t> nodes;
    for (const node_kind kind : kinds) {
        const auto some = graph.nodes_of_kind(kind);
        nodes.insert(nodes.end(), some.begin(), some.end());
    }
    return nodes;
}

/// The scenario with one source's target in wave i set to `levels[i]` (exact ids outrank patterns).
scenario with_targets(const scenario& spec, const std::string& node_id, const std::vector<double>& levels) {
    scenario changed = spec;
    for (std::size_t i = 0; i < changed.plan.waves.size(); ++i)
        changed.plan.waves[i].targets.push_back({node_id, levels[i], {}});
    return changed;
}

/// District mean of every reported outcome in the final year of one central run.
std::vector<double> final_year_means(const simulation_inputs& inputs, const scenario& spec, diagnostics& problems) {
    const simulation sim({inputs.graph, inputs.district, inputs.schools, inputs.cells, spec, inputs.model}, problems);
    if (problems.has_errors()) return {};
    draw_result result;
    sim.run(sim.central_parameters(), result);
    const std::size_t outcomes = sim.outcomes().size();
    const auto last = static_cast<std::size_t>(std::max(sim.years() - 1, 0));
    const auto first = result.scenario.levels.begin() + static_cast<std::ptrdiff_t>(last * outcomes);
    return {first, first + static_cast<std::ptrdiff_t>(outcomes)};
}

/// The level a source is planned to reach in `w` (its starting level when the wave leaves it alone).
double planned_level(const simulation_inputs& inputs, const wave& w, const model_node& node) {
    const auto start = resolve_level(inputs.district.starting_levels, node).value_or(0.0);
    return resolve_level(w.targets, node).value_or(start);
}

}  // namespace

std::vector<std::size_t> effect_sources(const model_graph& graph) {
    return nodes_of_kinds(graph, {node_kind::foundational_practice, node_kind::secondary_driver});
}

std::vector<std::size_t> effect_outcomes(const model_graph& graph) {
    return nodes_of_kinds(graph, {node_kind::student_outcome, node_kind::academic_outcome});
}

namespace {

/// Column `source` of B (x = B x + u): the summed weights of the value-carrying edges leaving it.
std::vector<double> direct_from(const model_graph& graph, std::size_t source, double scale) {
    const auto& def = graph.definition();
    std::vector<double> direct(def.nodes.size(), 0.0);
    for (const std::size_t e : graph.outgoing_edges(source)) {
        const model_edge& edge = def.edges[e];
        if (carries_value(edge.role)) direct[*graph.find(edge.to)] += scale * edge.weight;
    }
    return direct;
}

/// Column `source` of (I - B)^-1 - I, the sum over all paths of the product of their weights. The model is a
/// DAG, so one pass in topological order gives it in O(edges); the dense inverse took O(nodes^3) time and
/// O(nodes^2) memory (minutes and gigabytes for a 10,000-node model).
std::vector<double> total_from(const model_graph& graph, std::size_t source, double scale) {
    const auto& def = graph.definition();
    std::vector<double> reach(def.nodes.size(), 0.0);  // (I - B)^-1 column: 1 at the source itself
    reach[source] = 1.0;
    for (const std::size_t node : graph.topological_order()) {
        if (node == source) continue;
        double sum = 0.0;
        for (const std::size_t e : graph.incoming_edges(node)) {
            const model_edge& edge = def.edges[e];
            if (carries_value(edge.role)) sum += scale * edge.weight * reach[*graph.find(edge.from)];
        }
        reach[node] = sum;
    }
    reach[source] = 0.0;  // minus I
    return reach;
}

}  // namespace

effects_table linear_effects(const model_graph& graph, double scale) {
    effects_table table;
    table.method = effects_method::linear_algebra;
    table.sources = effect_sources(graph);
    table.outcomes = effect_outcomes(graph);
    table.unit = "SD of the outcome per unit of the practice or driver (level point)";
    for (const std::size_t s : table.sources) {
        const std::vector<double> direct = direct_from(graph, s, scale);
        const std::vector<double> total = total_from(graph, s, scale);
        for (const std::size_t o : table.outcomes)
            table.entries.push_back({s, o, direct[o], total[o] - direct[o], total[o]});
    }
    return table;
}

effects_table marginal_effects(const simulation_inputs& inputs, double step, diagnostics& problems) {
    const model_graph& graph = inputs.graph;
    effects_table table;
    table.method = effects_method::finite_differences;
    table.sources = effect_sources(graph);
    table.outcomes = effect_outcomes(graph);
    table.unit = "SD of the outcome, district mean in the final year, per level point of the plan's target";

    scenario spec = inputs.spec;
    spec.report.subgroups = {"all"};
    spec.report.outcomes.clear();  // every student and academic outcome
    spec.report.min_n = 0;
    // The simulation lists outcomes in topological order; map them to the table's order.
    std::vector<std::size_t> position_in_run(table.outcomes.size(), 0);
    {
        const simulation probe({graph, inputs.district, inputs.schools, inputs.cells, spec, inputs.model}, problems);
        if (problems.has_errors()) return table;
        for (std::size_t o = 0; o < table.outcomes.size(); ++o) {
            const auto& reported = probe.outcomes();
            const auto it = std::find_if(reported.begin(), reported.end(),
                                         [&](const reported_outcome& r) { return r.node == table.outcomes[o]; });
            position_in_run[o] = static_cast<std::size_t>(it - reported.begin());
        }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const std::size_t s : table.sources) {
        const model_node& node = graph.definition().nodes[s];
        // Each wave moves by ±step around its own planned level; at the 0..3 bounds the difference
        // becomes one-sided, so the divisor is the mean distance actually moved.
        std::vector<double> low;
        std::vector<double> high;
        double moved = 0.0;
        for (const wave& w : spec.plan.waves) {
            const double planned = planned_level(inputs, w, node);
            low.push_back(std::clamp(planned - step, 0.0, max_level));
            high.push_back(std::clamp(planned + step, 0.0, max_level));
            moved += (high.back() - low.back()) / static_cast<double>(spec.plan.waves.size());
        }
        const auto down = final_year_means(inputs, with_targets(spec, node.id, low), problems);
        const auto up = final_year_means(inputs, with_targets(spec, node.id, high), problems);
        if (problems.has_errors()) return table;
        for (std::size_t o = 0; o < table.outcomes.size(); ++o) {
            const std::size_t k = position_in_run[o];
            table.entries.push_back({s, table.outcomes[o], nan, nan, moved > 0.0 ? (up[k] - down[k]) / moved : 0.0});
        }
    }
    return table;
}

namespace {

std::vector<ranked_path> rank_paths(const model_graph& graph, std::vector<std::vector<std::size_t>> paths,
                                    std::size_t top) {
    std::vector<ranked_path> ranked;
    for (auto& edges : paths) {
        double product = 1.0;
        for (const std::size_t e : edges) product *= graph.definition().edges[e].weight;
        ranked.push_back({std::move(edges), product});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const ranked_path& a, const ranked_path& b) {
        return std::abs(a.strength) > std::abs(b.strength);
    });
    if (ranked.size() > top) ranked.resize(top);
    return ranked;
}

}  // namespace

std::vector<ranked_path> strongest_paths(const model_graph& graph, std::size_t from, std::size_t to, std::size_t top,
                                         std::size_t max_enumerated) {
    return rank_paths(graph, graph.paths(from, to, max_enumerated), top);
}

std::vector<ranked_path> path_finder::strongest(std::size_t from, std::size_t to, std::size_t top,
                                                std::size_t max_enumerated) {
    auto reaching = reaching_.find(to);
    if (reaching == reaching_.end()) reaching = reaching_.emplace(to, graph_.reaching_nodes(to)).first;
    return rank_paths(graph_, graph_.paths(from, to, max_enumerated, reaching->second), top);
}

std::string describe_path(const model_graph& graph, const ranked_path& path) {
    const auto& def = graph.definition();
    std::string text;
    for (std::size_t i = 0; i < path.edges.size(); ++i) {
        const model_edge& edge = def.edges[path.edges[i]];
        if (i == 0) text = def.nodes[*graph.find(edge.from)].label;
        text += " \u2192 " + def.nodes[*graph.find(edge.to)].label;
    }
    return text;
}

effects_table scenario_effects(const loaded_scenario& loaded, diagnostics& problems) {
    if (loaded.model->name != "linear") {
        const simulation_inputs inputs{*loaded.graph, loaded.district, loaded.schools,
                                       loaded.cells,  loaded.spec,     *loaded.model};
        return marginal_effects(inputs, effects_difference_step, problems);
    }
    double scale = 1.0;
    if (const parameter_info* p = loaded.model->find_parameter("scale")) scale = p->default_value;
    for (const auto& [name, value] : loaded.spec.parameters) {
        if (name == "scale") scale = value;
    }
    return linear_effects(*loaded.graph, scale);
}

}  // namespace pathways
