#include "common/model.hpp"

#include <algorithm>
#include <array>

namespace pathways {
namespace {

constexpr std::array<std::string_view, 7> kind_names{
    "condition", "foundational_practice", "primary_driver", "secondary_driver", "student_outcome", "academic_outcome",
    "goal"};

}  // namespace

std::string_view to_string(node_kind kind) { return kind_names[static_cast<std::size_t>(kind)]; }

std::optional<node_kind> node_kind_from_string(std::string_view text) {
    for (std::size_t i = 0; i < kind_names.size(); ++i) {
        if (kind_names[i] == text) return static_cast<node_kind>(i);
    }
    return std::nullopt;
}

const std::vector<std::string>& node_kind_names() {
    static const std::vector<std::string> names(kind_names.begin(), kind_names.end());
    return names;
}

std::string_view to_string(edge_role role) {
    switch (role) {
        case edge_role::effect: return "effect";
        case edge_role::composition: return "composition";
        case edge_role::moderator: return "moderator";
    }
    return "effect";
}

bool model_node::has_role(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const std::vector<std::string>& node_role_names() {
    static const std::vector<std::string> names{
        "achievement",           "headline",          "alignment",     "community",
        "value_feasibility_gap", "academic_optimism", "program_runway"};
    return names;
}

std::string_view to_string(derived_metric metric) {
    return metric == derived_metric::subgroup_gap ? "subgroup_gap" : "none";
}

std::optional<derived_metric> derived_metric_from_string(std::string_view text) {
    if (text == "subgroup_gap") return derived_metric::subgroup_gap;
    return std::nullopt;
}

std::vector<const rubric_stage*> rubric_continuum::columns() const {
    std::vector<const rubric_stage*> out;
    for (const rubric_stage& stage : stages) {
        if (stage.column) out.push_back(&stage);
    }
    return out;
}

const rubric_continuum* rubric_definition::continuum_of(node_kind kind) const {
    const auto found =
        std::find_if(continua.begin(), continua.end(), [&](const rubric_continuum& c) { return c.kind == kind; });
    return found == continua.end() ? nullptr : &*found;
}

const rubric_descriptor* rubric_definition::descriptor_of(std::string_view node) const {
    const auto found = std::find_if(descriptors.begin(), descriptors.end(),
                                    [&](const rubric_descriptor& d) { return d.node == node; });
    return found == descriptors.end() ? nullptr : &*found;
}

std::string normalized_stage_name(std::string_view text) {
    std::string name;
    for (const char c : text) {
        const bool space = c == ' ' || c == '-' || c == '_' || c == '\t';
        if (space) {
            if (!name.empty() && name.back() != ' ') name += ' ';
        } else {
            name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
    }
    if (!name.empty() && name.back() == ' ') name.pop_back();
    return name;
}

}  // namespace pathways
