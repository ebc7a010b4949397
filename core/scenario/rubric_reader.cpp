#include "scenario/rubric_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "common/evidence.hpp"
#include "common/text_format.hpp"

namespace pathways {
namespace {

using json::object_reader;

source_location where_is(const object_reader& reader) {
    const json::location at = reader.doc().where(reader.pointer());
    return {reader.doc().file, at.line, at.column, reader.pointer()};
}

void read_source(object_reader& reader, std::string& source, std::string& evidence) {
    source = reader.required_string("source").value_or("");
    if (const auto tag = reader.required_string("evidence")) {
        if (!is_evidence_tag(*tag)) {
            reader.error_at("evidence", "unknown evidence tag '" + *tag + "'; " + expected_evidence_tags());
        }
        evidence = *tag;
    }
}

rubric_stage read_stage(object_reader reader) {
    rubric_stage stage;
    if (const auto name = reader.required_string("name")) {
        stage.name = normalized_stage_name(*name);
        if (stage.name.empty()) reader.error_at("name", "empty stage name; expected words such as 'learner driven'");
        else if (stage.name != *name)
            reader.error_at("name",
                            "stage name '" + *name + "' is not in lowercase words; expected '" + stage.name + "'");
    }
    stage.level = reader.required_number("level", 0.0, 3.0).value_or(0.0);
    stage.column = reader.optional_bool("column").value_or(true);
    return stage;
}

/// Stage names are unique within a continuum, and its descriptor columns climb.
void check_stages(object_reader& reader, const rubric_continuum& continuum) {
    std::map<std::string, std::size_t> seen;
    double last_column = -1.0;
    for (std::size_t i = 0; i < continuum.stages.size(); ++i) {
        const rubric_stage& stage = continuum.stages[i];
        if (!stage.name.empty() && !seen.emplace(stage.name, i).second) {
            reader.error_at("stages", "stage '" + stage.name + "' is named twice; expected each stage once");
        }
        if (!stage.column) continue;
        if (stage.level <= last_column) {
            reader.error_at("stages", "column stage '" + stage.name + "' is not above the column before it; " +
                                          "expected the columns in order from the lowest level to the highest");
        }
        last_column = stage.level;
    }
    if (continuum.columns().empty()) reader.error_at("stages", "no column stage; expected at least one");
}

rubric_continuum read_continuum(object_reader reader) {
    rubric_continuum continuum;
    continuum.where = where_is(reader);
    if (const auto kind = reader.required_string("kind")) {
        const auto parsed = node_kind_from_string(*kind);
        if (parsed == node_kind::foundational_practice || parsed == node_kind::secondary_driver) {
            continuum.kind = *parsed;
        } else {
            reader.error_at("kind", "'" + *kind + "' is not rated; expected foundational_practice or secondary_driver");
        }
    }
    if (const auto stages = reader.array("stages")) {
        for (std::size_t i = 0; i < stages->size(); ++i) {
            continuum.stages.push_back(read_stage(object_reader(reader.doc(), stages->pointer_of(i), reader.out())));
        }
    }
    read_source(reader, continuum.source, continuum.evidence);
    check_stages(reader, continuum);
    return continuum;
}

rubric_descriptor read_descriptor(object_reader reader) {
    rubric_descriptor descriptor;
    descriptor.where = where_is(reader);
    descriptor.node = reader.required_string("node").value_or("");
    if (const auto stages = reader.array("stages")) {
        for (std::size_t i = 0; i < stages->size(); ++i) {
            const auto text = json::read_string(reader.doc(), (*stages)[i], stages->pointer_of(i), reader.out());
            descriptor.stages.push_back(text.value_or(""));
        }
    }
    descriptor.note = reader.optional_string("note").value_or("");
    const bool missing = std::any_of(descriptor.stages.begin(), descriptor.stages.end(),
                                     [](const std::string& text) { return text.empty(); });
    if (missing && descriptor.note.empty()) {
        reader.error_at("stages",
                        "an empty descriptor without a note; expected the descriptor's text, or a note "
                        "saying why the source gives none");
    }
    return descriptor;
}

}  // namespace

rubric_definition read_rubric(object_reader& reader) {
    rubric_definition rubric;
    read_source(reader, rubric.source, rubric.evidence);
    if (const auto continua = reader.array("continua")) {
        for (std::size_t i = 0; i < continua->size(); ++i) {
            rubric.continua.push_back(
                read_continuum(object_reader(reader.doc(), continua->pointer_of(i), reader.out())));
        }
    }
    if (const auto descriptors = reader.optional_array("descriptors")) {
        for (std::size_t i = 0; i < descriptors->size(); ++i) {
            rubric.descriptors.push_back(
                read_descriptor(object_reader(reader.doc(), descriptors->pointer_of(i), reader.out())));
        }
    }
    return rubric;
}

void check_rubric(const model_definition& model, diagnostics& out) {
    if (!model.rubric) return;
    const rubric_definition& rubric = *model.rubric;
    for (std::size_t i = 0; i < rubric.continua.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (rubric.continua[j].kind != rubric.continua[i].kind) continue;
            const source_location& at = rubric.continua[i].where;
            out.error(at.file, at.line, at.column, at.pointer + "/kind",
                      "a second continuum for " + std::string(to_string(rubric.continua[i].kind)) +
                          "; expected one continuum per kind");
        }
    }
    std::map<std::string, std::size_t> seen;
    for (const rubric_descriptor& descriptor : rubric.descriptors) {
        const source_location& at = descriptor.where;
        const auto node = std::find_if(model.nodes.begin(), model.nodes.end(),
                                       [&](const model_node& n) { return n.id == descriptor.node; });
        if (node == model.nodes.end()) {
            out.error(at.file, at.line, at.column, at.pointer + "/node",
                      "unknown node '" + descriptor.node + "'; expected a practice or driver of the model");
            continue;
        }
        if (!seen.emplace(descriptor.node, at.line).second) {
            out.error(at.file, at.line, at.column, at.pointer + "/node",
                      "'" + descriptor.node + "' has descriptors twice; expected one entry per node");
        }
        const rubric_continuum* continuum = rubric.continuum_of(node->kind);
        if (continuum == nullptr) {
            out.error(at.file, at.line, at.column, at.pointer + "/node",
                      "'" + descriptor.node + "' is a " + std::string(to_string(node->kind)) +
                          ", which no continuum rates; expected a practice or driver whose kind has a continuum");
            continue;
        }
        const std::size_t columns = continuum->columns().size();
        if (descriptor.stages.size() != columns) {
            out.error(at.file, at.line, at.column, at.pointer + "/stages",
                      std::to_string(descriptor.stages.size()) + " descriptors; expected " + std::to_string(columns) +
                          ", one per column of the " + std::string(to_string(node->kind)) + " continuum");
        }
    }
}

std::optional<double> stage_level(const rubric_continuum& continuum, std::string_view text) {
    const std::string name = normalized_stage_name(text);
    for (const rubric_stage& stage : continuum.stages) {
        if (stage.name == name) return stage.level;
    }
    // A number is read from the text as written: the name's normalisation turns "-1" into "1".
    std::string_view number = text;
    while (!number.empty() && number.front() == ' ') number.remove_prefix(1);
    while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
    const std::optional<double> value = parse_number(number);
    if (!value || *value < 0.0 || *value > 3.0) return std::nullopt;
    return value;
}

}  // namespace pathways
