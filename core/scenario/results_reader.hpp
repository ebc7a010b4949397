#pragma once
/// \file
/// Reads a finished run's `projection.json` and `manifest.json` back into plain structs, so that
/// reports can be made from a results folder without re-running anything.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/diagnostics.hpp"

namespace pathways {

/// One row of `projection.json`; suppressed rows have no numbers, and a number that is undefined in
/// the draws (null in the file: years to close a gap that does not narrow) is NaN.
struct result_row {
    int year = 0;  ///< calendar year
    std::string subgroup;
    std::string outcome;
    std::string metric;
    /// "sustained", "with_cut_risk", or empty for business-as-usual rows (and in files written
    /// before the two projections, whose plan rows are the with-cut-risk course).
    std::string course;
    std::string reference;  ///< reference subgroup of gap metrics, else empty
    double mean = 0.0;
    double sd = 0.0;
    double p05 = 0.0;
    double p50 = 0.0;
    double p95 = 0.0;
    double prob_positive = 0.0;
    double n_students = 0.0;
    bool suppressed = false;
};

/// The program-cut risk a run recorded (absent in files written before it was).
struct result_cut_risk {
    double annual_probability = 0.0;
    int first_year_at_risk = 0;
    double by_horizon = 0.0;
    std::int64_t cut_draws = 0;
};

/// One scenario × variant × effect model run of `projection.json`.
struct result_run {
    std::string scenario;
    std::string variant;
    std::string model;
    std::int64_t draws = 0;
    bool suppression = true;
    std::optional<result_cut_risk> cut_risk;
    std::vector<result_row> rows;
};

/// An input file the manifest names, with its hash (empty when the manifest gives none).
struct manifest_input {
    std::string role;  ///< scenario, district, schools_csv, model, plugin
    std::string path;
    std::string sha256;
    std::string copy{};  ///< where the results folder keeps the bytes read (`inputs/…`); empty when it does not
};

/// The schools one wave of a run's plan reached, as the manifest lists them.
struct manifest_wave {
    std::string name;
    int start_year = 0;
    bool sampled = false;              ///< a seeded sample of the schools its selector matches
    std::uint64_t seed = 0;            ///< the sample's seed; 0 when not sampled
    std::vector<std::string> schools;  ///< school ids, in the order of the district's schools
    /// A stage-gated wave: the share of draws in which its gate opened (it reached `schools` only in
    /// those), and the standard error of the measure the gate read. Unset: the wave has no gate.
    std::optional<double> gate_open_share{};
    double gate_measurement_se = 0.0;
    bool operator==(const manifest_wave&) const = default;
};

/// One run a manifest describes: a variant, a compared scenario or model, or a sweep point.
struct manifest_run {
    std::string name;  ///< how the command labels it (the variant for `run`)
    std::string variant;
    std::string scenario;  ///< the scenario's name, where runs differ in it (compare)
    std::string file;      ///< the scenario file, with its hash, where runs differ in it (compare)
    std::string sha256;
    std::string effect_model;  ///< where runs differ in it (compare, compare-models)
    std::string effect_model_version;
    std::vector<std::pair<std::string, double>> pinned;
    std::int64_t min_n = 0;  ///< 0: not recorded
    double seconds = 0.0;
    std::vector<manifest_wave> waves;  ///< the schools each wave reached; empty: not recorded
};

/// What `manifest.json` records about how the results were made. Every command's manifest has
/// this shape (results_writer.hpp writes it); commands add their own fields beside it.
struct run_manifest {
    std::string pathways_version;
    std::uint32_t sdk_abi = 0;
    std::string build;
    std::string source_revision;  ///< the git commit the build came from
    std::vector<std::string> command_line;
    std::string scenario;
    std::string effect_model;
    std::string effect_model_version;
    std::vector<std::pair<std::string, double>> pinned;  ///< parameters pinned by the scenario or --set
    std::uint64_t seed = 0;
    std::int64_t draws = 0;
    std::int64_t threads = 0;  ///< per rank
    std::int64_t ranks = 1;    ///< MPI ranks the draws were split over; 1 without MPI
    bool suppression = true;
    std::int64_t min_n = 16;
    bool public_release = false;
    std::vector<manifest_input> inputs;
    double cells = 0.0;
    double students = 0.0;
    std::int64_t ipf_max_iterations = 0;
    double ipf_worst_error = 0.0;
    std::vector<manifest_run> runs;
    std::vector<std::pair<std::string, std::string>> outputs;  ///< file name → sha256
    /// The input with this role, or null.
    [[nodiscard]] const manifest_input* input(std::string_view role) const;
};

struct results_folder {
    std::filesystem::path folder;
    std::vector<result_run> runs;
    run_manifest manifest;
};

/// Reads `projection.json` and `manifest.json` of `folder`; every problem (missing file, bad JSON,
/// missing or mistyped field) goes to `out` with its location; nullopt when any was an error.
std::optional<results_folder> read_results(const std::filesystem::path& folder, diagnostics& out);

/// The manifest.json of `folder` alone; problems go to `out`, nullopt when any was an error.
std::optional<run_manifest> read_run_manifest(const std::filesystem::path& folder, diagnostics& out);

/// The files the run in `folder` wrote, as its manifest.json lists them (with manifest.json itself);
/// empty when the folder holds no readable manifest.
std::vector<std::string> files_of_run(const std::filesystem::path& folder);

/// The same from the two files' text (a run that has not written them yet); `folder` is recorded as given.
std::optional<results_folder> read_results_text(std::string_view projection_json, std::string_view manifest_json,
                                                const std::filesystem::path& folder, diagnostics& out);

}  // namespace pathways
