#pragma once
/// \file
/// What-if grids over a scenario's numbers: `--grid /json/pointer=v1,v2,...` axes, the full grid
/// they span, and scenarios read with pointer = value replacements through every check of the
/// format (so a grid value out of range is reported like the same value written in the file).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"

namespace pathways {

/// One replacement: the number at `pointer` (RFC 6901, in the scenario with its variant merged
/// in) becomes `value`.
struct scenario_patch {
    std::string pointer;
    double value = 0.0;
};

/// One axis of a grid: a pointer and the values it takes, in the order given.
struct grid_axis {
    std::string pointer;
    std::vector<double> values;
};

/// The most points a grid may have, so a typo cannot start a run of years.
inline constexpr std::size_t max_grid_points = 100'000;

/// Parses `--grid` arguments `/json/pointer=v1,v2,...`. Every problem is reported as coming from
/// the command line: no '=', a pointer that does not start with '/', an empty or non-finite value,
/// an axis given twice, a grid of more than `max_grid_points` points. Empty when any was an error.
std::vector<grid_axis> parse_grid(const std::vector<std::string>& arguments, diagnostics& out);

/// Every combination of the axes' values, the first axis varying slowest (nested loops in the
/// order the axes were given); each point holds one patch per axis, in axis order. No axes give one
/// point with no patches.
std::vector<std::vector<scenario_patch>> expand_grid(std::span<const grid_axis> axes);

/// Reads `path` with `variant` merged in and every patch applied, then checks it as
/// `read_scenario` does. A pointer that does not lead to a number is reported with the pointer
/// and, where a key is missing, the nearest key of that object; a non-finite value is reported.
std::optional<scenario> read_patched_scenario(const std::filesystem::path& path, const std::string& variant,
                                              std::span<const scenario_patch> patches, diagnostics& out);

/// What `pathways plan-next` changes in the scenario file it writes.
struct next_wave_edit {
    std::string variant;  ///< merged into the plan ("base": none); every variant is dropped
    std::string name;     ///< the written scenario's name and description
    std::string description;
    std::string district;              ///< the profile's path as the written scenario names it
    std::optional<std::string> model;  ///< likewise for a model file, when the scenario names one
    std::string wave_name;             ///< the wave appended to /implementation/waves
    int start_year = 0;
    std::vector<std::string> school_ids;
};

/// The scenario file `path` with `edit` applied, as text `pathways run` reads. The new wave takes the
/// targets of the plan's last wave (every driver at level 2 when it has none). A file that does not
/// parse is reported in `out` and gives nullopt.
std::optional<std::string> scenario_with_next_wave(const std::filesystem::path& path, const next_wave_edit& edit,
                                                   diagnostics& out);

}  // namespace pathways
