#pragma once
/// \file
/// A model file's `rubric`: the continua practices and drivers are rated on (stage names and the
/// levels they stand for) and each one's descriptor text per stage.

#include <optional>

#include "common/diagnostics.hpp"
#include "common/model.hpp"
#include "scenario/json_checks.hpp"

namespace pathways {

/// Reads `rubric` of a model file: `source`, `evidence`, `continua` (each a node `kind`, `stages` of
/// `name`, `level` 0..3 and optional `column`, with the mapping's `source` and `evidence`) and
/// `descriptors` (each a `node`, its `stages` texts and an optional `note`). Problems go to the reader's
/// diagnostics; what could be read is returned.
rubric_definition read_rubric(json::object_reader& reader);

/// What the rubric says about the model's nodes: every descriptor names a node of a kind that has a
/// continuum, once, with one text per descriptor column of that continuum.
void check_rubric(const model_definition& model, diagnostics& out);

/// The level a stage stands for in `continuum`: a stage name (any case, '-' or '_' for spaces) or a
/// number from 0 to 3; nullopt for anything else.
std::optional<double> stage_level(const rubric_continuum& continuum, std::string_view text);

}  // namespace pathways
