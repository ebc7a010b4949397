#pragma once
/// \file
/// The theory of change in the languages researchers publish causal models in: lavaan (R's
/// structural-equation package) and DAGitty (causal diagrams). Both are written and read back.
///
/// lavaan: one regression per node over its effect and composition edges, every coefficient fixed
/// to the edge's weight (`y ~ 0.15*x1 + 0.1*x2`), so lavaan's implied total effects are the
/// (I - B)^-1 - I that `pathways effects` prints. The rest of the model (kinds, labels, sources,
/// priors, moderators, roles) travels as the model file in comment lines starting `#@`, which lavaan
/// ignores; reading the file back takes the weights and the effect and composition edges from the
/// regressions (an edited coefficient changes the weight; a term removed removes the edge; a new term
/// adds an edge sourced to the lavaan file) and everything else from the `#@` lines. A lavaan file
/// without `#@` lines becomes a model of its own: node kinds inferred from the graph, every edge
/// sourced to its line in the file, and a note saying so.
///
/// DAGitty: `dag { ... }` with the practices and drivers a plan sets marked `exposure`, the headline
/// outcome (or else the academic outcomes) `outcome`, positions by kind, and each effect or composition edge's weight as its `beta`
/// attribute (the attribute DAGitty's simulateSEM reads). Moderator edges have no DAGitty form. Read
/// back: the structure, weights from `beta` (0 with a warning where an edge has none), node kinds
/// inferred from the graph and the marks (exposures are foundational practices, the first outcome the
/// headline).

#include <optional>
#include <string>
#include <string_view>

#include "common/diagnostics.hpp"
#include "common/model.hpp"

namespace pathways {

[[nodiscard]] std::string to_lavaan(const model_definition& model);
[[nodiscard]] std::string to_dagitty(const model_definition& model);

/// Reads lavaan model syntax (`~` regressions; `~~`, `:=` and constraints are skipped with a note;
/// latent variables `=~` are an error). Errors and notes go to `out` as `file:line:col`.
std::optional<model_definition> read_lavaan(std::string_view text, const std::string& file, diagnostics& out);

/// Reads a DAGitty graph (`dag { ... }`, `->` and `<-` edges, `{a b} -> c` groups, attributes).
std::optional<model_definition> read_dagitty(std::string_view text, const std::string& file, diagnostics& out);

}  // namespace pathways
