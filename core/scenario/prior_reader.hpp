#pragma once
/// \file
/// Reads a prior (`{"dist": "normal", "mean": 0.1, "sd": 0.05}` and the other distributions),
/// the same in model and scenario files, into `pathways::sdk::prior`.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "pathways/sdk/effect_model.hpp"
#include "scenario/json_checks.hpp"

namespace pathways::json {

/// The spellings of `dist`: fixed, normal, truncated_normal, lognormal, uniform, beta.
const std::vector<std::string>& prior_dist_names();

/// Reads the prior object behind `reader` and finishes the reader (its unknown keys are
/// reported). Reports an unknown `dist` (with a suggestion), missing or non-numeric
/// parameters, `sd`, `sigma`, `alpha` or `beta` not greater than 0, and `lower` not below
/// `upper`. Returns nullopt when anything was wrong.
std::optional<sdk::prior> read_prior(object_reader& reader);

/// Reads the prior object at `pointer` in `doc`.
std::optional<sdk::prior> read_prior(const document& doc, const std::string& pointer, diagnostics& out);

}  // namespace pathways::json
