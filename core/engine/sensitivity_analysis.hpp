#pragma once
/// \file
/// Which assumption drives a projection: a one-at-a-time tornado and Sobol indices
/// (stats/sensitivity.hpp) over a simulation's uncertain inputs, for one reported value. Model
/// runs are spread over threads, and the result is the same for any thread count.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/projection.hpp"
#include "engine/simulation.hpp"
#include "stats/sensitivity.hpp"

namespace pathways {

/// The value under study: `metric` of `outcome` for `subgroup` in year `year` (0 = start year).
/// Supported metrics: level, bau_level, effect, percentile_shift (academic outcomes) and gap_sd
/// (a subgroup with a reference group).
struct sensitivity_target {
    std::size_t subgroup = 0;
    std::size_t outcome = 0;
    int year = 0;
    pathways::metric metric = pathways::metric::effect;
    std::optional<std::size_t> reference;  ///< the reference subgroup of gap_sd
};

/// Finds the target in `sim`'s reported subgroups and outcomes; problems (unknown names with a
/// suggestion, a year outside the horizon, an unsupported metric) are reported as coming from the
/// command line. `year` is a calendar year; nullopt means the final year.
std::optional<sensitivity_target> find_sensitivity_target(const simulation& sim, const scenario& spec,
                                                          const std::string& outcome, const std::string& subgroup,
                                                          std::optional<int> year, const std::string& metric,
                                                          diagnostics& out);

/// The target's value in one run of the simulation.
double target_value(const simulation& sim, const sensitivity_target& target, const draw_result& run);

struct sensitivity_options {
    std::size_t base_samples = 256;  ///< N of the Saltelli design
    std::size_t bootstrap_resamples = 200;
    std::uint64_t seed = 0;
    unsigned threads = 1;
    std::function<void(std::size_t done, std::size_t total)> progress;  ///< called from worker threads
    const std::atomic<bool>* cancel = nullptr;
    /// Evaluates `count` input vectors by calling `evaluate(first, count)` for this process's share
    /// and returns every value in order (run/ranks.hpp spreads them over MPI ranks). Unset: all here.
    std::function<std::vector<double>(
        std::size_t count, const std::function<std::vector<double>(std::size_t first, std::size_t count)>& evaluate)>
        spread;
};

struct sensitivity_report {
    std::vector<uncertain_input> inputs;
    double central = 0.0;                     ///< the value with every input at its median
    std::vector<stats::tornado_bar> tornado;  ///< largest swing first
    stats::sobol_result sobol;                ///< indices in input order
    bool cancelled = false;
};

/// Runs the tornado (each input at p05 and p95, the others at their medians) and the Sobol
/// design. The stats functions call the model one input vector at a time; here each is first run
/// with a recorder to learn the vectors it will ask for, those are evaluated in parallel, and the
/// function is run again answering from the results in call order. Throws std::invalid_argument
/// when the simulation has no uncertain input.
sensitivity_report analyse_sensitivity(const simulation& sim, const sensitivity_target& target,
                                       const sensitivity_options& options);

}  // namespace pathways
