#include "command_options.hpp"

namespace pathways::cli {

void add_draws_option(CLI::App& command, std::optional<std::string>& draws, const std::string& description) {
    command.add_option("--draws", draws, description)->type_name("INT");
}

void add_seed_option(CLI::App& command, std::optional<std::string>& seed, const std::string& description) {
    command.add_option("--seed", seed, description)->type_name("INT");
}

void add_threads_option(CLI::App& command, unsigned& threads) {
    command.add_option("--threads", threads, "Worker threads (default: all cores)");
}

void add_quiet_flag(CLI::App& command, bool& quiet) { command.add_flag("--quiet", quiet, "No progress display"); }

void add_plugin_options(CLI::App& command, plugin_options& options) {
    command.add_option("--plugin-dir", options.plugin_dirs,
                       "Folder to search for effect-model plugins first (repeatable)");
    command.add_flag("--allow-untrusted-plugins", options.allow_untrusted,
                     "Load plugins from world-writable folders or through symlinks leaving the search path");
}

void add_parameter_options(CLI::App& command, parameter_options& options) {
    command.add_option(
        "--set", options.set,
        "Pin an effect-model parameter: --set NAME=VALUE or --set MODEL:NAME=VALUE (repeatable; wins over --set-file)");
    command.add_option("--set-file", options.set_files,
                       "Pin the parameters of a parameter file, e.g. one `pathways calibrate` wrote (repeatable)");
    command.add_option("--model", options.model_file,
                       "Theory of change to use instead of the scenario's: a model file (.json, or lavaan .lav or "
                       "DAGitty .dag as `pathways graph` writes them); the effect model is --effect-model");
}

void add_split_options(CLI::App& command, split_options& options) {
    command
        .add_option("--split", options.split,
                    "Under MPI, what the ranks split: draws (default) or schools (each rank holds and runs only its "
                    "blocks of schools, for populations larger than one machine's memory)")
        ->check(CLI::IsMember({"draws", "schools"}));
    command
        .add_option("--schools-per-block", options.schools_per_block,
                    "Schools per block, the unit in which the population is summed and split (default: 2048); "
                    "results depend on it in the last digits only")
        ->type_name("INT");
}

void add_run_options(CLI::App& command, run_options& options) {
    command.add_option("scenario", options.scenario_file, "Scenario file (JSON, format v1)")->required();
    command.add_option("--variant", options.variant, "Variant to run (default: base)");
    command.add_flag("--all-variants", options.all_variants, "Run the base scenario and every variant");
    command.add_option("--effect-model", options.model, "Effect model (plugin) to use instead of the scenario's");
    add_parameter_options(command, options.parameters);
    command.add_option("--out", options.out_dir, "Output folder (default: out/<scenario name>)");
    command.add_flag("--force", options.force, "Overwrite existing outputs");
    command.add_option("--format", options.formats, "Output formats: csv, json or csv,json (default)");
    add_draws_option(command, options.draws, "Monte Carlo draws (0: one central run); overrides the scenario");
    add_seed_option(command, options.seed, "Random seed; overrides the scenario");
    add_threads_option(command, options.threads);
    add_quiet_flag(command, options.quiet);
    command.add_flag("--detail", options.detail,
                     "Print every subgroup, outcome and projection and the waves' schools, not the one-screen summary");
    command
        .add_option("--min-n", options.min_n,
                    "Withhold groups with fewer students (default: the scenario's); below 10 stamps every output "
                    "NOT FOR PUBLIC RELEASE")
        ->type_name("INT");
    command.add_flag("--no-suppression", options.no_suppression,
                     "Publish small groups too; stamps every output NOT FOR PUBLIC RELEASE");
    add_split_options(command, options.split);
}

}  // namespace pathways::cli
