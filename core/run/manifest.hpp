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

/// Where a results folder keeps the inputs its run read.
inline constexpr const char* kept_inputs_folder = "inputs";

/// An input as a results folder keeps it: `inputs/<name>`.
struct kept_input {
    std::string name;
    std::string content;
};

/// The bytes of every input file of `manifest` (scenario, district, schools CSV, ratings, goals, the
/// model — the embedded model's own text — and the parameter files named by --set-file, added as inputs
/// `parameters-1`, …), for the results folder to keep. Records in each input where the folder keeps it
/// (`copy`) and the hash of those bytes; the plugin, a shared library, is identified by its hash alone.
/// Throws input_error when a file cannot be read.
std::vector<kept_input> keep_inputs(run_manifest& manifest, const std::vector<std::string>& parameter_files);

}  // namespace pathways
