#pragma once
// Builds small models in code. Node i is placed at line 100 + i, edge j at line 200 + j
// (column 5, pointer /nodes/i or /edges/j), so tests can name the line a finding must report.

#include <string>
#include <utility>

#include "common/model.hpp"

namespace pathways::test {

inline constexpr const char* model_file = "test-model.json";

class model_builder {
public:
    model_builder() {
        def_.id = "test-model";
        def_.name = "Test model";
        def_.file = model_file;
    }

    model_builder& node(std::string id, node_kind kind, std::string group = {}, std::string label = {}) {
        model_node n;
        n.label = label.empty() ? id : std::move(label);
        n.id = std::move(id);
        n.kind = kind;
        n.group = std::move(group);
        n.where = {"", 100 + def_.nodes.size(), 5, "/nodes/" + std::to_string(def_.nodes.size())};
        def_.nodes.push_back(std::move(n));
        return *this;
    }

    model_builder& edge(std::string from, std::string to, double weight, edge_role role = edge_role::effect) {
        model_edge e;
        e.from = std::move(from);
        e.to = std::move(to);
        e.role = role;
        e.weight = weight;
        e.range_low = weight / 2;
        e.range_high = weight * 2;
        e.source = "test";
        e.evidence = "A";
        e.where = {"", 200 + def_.edges.size(), 5, "/edges/" + std::to_string(def_.edges.size())};
        def_.edges.push_back(std::move(e));
        return *this;
    }

    model_definition& definition() { return def_; }
    model_definition build() const { return def_; }

private:
    model_definition def_;
};

/// A small valid model shaped like the DPS one (node index: line 100 + i, edge index: line 200 + j).
inline model_builder small_model() {
    model_builder b;
    b.node("district.patience", node_kind::condition)                                      // 0
        .node("foundational.culture", node_kind::foundational_practice)                    // 1
        .node("learner_paths", node_kind::primary_driver)                                  // 2
        .node("learner_paths.profile", node_kind::secondary_driver, "learner_paths")       // 3
        .node("learner_paths.goals", node_kind::secondary_driver, "learner_paths")         // 4
        .node("agency.ownership", node_kind::student_outcome)                              // 5
        .node("academic.math", node_kind::academic_outcome)                                // 6
        .node("goal.whole_child", node_kind::goal);                                        // 7
    b.edge("district.patience", "learner_paths.profile", 0.3, edge_role::moderator)        // 0
        .edge("foundational.culture", "learner_paths.profile", 0.5, edge_role::moderator)  // 1
        .edge("learner_paths.profile", "learner_paths", 1.0, edge_role::composition)       // 2
        .edge("learner_paths.goals", "learner_paths", 1.0, edge_role::composition)         // 3
        .edge("learner_paths.profile", "agency.ownership", 0.15)                           // 4
        .edge("learner_paths.goals", "agency.ownership", 0.1)                              // 5
        .edge("agency.ownership", "academic.math", 0.2)                                    // 6
        .edge("learner_paths.goals", "academic.math", 0.05)                                // 7
        .edge("academic.math", "goal.whole_child", 1.0);                                   // 8
    return b;
}

}  // namespace pathways::test
