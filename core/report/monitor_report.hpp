#pragma once
/// \file
/// What `pathways monitor` writes: monitor.csv (one row per observed cell) and monitor.html, a
/// self-contained page with the projected 90% interval and the actual value of every cell.

#include <string>

#include "run/observed_fit.hpp"

namespace pathways {

/// Where the comparison came from, for the page's heading and notes.
struct monitor_context {
    std::string scenario;  ///< the scenario's name
    std::string variant;
    std::string model;         ///< effect model
    std::string observed;      ///< the observed-data file
    std::string observed_sha;  ///< its SHA-256
    std::uint64_t seed = 0;
    std::int64_t min_n = 0;  ///< the suppression threshold
};

/// Header and one line per cell, in the observed file's order; a suppressed cell has its projected
/// columns empty and `suppressed` 1.
std::string monitor_csv(const monitor_table& table);

/// A complete HTML page: coverage, a chart of every cell's projected interval with the actual value,
/// and the table.
std::string monitor_html(const monitor_table& table, const monitor_context& context);

}  // namespace pathways
