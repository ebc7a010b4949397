#pragma once
/// \file
/// The `linear` model's computation laid bare for an outside reimplementation: every array the
/// engine's propagation reads, rebuilt from the loaded scenario with the engine's own rules, so
/// tests/bench/numpy_reference.py can recompute the engine's subgroup means and the roofline kernel
/// can run the same shape of arithmetic.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "engine/scenario_loader.hpp"
#include "engine/simulation.hpp"

namespace pathways::bench {

/// One parent of an evaluated node: its change since baseline enters scaled by a per-cell factor
/// when `view` >= 0 (the school's PL dose multiplier, a grade-band mask, or both).
struct reference_parent {
    std::size_t node = 0;
    std::size_t edge = 0;
    int view = -1;
};

struct reference_node {
    std::size_t node = 0;
    bool composes = false;     ///< a primary driver: the mean of its parents
    bool accumulates = false;  ///< an achievement node: each year's change adds to last year's level
    std::vector<reference_parent> parents;
};

/// A parent seen through a per-cell factor: `mask[c]` (0/1 by grade band, 1 for every cell when the
/// edge acts at all ages) times the school's dose multiplier when `dose`.
struct reference_view {
    std::size_t node = 0;
    bool dose = false;
    std::vector<double> mask;
};

struct reference_case {
    std::size_t cells = 0;
    std::size_t schools = 0;
    int years = 0;
    std::vector<double> students;           ///< [cell]
    std::vector<std::int64_t> school;       ///< [cell]
    std::vector<double> initial;            ///< [node * cells + cell] baseline of every node
    std::vector<std::size_t> driven;        ///< plan-driven nodes, in the schedule's order
    std::vector<double> levels_scenario;    ///< [(year * schools + school) * driven + k], central plan
    std::vector<double> levels_bau;         ///< the same with no program
    std::vector<reference_node> evaluated;  ///< topological order
    std::vector<reference_view> views;
    std::vector<double> central_weights;  ///< per model edge
    double scale = 1.0;                   ///< the linear model's `scale`
    std::vector<double> members;          ///< [(year * groups + g) * cells + cell] 1 for a member
    std::vector<double> group_students;   ///< [year * groups + g]
    std::vector<double> outcome_trend;    ///< [outcome * cells + cell] SD per year, 0 where none
};

/// Rebuilds the arrays of `sim` (which must run the `linear` model) from `loaded`. Throws
/// std::runtime_error when the rebuilt structure disagrees with the engine's (node count, model).
reference_case build_reference_case(const simulation& sim, const loaded_scenario& loaded);

/// Writes `ref` to `dir` as case.json and .npy arrays, with the engine's central-run subgroup means
/// (engine_levels.npy, [run][year][group][outcome], run 0 the scenario, 1 business as usual).
void write_reference_case(const reference_case& ref, const simulation& sim, const loaded_scenario& loaded,
                          const std::filesystem::path& dir);

}  // namespace pathways::bench
