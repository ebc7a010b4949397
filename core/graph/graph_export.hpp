#pragma once
/// \file
/// Text renderings of a model graph: Graphviz dot and Mermaid (its JSON is model_export_json, written
/// where the JSON library is). Both are deterministic:
/// nodes and edges appear in declaration order, grouped by kind where the format groups.

#include <string>

#include "graph/model_graph.hpp"

namespace pathways {

/// Graphviz dot, left to right (`rankdir=LR`, `newrank=true`). One `subgraph cluster_<kind>` per
/// kind present, each `rank=same`, ordered conditions -> foundational practices -> secondary drivers -> primary
/// drivers -> student outcomes -> academic outcomes -> goals (invisible edges between the first
/// nodes of consecutive clusters hold that order). Nodes show their label; edges show their
/// weight (`%.3g`), are dashed for moderators and dotted for composition, red when negative, and
/// have a pen width of 1 + 8|weight|, capped at 5.
[[nodiscard]] std::string to_dot(const model_graph& graph);

/// Mermaid `flowchart LR`, one subgraph per kind in the same order as `to_dot`. Nodes are
/// `n<index>`; effect edges are `-->`, composition `==>`, moderator `-.->`, each labelled with
/// its weight (`%.3g`).
[[nodiscard]] std::string to_mermaid(const model_graph& graph);

}  // namespace pathways
