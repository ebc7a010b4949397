#pragma once
// The options several commands share, declared alike everywhere: the same names, types and help texts.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "commands.hpp"
#include "parameter_settings.hpp"

namespace pathways::cli {

/// --draws and --seed are read as text: the run layer checks them like the scenario file's values
/// (run/run_request.hpp), so the message names the option and the range is the file's.
void add_draws_option(CLI::App& command, std::optional<std::string>& draws, const std::string& description);
void add_seed_option(CLI::App& command, std::optional<std::string>& seed, const std::string& description);

/// --threads, "Worker threads (default: all cores)", as every command that runs draws offers it.
void add_threads_option(CLI::App& command, unsigned& threads);
/// --quiet, "No progress display".
void add_quiet_flag(CLI::App& command, bool& quiet);

/// --plugin-dir and --allow-untrusted-plugins.
void add_plugin_options(CLI::App& command, plugin_options& options);

/// --set and --set-file.
void add_parameter_options(CLI::App& command, parameter_options& options);

/// --split and --schools-per-block.
void add_split_options(CLI::App& command, split_options& options);

/// The scenario and the options of `pathways run` that fill run_options.
void add_run_options(CLI::App& command, run_options& options);

}  // namespace pathways::cli
