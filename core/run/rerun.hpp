#pragma once
/// \file
/// Repeating what a results folder holds from the inputs it keeps (`inputs/`, written by `pathways
/// run`): the request behind `pathways rerun` and the draws `pathways report` pairs its comparisons on.

#include <filesystem>
#include <optional>

#include "common/diagnostics.hpp"
#include "run/run_request.hpp"
#include "scenario/results_reader.hpp"

namespace pathways {

/// The request that repeats the runs of the folder's manifest from the inputs the folder keeps: its
/// scenario with every variant (or the one variant run), read with its district, schools, model,
/// ratings and goals as kept, the effect model, pinned parameters, the priors of the kept parameter
/// files, seed, draws, small-group floor and suppression as recorded. Nullopt, with the reason in
/// `out`, when the folder keeps no scenario (a folder written before results kept their inputs).
std::optional<run_request> rerun_request(const std::filesystem::path& folder, const run_manifest& manifest,
                                         diagnostics& out);

/// Whether the manifest says the folder keeps its inputs.
bool keeps_inputs(const run_manifest& manifest);

}  // namespace pathways
