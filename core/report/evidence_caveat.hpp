#pragma once
/// \file
/// What kind of evidence a model's numbers rest on, in plain sentences, for every surface that shows
/// results: the terminal summary, the report's first screen, the explorer and `pathways describe`.

#include <string>
#include <vector>

#include "common/model.hpp"

namespace pathways {

/// The model's own evidence summary, how many of its link weights are assumptions, the chance of harm
/// its average-effect spread implies, and that the effect models were fitted, not validated: two to four
/// sentences, each ending in a full stop.
std::vector<std::string> evidence_caveat(const model_definition& model);

/// The same sentences joined by spaces.
std::string evidence_caveat_text(const model_definition& model);

/// "N of the model's M effect links are assumptions (tag A)", or "every one of ..." when all are.
std::string assumed_links_sentence(const model_definition& model);

}  // namespace pathways
