#include "graph/graph_export.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace pathways {
namespace {

std::string short_number(double value) { return fmt::format("{:.3g}", value); }

std::string dot_string(std::string_view text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += c;
        } else if (c == '\n') {
            quoted += "\\n";
        } else {
            quoted += c;
        }
    }
    return quoted + '"';
}

double pen_width(double weight) { return std::min(1.0 + 8.0 * std::fabs(weight), 5.0); }

std::string dot_edge_attributes(const model_edge& edge) {
    std::string attributes =
        "label=" + dot_string(short_number(edge.weight)) + ", penwidth=" + short_number(pen_width(edge.weight));
    if (edge.role == edge_role::moderator) attributes += ", style=dashed";
    if (edge.role == edge_role::composition) attributes += ", style=dotted";
    if (edge.weight < 0) attributes += ", color=firebrick";
    return attributes;
}

/// Keeps the clusters in causal order even where no model edge runs between two kinds.
void append_dot_kind_order(const model_graph& graph, std::string& dot) {
    const model_definition& def = graph.definition();
    const model_node* previous = nullptr;
    for (const node_kind kind : causal_order) {
        const std::vector<std::size_t> members = graph.nodes_of_kind(kind);
        if (members.empty()) continue;
        const model_node& first = def.nodes[members.front()];
        if (previous != nullptr) {
            dot += "  " + dot_string(previous->id) + " -> " + dot_string(first.id) + " [style=invis];\n";
        }
        previous = &first;
    }
}

std::string dot_node(const model_node& node) {
    std::string line = dot_string(node.id) + " [label=" + dot_string(node.label);
    if (node.descriptive) line += ", style=\"rounded,dashed\"";
    return line + "];\n";
}

/// A kind's nodes, those of a named block (e.g. "Student Agency") in a nested cluster under its label.
void append_dot_members(const model_definition& def, const std::vector<std::size_t>& members, const std::string& kind,
                        std::string& dot) {
    std::vector<std::size_t> unblocked;
    for (const model_group& group : def.groups) {
        std::string block;
        for (const std::size_t node : members) {
            if (def.nodes[node].group == group.id) block += "      " + dot_node(def.nodes[node]);
        }
        if (block.empty()) continue;
        dot += "    subgraph cluster_" + kind + "_" + group.id + " {\n      label=" + dot_string(group.label) + ";\n" +
               block + "    }\n";
    }
    for (const std::size_t node : members) {
        const std::string& group = def.nodes[node].group;
        const bool blocked =
            std::any_of(def.groups.begin(), def.groups.end(), [&](const model_group& g) { return g.id == group; });
        if (!blocked) dot += "    " + dot_node(def.nodes[node]);
    }
}

std::string mermaid_label(std::string_view text) {
    std::string label = "\"";
    for (const char c : text) {
        if (c == '"') {
            label += "#quot;";
        } else if (c == '\n') {
            label += ' ';
        } else {
            label += c;
        }
    }
    return label + '"';
}

std::string_view mermaid_arrow(edge_role role) {
    switch (role) {
        case edge_role::effect: return "-->";
        case edge_role::composition: return "==>";
        case edge_role::moderator: return "-.->";
    }
    return "-->";
}

}  // namespace

std::string to_dot(const model_graph& graph) {
    const model_definition& def = graph.definition();
    // newrank lets `rank=same` inside clusters hold; the old ranker drops it for clustered nodes.
    std::string dot = "digraph " + dot_string(def.id) +
                      " {\n  rankdir=LR;\n  newrank=true;\n  label=" + dot_string(def.name) +
                      ";\n  node [shape=box, style=rounded];\n";
    for (const node_kind kind : causal_order) {
        const std::vector<std::size_t> members = graph.nodes_of_kind(kind);
        if (members.empty()) continue;
        const std::string name(to_string(kind));
        dot += "  subgraph cluster_" + name + " {\n    label=" + dot_string(name) + ";\n    rank=same;\n";
        append_dot_members(def, members, name, dot);
        dot += "  }\n";
    }
    append_dot_kind_order(graph, dot);
    for (const model_edge& edge : def.edges) {
        dot += "  " + dot_string(edge.from) + " -> " + dot_string(edge.to) + " [" + dot_edge_attributes(edge) + "];\n";
    }
    return dot + "}\n";
}

std::string to_mermaid(const model_graph& graph) {
    const model_definition& def = graph.definition();
    std::string text = "flowchart LR\n";
    for (const node_kind kind : causal_order) {
        const std::vector<std::size_t> members = graph.nodes_of_kind(kind);
        if (members.empty()) continue;
        const std::string name(to_string(kind));
        text += "  subgraph cluster_" + name + " [" + name + "]\n";
        for (const std::size_t node : members) {
            text += "    n" + std::to_string(node) + "[" + mermaid_label(def.nodes[node].label) + "]\n";
        }
        text += "  end\n";
    }
    for (const model_edge& edge : def.edges) {
        text += "  n" + std::to_string(*graph.find(edge.from)) + " " + std::string(mermaid_arrow(edge.role)) + "|" +
                mermaid_label(short_number(edge.weight)) + "| n" + std::to_string(*graph.find(edge.to)) + "\n";
    }
    return text;
}

}  // namespace pathways
