#pragma once
// From parsed options to a run request, and the progress display of a run's draws.

#include <optional>
#include <string>

#include "commands.hpp"
#include "console.hpp"
#include "parameter_settings.hpp"
#include "run/execute.hpp"

namespace pathways::cli {

/// The request every projecting command starts from: the scenario file, --set/--set-file, and
/// --draws and --seed read and range-checked like the scenario file's values (errors to `found`).
/// After prepare(): throws input_error with its errors when nothing could be prepared, else prints its
/// warnings (a joint posterior from a collapsed sample), so every command that prepares runs says them.
void refuse_or_warn(const std::optional<run_plan>& plan, const diagnostics& found);

run_request base_request(const std::string& scenario_file, const parameter_options& parameters,
                         const std::optional<std::string>& draws, const std::optional<std::string>& seed,
                         diagnostics& found);

/// `--split` and `--schools-per-block` into the request (errors to `found`).
void apply_split(const split_options& options, run_request& request, diagnostics& found);

/// One progress line per run, labelled with the run's name; cleared when the runs are done.
class progress_by_run {
public:
    explicit progress_by_run(bool quiet) : quiet_(quiet) {}
    /// Hooks for execute: progress, Ctrl-C, and which per-draw values to keep.
    run_hooks hooks(kept_draws keep = kept_draws::none);
    /// Clears the last progress line.
    void finish() { display_.reset(); }

private:
    bool quiet_;
    std::optional<progress_display> display_;
};

}  // namespace pathways::cli
