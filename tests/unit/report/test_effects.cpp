// Direct, indirect and total effects, and ranked paths.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/effects.hpp"
#include "engine/scenario_loader.hpp"

namespace {

using namespace pathways;

model_node node(const std::string& id, node_kind kind, const std::string& group = "") {
    model_node n;
    n.id = id;
    n.label = id;
    n.kind = kind;
    n.group = group;
    return n;
}

model_edge edge(const std::string& from, const std::string& to, double weight, edge_role role = edge_role::effect) {
    model_edge e;
    e.from = from;
    e.to = to;
    e.weight = weight;
    e.role = role;
    e.source = "test";
    e.evidence = "A";
    return e;
}

/// a (secondary driver) → b (student outcome) → c (academic outcome), plus a → c directly.
model_graph hand_solved_graph(double a_to_c = 0.1) {
    model_definition def;
    def.id = "hand";
    def.nodes = {node("learner_paths", node_kind::primary_driver),
                 node("learner_paths.a", node_kind::secondary_driver, "learner_paths"),
                 node("b", node_kind::student_outcome), node("c", node_kind::academic_outcome)};
    def.edges = {edge("learner_paths.a", "learner_paths", 1.0, edge_role::composition),
                 edge("learner_paths.a", "b", 0.5), edge("b", "c", 0.4), edge("learner_paths.a", "c", a_to_c)};
    diagnostics problems;
    auto graph = model_graph::build(def, problems);
    REQUIRE(graph.has_value());
    return std::move(*graph);
}

// The entry refers into the table, so a temporary table would leave it dangling.
const effect_entry& find_entry(const model_graph&, effects_table&&, const std::string&, const std::string&) = delete;

const effect_entry& find_entry(const model_graph& graph, const effects_table& table, const std::string& from,
                               const std::string& to) {
    const std::size_t s = *graph.find(from);
    const std::size_t o = *graph.find(to);
    for (const effect_entry& e : table.entries) {
        if (e.source == s && e.outcome == o) return e;
    }
    FAIL("no entry " << from << " -> " << to);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("linear effects on a hand-solved graph are exact") {
    const model_graph graph = hand_solved_graph();
    const effects_table table = linear_effects(graph);
    REQUIRE(table.method == effects_method::linear_algebra);
    // a -> c: direct 0.1; indirect through b 0.5 * 0.4 = 0.2; total 0.1 + 0.2 = 0.3.
    const effect_entry& ac = find_entry(graph, table, "learner_paths.a", "c");
    CHECK(ac.direct == Approx(0.1).margin(1e-12));
    CHECK(ac.indirect == Approx(0.2).margin(1e-12));
    CHECK(ac.total == Approx(0.3).margin(1e-12));
    // a -> b: only the direct edge, 0.5; nothing indirect.
    const effect_entry& ab = find_entry(graph, table, "learner_paths.a", "b");
    CHECK(ab.direct == Approx(0.5).margin(1e-12));
    CHECK(ab.indirect == Approx(0.0).margin(1e-12));
    CHECK(ab.total == Approx(0.5).margin(1e-12));
}

TEST_CASE("the linear model's scale multiplies every link") {
    const model_graph graph = hand_solved_graph();
    // scale 2: direct 2 * 0.1 = 0.2; indirect (2 * 0.5) * (2 * 0.4) = 0.8; total 1.0.
    const effects_table table = linear_effects(graph, 2.0);
    const effect_entry& ac = find_entry(graph, table, "learner_paths.a", "c");
    CHECK(ac.direct == Approx(0.2).margin(1e-12));
    CHECK(ac.indirect == Approx(0.8).margin(1e-12));
    CHECK(ac.total == Approx(1.0).margin(1e-12));
}

TEST_CASE("a negative direct link can cancel the indirect route") {
    // a -> c = -0.2 against 0.5 * 0.4 = 0.2 through b: total 0.
    const model_graph graph = hand_solved_graph(-0.2);
    const effects_table table = linear_effects(graph);
    const effect_entry& ac = find_entry(graph, table, "learner_paths.a", "c");
    CHECK(ac.direct == Approx(-0.2).margin(1e-12));
    CHECK(ac.indirect == Approx(0.2).margin(1e-12));
    CHECK(ac.total == Approx(0.0).margin(1e-12));
}

TEST_CASE("strongest paths are ranked by the product of their weights") {
    const model_graph graph = hand_solved_graph();
    const auto paths = strongest_paths(graph, *graph.find("learner_paths.a"), *graph.find("c"), 5);
    REQUIRE(paths.size() == 2);
    CHECK(paths[0].strength == Approx(0.2));  // 0.5 * 0.4 beats the direct 0.1
    CHECK(paths[0].edges.size() == 2);
    CHECK(paths[1].strength == Approx(0.1));
    CHECK(describe_path(graph, paths[0]) == "learner_paths.a \u2192 b \u2192 c");
    CHECK(strongest_paths(graph, *graph.find("learner_paths.a"), *graph.find("c"), 1).size() == 1);
    CHECK(strongest_paths(graph, *graph.find("c"), *graph.find("learner_paths.a"), 5).empty());
}

TEST_CASE("on the DPS model total = direct + indirect for every pair") {
    diagnostics problems;
    const auto graph = load_model_graph("", problems);
    REQUIRE(graph != nullptr);
    const effects_table table = linear_effects(*graph);
    REQUIRE(table.entries.size() == table.sources.size() * table.outcomes.size());
    REQUIRE(table.sources.size() == 14);   // 4 foundational practices + 10 secondary drivers
    REQUIRE(table.outcomes.size() == 14);  // 10 student + 4 academic outcomes
    bool any_indirect = false;
    for (const effect_entry& e : table.entries) {
        CHECK(e.total == Approx(e.direct + e.indirect).margin(1e-12));
        any_indirect = any_indirect || std::abs(e.indirect) > 1e-9;
    }
    CHECK(any_indirect);
    // Every total is the sum over all paths of the products of their weights.
    const std::size_t math = *graph->find("academic.achievement.math");
    for (const std::size_t source : table.sources) {
        double summed = 0.0;
        for (const auto& path : graph->paths(source, math, 100000)) {
            double product = 1.0;
            for (const std::size_t e : path) product *= graph->definition().edges[e].weight;
            summed += product;
        }
        const auto s = static_cast<std::size_t>(std::find(table.sources.begin(), table.sources.end(), source) -
                                                table.sources.begin());
        const auto o = static_cast<std::size_t>(std::find(table.outcomes.begin(), table.outcomes.end(), math) -
                                                table.outcomes.begin());
        CHECK(table.at(s, o).total == Approx(summed).margin(1e-12));
    }
}

TEST_CASE("linear effects on a 10,000-node model are path sums, without a dense inverse") {
    // a (secondary driver) -> o0 -> o1 -> ... with weight 0.5 on each link, restarting every 500 nodes
    // (depth within the limit), and a -> every o_i directly with weight 0.01. The old dense (I - B)^-1
    // needed 800 MB and minutes here. Hand-computed: o_i at position k in its run of 500 has the direct
    // 0.01 plus, through o_(i-1) ... o_(i-k), 0.01 * (0.5 + 0.25 + ... + 0.5^k) = 0.01 * (1 - 0.5^k).
    model_definition def;
    def.id = "wide";
    def.nodes = {node("learner_paths", node_kind::primary_driver),
                 node("learner_paths.a", node_kind::secondary_driver, "learner_paths")};
    def.edges = {edge("learner_paths.a", "learner_paths", 1.0, edge_role::composition)};
    constexpr std::size_t outcomes = 9'998;
    for (std::size_t i = 0; i < outcomes; ++i) {
        const std::string id = "o" + std::to_string(i);
        def.nodes.push_back(node(id, node_kind::student_outcome));
        def.edges.push_back(edge("learner_paths.a", id, 0.01));
        if (i % 500 != 0) def.edges.push_back(edge("o" + std::to_string(i - 1), id, 0.5));
    }
    diagnostics problems;
    const auto graph = model_graph::build(def, problems);
    REQUIRE(graph.has_value());
    const effects_table table = linear_effects(*graph);
    REQUIRE(table.entries.size() == outcomes);
    for (const std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{500}, std::size_t{9'997}}) {
        const auto k = static_cast<double>(i % 500);
        const effect_entry& e = find_entry(*graph, table, "learner_paths.a", "o" + std::to_string(i));
        CHECK(e.direct == Approx(0.01).margin(1e-15));
        CHECK(e.total == Approx(0.01 + 0.01 * (1.0 - std::pow(0.5, k))).margin(1e-15));
    }
}
