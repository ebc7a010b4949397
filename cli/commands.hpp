#pragma once
// The subcommands of `pathways`. Each returns an exit code (console.hpp) and holds no model logic:
// it parses nothing itself, calls core, and prints.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "console.hpp"
#include "parameter_settings.hpp"
#include "plugin/registry.hpp"
#include "run/run_request.hpp"

namespace pathways::cli {

struct plugin_options {
    std::vector<std::string> plugin_dirs;
    bool allow_untrusted = false;
};

/// Loads the plugin registry; load problems are printed as warnings.
plugin_registry load_plugins(const plugin_options& options);

struct validate_options {
    std::vector<std::string> files;
    diagnostic_format format = diagnostic_format::text;
};
int validate_command(const validate_options& options, const plugin_options& plugins);

struct graph_options {
    std::string model_file;
    std::string format = "dot";
    std::string output;
};
int graph_command(const graph_options& options);

int plugins_command(const plugin_options& plugins);
int describe_command(const std::string& model, const plugin_options& plugins);

/// `--split` and `--schools-per-block`: what MPI ranks split, and the population's blocks of schools.
struct split_options {
    std::string split = "draws";                   ///< draws or schools
    std::optional<std::string> schools_per_block;  ///< checked by the run layer (run_request.hpp)
};

struct run_options {
    std::string scenario_file;
    std::string variant = "base";
    bool all_variants = false;
    std::optional<std::string> model;
    parameter_options parameters;  ///< --set and --set-file
    std::string out_dir;
    bool force = false;
    std::string formats = "csv,json";
    std::optional<std::string> draws;  ///< checked by the run layer (run_request.hpp)
    std::optional<std::string> seed;
    unsigned threads = 0;
    bool quiet = false;
    bool no_suppression = false;
    std::optional<std::string> min_n;  ///< --min-n: overrides the scenario's; below the floor, not for release
    bool report = false;               ///< also write report.html
    bool per_draw = false;             ///< also write draws.csv and inputs.csv
    bool detail = false;               ///< --detail: every table, not the one-screen summary
    split_options split;
    std::vector<std::string> command_line;
};
int run_command(const run_options& options, const plugin_options& plugins);

/// What `run` does once it has its request: runs it and writes the results folder `options` names
/// (its files, its kept inputs, its manifest), then prints the summary. `pathways rerun` shares it.
int run_into_folder(const run_request& request, const run_options& options, const plugin_registry& registry);

}  // namespace pathways::cli
