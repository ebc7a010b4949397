#pragma once
/// \file
/// Writes a model definition in the model-file format that model_reader reads, so that exports
/// which carry a whole model (the lavaan form) read back to the same definition.

#include <string>

#include "common/model.hpp"

namespace pathways {

/// The model file text: `pathways_model`, id, name, description and groups, then one node and one
/// edge per line, in definition order. Attributes at their default (an effect role, a range or prior
/// that is just the weight, all grade bands) are left out, as a hand-written file would.
/// read_model of the text gives back `model` (apart from source positions).
[[nodiscard]] std::string model_file_text(const model_definition& model);

/// The model as data (`pathways graph --format json`, the explorer's /api/graph): `{"id", "name",
/// "groups", "nodes": [{id, label, kind, group, scale, leap, descriptive, description}], "edges": [{from,
/// to, role, weight, range, grade_bands, source, evidence}], "evidence_tags": {tag: meaning}}`, every member
/// present, indented by two spaces, with a final newline. `evidence_tags` says in words what S, S2, R and
/// A mean, so a reader of the JSON alone can tell a sourced weight from an assumed one. Numbers read back
/// to the same double; non-finite ones are null.
[[nodiscard]] std::string model_export_json(const model_definition& model);

}  // namespace pathways
