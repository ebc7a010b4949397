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
#include <string_view>
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

/// Which course of the plan the value follows: with the program's cut risk, as the headline of a
/// run reports it, or as if the program is sustained (the cut held off).
enum class sensitivity_course : std::uint8_t { with_cut_risk, if_sustained };

/// "with_cut_risk", "if_sustained".
std::string_view to_string(sensitivity_course course);
/// The course of its name; nullopt for another.
std::optional<sensitivity_course> parse_sensitivity_course(std::string_view name);
/// Why `name` is refused as a course, naming both (with a did-you-mean): "'NAME' is not a course; expected
/// with_cut_risk (…) or if_sustained (…)". The CLI leads it with "--course ", Python with "course ".
std::string not_a_course_text(std::string_view name);

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
    sensitivity_course course = sensitivity_course::with_cut_risk;
};

/// Something a run's draws vary that the analysis holds fixed, and at what.
struct held_fixed_quantity {
    std::string name;     ///< e.g. "program cut: whether and when"
    std::string held_at;  ///< e.g. "never cut (the course if sustained)"
};

struct sensitivity_report {
    sensitivity_course course = sensitivity_course::with_cut_risk;
    std::vector<uncertain_input> inputs;  ///< the scalar inputs studied: tornado bars and the first Sobol entries
    std::vector<uncertain_group> groups;  ///< the groups studied, each varied as a whole: the Sobol entries after
    /// What a run's draws let vary that this analysis holds fixed; empty: nothing.
    std::vector<held_fixed_quantity> held_fixed;
    /// Where the tornado holds the groups (it moves scalar inputs only), e.g. "never cut, every school
    /// at the average"; empty without groups.
    std::string groups_in_tornado;
    double central = 0.0;                     ///< the value with every input and group at its median
    std::vector<stats::tornado_bar> tornado;  ///< largest swing first; scalar inputs only
    stats::sobol_result sobol;                ///< indices of the inputs, then of the groups
    bool cancelled = false;
};

/// Runs the tornado (each scalar input at p05 and p95, the others and the groups at their medians)
/// and the Sobol design over the scalar inputs and the groups (the program cut on the course with
/// cut risk, the schools' deviations), every uncertain quantity of a draw, so that Var(Y) is the
/// variance of the value over a run's draws of the same course. Held fixed: on the sustained course
/// the cut (and with it the after-cut assumptions, which then do nothing). The tornado asks for
/// input vectors one at a time; it is first run with a recorder to learn them, they are evaluated in
/// parallel, and it is run again answering from the results in call order. The Sobol design's runs
/// are evaluated in parallel from their index. Throws std::invalid_argument when the simulation has
/// no uncertain input.
sensitivity_report analyse_sensitivity(const simulation& sim, const sensitivity_target& target,
                                       const sensitivity_options& options);

}  // namespace pathways
