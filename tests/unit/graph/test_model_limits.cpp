// Model size limits, checked before anything is built: a 100,000-node chain once took 24 GB in a run.
#include <string>

#include <catch2/catch.hpp>

#include "graph/model_graph.hpp"
#include "model_builder.hpp"

using namespace pathways;
using pathways::test::model_builder;

namespace {

/// s ==> p (composition), s -> o0 -> o1 -> ... -> o(n-1): n + 2 nodes, a longest chain of n edges.
model_definition chain(std::size_t n) {
    model_builder b;
    b.node("s", node_kind::secondary_driver, "p").node("p", node_kind::primary_driver);
    b.edge("s", "p", 1.0, edge_role::composition);
    for (std::size_t i = 0; i < n; ++i) {
        b.node("o" + std::to_string(i), node_kind::student_outcome);
        b.edge(i == 0 ? "s" : "o" + std::to_string(i - 1), "o" + std::to_string(i), 0.1);
    }
    return b.build();
}

std::vector<std::string> findings(const model_definition& def) {
    diagnostics found;
    const auto graph = model_graph::build(def, found);
    CHECK(graph.has_value() == !found.has_errors());
    std::vector<std::string> texts;
    for (const diagnostic& d : found.items()) texts.push_back(format_diagnostic(d));
    return texts;
}

}  // namespace

TEST_CASE("a model with more nodes than the limit is refused before it is validated or built") {
    CHECK(findings(chain(100'000)) ==
          std::vector<std::string>{"test-model.json: error: the model has 100002 nodes; at most 10000 are supported "
                                   "(a theory of change has tens; the limit bounds the memory a run needs)"});
}

TEST_CASE("a model with more edges than the limit is refused") {
    model_definition def = chain(1);
    def.edges.resize(100'001, def.edges.back());
    CHECK(findings(def) ==
          std::vector<std::string>{"test-model.json: error: the model has 100001 edges; at most 100000 are supported "
                                   "(a theory of change has tens; the limit bounds the memory a run needs)"});
}

TEST_CASE("a chain of 1,000 edges is accepted, 1,001 is refused naming the length") {
    CHECK(findings(chain(1'000)).empty());
    CHECK(findings(chain(1'001)) ==
          std::vector<std::string>{"test-model.json: error: the model's longest chain has 1001 edges; at most 1000 "
                                   "are supported (a theory of change is a few steps deep)"});
}
