#include "graph/model_graph.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <iterator>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

namespace pathways {
namespace {

/// Vertices are node indices; each edge carries its index in `model_definition::edges`.
using digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, std::size_t>;
using graph_edge = boost::graph_traits<digraph>::edge_descriptor;

constexpr std::size_t no_edge = static_cast<std::size_t>(-1);

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string edge_name(const model_edge& edge) { return quoted(edge.from) + " -> " + quoted(edge.to); }

std::string non_finite_name(double value) {
    if (std::isnan(value)) return "nan";
    return value < 0 ? "-inf" : "inf";
}

bool is_outcome(node_kind kind) {
    return kind == node_kind::student_outcome || kind == node_kind::academic_outcome || kind == node_kind::goal;
}

bool is_driver(node_kind kind) {
    return kind == node_kind::secondary_driver || kind == node_kind::primary_driver ||
           kind == node_kind::foundational_practice;
}

/// Kinds whose values come from the implementation plan, so no effect may set them.
bool is_set_by_plan(node_kind kind) {
    return kind == node_kind::condition || kind == node_kind::foundational_practice ||
           kind == node_kind::secondary_driver;
}

/// Records, for every back edge DFS meets, the tree path that closes it into a cycle.
struct cycle_recorder : boost::default_dfs_visitor {
    std::vector<std::size_t>* tree_edge_into;  // per vertex: edge index of the tree edge reaching it
    std::vector<std::size_t>* back_edges;

    void tree_edge(graph_edge e, const digraph& g) const { (*tree_edge_into)[boost::target(e, g)] = g[e]; }
    void back_edge(graph_edge e, const digraph& g) const { back_edges->push_back(g[e]); }
};

class validator {
public:
    explicit validator(const model_definition& def) : def_(def), usable_(def.edges.size(), false) {}

    diagnostics run() {
        index_nodes();
        check_groups();
        check_roles();
        for (std::size_t e = 0; e < def_.edges.size(); ++e) check_edge(e);
        check_cycles();
        check_reachability();
        found_.sort();
        return std::move(found_);
    }

private:
    void report(const source_location& where, std::string message) {
        found_.error(where.file.empty() ? def_.file : where.file, where.line, where.column, where.pointer,
                     std::move(message));
    }

    const model_node& node_of(const std::string& id) const { return def_.nodes[index_.at(id)]; }

    void index_nodes() {
        for (std::size_t i = 0; i < def_.nodes.size(); ++i) {
            const model_node& node = def_.nodes[i];
            const auto [first, inserted] = index_.emplace(node.id, i);
            if (inserted) {
                ids_.push_back(node.id);
                continue;
            }
            report(node.where, "duplicate node id " + quoted(node.id) + "; first defined at line " +
                                   std::to_string(def_.nodes[first->second].where.line));
        }
    }

    void check_groups() {
        std::vector<std::string> primaries;
        for (const model_node& node : def_.nodes) {
            if (node.kind == node_kind::primary_driver) primaries.push_back(node.id);
        }
        for (const model_node& node : def_.nodes) {
            if (node.kind != node_kind::secondary_driver) continue;
            if (std::find(primaries.begin(), primaries.end(), node.group) != primaries.end()) continue;
            report(node.where, "secondary driver " + quoted(node.id) + " has group " + quoted(node.group) +
                                   ", which is not a primary driver id; expected the id of its primary driver" +
                                   did_you_mean(node.group, primaries));
        }
    }

    void check_roles() {
        const model_node* headline = nullptr;
        for (const model_node& node : def_.nodes) {
            for (const std::string& role : node.roles) {
                const bool on_score = role == "achievement" || role == "headline";
                const bool fits = on_score ? is_outcome(node.kind) : node.kind == node_kind::condition;
                if (!fits) {
                    report(node.where, "node " + quoted(node.id) + " is a " + std::string(to_string(node.kind)) +
                                           " with the role " + quoted(role) + "; expected that role on " +
                                           (on_score ? "an outcome" : "a condition"));
                }
            }
            if (!node.has_role("headline")) continue;
            if (headline != nullptr) {
                report(node.where, "node " + quoted(node.id) + " is a second headline outcome (the first is " +
                                       quoted(headline->id) + "); expected one");
            }
            headline = &node;
        }
    }

    bool check_endpoint(const model_edge& edge, const std::string& id) {
        if (index_.contains(id)) return true;
        report(edge.where, "edge " + edge_name(edge) + " names unknown node " + quoted(id) + did_you_mean(id, ids_));
        return false;
    }

    void check_edge(std::size_t e) {
        const model_edge& edge = def_.edges[e];
        if (!std::isfinite(edge.weight)) {
            report(edge.where, "edge " + edge_name(edge) + " has weight " + non_finite_name(edge.weight) +
                                   "; expected a finite number");
        }
        const bool from_known = check_endpoint(edge, edge.from);
        const bool to_known = check_endpoint(edge, edge.to);
        if (!from_known || !to_known) return;
        if (edge.from == edge.to) {
            report(edge.where, "edge " + edge_name(edge) + " is a self-loop; expected an edge between two nodes");
            return;
        }
        for (const std::string* id : {&edge.from, &edge.to}) {
            if (!node_of(*id).descriptive) continue;
            report(edge.where, "edge " + edge_name(edge) + " touches " + quoted(*id) +
                                   ", which is marked descriptive; expected no edges at a descriptive node "
                                   "(remove \"descriptive\" to give it a causal role)");
            return;
        }
        usable_[e] = true;
        if (edge.role == edge_role::composition) check_composition(edge);
        if (edge.role == edge_role::effect) check_effect_target(edge);
    }

    void check_composition(const model_edge& edge) {
        const model_node& from = node_of(edge.from);
        const model_node& to = node_of(edge.to);
        const std::string what = "composition edge " + edge_name(edge);
        if (from.kind != node_kind::secondary_driver) {
            report(edge.where,
                   what + " starts at a " + std::string(to_string(from.kind)) + "; expected a secondary driver");
        } else if (to.kind != node_kind::primary_driver) {
            report(edge.where, what + " ends at a " + std::string(to_string(to.kind)) +
                                   "; expected the primary driver " + quoted(from.group));
        } else if (to.id != from.group) {
            report(edge.where, what + " ends outside the group of " + quoted(from.id) +
                                   "; expected it to end at its primary driver " + quoted(from.group));
        }
    }

    void check_effect_target(const model_edge& edge) {
        const node_kind target = node_of(edge.to).kind;
        if (!is_set_by_plan(target)) return;
        report(edge.where, "effect edge " + edge_name(edge) + " points at a " + std::string(to_string(target)) +
                               ", which the implementation plan sets; expected only moderator edges into "
                               "conditions, foundational practices and secondary drivers");
    }

    digraph usable_graph() const {
        digraph g(def_.nodes.size());
        for (std::size_t e = 0; e < def_.edges.size(); ++e) {
            if (usable_[e]) boost::add_edge(index_.at(def_.edges[e].from), index_.at(def_.edges[e].to), e, g);
        }
        return g;
    }

    /// The cycle a back edge closes, as its node sequence starting at the back edge's target.
    std::vector<std::size_t> cycle_nodes(std::size_t back_edge, const std::vector<std::size_t>& tree_edge_into) const {
        const std::size_t start = index_.at(def_.edges[back_edge].to);
        std::vector<std::size_t> reversed{index_.at(def_.edges[back_edge].from)};
        while (reversed.back() != start) {
            reversed.push_back(index_.at(def_.edges[tree_edge_into[reversed.back()]].from));
        }
        return {reversed.rbegin(), reversed.rend()};
    }

    void check_cycles() {
        const digraph g = usable_graph();
        std::vector<std::size_t> tree_edge_into(def_.nodes.size(), no_edge);
        std::vector<std::size_t> back_edges;
        cycle_recorder recorder;
        recorder.tree_edge_into = &tree_edge_into;
        recorder.back_edges = &back_edges;
        boost::depth_first_search(g, boost::visitor(recorder));

        // Parallel edges can close the same node cycle twice; a rotation-free key reports it once.
        std::set<std::vector<std::size_t>> seen;
        for (const std::size_t back_edge : back_edges) {
            const std::vector<std::size_t> cycle = cycle_nodes(back_edge, tree_edge_into);
            std::vector<std::size_t> key = cycle;
            std::rotate(key.begin(), std::min_element(key.begin(), key.end()), key.end());
            if (!seen.insert(key).second) continue;
            std::string text = "cycle: ";
            for (const std::size_t node : cycle) text += def_.nodes[node].id + " -> ";
            text += def_.nodes[cycle.front()].id;
            report(def_.edges[back_edge].where, text + "; expected the model to be acyclic");
        }
    }

    void check_reachability() {
        std::vector<bool> reached(def_.nodes.size(), false);
        std::deque<std::size_t> pending;
        for (const auto& [id, node] : index_) {
            if (is_driver(def_.nodes[node].kind)) {
                reached[node] = true;
                pending.push_back(node);
            }
        }
        std::vector<std::vector<std::size_t>> successors(def_.nodes.size());
        for (std::size_t e = 0; e < def_.edges.size(); ++e) {
            if (usable_[e] && carries_value(def_.edges[e].role)) {
                successors[index_.at(def_.edges[e].from)].push_back(index_.at(def_.edges[e].to));
            }
        }
        for (; !pending.empty(); pending.pop_front()) {
            for (const std::size_t next : successors[pending.front()]) {
                if (!reached[next]) pending.push_back(next);
                reached[next] = true;
            }
        }
        for (const auto& [id, node] : index_) {
            const model_node& outcome = def_.nodes[node];
            if (!is_outcome(outcome.kind) || reached[node]) continue;
            report(outcome.where, std::string(to_string(outcome.kind)) + " " + quoted(outcome.id) +
                                      " is not reached by any driver; expected a path of effect or composition "
                                      "edges from a secondary driver, primary driver or foundational practice");
        }
    }

    const model_definition& def_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::vector<std::string> ids_;
    std::vector<bool> usable_;
    diagnostics found_;
};

}  // namespace

bool carries_value(edge_role role) { return role == edge_role::effect || role == edge_role::composition; }

namespace {

std::string size_limit_problem(const model_definition& def) {
    const auto too_many = [](std::size_t count, std::string_view what, std::size_t limit) {
        return "the model has " + std::to_string(count) + " " + std::string(what) + "; at most " +
               std::to_string(limit) +
               " are supported (a theory of change has tens; the limit bounds the memory "
               "a run needs)";
    };
    if (def.nodes.size() > max_model_nodes) return too_many(def.nodes.size(), "nodes", max_model_nodes);
    if (def.edges.size() > max_model_edges) return too_many(def.edges.size(), "edges", max_model_edges);
    return {};
}

/// Edges on the longest chain, over the parents-first `order`.
std::size_t longest_chain(std::span<const std::size_t> order, const model_definition& def,
                          const std::map<std::string, std::size_t, std::less<>>& index,
                          const std::vector<std::vector<std::size_t>>& incoming) {
    std::vector<std::size_t> depth(def.nodes.size(), 0);
    std::size_t longest = 0;
    for (const std::size_t node : order) {
        for (const std::size_t e : incoming[node]) {
            depth[node] = std::max(depth[node], depth[index.at(def.edges[e].from)] + 1);
        }
        longest = std::max(longest, depth[node]);
    }
    return longest;
}

}  // namespace

std::optional<model_graph> model_graph::build(model_definition def, diagnostics& out) {
    if (const std::string problem = size_limit_problem(def); !problem.empty()) {
        out.error(def.file, 0, 0, "", problem);
        return std::nullopt;
    }
    diagnostics found = validator(def).run();
    out.append(found);
    if (found.has_errors()) return std::nullopt;
    model_graph graph(std::move(def));
    const std::size_t depth = longest_chain(graph.order_, graph.definition_, graph.index_, graph.incoming_);
    if (depth > max_model_depth) {
        out.error(graph.definition_.file, 0, 0, "",
                  "the model's longest chain has " + std::to_string(depth) + " edges; at most " +
                      std::to_string(max_model_depth) + " are supported (a theory of change is a few steps deep)");
        return std::nullopt;
    }
    return graph;
}

model_graph::model_graph(model_definition def)
    : definition_(std::move(def)), incoming_(definition_.nodes.size()), outgoing_(definition_.nodes.size()) {
    for (std::size_t i = 0; i < definition_.nodes.size(); ++i) index_.emplace(definition_.nodes[i].id, i);

    std::vector<std::pair<std::size_t, std::size_t>> to_from;
    for (std::size_t e = 0; e < definition_.edges.size(); ++e) {
        const std::size_t from = index_.at(definition_.edges[e].from);
        const std::size_t to = index_.at(definition_.edges[e].to);
        outgoing_[from].push_back(e);
        incoming_[to].push_back(e);
        edge_target_.push_back(to);
        to_from.emplace_back(to, from);
    }

    // Edges of the reversed graph, added child-first and then by parent index: Boost keeps
    // out-edges in insertion order, so DFS visits each node's parents in node-index order.
    std::sort(to_from.begin(), to_from.end());
    digraph reversed(definition_.nodes.size());
    for (std::size_t e = 0; e < to_from.size(); ++e) boost::add_edge(to_from[e].first, to_from[e].second, e, reversed);
    // On the reversed graph a node finishes after all of its parents, so the finishing order
    // that topological_sort writes is already parents-first for the model.
    boost::topological_sort(reversed, std::back_inserter(order_));
}

std::optional<std::size_t> model_graph::find(std::string_view id) const {
    const auto found = index_.find(id);
    if (found == index_.end()) return std::nullopt;
    return found->second;
}

std::vector<std::string> model_graph::reported_outcomes(std::span<const std::string> named) const {
    if (!named.empty()) return {named.begin(), named.end()};
    std::vector<std::string> ids;
    for (const std::size_t n : order_) {
        const model_node& node = definition_.nodes[n];
        if (node.kind == node_kind::student_outcome || node.kind == node_kind::academic_outcome ||
            node.derived != derived_metric::none)
            ids.push_back(node.id);
    }
    return ids;
}

std::string model_graph::headline_outcome(std::span<const std::string> reported) const {
    const auto has = [&](const std::string& id, auto&& test) {
        const auto n = find(id);
        return n && test(definition_.nodes[*n]);
    };
    const auto headline = std::find_if(reported.begin(), reported.end(), [&](const std::string& id) {
        return has(id, [](const model_node& node) { return node.has_role("headline"); });
    });
    if (headline != reported.end()) return *headline;
    const auto academic = std::find_if(reported.begin(), reported.end(), [&](const std::string& id) {
        return has(id, [](const model_node& node) { return node.kind == node_kind::academic_outcome; });
    });
    if (academic != reported.end()) return *academic;
    return reported.empty() ? std::string() : reported.front();
}

std::span<const std::size_t> model_graph::incoming_edges(std::size_t node) const { return incoming_.at(node); }

std::span<const std::size_t> model_graph::outgoing_edges(std::size_t node) const { return outgoing_.at(node); }

std::vector<std::size_t> model_graph::nodes_of_kind(node_kind kind) const {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < definition_.nodes.size(); ++i) {
        if (definition_.nodes[i].kind == kind) found.push_back(i);
    }
    return found;
}

std::vector<std::size_t> model_graph::members_of_group(std::string_view group) const {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < definition_.nodes.size(); ++i) {
        if (definition_.nodes[i].group == group) found.push_back(i);
    }
    return found;
}

std::vector<bool> model_graph::reaching_nodes(std::size_t to) const {
    std::vector<bool> reaching(definition_.nodes.size(), false);
    reaching.at(to) = true;
    for (auto node = order_.rbegin(); node != order_.rend(); ++node) {
        for (const std::size_t e : outgoing_[*node]) {
            const model_edge& edge = definition_.edges[e];
            if (carries_value(edge.role) && reaching[edge_target_[e]]) reaching[*node] = true;
        }
    }
    return reaching;
}

std::vector<std::vector<std::size_t>> model_graph::paths(std::size_t from, std::size_t to,
                                                         std::size_t max_paths) const {
    if (from >= definition_.nodes.size() || to >= definition_.nodes.size()) {
        throw std::out_of_range("model_graph::paths: node index out of range");
    }
    return paths(from, to, max_paths, reaching_nodes(to));
}

std::vector<std::vector<std::size_t>> model_graph::paths(std::size_t from, std::size_t to, std::size_t max_paths,
                                                         const std::vector<bool>& leads_to_target) const {
    if (from >= definition_.nodes.size() || to >= definition_.nodes.size() ||
        leads_to_target.size() != definition_.nodes.size()) {
        throw std::out_of_range("model_graph::paths: node index out of range");
    }
    // Walking only into nodes that can still reach `to` makes every step lead to a path, so
    // the work is bounded by max_paths times the path length, not by the number of dead ends.
    std::vector<std::vector<std::size_t>> found;
    std::vector<std::size_t> current;
    const std::function<void(std::size_t)> walk = [&](std::size_t node) {
        for (const std::size_t e : outgoing_[node]) {
            if (found.size() >= max_paths) return;
            const model_edge& edge = definition_.edges[e];
            const std::size_t next = edge_target_[e];
            if (!carries_value(edge.role) || !leads_to_target[next]) continue;
            current.push_back(e);
            if (next == to) {
                found.push_back(current);
            } else {
                walk(next);
            }
            current.pop_back();
        }
    };
    if (from != to) walk(from);
    return found;
}

}  // namespace pathways
