#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "graph/model_graph.hpp"
#include "model_builder.hpp"

using namespace pathways;
using pathways::test::model_builder;
using pathways::test::small_model;

namespace {

/// Builds a model that must be rejected, and returns what was reported.
std::vector<diagnostic> rejected(const model_definition& def) {
    diagnostics found;
    const auto graph = model_graph::build(def, found);
    REQUIRE_FALSE(graph.has_value());
    REQUIRE(found.has_errors());
    return found.items();
}

/// The one finding of a model with exactly one problem.
diagnostic only_finding(const model_definition& def) {
    const std::vector<diagnostic> items = rejected(def);
    INFO("first finding: " << format_diagnostic(items.front()));
    REQUIRE(items.size() == 1);
    return items.front();
}

model_graph built(const model_definition& def) {
    diagnostics found;
    auto graph = model_graph::build(def, found);
    for (const diagnostic& d : found.items()) UNSCOPED_INFO(format_diagnostic(d));
    REQUIRE(graph.has_value());
    REQUIRE(found.items().empty());
    return std::move(*graph);
}

std::vector<std::size_t> as_vector(std::span<const std::size_t> items) { return {items.begin(), items.end()}; }

}  // namespace

TEST_CASE("a valid model builds and answers queries", "[graph]") {
    const model_graph graph = built(small_model().build());
    CHECK(graph.definition().nodes.size() == 8);
    CHECK(graph.find("agency.ownership") == std::optional<std::size_t>(5));
    CHECK_FALSE(graph.find("agency.owner").has_value());

    // agency.ownership is the target of edges 4 and 5 and the source of edge 6.
    CHECK(as_vector(graph.incoming_edges(5)) == std::vector<std::size_t>{4, 5});
    CHECK(as_vector(graph.outgoing_edges(5)) == std::vector<std::size_t>{6});
    // learner_paths.profile: moderators 0 and 1 in, composition 2 and effect 4 out (all roles).
    CHECK(as_vector(graph.incoming_edges(3)) == std::vector<std::size_t>{0, 1});
    CHECK(as_vector(graph.outgoing_edges(3)) == std::vector<std::size_t>{2, 4});
    CHECK(graph.incoming_edges(0).empty());
    CHECK_THROWS_AS(graph.incoming_edges(8), std::out_of_range);
    CHECK_THROWS_AS(graph.outgoing_edges(99), std::out_of_range);

    CHECK(graph.nodes_of_kind(node_kind::secondary_driver) == std::vector<std::size_t>{3, 4});
    CHECK(graph.nodes_of_kind(node_kind::goal) == std::vector<std::size_t>{7});
    CHECK(graph.members_of_group("learner_paths") == std::vector<std::size_t>{3, 4});
    CHECK(graph.members_of_group("competencies").empty());
}

TEST_CASE("a duplicate node id names the line of the first definition", "[graph]") {
    model_builder b = small_model();
    b.node("agency.ownership", node_kind::student_outcome);  // node 8, line 108; the first is node 5, line 105
    const diagnostic d = only_finding(b.build());
    CHECK(d.message == "duplicate node id 'agency.ownership'; first defined at line 105");
    CHECK(d.line == 108);
    CHECK(d.column == 5);
    CHECK(d.pointer == "/nodes/8");
    CHECK(d.file == "test-model.json");  // the model's file stands in for an empty `where.file`
    CHECK(format_diagnostic(d) ==
          "test-model.json:108:5: error: /nodes/8: duplicate node id 'agency.ownership'; first defined at line 105");
}

TEST_CASE("an edge naming an unknown node suggests the closest id", "[graph]") {
    model_builder b = small_model();
    b.edge("learner_paths.goals", "agency.ownershp", 0.1);  // edge 9, line 209
    const diagnostic d = only_finding(b.build());
    CHECK(d.message ==
          "edge 'learner_paths.goals' -> 'agency.ownershp' names unknown node 'agency.ownershp'; "
          "did you mean 'agency.ownership'?");
    CHECK(d.line == 209);
    CHECK(d.pointer == "/edges/9");
}

TEST_CASE("an edge with two unknown nodes reports each of them", "[graph]") {
    model_builder b = small_model();
    b.edge("nowhere.at_all", "zzz", 0.1);  // edge 9, line 209; nothing is close to either name
    const std::vector<diagnostic> items = rejected(b.build());
    REQUIRE(items.size() == 2);
    // Sorted by message at the same location.
    CHECK(items[0].message == "edge 'nowhere.at_all' -> 'zzz' names unknown node 'nowhere.at_all'");
    CHECK(items[1].message == "edge 'nowhere.at_all' -> 'zzz' names unknown node 'zzz'");
    CHECK(items[0].line == 209);
    CHECK(items[1].line == 209);
}

TEST_CASE("a self-loop is rejected", "[graph]") {
    model_builder b = small_model();
    b.edge("agency.ownership", "agency.ownership", 0.1);  // edge 9, line 209
    const diagnostic d = only_finding(b.build());
    CHECK(d.message ==
          "edge 'agency.ownership' -> 'agency.ownership' is a self-loop; expected an edge between two nodes");
    CHECK(d.line == 209);
}

TEST_CASE("a cycle is printed node by node, at the edge that closes it", "[graph]") {
    model_builder b = small_model();
    b.edge("goal.whole_child", "agency.ownership", 0.1);  // edge 9, line 209
    // DFS from node 0 walks 0 -> 3 -> 5 -> 6 -> 7 over edges 0, 4, 6, 8; edge 9 (7 -> 5) is the
    // back edge, so the cycle starts at its target, agency.ownership.
    const diagnostic d = only_finding(b.build());
    CHECK(d.message ==
          "cycle: agency.ownership -> academic.math -> goal.whole_child -> agency.ownership; "
          "expected the model to be acyclic");
    CHECK(d.line == 209);
    CHECK(d.pointer == "/edges/9");
}

TEST_CASE("a cycle closed twice by parallel edges is reported once", "[graph]") {
    model_builder b = small_model();
    b.edge("goal.whole_child", "agency.ownership", 0.1)                            // edge 9, line 209
        .edge("goal.whole_child", "agency.ownership", 0.2, edge_role::moderator);  // edge 10, same cycle
    const diagnostic d = only_finding(b.build());
    CHECK(d.message.starts_with("cycle: agency.ownership -> academic.math -> goal.whole_child -> agency.ownership"));
    CHECK(d.line == 209);
}

TEST_CASE("two distinct cycles are both reported, in line order", "[graph]") {
    model_builder b = small_model();
    b.edge("goal.whole_child", "agency.ownership", 0.1)   // edge 9, line 209: closes 5 -> 6 -> 7 -> 5
        .edge("academic.math", "agency.ownership", 0.1);  // edge 10, line 210: closes 5 -> 6 -> 5
    const std::vector<diagnostic> items = rejected(b.build());
    REQUIRE(items.size() == 2);
    CHECK(items[0].line == 209);
    CHECK(items[0].message.starts_with(
        "cycle: agency.ownership -> academic.math -> goal.whole_child -> agency.ownership;"));
    CHECK(items[1].line == 210);
    CHECK(items[1].message.starts_with("cycle: agency.ownership -> academic.math -> agency.ownership;"));
}

TEST_CASE("an outcome no driver reaches is rejected, even if a condition reaches it", "[graph]") {
    model_builder b = small_model();
    b.node("skills.creativity", node_kind::student_outcome)                             // node 8, line 108
        .edge("district.patience", "skills.creativity", 0.1)                            // a condition is not a driver
        .edge("foundational.culture", "skills.creativity", 0.1, edge_role::moderator);  // moderators carry no value
    const diagnostic d = only_finding(b.build());
    CHECK(d.message ==
          "student_outcome 'skills.creativity' is not reached by any driver; expected a path of effect or "
          "composition edges from a secondary driver, primary driver or foundational practice");
    CHECK(d.line == 108);
    CHECK(d.pointer == "/nodes/8");
}

TEST_CASE("an outcome reached by a foundational practice or through other outcomes is accepted", "[graph]") {
    model_builder b = small_model();
    b.node("skills.creativity", node_kind::student_outcome)    // node 8
        .node("academic.growth", node_kind::academic_outcome)  // node 9
        .edge("foundational.culture", "skills.creativity", 0.1)
        .edge("skills.creativity", "academic.growth", 0.1);
    CHECK(built(b.build()).definition().nodes.size() == 10);
}

TEST_CASE("a NaN or infinite weight is rejected", "[graph]") {
    model_builder b = small_model();
    SECTION("nan") {
        b.definition().edges[4].weight = std::numeric_limits<double>::quiet_NaN();  // line 204
        const diagnostic d = only_finding(b.build());
        CHECK(d.message ==
              "edge 'learner_paths.profile' -> 'agency.ownership' has weight nan; expected a finite number");
        CHECK(d.line == 204);
    }
    SECTION("negative infinity") {
        b.definition().edges[6].weight = -std::numeric_limits<double>::infinity();  // line 206
        const diagnostic d = only_finding(b.build());
        CHECK(d.message == "edge 'agency.ownership' -> 'academic.math' has weight -inf; expected a finite number");
        CHECK(d.line == 206);
    }
}

TEST_CASE("a composition edge must go from a secondary driver to its own primary driver", "[graph]") {
    model_builder b = small_model();
    SECTION("from a foundational practice") {
        b.edge("foundational.culture", "learner_paths", 1.0, edge_role::composition);  // edge 9, line 209
        const diagnostic d = only_finding(b.build());
        CHECK(d.message ==
              "composition edge 'foundational.culture' -> 'learner_paths' starts at a foundational_practice; "
              "expected a secondary driver");
        CHECK(d.line == 209);
    }
    SECTION("into an outcome") {
        b.edge("learner_paths.profile", "agency.ownership", 1.0, edge_role::composition);  // edge 9, line 209
        const diagnostic d = only_finding(b.build());
        CHECK(d.message ==
              "composition edge 'learner_paths.profile' -> 'agency.ownership' ends at a student_outcome; "
              "expected the primary driver 'learner_paths'");
        CHECK(d.line == 209);
    }
    SECTION("into another group's primary driver") {
        b.node("competencies", node_kind::primary_driver)                                   // node 8
            .node("competencies.progression", node_kind::secondary_driver, "competencies")  // node 9
            .edge("competencies.progression", "competencies", 1.0, edge_role::composition)  // edge 9, valid
            .edge("learner_paths.profile", "competencies", 1.0, edge_role::composition);    // edge 10, line 210
        const diagnostic d = only_finding(b.build());
        CHECK(d.message ==
              "composition edge 'learner_paths.profile' -> 'competencies' ends outside the group of "
              "'learner_paths.profile'; expected it to end at its primary driver 'learner_paths'");
        CHECK(d.line == 210);
    }
}

TEST_CASE("an effect edge may not point at what the plan sets", "[graph]") {
    model_builder b = small_model();
    SECTION("a condition") {
        b.node("district.alignment", node_kind::condition)            // node 8
            .edge("learner_paths.goals", "district.alignment", 0.1);  // edge 9, line 209
        const diagnostic d = only_finding(b.build());
        CHECK(d.message ==
              "effect edge 'learner_paths.goals' -> 'district.alignment' points at a condition, which the "
              "implementation plan sets; expected only moderator edges into conditions, foundational practices "
              "and secondary drivers");
        CHECK(d.line == 209);
    }
    SECTION("a foundational practice") {
        b.node("foundational.mindset", node_kind::foundational_practice)  // node 8
            .edge("learner_paths.goals", "foundational.mindset", 0.1);    // edge 9, line 209
        const diagnostic d = only_finding(b.build());
        CHECK(d.message.starts_with(
            "effect edge 'learner_paths.goals' -> 'foundational.mindset' points at a foundational_practice,"));
        CHECK(d.line == 209);
    }
    SECTION("a secondary driver") {
        b.edge("learner_paths.profile", "learner_paths.goals", 0.1);  // edge 9, line 209
        const diagnostic d = only_finding(b.build());
        CHECK(d.message.starts_with(
            "effect edge 'learner_paths.profile' -> 'learner_paths.goals' points at a secondary_driver,"));
        CHECK(d.line == 209);
    }
    SECTION("a moderator edge into a secondary driver is fine") {
        b.edge("learner_paths.profile", "learner_paths.goals", 0.1, edge_role::moderator);
        CHECK(built(b.build()).incoming_edges(4).size() == 1);
    }
}

TEST_CASE("a secondary driver's group must be a primary driver id", "[graph]") {
    model_builder b = small_model();
    b.definition().nodes[4].group = "learner_path";  // node 4, line 104
    const std::vector<diagnostic> items = rejected(b.build());
    // Its composition edge (edge 3, line 203) now also leaves the group it claims.
    REQUIRE(items.size() == 2);
    CHECK(items[0].line == 104);
    CHECK(items[0].message ==
          "secondary driver 'learner_paths.goals' has group 'learner_path', which is not a primary driver id; "
          "expected the id of its primary driver; did you mean 'learner_paths'?");
    CHECK(items[1].line == 203);
    CHECK(items[1].message.starts_with("composition edge 'learner_paths.goals' -> 'learner_paths' ends outside"));
}

TEST_CASE("every problem is reported in one pass, ordered by line", "[graph]") {
    model_builder b = small_model();
    b.node("agency.ownership", node_kind::student_outcome)                     // node 8, line 108: duplicate
        .node("skills.creativity", node_kind::student_outcome)                 // node 9, line 109: unreached
        .edge("academic.math", "agency.ownership", 0.1)                        // edge 9, line 209: cycle
        .edge("agency.ownership", "agency.ownership", 0.1)                     // edge 10, line 210: self-loop
        .edge("learner_paths.goals", "skills.creativty", 0.1);                 // edge 11, line 211: unknown
    b.definition().edges[5].weight = std::numeric_limits<double>::infinity();  // line 205
    const std::vector<diagnostic> items = rejected(b.build());
    std::vector<std::size_t> lines;
    for (const diagnostic& d : items) lines.push_back(d.line);
    CHECK(lines == std::vector<std::size_t>{108, 109, 205, 209, 210, 211});
    CHECK(items[0].message.starts_with("duplicate node id"));
    CHECK(items[1].message.starts_with("student_outcome 'skills.creativity' is not reached"));
    CHECK(items[2].message.find("has weight inf") != std::string::npos);
    CHECK(items[3].message.starts_with("cycle: agency.ownership -> academic.math -> agency.ownership"));
    CHECK(items[4].message.find("self-loop") != std::string::npos);
    CHECK(items[5].message.ends_with("did you mean 'skills.creativity'?"));
}

TEST_CASE("build appends to existing diagnostics without disturbing them", "[graph]") {
    diagnostics found;
    found.error("other.json", 1, 1, "", "earlier finding");
    model_builder b = small_model();
    b.edge("agency.ownership", "agency.ownership", 0.1);
    CHECK_FALSE(model_graph::build(b.build(), found).has_value());
    REQUIRE(found.items().size() == 2);
    CHECK(found.items()[0].message == "earlier finding");
}

TEST_CASE("topological order follows the documented tie-breaking", "[graph]") {
    SECTION("hand-drawn DAG declared out of order") {
        //   s_x --> o_a --> o_c        s_x ==> p (composition)
        //            \--> o_b --/
        model_builder b;
        b.node("o_c", node_kind::student_outcome)           // 0
            .node("o_a", node_kind::student_outcome)        // 1
            .node("s_x", node_kind::secondary_driver, "p")  // 2
            .node("p", node_kind::primary_driver)           // 3
            .node("o_b", node_kind::student_outcome);       // 4
        b.edge("s_x", "o_a", 0.1)
            .edge("o_a", "o_c", 0.1)
            .edge("s_x", "p", 1.0, edge_role::composition)
            .edge("o_a", "o_b", 0.1)
            .edge("o_b", "o_c", 0.1);
        // DFS over parents, roots and parents in index order, each node listed when it finishes:
        // root 0 (o_c): parents 1, 4 -> visit 1 (o_a): parent 2 (s_x) has none: list 2, then 1;
        //   visit 4 (o_b): parent 1 done: list 4; list 0.  Root 3 (p): parent 2 done: list 3.
        const model_graph graph = built(b.build());
        CHECK(as_vector(graph.topological_order()) == std::vector<std::size_t>{2, 1, 4, 0, 3});
    }
    SECTION("the small model") {
        // Nodes 0, 1 have no parents; primary driver 2 waits for its secondaries 3 and 4 (whose
        // parents 0, 1 are listed); then 5 (parents 3, 4), 6 (parents 4, 5), 7 (parent 6).
        const model_graph graph = built(small_model().build());
        CHECK(as_vector(graph.topological_order()) == std::vector<std::size_t>{0, 1, 3, 4, 2, 5, 6, 7});
    }
    SECTION("a model declared parents-first keeps its declaration order") {
        model_builder b;
        b.node("s", node_kind::secondary_driver, "p")
            .node("p", node_kind::primary_driver)
            .node("x", node_kind::student_outcome)
            .node("y", node_kind::academic_outcome);
        b.edge("x", "y", 0.1).edge("s", "x", 0.1).edge("s", "p", 1.0, edge_role::composition);
        CHECK(as_vector(built(b.build()).topological_order()) == std::vector<std::size_t>{0, 1, 2, 3});
    }
    SECTION("every edge runs forward in the order") {
        const model_graph graph = built(small_model().build());
        const auto order = graph.topological_order();
        std::vector<std::size_t> position(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
        for (const model_edge& edge : graph.definition().edges) {
            INFO(edge.from << " -> " << edge.to);
            CHECK(position[*graph.find(edge.from)] < position[*graph.find(edge.to)]);
        }
    }
}

TEST_CASE("paths enumerates effect and composition routes in edge order", "[graph]") {
    const model_graph graph = built(small_model().build());
    // From learner_paths.goals (4) to goal.whole_child (7): edge 3 leads to the primary driver,
    // a dead end; edge 5 -> ownership -> edge 6 -> math -> edge 8; edge 7 -> math -> edge 8.
    CHECK(graph.paths(4, 7, 10) == std::vector<std::vector<std::size_t>>{{5, 6, 8}, {7, 8}});
    CHECK(graph.paths(4, 7, 1) == std::vector<std::vector<std::size_t>>{{5, 6, 8}});
    CHECK(graph.paths(4, 7, 0).empty());
    CHECK(graph.paths(3, 7, 10) == std::vector<std::vector<std::size_t>>{{4, 6, 8}});
    CHECK(graph.paths(3, 2, 10) == std::vector<std::vector<std::size_t>>{{2}});  // composition counts
    CHECK(graph.paths(0, 7, 10).empty());  // only a moderator edge leaves the condition
    CHECK(graph.paths(7, 4, 10).empty());  // against the edges
    CHECK(graph.paths(5, 5, 10).empty());  // a path has at least one edge
    CHECK_THROWS_AS(graph.paths(8, 0, 10), std::out_of_range);
    CHECK_THROWS_AS(graph.paths(0, 8, 10), std::out_of_range);
}

TEST_CASE("paths counts every route through a lattice", "[graph]") {
    // s -> a_i -> b_j -> t for i, j in {0, 1, 2}: 3 * 3 = 9 routes, with parallel edges s -> a_0 twice: 12.
    model_builder b;
    b.node("p", node_kind::primary_driver).node("s", node_kind::secondary_driver, "p");
    for (int i = 0; i < 3; ++i) b.node("a" + std::to_string(i), node_kind::student_outcome);
    for (int j = 0; j < 3; ++j) b.node("b" + std::to_string(j), node_kind::student_outcome);
    b.node("t", node_kind::academic_outcome);
    b.edge("s", "p", 1.0, edge_role::composition);
    for (int i = 0; i < 3; ++i) b.edge("s", "a" + std::to_string(i), 0.1);
    b.edge("s", "a0", 0.2);
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) b.edge("a" + std::to_string(i), "b" + std::to_string(j), 0.1);
    }
    for (int j = 0; j < 3; ++j) b.edge("b" + std::to_string(j), "t", 0.1);
    const model_graph graph = built(b.build());
    const std::size_t s = *graph.find("s");
    const std::size_t t = *graph.find("t");
    const auto all = graph.paths(s, t, 100);
    CHECK(all.size() == 12);
    CHECK(std::is_sorted(all.begin(), all.end()));
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
    CHECK(graph.paths(s, t, 5).size() == 5);
    for (const auto& path : all) {
        REQUIRE(path.size() == 3);
        CHECK(graph.definition().edges[path.front()].from == "s");
        CHECK(graph.definition().edges[path.back()].to == "t");
    }
}

TEST_CASE("a descriptive node carries no edge", "[graph]") {
    model_builder b = small_model();
    b.node("school.teacher_self_efficacy", node_kind::condition);  // node 8
    b.definition().nodes.back().descriptive = true;
    b.edge("school.teacher_self_efficacy", "agency.ownership", 0.1);  // edge 9, line 209
    const diagnostic d = only_finding(b.build());
    CHECK(d.message ==
          "edge 'school.teacher_self_efficacy' -> 'agency.ownership' touches "
          "'school.teacher_self_efficacy', which is marked descriptive; expected no edges at a "
          "descriptive node (remove \"descriptive\" to give it a causal role)");
    CHECK(d.line == 209);
}

TEST_CASE("roles sit on the kinds that can play them, and one outcome heads the reports", "[graph]") {
    model_builder b = small_model();
    b.definition().nodes[0].roles = {"achievement"};              // a condition as a test score
    b.definition().nodes[6].roles = {"achievement", "headline"};  // academic.math
    b.definition().nodes[5].roles = {"headline"};                 // agency.ownership: a second headline
    std::vector<std::string> messages;
    for (const diagnostic& d : rejected(b.build())) messages.push_back(d.message);
    CHECK(messages ==
          std::vector<std::string>{
              "node 'district.patience' is a condition with the role 'achievement'; expected that role on "
              "an outcome",
              "node 'academic.math' is a second headline outcome (the first is 'agency.ownership'); expected one",
          });
}

TEST_CASE("the headline outcome: the reported node with the role headline, else the first academic one",
          "[graph][headline]") {
    using ids = std::vector<std::string>;
    model_builder b = small_model();
    const model_graph plain = built(b.build());
    // Nothing named: every student and academic outcome, in topological order (the goal is not one).
    CHECK(plain.reported_outcomes({}) == ids{"agency.ownership", "academic.math"});
    CHECK(plain.reported_outcomes(ids{"academic.math"}) == ids{"academic.math"});
    // No node has the role: the first academic outcome reported, else the first reported.
    CHECK(plain.headline_outcome(ids{"agency.ownership", "academic.math"}) == "academic.math");
    CHECK(plain.headline_outcome(ids{"agency.ownership"}) == "agency.ownership");
    CHECK(plain.headline_outcome(ids{}).empty());

    b.definition().nodes[5].roles = {"headline"};  // agency.ownership
    const model_graph marked = built(b.build());
    CHECK(marked.headline_outcome(ids{"academic.math", "agency.ownership"}) == "agency.ownership");
    // The headline node leads only where the run reports it.
    CHECK(marked.headline_outcome(ids{"academic.math"}) == "academic.math");
    CHECK(marked.headline_outcome(ids{"no.such.node", "agency.ownership"}) == "agency.ownership");
}
