#include "scenario/model_writer.hpp"

#include <nlohmann/json.hpp>

#include "common/evidence.hpp"

namespace pathways {
namespace {

using ordered = nlohmann::ordered_json;

constexpr const char* grade_band_names[] = {"elementary", "middle", "high"};

ordered grade_bands_json(std::uint8_t bands) {
    ordered names = ordered::array();
    for (int band = 0; band < sdk::grade_band_count; ++band) {
        if ((bands & (1u << band)) != 0) names.push_back(grade_band_names[band]);
    }
    return names;
}

ordered node_json(const model_node& node) {
    ordered out{{"id", node.id}, {"label", node.label}, {"kind", std::string(to_string(node.kind))}};
    if (!node.group.empty()) out["group"] = node.group;
    if (!node.scale.empty()) out["scale"] = node.scale;
    if (!node.roles.empty()) out["roles"] = node.roles;
    if (!node.subject.empty()) out["subject"] = node.subject;
    if (node.derived != derived_metric::none) out["derived"] = std::string(to_string(node.derived));
    if (node.descriptive) out["descriptive"] = true;
    if (!node.leap.empty()) out["leap"] = node.leap;
    if (!node.description.empty()) out["description"] = node.description;
    return out;
}

ordered prior_json(const prior& p) {
    switch (p.kind) {
        case prior_kind::fixed: return {{"dist", "fixed"}, {"value", p.a}};
        case prior_kind::normal: return {{"dist", "normal"}, {"mean", p.a}, {"sd", p.b}};
        case prior_kind::truncated_normal:
            return {{"dist", "truncated_normal"}, {"mean", p.a}, {"sd", p.b}, {"lower", p.lower}, {"upper", p.upper}};
        case prior_kind::lognormal: return {{"dist", "lognormal"}, {"mu", p.a}, {"sigma", p.b}};
        case prior_kind::uniform: return {{"dist", "uniform"}, {"lower", p.lower}, {"upper", p.upper}};
        case prior_kind::beta:
            return {{"dist", "beta"}, {"alpha", p.a}, {"beta", p.b}, {"lower", p.lower}, {"upper", p.upper}};
    }
    return {};
}

/// The reader's default when a file gives no prior: fixed at the weight.
bool is_default_prior(const model_edge& edge) {
    return edge.uncertainty.kind == prior_kind::fixed && edge.uncertainty.a == edge.weight;
}

ordered edge_json(const model_edge& edge) {
    ordered out{{"from", edge.from}, {"to", edge.to}};
    if (edge.role != edge_role::effect) out["role"] = std::string(to_string(edge.role));
    out["weight"] = edge.weight;
    if (edge.range_low != edge.weight || edge.range_high != edge.weight)
        out["range"] = {edge.range_low, edge.range_high};
    if (!is_default_prior(edge)) out["prior"] = prior_json(edge.uncertainty);
    if (edge.grade_bands != all_grade_bands) out["grade_bands"] = grade_bands_json(edge.grade_bands);
    out["source"] = edge.source;
    out["evidence"] = edge.evidence;
    return out;
}

template <typename Item, typename ToJson>
std::string one_per_line(const std::vector<Item>& items, ToJson to_json) {
    std::string text = "[\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
        text += "    " + to_json(items[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        text += i + 1 < items.size() ? ",\n" : "\n";
    }
    return text + "  ]";
}

ordered average_effect_json(const average_effect_uncertainty& average) {
    return {{"relative_sd", average.relative_sd}, {"source", average.source}, {"evidence", average.evidence}};
}

ordered continuum_json(const rubric_continuum& continuum) {
    ordered stages = ordered::array();
    for (const rubric_stage& stage : continuum.stages) {
        ordered one{{"name", stage.name}, {"level", stage.level}};
        if (!stage.column) one["column"] = false;
        stages.push_back(std::move(one));
    }
    return {{"kind", std::string(to_string(continuum.kind))},
            {"stages", std::move(stages)},
            {"source", continuum.source},
            {"evidence", continuum.evidence}};
}

ordered descriptor_json(const rubric_descriptor& descriptor) {
    ordered one{{"node", descriptor.node}, {"stages", descriptor.stages}};
    if (!descriptor.note.empty()) one["note"] = descriptor.note;
    return one;
}

ordered rubric_json(const rubric_definition& rubric) {
    ordered continua = ordered::array();
    for (const rubric_continuum& continuum : rubric.continua) continua.push_back(continuum_json(continuum));
    ordered descriptors = ordered::array();
    for (const rubric_descriptor& descriptor : rubric.descriptors) descriptors.push_back(descriptor_json(descriptor));
    return {{"source", rubric.source},
            {"evidence", rubric.evidence},
            {"continua", std::move(continua)},
            {"descriptors", std::move(descriptors)}};
}

}  // namespace

std::string model_file_text(const model_definition& model) {
    const auto quoted = [](const std::string& text) { return ordered(text).dump(); };
    std::string text = "{\n  \"pathways_model\": 1,\n  \"id\": " + quoted(model.id) +
                       ",\n  \"name\": " + quoted(model.name) + ",\n  \"description\": " + quoted(model.description) +
                       ",\n";
    if (!model.groups.empty()) {
        text += "  \"groups\": " +
                one_per_line(model.groups,
                             [](const model_group& g) {
                                 return ordered{{"id", g.id}, {"label", g.label}};
                             }) +
                ",\n";
    }
    if (!model.evidence_summary.empty()) text += "  \"evidence_summary\": " + quoted(model.evidence_summary) + ",\n";
    text += "  \"nodes\": " + one_per_line(model.nodes, node_json) + ",\n";
    text += "  \"edges\": " + one_per_line(model.edges, edge_json);
    // The program's average-effect spread and the rubric are part of the model: a run draws the former,
    // and ratings are read against the latter, so a model written out and read back runs the same.
    if (model.average_effect) text += ",\n  \"average_effect\": " + average_effect_json(*model.average_effect).dump();
    if (model.rubric) text += ",\n  \"rubric\": " + rubric_json(*model.rubric).dump();
    return text + "\n}\n";
}

namespace {

ordered export_node(const model_node& node) {
    return {{"id", node.id},
            {"label", node.label},
            {"kind", std::string(to_string(node.kind))},
            {"group", node.group},
            {"scale", node.scale},
            {"leap", node.leap},
            {"descriptive", node.descriptive},
            {"description", node.description}};
}

ordered export_edge(const model_edge& edge) {
    return {{"from", edge.from},
            {"to", edge.to},
            {"role", std::string(to_string(edge.role))},
            {"weight", edge.weight},
            {"range", {edge.range_low, edge.range_high}},
            {"grade_bands", grade_bands_json(edge.grade_bands)},
            {"source", edge.source},
            {"evidence", edge.evidence}};
}

}  // namespace

std::string model_export_json(const model_definition& model) {
    ordered groups = ordered::array();
    for (const model_group& group : model.groups) groups.push_back({{"id", group.id}, {"label", group.label}});
    ordered nodes = ordered::array();
    for (const model_node& node : model.nodes) nodes.push_back(export_node(node));
    ordered edges = ordered::array();
    for (const model_edge& edge : model.edges) edges.push_back(export_edge(edge));
    ordered tags = ordered::object();
    for (const evidence_tag_meaning& e : evidence_tags) tags[std::string(e.tag)] = e.meaning;
    const ordered out{{"id", model.id},
                      {"name", model.name},
                      {"groups", std::move(groups)},
                      {"nodes", std::move(nodes)},
                      {"edges", std::move(edges)},
                      {"evidence_tags", std::move(tags)}};
    return out.dump(2) + "\n";
}

}  // namespace pathways
