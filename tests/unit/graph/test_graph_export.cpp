#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>
#include <nlohmann/json.hpp>

#include "graph/graph_export.hpp"
#include "model_builder.hpp"
#include "scenario/model_writer.hpp"

using namespace pathways;
using pathways::test::model_builder;
using pathways::test::small_model;

namespace {

model_graph built(const model_definition& def) {
    diagnostics found;
    auto graph = model_graph::build(def, found);
    REQUIRE(graph.has_value());
    return std::move(*graph);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool graphviz_available() { return std::system("command -v dot > /dev/null 2>&1") == 0; }

}  // namespace

TEST_CASE("dot output has every node, one ranked cluster per kind, in causal order", "[graph][export]") {
    const std::string dot = to_dot(built(small_model().build()));
    CHECK(dot.starts_with("digraph \"test-model\" {\n  rankdir=LR;\n  newrank=true;\n"));
    CHECK(dot.ends_with("}\n"));

    const std::vector<std::string> clusters{"condition",
                                            "foundational_practice",
                                            "secondary_driver",
                                            "primary_driver",
                                            "student_outcome",
                                            "academic_outcome",
                                            "goal"};
    std::size_t previous = 0;
    for (const std::string& kind : clusters) {
        const std::string header = "subgraph cluster_" + kind + " {\n    label=\"" + kind + "\";\n    rank=same;\n";
        const std::size_t at = dot.find(header);
        INFO(kind);
        REQUIRE(at != std::string::npos);
        CHECK(at >= previous);
        previous = at;
    }
    for (const model_node& node : small_model().build().nodes) {
        CHECK(contains(dot, "    \"" + node.id + "\" [label=\"" + node.label + "\"];\n"));
    }
    // The secondary driver cluster holds exactly its two members.
    const std::size_t secondary = dot.find("subgraph cluster_secondary_driver");
    const std::size_t end = dot.find("  }\n", secondary);
    const std::string cluster = dot.substr(secondary, end - secondary);
    CHECK(contains(cluster, "\"learner_paths.profile\""));
    CHECK(contains(cluster, "\"learner_paths.goals\""));
    CHECK_FALSE(contains(cluster, "\"learner_paths\" "));

    // Invisible edges chain the first node of each kind so the clusters stay in order.
    CHECK(contains(dot, "  \"district.patience\" -> \"foundational.culture\" [style=invis];\n"));
    CHECK(contains(dot, "  \"academic.math\" -> \"goal.whole_child\" [style=invis];\n"));
}

TEST_CASE("dot edges show weight, role style and pen width", "[graph][export]") {
    model_builder b = small_model();
    b.edge("learner_paths.goals", "goal.whole_child", -0.123456);  // a negative effect
    const std::string dot = to_dot(built(b.build()));
    // penwidth = 1 + 8 * |w|, capped at 5: 0.15 -> 2.2, 0.3 -> 3.4, 1.0 -> 5, 0.123456 -> 1.987648 -> "1.99".
    CHECK(contains(dot, "  \"learner_paths.profile\" -> \"agency.ownership\" [label=\"0.15\", penwidth=2.2];\n"));
    CHECK(contains(dot,
                   "  \"district.patience\" -> \"learner_paths.profile\" [label=\"0.3\", penwidth=3.4, "
                   "style=dashed];\n"));
    CHECK(contains(dot, "  \"learner_paths.profile\" -> \"learner_paths\" [label=\"1\", penwidth=5, style=dotted];\n"));
    CHECK(contains(dot,
                   "  \"learner_paths.goals\" -> \"goal.whole_child\" [label=\"-0.123\", penwidth=1.99, "
                   "color=firebrick];\n"));
}

TEST_CASE("dot escapes quotes and backslashes in labels", "[graph][export]") {
    model_builder b;
    b.node("p", node_kind::primary_driver)
        .node("s", node_kind::secondary_driver, "p", "Learner \"Lead\" \\ Teacher")
        .edge("s", "p", 1.0, edge_role::composition);
    const std::string dot = to_dot(built(b.build()));
    CHECK(contains(dot, "    \"s\" [label=\"Learner \\\"Lead\\\" \\\\ Teacher\"];\n"));
}

TEST_CASE("graphviz renders the dot output", "[graph][export]") {
    // scripts/install-deps.sh installs Graphviz: without `dot` this test fails rather than pass unrendered.
    INFO("Graphviz `dot` is not on PATH; scripts/install-deps.sh installs it");
    REQUIRE(graphviz_available());
    model_builder b = small_model();
    b.definition().nodes[3].label = "Learner \"Profile\" \\ Data";
    const auto dir = std::filesystem::temp_directory_path() / ("pathways-graph-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "model.dot", std::ios::binary);
        out << to_dot(built(b.build()));
    }
    const std::string command = "dot -Tsvg \"" + (dir / "model.dot").string() + "\" -o \"" +
                                (dir / "model.svg").string() + "\" 2> \"" + (dir / "stderr.txt").string() + "\"";
    const int status = std::system(command.c_str());
    const std::string svg = read_file(dir / "model.svg");
    const std::string errors = read_file(dir / "stderr.txt");
    std::filesystem::remove_all(dir);
    INFO("dot stderr: " << errors);
    CHECK(status == 0);
    CHECK(errors.empty());
    CHECK(contains(svg, "<svg"));
    CHECK(contains(svg, "cluster_goal"));
    CHECK(contains(svg, "Learner &quot;Profile&quot; \\ Data"));
}

TEST_CASE("mermaid output has subgraphs per kind and labelled edges", "[graph][export]") {
    model_builder b = small_model();
    b.definition().nodes[0].label = "District \"patience\"";
    const std::string text = to_mermaid(built(b.build()));
    CHECK(
        text.starts_with("flowchart LR\n  subgraph cluster_condition [condition]\n"
                         "    n0[\"District #quot;patience#quot;\"]\n  end\n"
                         "  subgraph cluster_foundational_practice [foundational_practice]\n"));
    CHECK(text.find("subgraph cluster_secondary_driver") < text.find("subgraph cluster_primary_driver"));
    CHECK(contains(text,
                   "  subgraph cluster_secondary_driver [secondary_driver]\n"
                   "    n3[\"learner_paths.profile\"]\n    n4[\"learner_paths.goals\"]\n  end\n"));
    CHECK(contains(text, "  n0 -.->|\"0.3\"| n3\n"));  // moderator
    CHECK(contains(text, "  n3 ==>|\"1\"| n2\n"));     // composition
    CHECK(contains(text, "  n3 -->|\"0.15\"| n5\n"));  // effect
    CHECK(text.ends_with("  n6 -->|\"1\"| n7\n"));
}

TEST_CASE("json output escapes strings and prints round-trip numbers", "[graph][export]") {
    model_builder b;
    b.definition().id = "m";
    b.definition().name = "Quote \" backslash \\ tab\t newline\n bell\x07";
    b.node("p", node_kind::primary_driver).node("s", node_kind::secondary_driver, "p");
    b.definition().nodes[1].scale = "level 0-3";
    b.definition().nodes[1].leap = "LE.1";
    b.definition().nodes[1].description = "d";
    b.edge("s", "p", 1.0 / 3.0, edge_role::composition);
    b.definition().edges[0].range_low = 0.1;
    b.definition().edges[0].range_high = 1e21;
    const std::string text = model_export_json(built(b.build()).definition());
    CHECK(contains(text, "  \"name\": \"Quote \\\" backslash \\\\ tab\\t newline\\n bell\\u0007\",\n"));
    // 0.3333333333333333 (16 digits) is the shortest text that reads back as 1/3 exactly.
    CHECK(contains(text, "\"weight\": 0.3333333333333333,"));
    CHECK(std::strtod("0.3333333333333333", nullptr) == 1.0 / 3.0);
    CHECK(contains(text, "1e+21"));
    CHECK(text.ends_with("}\n"));

    const auto doc = nlohmann::ordered_json::parse(text);
    std::vector<std::string> members;
    for (const auto& [key, value] : doc.items()) members.push_back(key);
    CHECK(members == std::vector<std::string>{"id", "name", "groups", "nodes", "edges", "evidence_tags"});
    CHECK(doc["nodes"][1] == nlohmann::ordered_json{{"id", "s"},
                                                    {"label", "s"},
                                                    {"kind", "secondary_driver"},
                                                    {"group", "p"},
                                                    {"scale", "level 0-3"},
                                                    {"leap", "LE.1"},
                                                    {"descriptive", false},
                                                    {"description", "d"}});
    const auto& edge = doc["edges"][0];
    CHECK(edge["role"] == "composition");
    CHECK(edge["range"] == nlohmann::json::array({0.1, 1e21}));
    CHECK(edge["grade_bands"] == nlohmann::json::array({"elementary", "middle", "high"}));
    CHECK(edge["source"] == "test");
    CHECK(edge["evidence"] == "A");
    CHECK(doc["evidence_tags"]["A"] == "assumption: a modelling default, not a research finding");
    CHECK(doc["evidence_tags"].size() == 4);
}

TEST_CASE("json output of a model without edges is still valid", "[graph][export]") {
    model_builder b;
    b.definition().id = "empty";
    b.definition().name = "n";
    CHECK(model_export_json(built(b.build()).definition()) ==
          "{\n  \"id\": \"empty\",\n  \"name\": \"n\",\n  \"groups\": [],\n  \"nodes\": [],\n  \"edges\": [],\n"
          "  \"evidence_tags\": {\n"
          "    \"S\": \"sourced: the number appears in the cited study\",\n"
          "    \"S2\": \"sourced second-hand: the number is quoted from the study by another document\",\n"
          "    \"R\": \"recalled from the literature, not re-verified against the study\",\n"
          "    \"A\": \"assumption: a modelling default, not a research finding\"\n"
          "  }\n"
          "}\n");
}
