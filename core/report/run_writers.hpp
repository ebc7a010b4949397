#pragma once
/// \file
/// The writers of a run's results (projection.csv, projection.json, manifest.json, report.html)
/// take run_results as execute returns them. results_of gives the same results_folder that
/// read_results gives for the folder those files are written to, so `run --report` and
/// `pathways report DIR` render the same data without a detour through text.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "common/model.hpp"
#include "report/cost_summary.hpp"
#include "report/projection_writer.hpp"
#include "run/execute.hpp"
#include "scenario/results_reader.hpp"

namespace pathways {

/// The labels every row of `run` shares in the tables.
table_context context_of(const finished_run& run, bool for_release);

/// Every run as results files hold it (results_reader.hpp).
std::vector<result_run> result_runs(const run_results& results);

/// `runs` (result_runs of `results`, kept alive by the caller) as the cost tables name them: each run's
/// label and what its variant stands for.
std::vector<costed_run> costed_runs(const run_results& results, const std::vector<result_run>& runs);

/// projection.csv and projection.json of every run.
std::string projection_csv(const run_results& results);
std::string projection_json(const run_results& results);

/// The results folder that `folder` holds once the files are written with `manifest`.
results_folder results_of(const run_results& results, const run_manifest& manifest,
                          const std::filesystem::path& folder);

/// Every file `pathways run` (and Python's Results.write) may write into its results folder, the kept
/// inputs' folder included: a new run drops them all, so that no file of an earlier run stays beside a
/// projection it does not describe.
std::vector<std::string> every_run_file();

/// The projection formats of `--format` (Python: `format=`): csv, json or csv,json. Throws input_error
/// located at `where`, its message led by `message_prefix` (the CLI's "--format: "), for an unknown
/// format or an empty list (which would write a manifest of nothing).
std::set<std::string> parse_output_formats(const std::string& text, const source_location& where,
                                           const std::string& message_prefix);

/// report.html of finished runs, from the results and the first run's scenario, district and model.
std::string html_report(const run_results& results, const run_manifest& manifest, const std::filesystem::path& folder);

}  // namespace pathways
