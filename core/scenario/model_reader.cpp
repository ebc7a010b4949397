#include "scenario/model_reader.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/evidence.hpp"
#include "scenario/embedded_model.hpp"
#include "scenario/graph_syntax.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/prior_reader.hpp"
#include "scenario/rubric_reader.hpp"

namespace pathways {
namespace {

using json::object_reader;

constexpr std::int64_t format_version = 1;

const std::vector<std::string>& role_names() {
    static const std::vector<std::string> names{"effect", "composition", "moderator"};
    return names;
}

std::string join(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words) {
        if (!text.empty()) text += ", ";
        text += word;
    }
    return text;
}

/// "unknown kind 'x'; did you mean 'y'?", or the list of valid spellings when none is close.
std::string unknown_word(std::string_view what, const std::string& word, const std::vector<std::string>& valid) {
    const std::string suggestion = did_you_mean(word, valid);
    return "unknown " + std::string(what) + " '" + word + "'" +
           (suggestion.empty() ? "; expected one of " + join(valid) : suggestion);
}

bool has_new_errors(const diagnostics& out, std::size_t before) {
    const auto& items = out.items();
    return std::any_of(items.begin() + static_cast<std::ptrdiff_t>(before), items.end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
}

source_location where_is(const object_reader& reader) {
    const json::location at = reader.doc().where(reader.pointer());
    return {reader.doc().file, at.line, at.column, reader.pointer()};
}

std::optional<std::string> non_empty_string(object_reader& reader, std::string_view key, std::string_view expected) {
    auto text = reader.required_string(key);
    if (text && text->empty()) {
        reader.error_at(key, "empty " + std::string(key) + "; expected " + std::string(expected));
        return std::nullopt;
    }
    return text;
}

/// Reads `roles` as a list of distinct known role names; empty when absent.
std::vector<std::string> read_roles(object_reader& reader) {
    std::vector<std::string> roles;
    const auto list = reader.optional_array("roles");
    if (!list) return roles;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string pointer = list->pointer_of(i);
        const auto role = json::read_string(reader.doc(), (*list)[i], pointer, reader.out());
        if (!role) continue;
        const json::location at = reader.doc().where(pointer);
        const auto& known = node_role_names();
        if (std::find(known.begin(), known.end(), *role) == known.end()) {
            reader.out().error(reader.doc().file, at.line, at.column, pointer, unknown_word("role", *role, known));
        } else if (std::find(roles.begin(), roles.end(), *role) != roles.end()) {
            reader.out().error(reader.doc().file, at.line, at.column, pointer,
                               "role '" + *role + "' given twice; expected each role once");
        } else {
            roles.push_back(*role);
        }
    }
    return roles;
}

std::optional<model_group> read_group(const json::document& doc, const std::string& pointer, diagnostics& out) {
    object_reader reader(doc, pointer, out);
    const std::size_t before = out.items().size();
    model_group group;
    if (const auto id = non_empty_string(reader, "id", "the group name nodes use")) group.id = *id;
    if (const auto label = non_empty_string(reader, "label", "a short name")) group.label = *label;
    reader.finish();
    if (has_new_errors(out, before) || !reader.valid()) return std::nullopt;
    return group;
}

std::optional<model_node> read_node(const json::document& doc, const std::string& pointer, diagnostics& out) {
    object_reader reader(doc, pointer, out);
    const std::size_t before = out.items().size();
    model_node node;
    node.where = where_is(reader);
    if (const auto id = reader.required_string("id")) {
        if (id->empty()) {
            reader.error_at("id", "empty id; expected dotted snake_case such as 'learner_paths.learner_profile_data'");
        } else if (!is_valid_node_id(*id)) {
            reader.error_at("id", "invalid node id '" + *id +
                                      "'; expected dotted snake_case ([a-z0-9_] words joined by '.')");
        }
        node.id = *id;
    }
    if (const auto label = non_empty_string(reader, "label", "a short name")) node.label = *label;
    if (const auto kind = reader.required_string("kind")) {
        if (const auto parsed = node_kind_from_string(*kind)) {
            node.kind = *parsed;
        } else {
            reader.error_at("kind", unknown_word("kind", *kind, node_kind_names()));
        }
    }
    node.scale = reader.optional_string("scale").value_or("");
    node.group = reader.optional_string("group").value_or("");
    node.description = reader.optional_string("description").value_or("");
    node.leap = reader.optional_string("leap").value_or("");
    node.descriptive = reader.optional_bool("descriptive").value_or(false);
    node.roles = read_roles(reader);
    node.subject = reader.optional_string("subject").value_or("");
    if (!node.subject.empty() && !node.has_role("achievement")) {
        reader.error_at("subject",
                        "a subject on a node without the role 'achievement'; expected it on test scores only");
    }
    if (const auto derived = reader.optional_string("derived")) {
        if (const auto parsed = derived_metric_from_string(*derived)) {
            node.derived = *parsed;
        } else {
            reader.error_at("derived", "unknown derived metric '" + *derived + "'; expected subgroup_gap");
        }
    }
    reader.finish();
    if (has_new_errors(out, before) || !reader.valid()) return std::nullopt;
    return node;
}

std::optional<edge_role> read_role(object_reader& reader) {
    const auto role = reader.optional_string("role");
    if (!role) return reader.has("role") ? std::nullopt : std::optional<edge_role>(edge_role::effect);
    for (const edge_role candidate : {edge_role::effect, edge_role::composition, edge_role::moderator}) {
        if (to_string(candidate) == *role) return candidate;
    }
    reader.error_at("role", unknown_word("role", *role, role_names()));
    return std::nullopt;
}

/// Reads `range` as [low, high] with low <= high; nullopt when absent or wrong.
std::optional<std::pair<double, double>> read_range(object_reader& reader) {
    const auto range = reader.optional_array("range");
    if (!range) return std::nullopt;
    if (range->size() != 2) {
        reader.error_at("range", "expected [low, high] with 2 numbers, got " + std::to_string(range->size()) +
                                     (range->size() == 1 ? " element" : " elements"));
        return std::nullopt;
    }
    const auto low = json::read_number(reader.doc(), (*range)[0], range->pointer_of(0), reader.out());
    const auto high = json::read_number(reader.doc(), (*range)[1], range->pointer_of(1), reader.out());
    if (!low || !high) return std::nullopt;
    if (*low > *high) {
        reader.error_at("range", "low " + json::format_number(*low) + " is greater than high " +
                                     json::format_number(*high) + "; expected [low, high] with low <= high");
        return std::nullopt;
    }
    return std::pair{*low, *high};
}

/// Reads `grade_bands` as a non-empty list of distinct band names; all bands when absent.
std::optional<std::uint8_t> read_grade_bands(object_reader& reader) {
    const auto list = reader.optional_array("grade_bands");
    if (!list) return reader.has("grade_bands") ? std::nullopt : std::optional<std::uint8_t>(all_grade_bands);
    static const std::vector<std::string> names{"elementary", "middle", "high"};
    if (list->size() == 0) {
        reader.error_at("grade_bands", "empty list; expected one or more of elementary, middle, high");
        return std::nullopt;
    }
    std::uint8_t bands = 0;
    bool valid = true;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto name = json::read_string(reader.doc(), (*list)[i], list->pointer_of(i), reader.out());
        if (!name) {
            valid = false;
            continue;
        }
        const auto found = std::find(names.begin(), names.end(), *name);
        if (found == names.end()) {
            const std::string pointer = list->pointer_of(i);
            const json::location at = reader.doc().where(pointer);
            reader.out().error(reader.doc().file, at.line, at.column, pointer,
                               unknown_word("grade band", *name, names));
            valid = false;
            continue;
        }
        bands |= static_cast<std::uint8_t>(1u << (found - names.begin()));
    }
    if (!valid) return std::nullopt;
    return bands;
}

std::optional<model_edge> read_edge(const json::document& doc, const std::string& pointer, diagnostics& out) {
    object_reader reader(doc, pointer, out);
    const std::size_t before = out.items().size();
    model_edge edge;
    edge.where = where_is(reader);
    if (const auto from = non_empty_string(reader, "from", "a node id")) edge.from = *from;
    if (const auto to = non_empty_string(reader, "to", "a node id")) edge.to = *to;
    if (const auto role = read_role(reader)) edge.role = *role;
    const auto weight = reader.required_number("weight");
    if (weight) edge.weight = *weight;
    const auto range = read_range(reader);
    if (weight && range && (*weight < range->first || *weight > range->second)) {
        reader.error_at("weight", "weight " + json::format_number(*weight) + " is outside its range [" +
                                      json::format_number(range->first) + ", " + json::format_number(range->second) +
                                      "]; expected low <= weight <= high");
    }
    edge.range_low = range ? range->first : edge.weight;
    edge.range_high = range ? range->second : edge.weight;
    if (auto prior_object = reader.optional_child("prior")) {
        if (const auto parsed = json::read_prior(*prior_object)) edge.uncertainty = *parsed;
    } else {
        edge.uncertainty = {prior_kind::fixed, edge.weight, 0.0, 0.0, 0.0};
    }
    if (const auto bands = read_grade_bands(reader)) edge.grade_bands = *bands;
    if (edge.grade_bands != all_grade_bands && edge.role != edge_role::effect) {
        reader.error_at("grade_bands", "grade bands on a " + std::string(to_string(edge.role)) +
                                           " edge; expected them on effect edges only");
    }
    if (const auto source = non_empty_string(reader, "source", "where the weight comes from")) edge.source = *source;
    if (const auto evidence = reader.required_string("evidence")) {
        if (!is_evidence_tag(*evidence)) {
            reader.error_at("evidence", "unknown evidence tag '" + *evidence + "'; " + expected_evidence_tags());
        }
        edge.evidence = *evidence;
    }
    reader.finish();
    if (has_new_errors(out, before) || !reader.valid()) return std::nullopt;
    return edge;
}

average_effect_uncertainty read_average_effect(object_reader& reader) {
    average_effect_uncertainty average;
    average.relative_sd = reader.required_number("relative_sd", 0.0, 10.0).value_or(0.0);
    if (const auto source = non_empty_string(reader, "source", "where the spread comes from")) {
        average.source = *source;
    }
    if (const auto evidence = reader.required_string("evidence")) {
        if (!is_evidence_tag(*evidence)) {
            reader.error_at("evidence", "unknown evidence tag '" + *evidence + "'; " + expected_evidence_tags());
        }
        average.evidence = *evidence;
    }
    reader.finish();
    return average;
}

template <typename Item, typename Read>
std::vector<Item> read_list(object_reader& reader, std::string_view key, Read read) {
    std::vector<Item> items;
    const auto list = reader.array(key);
    if (!list) return items;
    for (std::size_t i = 0; i < list->size(); ++i) {
        if (auto item = read(reader.doc(), list->pointer_of(i), reader.out())) items.push_back(std::move(*item));
    }
    return items;
}

/// A subgroup-gap node is the weighted mean of its parents' subgroup gaps: it needs effect edges
/// from outcomes that have a subgroup mean (student or academic outcomes), and nothing else.
void check_derived_nodes(const model_definition& model, diagnostics& out) {
    const auto kind_of = [&](const std::string& id) -> std::optional<node_kind> {
        for (const model_node& node : model.nodes) {
            if (node.id == id) return node.kind;
        }
        return std::nullopt;
    };
    for (const model_node& node : model.nodes) {
        if (node.derived != derived_metric::subgroup_gap) continue;
        std::size_t parents = 0;
        for (const model_edge& edge : model.edges) {
            if (edge.to != node.id) continue;
            ++parents;
            const auto kind = kind_of(edge.from);
            const bool outcome = kind == node_kind::student_outcome || kind == node_kind::academic_outcome;
            if (edge.role != edge_role::effect || (kind && !outcome)) {
                out.error(edge.where.file, edge.where.line, edge.where.column, edge.where.pointer,
                          "edge into subgroup_gap node '" + node.id + "' from '" + edge.from +
                              "'; expected an effect edge from a student or academic outcome (the gap is the "
                              "weighted mean of its parents' subgroup gaps)");
            }
        }
        if (parents == 0) {
            out.error(node.where.file, node.where.line, node.where.column, node.where.pointer + "/derived",
                      "subgroup_gap node '" + node.id +
                          "' has no incoming edges; expected effect edges from the "
                          "outcomes whose subgroup gaps it averages");
        }
    }
}

}  // namespace

bool is_valid_node_id(std::string_view id) {
    bool segment_empty = true;
    for (const char c : id) {
        if (c == '.') {
            if (segment_empty) return false;
            segment_empty = true;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
            segment_empty = false;
        } else {
            return false;
        }
    }
    return !segment_empty;
}

namespace {

/// Two edges with the same ends and role acting in the same grade band would both act, doubling
/// an effect silently; edges for different bands (a weight for younger and one for older
/// students) are distinct.
void report_duplicate_edges(const model_definition& model, diagnostics& out) {
    std::map<std::tuple<std::string, std::string, edge_role>, std::vector<std::size_t>> seen;
    for (std::size_t e = 0; e < model.edges.size(); ++e) {
        const model_edge& edge = model.edges[e];
        std::vector<std::size_t>& earlier = seen[std::tuple{edge.from, edge.to, edge.role}];
        const auto overlapping = std::find_if(earlier.begin(), earlier.end(), [&](std::size_t other) {
            return (model.edges[other].grade_bands & edge.grade_bands) != 0;
        });
        if (overlapping != earlier.end()) {
            out.error(model.file, edge.where.line, edge.where.column, edge.where.pointer,
                      "duplicate edge '" + edge.from + "' -> '" + edge.to + "' with role '" +
                          std::string(to_string(edge.role)) + "'; first defined at line " +
                          std::to_string(model.edges[*overlapping].where.line) +
                          "; expected each edge once in a grade band");
        }
        earlier.push_back(e);
    }
}

}  // namespace

std::optional<model_definition> read_model(const json::document& doc, diagnostics& out) {
    const std::size_t before = out.items().size();
    model_definition model;
    model.file = doc.file;
    {
        object_reader reader(doc, "", out);
        if (const auto version = reader.required_integer("pathways_model"); version && *version != format_version) {
            reader.error_at("pathways_model", "unsupported model format version " + std::to_string(*version) +
                                                  "; expected " + std::to_string(format_version));
        }
        if (const auto id = non_empty_string(reader, "id", "the model's name in scenario files")) model.id = *id;
        model.name = reader.optional_string("name").value_or(model.id);
        model.description = reader.optional_string("description").value_or("");
        model.evidence_summary = reader.optional_string("evidence_summary").value_or("");
        if (reader.has("groups")) model.groups = read_list<model_group>(reader, "groups", read_group);
        model.nodes = read_list<model_node>(reader, "nodes", read_node);
        model.edges = read_list<model_edge>(reader, "edges", read_edge);
        if (auto average = reader.optional_child("average_effect"); average && average->valid()) {
            model.average_effect = read_average_effect(*average);
        }
        if (auto rubric = reader.optional_child("rubric"); rubric && rubric->valid())
            model.rubric = read_rubric(*rubric);
        if (reader.has("nodes") && doc.root["nodes"].is_array() && doc.root["nodes"].empty()) {
            reader.error_at("nodes", "the model has no nodes; expected at least a practice and an outcome");
        }
    }
    check_derived_nodes(model, out);
    report_duplicate_edges(model, out);
    check_rubric(model, out);
    if (has_new_errors(out, before) || doc.has_errors) return std::nullopt;
    return model;
}

bool is_model_file_name(std::string_view name) {
    return name.ends_with(".json") || name.ends_with(".lav") || name.ends_with(".lavaan") || name.ends_with(".dag") ||
           name.ends_with(".dagitty");
}

std::optional<model_definition> read_model_file(const std::filesystem::path& path, diagnostics& out) {
    const std::string extension = path.extension().string();
    if (extension == ".lav" || extension == ".lavaan" || extension == ".dag" || extension == ".dagitty") {
        const auto text = json::read_text(path, out, json::limits{}.max_bytes, "lavaan or DAGitty");
        if (!text) return std::nullopt;
        return extension == ".lav" || extension == ".lavaan" ? read_lavaan(*text, path.string(), out)
                                                             : read_dagitty(*text, path.string(), out);
    }
    const auto doc = json::parse_file(path, out);
    if (!doc) return std::nullopt;
    return read_model(*doc, out);
}

std::optional<model_definition> read_embedded_model(diagnostics& out) {
    const auto doc = json::parse(embedded_dps_model(), std::string(embedded_model_file), out);
    if (!doc) return std::nullopt;
    return read_model(*doc, out);
}

}  // namespace pathways
