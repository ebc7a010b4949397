#pragma once
/// \file
/// A validated theory-of-change model with the graph queries the engine and reports need.
///
/// Boost.Graph does the work inside `model_graph.cpp`; this header exposes only plain index
/// vectors so that no Boost type crosses the subsystem boundary.

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/model.hpp"

namespace pathways {

/// Longest chain of edges from any node to any other.
inline constexpr std::size_t max_model_depth = 1'000;

/// A model whose nodes and edges form a valid DAG. Node indices are positions in
/// `definition().nodes`, edge indices positions in `definition().edges`.
class model_graph {
public:
    /// Validates `def` and builds the graph, or returns nullopt after adding every problem to `out`.
    ///
    /// Problems are found in one pass and reported at the offending node's or edge's `where`,
    /// ordered by file, line, column, pointer and message:
    /// - duplicate node ids, secondary drivers whose group is not a primary driver;
    /// - edges naming unknown nodes (with a suggestion), self-loops, NaN or infinite weights,
    ///   composition edges that are not secondary driver -> its primary driver, effect edges
    ///   into a condition, foundational practice or secondary driver (the plan sets those);
    /// - cycles over edges of any role, each printed once as `cycle: a -> b -> a`;
    /// - outcomes and goals that no driver or foundational practice reaches over effect or
    ///   composition edges;
    /// - more than `max_model_nodes` nodes or `max_model_edges` edges (checked first, alone), or a
    ///   chain of edges longer than `max_model_depth`.
    static std::optional<model_graph> build(model_definition def, diagnostics& out);

    [[nodiscard]] const model_definition& definition() const { return definition_; }

    /// Index of the node with this id.
    [[nodiscard]] std::optional<std::size_t> find(std::string_view id) const;

    /// Every node, parents before children over edges of all roles.
    ///
    /// Deterministic: the order is the finishing order of Boost's `topological_sort` run on the
    /// reversed graph, with DFS roots taken in node-index order and each node's predecessors in
    /// node-index order. Each node therefore comes right after its not-yet-listed ancestors,
    /// unrelated nodes keep declaration order, and a model declared parents-first keeps its
    /// declaration order exactly.
    [[nodiscard]] std::span<const std::size_t> topological_order() const { return order_; }

    /// Edges (all roles) that end at / start at `node`, in edge-index order.
    /// Throws std::out_of_range when `node` is not a node index.
    [[nodiscard]] std::span<const std::size_t> incoming_edges(std::size_t node) const;
    [[nodiscard]] std::span<const std::size_t> outgoing_edges(std::size_t node) const;

    /// The outcomes a run reports: those its scenario names, or when it names none every student and
    /// academic outcome and every derived metric, in topological order.
    [[nodiscard]] std::vector<std::string> reported_outcomes(std::span<const std::string> named) const;

    /// The outcome every summary of a run leads with — the terminal, the report, the explorer and
    /// plan-next decide it here, once: among `reported` (ids, in the run's order), the node with the role
    /// "headline"; else the first academic outcome; else the first id; empty when `reported` is.
    [[nodiscard]] std::string headline_outcome(std::span<const std::string> reported) const;

    /// Node indices of this kind, in declaration order.
    [[nodiscard]] std::vector<std::size_t> nodes_of_kind(node_kind kind) const;

    /// Node indices whose `group` is `group`, in declaration order.
    [[nodiscard]] std::vector<std::size_t> members_of_group(std::string_view group) const;

    /// Up to `max_paths` paths from `from` to `to` over effect and composition edges, each as
    /// the list of its edge indices. Paths come in lexicographic order of their edge indices
    /// (depth-first, outgoing edges in index order). A path has at least one edge, so
    /// `from == to` yields none. Throws std::out_of_range when either is not a node index.
    [[nodiscard]] std::vector<std::vector<std::size_t>> paths(std::size_t from, std::size_t to,
                                                              std::size_t max_paths) const;
    /// The same, given `reaching_nodes(to)`, so callers that ask for many paths into one node compute
    /// it once.
    [[nodiscard]] std::vector<std::vector<std::size_t>> paths(std::size_t from, std::size_t to, std::size_t max_paths,
                                                              const std::vector<bool>& reaching) const;
    /// Per node: whether a path over effect and composition edges leads from it to `to` (`to` included).
    [[nodiscard]] std::vector<bool> reaching_nodes(std::size_t to) const;

private:
    explicit model_graph(model_definition def);

    model_definition definition_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::vector<std::size_t> order_;
    std::vector<std::vector<std::size_t>> incoming_;
    std::vector<std::vector<std::size_t>> outgoing_;
    std::vector<std::size_t> edge_target_;  ///< per edge: the node index of its `to`, so walks need no id lookups
};

/// True for the roles that carry value from one node to the next (effect, composition).
[[nodiscard]] bool carries_value(edge_role role);

}  // namespace pathways
