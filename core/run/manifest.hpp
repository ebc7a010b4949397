#pragma once
/// \file
/// The one manifest builder: every command that writes results (run, compare, compare-models,
/// sweep, sensitivity, calibrate) describes them with a run_manifest built here and written by
/// manifest_json_text (scenario/results_writer.hpp), so that every manifest has the same shape and
/// `pathways report` reads the keys every command writes.

#include <string>
#include <string_view>
#include <vector>

#include "run/execute.hpp"
#include "scenario/results_reader.hpp"
#include "scenario/results_writer.hpp"

namespace pathways {

/// What every manifest starts with: version, SDK ABI, build fingerprint and the command line.
run_manifest manifest_header(const std::vector<std::string>& command_line);

/// The manifest of one loaded scenario: its name, effect model and pinned parameters, seed, draws,
/// suppression, min_n, inputs with their sha256 and population statistics.
run_manifest manifest_of(const loaded_scenario& loaded, const std::vector<std::string>& command_line, unsigned threads,
                         bool suppression);

/// The manifest of finished runs: the first run's scenario and inputs, and every run with its time
/// and the schools each wave of its plan reached (sampled waves as their seed chose them).
/// With `describe_each_run`, each run also records its scenario, file (with sha256) and effect model,
/// for commands whose runs differ in them (compare, compare-models).
run_manifest manifest_of(const run_results& results, bool describe_each_run = false);

/// Records `content` as output `name` with its sha256.
void add_output(run_manifest& manifest, const std::string& name, std::string_view content);

}  // namespace pathways
