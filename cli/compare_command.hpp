#pragma once
// compare and compare-models: several what-ifs, or several effect models, on the same draws.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "engine/comparison.hpp"

namespace pathways::cli {

struct compare_options {
    std::vector<std::string> scenario_files;
    std::string variant = "base";
    parameter_options parameters;      ///< --set and --set-file, for every scenario
    std::optional<std::string> draws;  ///< checked by the run layer (run_request.hpp)
    std::optional<std::string> seed;
    unsigned threads = 0;
    std::string out_dir;  ///< empty: print only
    bool force = false;
    bool quiet = false;
    bool detail = false;  ///< --detail: the full side-by-side table, not the one-screen summary
    split_options split;
    std::vector<std::string> command_line;
};
int compare_command(const compare_options& options, const plugin_options& plugins);

struct compare_models_options {
    std::string scenario_file;
    std::string models = "linear,saturating,lagged,subgroup,evidence";
    std::string weights;           ///< `--weights linear=0.5,evidence=0.5`, or `equal`; empty: by fit to the anchors
    parameter_options parameters;  ///< --set [MODEL:]NAME=VALUE and --set-file, each for the models it names
    std::string variant = "base";
    std::optional<std::string> draws;  ///< checked by the run layer (run_request.hpp)
    std::optional<std::string> seed;
    unsigned threads = 0;
    std::string out_dir;  ///< empty: print only
    bool force = false;
    bool quiet = false;
    std::size_t top = 10;  ///< rows shown under "where they disagree most"
    split_options split;
    std::vector<std::string> command_line;
};
int compare_models_command(const compare_models_options& options, const plugin_options& plugins);

/// The side-by-side table for a terminal: the final year's effect of every run for the whole
/// district and each gap's focal and reference group, per academic outcome, with the paired
/// difference from run 0 and its 90% interval; then which run closes which gap most.
std::string comparison_table(const comparison& compared);

/// The tidy comparison.csv: each run's own summary (`versus` empty) and its paired difference
/// from run 0 (`versus` = run 0's name); suppressed rows keep their labels with empty values.
std::string comparison_csv(const comparison& compared);

}  // namespace pathways::cli
