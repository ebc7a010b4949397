#pragma once
// What the Python module shares with the CLI's way of running: the plugin registry (found next to
// the module as the CLI finds it next to its executable), requests built from keyword arguments
// with the CLI's checks, and runs on a worker thread that Ctrl-C can stop.

#include <pybind11/pybind11.h>

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "run/execute.hpp"

namespace pathways::python {

/// Where findings about the module's arguments are located, as "<command line>" for the CLI's options.
inline constexpr const char* python_origin = "<python>";

/// The effect models of every plugin folder: next to the module (the build tree's or the install's
/// plugin folder) and in PATHWAYS_PLUGIN_PATH. Loaded on first use and kept until the process ends,
/// since loaded scenarios point into it. Problems with plugin files are issued as Python warnings.
const plugin_registry& registry();

/// The keyword arguments of Scenario.run and its siblings.
struct run_arguments {
    std::optional<std::int64_t> draws;
    std::optional<std::int64_t> seed;
    /// model=: the theory of change to read instead of the scenario's (a .json, lavaan or DAGitty file), as
    /// --model FILE; a name that is not a model file's is an error naming effect_model=.
    std::optional<std::string> model_file;
    std::optional<std::string> effect_model;  ///< effect_model=: the effect plugin, as --effect-model
    std::string variant = "base";
    bool all_variants = false;               ///< every variant of the scenario, as `pathways run --all-variants`
    std::map<std::string, double> settings;  ///< set={"NAME": value, "MODEL:NAME": value}
    std::vector<std::string> set_files;      ///< set_files=[...]: parameter files, as --set-file (set wins)
    /// What a parameter file's joint posterior is used for: drawn from (run, compare_models), or only its
    /// one-input summaries (sensitivity), as the CLI's commands use it.
    joint_posterior posterior_use = joint_posterior::draw_from;
    std::optional<std::int64_t> min_n;
    bool suppression = true;
    unsigned threads = 0;  ///< 0: every hardware thread
};

/// A request for `scenario_file` as the CLI builds one from the same options; errors of the
/// arguments (out of range, malformed) are located at "<python>" and the argument's name. Its command
/// line, which a manifest records, is the Python call that `method` (e.g. "run") stands for.
run_request request_of(const std::string& scenario_file, const run_arguments& arguments,
                       const std::string& method = "run");

/// Warnings and other findings that do not stop a run (a joint posterior whose effective sample
/// collapsed, problems with plugin files), each as a Python RuntimeWarning with the CLI's text.
void warn(const diagnostics& found);

/// Runs `work` on a worker thread with the GIL released, checking for signals on the calling thread
/// every 50 ms. On Ctrl-C (a signal handler that raises) `cancel` is set, the worker is waited for,
/// and the Python exception is raised. Exceptions of `work` are rethrown here.
void run_interruptibly(const std::function<void()>& work, std::atomic<bool>& cancel);

/// Registers pathways.InputError (a ValueError) on `module` and translates input_error to it: its
/// message is the compiler-style diagnostics, one a line, and its `diagnostics` attribute the list of
/// (file, line, column, pointer, message) tuples.
void register_input_error(pybind11::module_& module);

}  // namespace pathways::python
